//! Criterion benchmarks of the hot paths: folding, full analysis with the language given and
//! detected, and redaction, over the 14-language corpus in `data/messages.jsonl`; coaching over
//! the ~1,000-byte drafts in `data/drafts.jsonl`.
//!
//! Run: `cargo bench -p tact-core`. Compare medians within one run; absolute times on shared
//! machines are noisy.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tact_core::redact::{Policy, Redactor};
use tact_core::resources::Source;
use tact_core::text::Normalized;
use tact_core::{AnalyseOptions, Engine, Lang};

fn corpus() -> Vec<(Option<Lang>, String)> {
    read_lines(include_str!("data/messages.jsonl"))
}

fn read_lines(text: &str) -> Vec<(Option<Lang>, String)> {
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["lang"].as_str().and_then(Lang::parse),
                v["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn engine() -> Engine {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
}

fn benches(c: &mut Criterion) {
    let engine = engine();
    let corpus = corpus();
    c.bench_function("normalize/corpus", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|(_, t)| Normalized::new(black_box(t)).as_str().len())
                .sum::<usize>()
        })
    });
    c.bench_function("analyse/language-given/corpus", |b| {
        b.iter(|| {
            for (lang, text) in &corpus {
                black_box(
                    engine
                        .analyse(
                            black_box(text),
                            &AnalyseOptions {
                                language: *lang,
                                ..Default::default()
                            },
                        )
                        .unwrap(),
                );
            }
        })
    });
    c.bench_function("analyse/language-detected/corpus", |b| {
        b.iter(|| {
            for (_, text) in &corpus {
                black_box(
                    engine
                        .analyse(black_box(text), &AnalyseOptions::default())
                        .unwrap(),
                );
            }
        })
    });
    let analysed: Vec<_> = corpus
        .iter()
        .map(|(l, t)| {
            (
                t,
                engine
                    .analyse(
                        t,
                        &AnalyseOptions {
                            language: *l,
                            ..Default::default()
                        },
                    )
                    .unwrap(),
            )
        })
        .collect();
    c.bench_function("redact/placeholder/corpus", |b| {
        b.iter(|| {
            let mut redactor = Redactor::new();
            for (text, analysis) in &analysed {
                black_box(
                    redactor
                        .redact(text, &analysis.pii, &Policy::default(), None)
                        .unwrap(),
                );
            }
        })
    });
}

fn coach_benches(c: &mut Criterion) {
    let engine = engine();
    let drafts = read_lines(include_str!("data/drafts.jsonl"));
    let reference = jiff::civil::date(2026, 11, 18).at(14, 0, 0, 0);
    c.bench_function("coach/drafts", |b| {
        b.iter(|| {
            for (lang, text) in &drafts {
                black_box(
                    engine
                        .coach(
                            text,
                            &tact_core::coach::CoachOptions {
                                language: *lang,
                                reference: Some(reference),
                                ..Default::default()
                            },
                        )
                        .unwrap(),
                );
            }
        })
    });
}

criterion_group!(analyse, benches, coach_benches);
criterion_main!(analyse);
