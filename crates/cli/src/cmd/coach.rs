//! `tact coach`: how a worker's draft reply measures up against the practice, criterion by
//! criterion, with what must not be there, the promises it makes and a score.

use crate::input::{InputArgs, Outcome, Rejected};
use crate::output::Output;
use anyhow::Result;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use tact_core::coach::{CoachOptions, CoachReport, Stage, Verdict};
use tact_core::{AnalyseOptions, Lang};

/// Options of `tact coach`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Drafts to coach (each argument one draft), or JSON lines with the draft in `text`, and
    /// optionally `client` (the message it answers), `stage`, `sent_at` and `lang`.
    #[command(flatten)]
    input: InputArgs,
    /// The client message the drafts answer (for drafts given as arguments).
    #[arg(long, value_name = "TEXT")]
    client: Option<String>,
    /// Where the draft sits: first, middle or closing (closing criteria apply only to closing).
    #[arg(long, value_parser = parse_stage)]
    stage: Option<Stage>,
    /// The draft's language (else the line's `lang`, else the client message's, else detected).
    #[arg(long, value_parser = crate::cmd::analyze::parse_lang)]
    lang: Option<Lang>,
    /// The worker's time zone (IANA name) for resolving promises; the system's by default.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// When the drafts are written (`2026-11-23T14:00` in the worker's zone, or RFC 3339);
    /// default now. A line's `sent_at` wins.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Show the report for people rather than JSON.
    #[arg(long)]
    pretty: bool,
}

fn parse_stage(text: &str) -> Result<Stage, String> {
    serde_json::from_value(Value::String(text.to_ascii_lowercase()))
        .map_err(|_| format!("{text:?} is not a stage: first, middle or closing"))
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let engine = crate::resources::load_engine(resources)?;
    let zone = crate::clock::time_zone(args.tz.as_deref())?;
    let default_reference = match &args.at {
        Some(text) => crate::clock::parse_moment(text, &zone)?,
        None => jiff::Timestamp::now().to_zoned(zone.clone()),
    };
    let mut outcome = Outcome::default();
    let mut out = Output::new();
    args.input.for_each(|item| {
        if out.failed() {
            return;
        }
        let message = match item {
            Ok(message) => message,
            Err(rejected) => return outcome.reject(&rejected),
        };
        let reject = |outcome: &mut Outcome, reason: String| {
            outcome.reject(&Rejected {
                origin: message.origin.clone(),
                reason,
            })
        };
        let reference = match message.str_field("sent_at") {
            Some(text) => match crate::clock::parse_moment(text, &zone) {
                Ok(moment) => moment,
                Err(e) => return reject(&mut outcome, format!("{e:#}")),
            },
            None => default_reference.clone(),
        };
        let lang = args.lang.or(message.lang);
        let client_text = message
            .str_field("client")
            .map(str::to_owned)
            .or_else(|| args.client.clone());
        let client = match client_text.map(|text| {
            engine.analyse(
                &text,
                &AnalyseOptions {
                    language: lang,
                    ..Default::default()
                },
            )
        }) {
            Some(Ok(analysis)) => Some(analysis),
            Some(Err(e)) => return reject(&mut outcome, e.to_string()),
            None => None,
        };
        let stage = match message.field("stage") {
            Some(v) => match serde_json::from_value::<Stage>(v.clone()) {
                Ok(stage) => Some(stage),
                Err(_) => {
                    return reject(
                        &mut outcome,
                        format!("stage {v} is not first, middle or closing"),
                    );
                }
            },
            None => args.stage,
        };
        let report = match engine.coach(
            &message.text,
            &CoachOptions {
                language: lang,
                client: client.as_ref(),
                stage,
                reference: Some(reference.datetime()),
            },
        ) {
            Ok(report) => report,
            Err(e) => return reject(&mut outcome, e.to_string()),
        };
        if args.pretty {
            out.write(|w| write_pretty(w, &message.id, &message.text, &report));
        } else {
            let mut value = json!({ "id": message.id, "coach": report });
            // Due times also as instants, for systems that store UTC.
            if let Some(commitments) = value["coach"]["commitments"].as_array_mut() {
                for (c, report) in commitments.iter_mut().zip(&report.commitments) {
                    if let Ok(zoned) = report.due.to_zoned(zone.clone()) {
                        c["due_utc"] = json!(zoned.timestamp().to_string());
                        c["time_zone"] = json!(zone.iana_name().unwrap_or("local"));
                    }
                }
            }
            out.json(&value);
        }
    })?;
    out.finish()?;
    Ok(outcome)
}

fn write_pretty(
    w: &mut impl Write,
    id: &Value,
    draft: &str,
    report: &CoachReport,
) -> std::io::Result<()> {
    writeln!(w, "── {id} · score {}/100", report.score)?;
    writeln!(w, "   {draft}")?;
    for c in &report.criteria {
        let mark = match c.verdict {
            Verdict::Met => "✓",
            Verdict::Missed => "✗",
            Verdict::NotApplicable => continue,
        };
        write!(
            w,
            "   {mark} {:<16} {:<8}",
            c.criterion.as_str(),
            c.practice
        )?;
        match (&c.evidence, &c.suggestion) {
            (_, Some(suggestion)) => writeln!(w, " {suggestion}")?,
            (Some(evidence), None) => writeln!(w, " \"{evidence}\"")?,
            (None, None) => writeln!(w)?,
        }
    }
    for f in &report.flags {
        writeln!(
            w,
            "   ⚑ {:<16} {:<8} \"{}\": {}",
            f.flag.as_str(),
            f.practice,
            f.text,
            f.suggestion
        )?;
    }
    for c in &report.commitments {
        writeln!(
            w,
            "   ⏱ promise \"{}\" due {}{}",
            c.when,
            c.due.strftime("%a %Y-%m-%d %H:%M"),
            if c.ambiguous {
                " (ambiguous: confirm the date)"
            } else {
                ""
            }
        )?;
    }
    writeln!(w)
}
