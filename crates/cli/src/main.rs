//! `tact`: analyse, redact, evaluate and benchmark client messages from the command line.
//!
//! Input conventions (ripgrep/jq style): text arguments are messages; `-f FILE` reads a file whose
//! lines are JSON objects (`{"text": …}`) or plain text, one message per line; with neither, stdin
//! is read the same way. Output is JSON lines on stdout; `--pretty` is for people.
//!
//! Exit codes: 0 success; 1 some input lines were rejected (each reported on stderr, the rest
//! processed); 2 nothing could be done (bad arguments, resources that do not load, unreadable file).

mod clock;
mod cmd;
mod input;
mod org;
mod output;
mod resources;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// tact: keep professional boundaries, protect what clients confide, answer with empathy.
#[derive(Parser)]
#[command(name = "tact", version, about, propagate_version = true)]
struct Cli {
    /// A folder of resource files laid out like the built-in ones; files at the same path replace
    /// the built-in file, others are added.
    #[arg(long, global = true, env = "TACT_RESOURCES", value_name = "DIR")]
    resources: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse messages: language, personal data, disclosures, emotions, crossings, abuse,
    /// orientation, and escalation across a conversation (JSON lines out).
    #[command(alias = "analyse")]
    Analyze(cmd::analyze::Args),
    /// What to do about each client message: safety, referrals, boundaries, an empathetic opening,
    /// escalation, follow-up; replies in the client's language.
    Advise(cmd::advise::Args),
    /// Score a worker's draft reply against the practice, with flags, promises and suggestions.
    Coach(cmd::coach::Args),
    /// A whole conversation (tact JSON, WebVTT, Amazon Transcribe): per-turn findings and
    /// coaching, escalation, criteria met, open promises, interruptions and silences.
    Conversation(cmd::conversation::Args),
    /// Redact personal data in text or JSON lines, keeping the JSON structure.
    Redact(cmd::redact::Args),
    /// Reverse the `encrypt` redaction operator with the organisation's key.
    Unredact(cmd::redact::UnredactArgs),
    /// Precision, recall and F1 against a labelled JSON-lines file.
    Eval(cmd::eval::Args),
    /// Messages/s and MB/s over a corpus, with per-message latency percentiles.
    Bench(cmd::bench::Args),
    /// Serve the JSON API on localhost, with the case store in a SQLite file.
    Serve(cmd::serve::Args),
    /// Check an organisation's resource folder: parse, compile, count.
    Resources(cmd::resources::Args),
    /// Role play: a simulated client answers your replies, the coach gives feedback after each
    /// one, and a report ends the session.
    Train(cmd::train::Args),
    /// Accountability reports for supervisors: `tact report weekly` (HTML or JSON).
    Report(cmd::care::ReportArgs),
    /// Each worker's exposure to difficult contact, their current shift and time outside hours
    /// (JSON lines).
    Exposure(cmd::care::ExposureArgs),
}

/// mimalloc: analysis allocates many small vectors per message, and under load the system
/// allocator's locking showed in profiles of `tact serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => cmd::analyze::run(args, cli.resources.as_deref()),
        Command::Advise(args) => cmd::advise::run(args, cli.resources.as_deref()),
        Command::Coach(args) => cmd::coach::run(args, cli.resources.as_deref()),
        Command::Conversation(args) => cmd::conversation::run(args, cli.resources.as_deref()),
        Command::Redact(args) => cmd::redact::run(args, cli.resources.as_deref()),
        Command::Train(args) => cmd::train::run(args, cli.resources.as_deref()),
        Command::Unredact(args) => cmd::redact::run_unredact(args),
        Command::Eval(args) => cmd::eval::run(args, cli.resources.as_deref()),
        Command::Bench(args) => cmd::bench::run(args, cli.resources.as_deref()),
        Command::Resources(args) => cmd::resources::run(args, cli.resources.as_deref()),
        Command::Serve(args) => cmd::serve::run(args, cli.resources.as_deref()),
        Command::Report(args) => cmd::care::run_report(args),
        Command::Exposure(args) => cmd::care::run_exposure(args),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            eprintln!("tact: {err:#}");
            ExitCode::from(2)
        }
    }
}
