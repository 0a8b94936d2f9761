//! `tact bench`: throughput and per-message latency of the full analysis over a corpus.
//!
//! Each message is timed on its own, over repeated passes, so the report gives the median and
//! tail latencies a worker's console would see, and the overall messages/s and MB/s. Memory is the
//! process's peak resident size after loading every language, read from `/proc` where it exists.

use crate::input::{Outcome, parse_line};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tact_core::{AnalyseOptions, Lang};

/// The default corpus: messages of 450–550 bytes in the 14 languages, written for this benchmark.
const DEFAULT_CORPUS: &str = include_str!("../../../core/benches/data/messages.jsonl");
/// The default corpus of `--coach`: worker drafts of about 1,000 bytes, 3 per language, built by
/// `scripts/bench/make_drafts.py` from the hand-written coaching cases.
const DEFAULT_DRAFTS: &str = include_str!("../../../core/benches/data/drafts.jsonl");

/// Options of `tact bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Corpus: JSON lines with a text field, or plain text, one message per line (default: the
    /// built-in 14-language corpus).
    corpus: Option<PathBuf>,
    /// Keep passing over the corpus for at least this many seconds.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Analyse as this language instead of detecting it.
    #[arg(long, value_parser = crate::cmd::analyze::parse_lang)]
    lang: Option<Lang>,
    /// Use each JSON line's `lang` field instead of detecting the language.
    #[arg(long)]
    given_lang: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Time the coaching of worker drafts (each line's `lang` given) instead of the analysis of
    /// client messages; the default corpus is then the built-in drafts.
    #[arg(long)]
    coach: bool,
}

#[derive(Debug, Serialize)]
struct BenchReport {
    corpus: String,
    messages: usize,
    mean_bytes: f64,
    passes: usize,
    load_ms: f64,
    median_us: f64,
    p90_us: f64,
    p99_us: f64,
    messages_per_second: f64,
    megabytes_per_second: f64,
    peak_rss_mb: Option<f64>,
}

/// Peak resident set size of this process in MB (Linux), if it can be read.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index].as_secs_f64() * 1e6
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let (name, text) = match &args.corpus {
        Some(path) => (
            path.display().to_string(),
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        ),
        None if args.coach => (
            "built-in drafts (14 languages)".to_string(),
            DEFAULT_DRAFTS.to_string(),
        ),
        None => (
            "built-in corpus (14 languages)".to_string(),
            DEFAULT_CORPUS.to_string(),
        ),
    };
    let mut messages = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match parse_line(line, "text", format!("{name}:{}", i + 1), i + 1) {
            Ok(m) => messages.push(m),
            Err(r) => bail!("{}: {}", r.origin, r.reason),
        }
    }
    if messages.is_empty() {
        bail!("{name} holds no messages");
    }
    let started = Instant::now();
    let engine = crate::resources::load_engine(resources)?;
    let load = started.elapsed();
    let total_bytes: usize = messages.iter().map(|m| m.text.len()).sum();
    let mut timings: Vec<Duration> = Vec::new();
    let mut passes = 0;
    let mut busy = Duration::ZERO;
    let budget = Duration::from_secs_f64(args.seconds.max(0.1));
    let language = |m: &crate::input::Message| {
        args.lang.or(if args.given_lang || args.coach {
            m.lang
        } else {
            None
        })
    };
    // The work timed for one message: its analysis, or with --coach the coaching of a draft.
    let reference = jiff::civil::date(2026, 11, 18).at(14, 0, 0, 0);
    let work = |m: &crate::input::Message| -> Result<()> {
        if args.coach {
            let report = engine.coach(
                &m.text,
                &tact_core::coach::CoachOptions {
                    language: language(m),
                    reference: Some(reference),
                    ..Default::default()
                },
            )?;
            std::hint::black_box(report);
        } else {
            let analysis = engine.analyse(
                &m.text,
                &AnalyseOptions {
                    language: language(m),
                    ..Default::default()
                },
            )?;
            std::hint::black_box(analysis);
        }
        Ok(())
    };
    // One warm-up pass, not counted.
    for m in &messages {
        work(m)?;
    }
    while busy < budget || passes == 0 {
        for m in &messages {
            let t = Instant::now();
            work(m)?;
            let took = t.elapsed();
            timings.push(took);
            busy += took;
        }
        passes += 1;
    }
    timings.sort();
    let report = BenchReport {
        corpus: name,
        messages: messages.len(),
        mean_bytes: total_bytes as f64 / messages.len() as f64,
        passes,
        load_ms: load.as_secs_f64() * 1e3,
        median_us: percentile(&timings, 0.5),
        p90_us: percentile(&timings, 0.9),
        p99_us: percentile(&timings, 0.99),
        messages_per_second: timings.len() as f64 / busy.as_secs_f64(),
        megabytes_per_second: (total_bytes * passes) as f64 / busy.as_secs_f64() / 1e6,
        peak_rss_mb: peak_rss_mb(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "corpus      {} ({} messages, mean {:.0} bytes), {} passes",
            report.corpus, report.messages, report.mean_bytes, report.passes
        );
        println!(
            "load        {:.1} ms (all languages compiled)",
            report.load_ms
        );
        println!(
            "latency     median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs per message",
            report.median_us, report.p90_us, report.p99_us
        );
        println!(
            "throughput  {:.0} messages/s, {:.1} MB/s on one core",
            report.messages_per_second, report.megabytes_per_second
        );
        if let Some(rss) = report.peak_rss_mb {
            println!("memory      {rss:.1} MB peak resident");
        }
    }
    Ok(Outcome::default())
}
