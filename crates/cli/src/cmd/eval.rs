//! `tact eval`: precision, recall and F1 against a labelled JSON-lines file.
//!
//! Files labelled per message (emotion, abuse, mental-health sets) are scored by
//! [`super::eval_labels`]; this module scores personal-data span files.
//!
//! Personal-data files (`{"text", "lang", "spans": [{"start", "end", "label"}]}`, offsets in
//! characters) are scored per label and per language in two modes: `exact` (same start, end and
//! label) and `overlap` (same label and overlapping spans, each labelled span matched at most once,
//! largest overlaps first). Only the labels present in the file are scored; other types tact finds
//! are counted apart, not as false positives. The JSON report (`--json`) has the same shape as
//! `scripts/compare-presidio/presidio_eval.py` writes, so the two can be compared.

use crate::input::Outcome;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tact_core::{AnalyseOptions, Lang};

/// Options of `tact eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The labelled JSON-lines file.
    file: PathBuf,
    /// Write the full report as JSON to this file.
    #[arg(long, value_name = "OUT")]
    json: Option<PathBuf>,
    /// Analyse each row as the language its `lang` field gives, instead of detecting it.
    #[arg(long)]
    given_lang: bool,
    /// Print up to N missed and N spurious spans per label on stderr, to see where tact fails.
    #[arg(long, value_name = "N", default_value_t = 0)]
    show_errors: usize,
    /// For files labelled per message: the mapping from the file's labels to tact's categories
    /// (default: the built-in `eval-mappings.toml`).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// For files labelled per message: which set of the mapping applies (default: the name of the
    /// file's folder, e.g. `goemotions`).
    #[arg(long, value_name = "NAME")]
    set: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SpanRow {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    lang: Option<String>,
    text: String,
    spans: Vec<GoldSpan>,
}

#[derive(Debug, Deserialize, Clone)]
struct GoldSpan {
    start: usize,
    end: usize,
    label: String,
}

/// True positives, false positives and false negatives, with the scores they give.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Counts {
    pub fn add(&mut self, tp: usize, fp: usize, fn_: usize) {
        self.tp += tp;
        self.fp += fp;
        self.fn_ += fn_;
    }

    pub fn finish(&mut self) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.tp, self.tp + self.fp);
        self.recall = ratio(self.tp, self.tp + self.fn_);
        let sum = self.precision + self.recall;
        self.f1 = if sum == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / sum
        };
    }
}

/// Scores of one label in both modes.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Modes {
    pub exact: Counts,
    pub overlap: Counts,
}

#[derive(Debug, Serialize)]
struct Report {
    tool: &'static str,
    file: String,
    messages: usize,
    seconds: f64,
    messages_per_second: f64,
    bytes_per_second: f64,
    language_given: bool,
    labels: BTreeMap<String, Modes>,
    by_language: BTreeMap<String, BTreeMap<String, Modes>>,
    other_types_found: BTreeMap<String, usize>,
}

/// Matches predicted to gold spans of one label: (exact tp, overlap tp).
fn match_spans(gold: &[(usize, usize)], predicted: &[(usize, usize)]) -> (usize, usize) {
    let exact = predicted.iter().filter(|p| gold.contains(p)).count();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (g, &(gs, ge)) in gold.iter().enumerate() {
        for (p, &(ps, pe)) in predicted.iter().enumerate() {
            let overlap = ge.min(pe).saturating_sub(gs.max(ps));
            if overlap > 0 {
                pairs.push((overlap, g, p));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_g, mut used_p) = (BTreeSet::new(), BTreeSet::new());
    let mut overlap_tp = 0;
    for (_, g, p) in pairs {
        if !used_g.contains(&g) && !used_p.contains(&p) {
            used_g.insert(g);
            used_p.insert(p);
            overlap_tp += 1;
        }
    }
    (exact, overlap_tp)
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let engine = crate::resources::load_engine(resources)?;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let mut rows = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{}:{}: cannot read line", args.file.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: malformed JSON", args.file.display(), i + 1))?;
        if value.get("spans").is_none() {
            return crate::cmd::eval_labels::run(
                &args.file,
                &engine,
                args.given_lang,
                args.json.as_deref(),
                args.mapping.as_deref(),
                args.set.as_deref(),
                args.show_errors,
            );
        }
        let row: SpanRow = serde_json::from_value(value)
            .with_context(|| format!("{}:{}: not a span row", args.file.display(), i + 1))?;
        rows.push(row);
    }
    let labels: BTreeSet<String> = rows
        .iter()
        .flat_map(|r| r.spans.iter().map(|s| s.label.clone()))
        .collect();
    let mut report = Report {
        tool: "tact",
        file: args.file.display().to_string(),
        messages: rows.len(),
        seconds: 0.0,
        messages_per_second: 0.0,
        bytes_per_second: 0.0,
        language_given: args.given_lang,
        labels: labels
            .iter()
            .map(|l| (l.clone(), Modes::default()))
            .collect(),
        by_language: BTreeMap::new(),
        other_types_found: BTreeMap::new(),
    };
    let mut elapsed = Duration::ZERO;
    let mut bytes = 0usize;
    let mut errors: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for row in &rows {
        let lang = row.lang.as_deref().and_then(Lang::parse);
        let options = AnalyseOptions {
            language: if args.given_lang { lang } else { None },
            ..Default::default()
        };
        let started = Instant::now();
        let analysis = engine.analyse(&row.text, &options)?;
        elapsed += started.elapsed();
        bytes += row.text.len();
        let lang_key = row.lang.clone().unwrap_or_else(|| "?".into());
        for label in &labels {
            let gold: Vec<(usize, usize)> = row
                .spans
                .iter()
                .filter(|s| &s.label == label)
                .map(|s| (s.start, s.end))
                .collect();
            let predicted: Vec<(usize, usize)> = analysis
                .pii
                .iter()
                .filter(|f| &f.kind == label)
                .map(|f| (f.span.char_start, f.span.char_end))
                .collect();
            if gold.is_empty() && predicted.is_empty() {
                continue;
            }
            let (exact, overlap) = match_spans(&gold, &predicted);
            for modes in [
                report.labels.get_mut(label).expect("label"),
                report
                    .by_language
                    .entry(lang_key.clone())
                    .or_default()
                    .entry(label.clone())
                    .or_default(),
            ] {
                modes
                    .exact
                    .add(exact, predicted.len() - exact, gold.len() - exact);
                modes
                    .overlap
                    .add(overlap, predicted.len() - overlap, gold.len() - overlap);
            }
            if args.show_errors > 0 {
                let slot = errors.entry(label.clone()).or_default();
                let chars: Vec<char> = row.text.chars().collect();
                let show = |(s, e): (usize, usize)| {
                    chars
                        .get(s..e.min(chars.len()))
                        .map(|c| c.iter().collect::<String>())
                        .unwrap_or_default()
                };
                let describe = |spans: &[(usize, usize)],
                                others: &[(usize, usize)],
                                what: &str|
                 -> Vec<String> {
                    spans
                        .iter()
                        .filter(|s| !others.contains(s))
                        .map(|s| {
                            format!(
                                "{} [{}] {what} {:?} in {:?}",
                                row.id,
                                lang_key,
                                show(*s),
                                row.text
                            )
                        })
                        .collect()
                };
                slot.0.extend(describe(&gold, &predicted, "missed"));
                slot.1.extend(describe(&predicted, &gold, "spurious"));
            }
        }
        for f in analysis.pii.iter().filter(|f| !labels.contains(&f.kind)) {
            *report.other_types_found.entry(f.kind.clone()).or_default() += 1;
        }
    }
    for modes in report
        .labels
        .values_mut()
        .chain(report.by_language.values_mut().flat_map(|m| m.values_mut()))
    {
        modes.exact.finish();
        modes.overlap.finish();
    }
    // Throughput is measured like the peer's: after that first (scoring) pass has warmed the
    // caches, the median of five timed passes over the file.
    let mut passes: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            for row in &rows {
                let lang = if args.given_lang {
                    row.lang.as_deref().and_then(Lang::parse)
                } else {
                    None
                };
                std::hint::black_box(
                    engine
                        .analyse(
                            &row.text,
                            &AnalyseOptions {
                                language: lang,
                                ..Default::default()
                            },
                        )
                        .ok(),
                );
            }
            started.elapsed()
        })
        .collect();
    passes.sort();
    let _cold = elapsed;
    let elapsed = passes[passes.len() / 2];
    report.seconds = elapsed.as_secs_f64();
    if report.seconds > 0.0 {
        report.messages_per_second = rows.len() as f64 / report.seconds;
        report.bytes_per_second = bytes as f64 / report.seconds;
    }
    print_table(&report);
    for (label, (missed, spurious)) in &errors {
        for line in missed
            .iter()
            .take(args.show_errors)
            .chain(spurious.iter().take(args.show_errors))
        {
            eprintln!("{label}: {line}");
        }
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(Outcome::default())
}

fn print_table(report: &Report) {
    println!(
        "{} — {} messages, language {}",
        report.file,
        report.messages,
        if report.language_given {
            "given by the file"
        } else {
            "detected"
        }
    );
    println!(
        "{:<16} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}",
        "label", "tp", "fp", "fn", "P", "R", "F1", "P~", "R~", "F1~"
    );
    let row = |name: &str, m: &Modes| {
        println!(
            "{:<16} {:>5} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}",
            name,
            m.exact.tp,
            m.exact.fp,
            m.exact.fn_,
            m.exact.precision,
            m.exact.recall,
            m.exact.f1,
            m.overlap.precision,
            m.overlap.recall,
            m.overlap.f1
        )
    };
    for (label, modes) in &report.labels {
        row(label, modes);
    }
    for (lang, labels) in &report.by_language {
        println!("-- {lang}");
        for (label, modes) in labels {
            row(label, modes);
        }
    }
    println!("(exact: same span and label; ~: overlapping span, same label)");
    if !report.other_types_found.is_empty() {
        println!(
            "other types found (not scored): {:?}",
            report.other_types_found
        );
    }
    println!(
        "throughput: {:.0} messages/s, {:.2} MB/s (analysis only, median of 5 warm passes)",
        report.messages_per_second,
        report.bytes_per_second / 1e6
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_matching_is_one_to_one() {
        assert_eq!(match_spans(&[(0, 5)], &[(0, 5)]), (1, 1));
        assert_eq!(match_spans(&[(0, 5)], &[(1, 5), (0, 2)]), (0, 1));
        assert_eq!(match_spans(&[(0, 5), (6, 9)], &[(0, 9)]), (0, 1));
    }

    #[test]
    fn scores_with_empty_denominators_are_zero() {
        let mut c = Counts::default();
        c.finish();
        assert_eq!((c.precision, c.recall, c.f1), (0.0, 0.0, 0.0));
        let mut c = Counts::default();
        c.add(3, 1, 1);
        c.finish();
        assert!((c.f1 - 0.75).abs() < 1e-9);
    }
}
