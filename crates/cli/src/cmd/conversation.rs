//! `tact conversation`: one conversation per file (tact JSON, WebVTT with voice tags, or Amazon
//! Transcribe output): each client turn analysed with the escalation so far, each worker turn
//! coached, the criteria met across the conversation, open promises, and for timed transcripts
//! talk shares, interruptions and silences.

use crate::input::Outcome;
use crate::output::Output;
use anyhow::{Context, Result};
use serde_json::json;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tact_core::Lang;
use tact_core::conversation::{ConversationOptions, ConversationReport};
use tact_core::transcript::{Format, assign_roles, parse};

/// Options of `tact conversation`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Conversation files; `-` or none reads stdin.
    files: Vec<PathBuf>,
    /// The format: tact (JSON turns), vtt (WebVTT) or transcribe (Amazon Transcribe JSON);
    /// guessed from the content by default.
    #[arg(long, value_parser = parse_format)]
    format: Option<Format>,
    /// The worker's speaker name or label (`spk_0`, `Anna`); repeatable. By default a speaker
    /// named worker/agent, else the first speaker.
    #[arg(long = "worker", value_name = "SPEAKER")]
    workers: Vec<String>,
    /// The conversation's language (else detected per turn).
    #[arg(long, value_parser = crate::cmd::analyze::parse_lang)]
    lang: Option<Lang>,
    /// The worker's time zone (IANA name) for promises; the system's by default.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// When the conversation started (`2026-11-23T14:00` in the worker's zone, or RFC 3339);
    /// promises resolve against it plus each turn's offset. Default now.
    #[arg(long, value_name = "TIME")]
    started: Option<String>,
    /// Gaps longer than this many seconds are reported as silences.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    silence: f64,
    /// A summary for people rather than JSON.
    #[arg(long)]
    pretty: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    match text.to_ascii_lowercase().as_str() {
        "tact" | "json" => Ok(Format::Tact),
        "vtt" | "webvtt" => Ok(Format::WebVtt),
        "transcribe" | "aws" | "amazon" => Ok(Format::AmazonTranscribe),
        _ => Err(format!("{text:?} is not a format: tact, vtt or transcribe")),
    }
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let engine = crate::resources::load_engine(resources)?;
    let zone = crate::clock::time_zone(args.tz.as_deref())?;
    let started = match &args.started {
        Some(text) => crate::clock::parse_moment(text, &zone)?,
        None => jiff::Timestamp::now().to_zoned(zone.clone()),
    };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let mut outcome = Outcome::default();
    let mut out = Output::new();
    for path in files {
        let (name, text) = if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read stdin")?;
            ("stdin".to_string(), text)
        } else {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            match String::from_utf8(bytes) {
                Ok(text) => (path.display().to_string(), text),
                Err(e) => {
                    outcome.reject(&crate::input::Rejected {
                        origin: path.display().to_string(),
                        reason: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
                    });
                    continue;
                }
            }
        };
        let format = args.format.unwrap_or_else(|| Format::detect(&text));
        let report = parse(&text, format)
            .map_err(anyhow::Error::from)
            .and_then(|mut turns| {
                assign_roles(&mut turns, &args.workers);
                Ok(engine.conversation(
                    &turns,
                    &ConversationOptions {
                        language: args.lang,
                        started: Some(started.datetime()),
                        silence_seconds: Some(args.silence),
                    },
                )?)
            });
        match report {
            Ok(report) if args.pretty => out.write(|w| write_pretty(w, &name, &report)),
            Ok(report) => out.json(&json!({ "file": name, "conversation": report })),
            Err(e) => outcome.reject(&crate::input::Rejected {
                origin: name,
                reason: format!("{e:#}"),
            }),
        }
    }
    out.finish()?;
    Ok(outcome)
}

fn write_pretty(
    w: &mut impl Write,
    name: &str,
    report: &ConversationReport,
) -> std::io::Result<()> {
    writeln!(
        w,
        "── {name}: {} turns, escalation {:?}",
        report.turns.len(),
        report.escalation
    )?;
    for t in &report.turns {
        let when = t.start.map(|s| format!("{s:>7.1}s ")).unwrap_or_default();
        match (&t.analysis, &t.coach) {
            (Some(a), _) => {
                let found: Vec<&str> = a
                    .signals
                    .iter()
                    .filter(|s| s.asserted())
                    .map(|s| s.category.as_str())
                    .collect();
                writeln!(
                    w,
                    "   {when}client {:<10} heat {:.2} {:?} {}",
                    t.speaker,
                    a.heat,
                    t.escalation.unwrap_or(tact_core::signals::Trend::Steady),
                    found.join(", ")
                )?;
            }
            (None, Some(c)) => {
                let flags: Vec<&str> = c.flags.iter().map(|f| f.flag.as_str()).collect();
                writeln!(
                    w,
                    "   {when}worker {:<10} score {:>3} {}",
                    t.speaker,
                    c.score,
                    flags.join(", ")
                )?;
            }
            _ => {}
        }
    }
    let names = |cs: &[tact_core::coach::Criterion]| {
        cs.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
    };
    writeln!(
        w,
        "   met across the conversation: {}",
        names(&report.criteria_met)
    )?;
    writeln!(
        w,
        "   never met where it applied:  {}",
        names(&report.criteria_missed)
    )?;
    for c in &report.commitments {
        writeln!(
            w,
            "   promise \"{}\" due {}",
            c.sentence,
            c.due.strftime("%a %Y-%m-%d %H:%M")
        )?;
    }
    if let Some(t) = &report.timing {
        writeln!(
            w,
            "   talk: worker {:.0}% ({:.1}s), client {:.1}s; {} interruption(s), {:.1}s over-talk, {} back-channel(s), {} silence(s)",
            t.worker_share * 100.0,
            t.worker_seconds,
            t.client_seconds,
            t.interruptions.len(),
            t.overtalk_seconds,
            t.backchannels,
            t.silences.len()
        )?;
        for i in &t.interruptions {
            writeln!(
                w,
                "     worker cut in at {:.1}s over the client for {:.1}s",
                i.at, i.overlap
            )?;
        }
    }
    writeln!(w)
}
