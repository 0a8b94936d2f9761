//! `tact advise`: what the worker should do about each client message, with replies in the
//! client's language from the organisation's templates.

use crate::input::{InputArgs, Outcome};
use crate::org::OrgProfile;
use crate::output::Output;
use anyhow::Result;
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use tact_core::advice::AdviseOptions;
use tact_core::{Analysis, Lang};

/// Options of `tact advise`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The organisation's profile: template values (its name, crisis line, emergency number,
    /// hours) and resource directory (see examples/org.toml).
    #[arg(long, value_name = "FILE")]
    org: Option<PathBuf>,
    /// The message's language (else the line's `lang`, else detected).
    #[arg(long, value_parser = crate::cmd::analyze::parse_lang)]
    lang: Option<Lang>,
    /// Show the actions for people rather than JSON.
    #[arg(long)]
    pretty: bool,
    /// The worker's hours (`mon-fri 09:00-17:00`): a line whose `sent_at` falls outside them gets
    /// the after-hours reply (P16).
    #[arg(long, value_name = "HOURS", value_parser = crate::cmd::analyze::parse_hours)]
    hours: Option<tact_core::context::WorkingHours>,
    /// The worker's time zone (IANA name) for `sent_at`; the system's by default.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// JSON field naming the conversation: earlier messages of the same conversation count
    /// (repeated crossings), and only its first message gets the first-contact statement.
    #[arg(long, default_value = "conversation_id", value_name = "NAME")]
    conversation_field: String,
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let engine = crate::resources::load_engine(resources)?;
    let org = OrgProfile::load(args.org.as_deref())?;
    let zone = crate::clock::time_zone(args.tz.as_deref())?;
    let mut history: HashMap<String, Vec<Analysis>> = HashMap::new();
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
        let analysis = match crate::cmd::analyze::analyse_line(
            &engine,
            &message,
            args.lang,
            args.hours.as_ref(),
            &zone,
        ) {
            Ok(analysis) => analysis,
            Err(rejected) => return outcome.reject(&rejected),
        };
        let conversation = message
            .field(&args.conversation_field)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
        let earlier: &[Analysis] = conversation
            .as_ref()
            .and_then(|c| history.get(c))
            .map_or(&[], Vec::as_slice);
        let mut values = org.values.clone();
        if let Some(name) = message.str_field("client_name") {
            values.set("client_name", name);
        }
        let advice = engine.advise(
            &analysis,
            &AdviseOptions {
                language: args.lang,
                values,
                region: message
                    .str_field("region")
                    .map(str::to_owned)
                    .or_else(|| org.region.clone()),
                directory: &org.directory,
                history: earlier,
                first_contact: conversation.is_none() || earlier.is_empty(),
            },
        );
        if args.pretty {
            out.write(|w| {
                writeln!(w, "── {} · {}", message.id, message.text)?;
                for (i, action) in advice.actions.iter().enumerate() {
                    writeln!(w, "  {}. {:?}: {}", i + 1, action.kind, action.what)?;
                    if let Some(reply) = &action.reply {
                        writeln!(w, "     » {}", reply.text)?;
                    } else if !action.missing.is_empty() {
                        writeln!(
                            w,
                            "     (template {} needs: {})",
                            action.template.as_deref().unwrap_or("?"),
                            action.missing.join(", ")
                        )?;
                    }
                    writeln!(w, "     because {}", action.why.join("; "))?;
                }
                writeln!(w)
            });
        } else {
            out.json(&json!({
                "id": message.id,
                "language": analysis.language,
                "urgent": analysis.urgent,
                "advice": advice,
            }));
        }
        if let Some(c) = conversation {
            history.entry(c).or_default().push(analysis);
        }
    })?;
    out.finish()?;
    Ok(outcome)
}
