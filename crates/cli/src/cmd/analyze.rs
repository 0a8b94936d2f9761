//! `tact analyze`: one JSON line of findings per message, or a highlighted view with `--pretty`.

use crate::input::{InputArgs, Message, Outcome, Rejected};
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use tact_core::context::WorkingHours;
use tact_core::signals::escalation;
use tact_core::{AnalyseOptions, Analysis, Engine, Lang};

/// Options of `tact analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Analyse every message as this language (two-letter code) instead of detecting it. A JSON
    /// line's own `lang` field is used when this is not given.
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Show each message with its findings highlighted, for people rather than programs.
    #[arg(long)]
    pretty: bool,
    /// The worker's hours (`mon-fri 09:00-17:00`, `mon-thu 08:30-17:00; fri 08:30-12:00`):
    /// messages whose `sent_at` falls outside them are reported as after-hours contact.
    #[arg(long, value_name = "HOURS", value_parser = parse_hours)]
    hours: Option<WorkingHours>,
    /// The worker's time zone (IANA name such as `Europe/Paris`) for `sent_at`; the system's by
    /// default.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// JSON field naming the conversation a line belongs to; lines of one conversation get the
    /// escalation trend of the client's messages so far.
    #[arg(long, default_value = "conversation_id", value_name = "NAME")]
    conversation_field: String,
    /// JSON field saying who wrote a line; `worker`, `agent`, `staff` and `supervisor` lines do
    /// not count toward the client's escalation.
    #[arg(long, default_value = "speaker", value_name = "NAME")]
    speaker_field: String,
}

/// Parses the worker's hours (`mon-fri 09:00-17:00`).
pub fn parse_hours(text: &str) -> Result<WorkingHours, String> {
    text.parse()
}

/// Analyses one input line: as the language given on the command line, else the line's own; its
/// `sent_at` read against the worker's hours in their zone. A line that cannot be analysed comes
/// back rejected, with where it came from.
pub fn analyse_line(
    engine: &Engine,
    message: &Message,
    lang: Option<Lang>,
    hours: Option<&WorkingHours>,
    zone: &jiff::tz::TimeZone,
) -> Result<Analysis, Rejected> {
    let reject = |reason: String| Rejected {
        origin: message.origin.clone(),
        reason,
    };
    let time =
        crate::clock::message_time(message, hours, zone).map_err(|e| reject(format!("{e:#}")))?;
    engine
        .analyse(
            &message.text,
            &AnalyseOptions {
                language: lang.or(message.lang),
                time,
            },
        )
        .map_err(|e| reject(e.to_string()))
}

/// Roles whose messages are the organisation's side of a conversation.
const STAFF_ROLES: &[&str] = &["worker", "agent", "staff", "supervisor", "operator"];

/// Parses a language code argument.
pub fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("{text:?} is not a two-letter language code"))
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let engine = crate::resources::load_engine(resources)?;
    let zone = crate::clock::time_zone(args.tz.as_deref())?;
    // Heat of each conversation's client messages so far, oldest first.
    let mut heats: HashMap<String, Vec<f32>> = HashMap::new();
    let mut outcome = Outcome::default();
    let stdout = io::stdout();
    let colour = args.pretty && stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut write_error = None;
    args.input.for_each(|item| {
        if write_error.is_some() {
            return;
        }
        let message = match item {
            Ok(message) => message,
            Err(rejected) => return outcome.reject(&rejected),
        };
        let analysis = match analyse_line(&engine, &message, args.lang, args.hours.as_ref(), &zone)
        {
            Ok(analysis) => analysis,
            Err(rejected) => return outcome.reject(&rejected),
        };
        let staff = message
            .str_field(&args.speaker_field)
            .is_some_and(|role| STAFF_ROLES.contains(&role.to_ascii_lowercase().as_str()));
        let trend = message
            .field(&args.conversation_field)
            .filter(|_| !staff)
            .map(|conversation| {
                let key = match conversation {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let history = heats.entry(key).or_default();
                history.push(analysis.heat);
                (escalation(history), history.len())
            });
        let written = if args.pretty {
            write_pretty(&mut out, &message.id, &message.text, &analysis, colour).and_then(|_| {
                match trend {
                    Some((trend, turns)) => writeln!(
                        out,
                        "   escalation {trend:?} over {turns} client message(s)"
                    ),
                    None => Ok(()),
                }
            })
        } else {
            let mut value = serde_json::to_value(&analysis).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("id".into(), message.id.clone());
                if let Some((trend, turns)) = trend {
                    object.insert(
                        "escalation".into(),
                        json!({ "trend": trend, "client_turns": turns }),
                    );
                }
            }
            writeln!(out, "{value}")
        };
        if let Err(e) = written {
            write_error = Some(e);
        }
    })?;
    if let Some(e) = write_error
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    out.flush().ok();
    Ok(outcome)
}

/// The text with each finding marked, then one line per finding with its evidence.
fn write_pretty(
    out: &mut impl Write,
    id: &serde_json::Value,
    text: &str,
    analysis: &Analysis,
    colour: bool,
) -> io::Result<()> {
    let language = match (&analysis.language.lang, &analysis.language.best_guess) {
        (Some(lang), _) => format!("{lang} ({:.2})", analysis.language.confidence),
        (None, Some(guess)) => format!(
            "unknown (leaning {guess}, {:.2})",
            analysis.language.confidence
        ),
        (None, None) => "unknown".to_string(),
    };
    writeln!(out, "── {id} · language {language}")?;
    let mut marked = String::with_capacity(text.len() + 32);
    let mut copied = 0;
    for f in &analysis.pii {
        if f.span.start < copied {
            continue;
        }
        marked.push_str(&text[copied..f.span.start]);
        if colour {
            marked.push_str(&format!(
                "\x1b[1;30;43m{}\x1b[0m\x1b[2m⟨{}⟩\x1b[0m",
                &text[f.span.start..f.span.end],
                f.kind
            ));
        } else {
            marked.push_str(&format!(
                "[{}]⟨{}⟩",
                &text[f.span.start..f.span.end],
                f.kind
            ));
        }
        copied = f.span.end;
    }
    marked.push_str(&text[copied..]);
    writeln!(out, "   {marked}")?;
    for f in &analysis.pii {
        let extra = match (&f.normalized, &f.detail) {
            (Some(n), Some(d)) => format!(" → {n} ({d})"),
            (Some(n), None) => format!(" → {n}"),
            (None, Some(d)) => format!(" ({d})"),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "   • {:<15} {:?} chars {}..{} conf {:.2} rule {}{extra}",
            f.kind, f.text, f.span.char_start, f.span.char_end, f.confidence, f.rule
        )?;
    }
    for s in &analysis.signals {
        let mut facts: Vec<String> = Vec::new();
        if let Some(severity) = s.severity {
            facts.push(severity.to_string());
        }
        facts.push(format!("{:?}", s.modality).to_lowercase());
        if let Some(subject) = s.subject {
            facts.push(format!("about {subject:?}").to_lowercase());
        }
        if let Some(intensity) = s.intensity {
            facts.push(format!("intensity {intensity:.2}"));
        }
        if s.targeted == Some(true) {
            facts.push("aimed at the worker".into());
        }
        writeln!(
            out,
            "   ◦ {:<28} {:?} ({}) rule {}",
            s.category,
            s.text,
            facts.join(", "),
            s.rule
        )?;
    }
    if let Some(o) = &analysis.orientation {
        writeln!(out, "   orientation {:?}: {}", o.orientation, o.strategy)?;
    }
    if analysis.urgent {
        writeln!(
            out,
            "   URGENT: follow the organisation's emergency protocol"
        )?;
    }
    writeln!(out)
}
