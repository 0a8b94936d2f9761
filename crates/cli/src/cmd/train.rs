//! `tact train`: role play in the terminal (P39–P41). A simulated client from a scenario pack
//! answers each reply the way a real one might, depending on what the reply does; the coach's
//! feedback follows every reply and a report closes the session. Plain text wrapped to the
//! terminal's width, so it works over ssh.

use crate::input::Outcome;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use tact_core::Lang;
use tact_training::Catalog;
use tact_training::terminal::{self, PlayOptions};

/// Options of `tact train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario to play (`money-request`); without it, the list to choose from.
    scenario: Option<String>,
    /// The language to play in (default: English when the scenario has it, else its first).
    #[arg(long, value_parser = crate::cmd::analyze::parse_lang)]
    lang: Option<Lang>,
    /// Only list the scenarios.
    #[arg(long)]
    list: bool,
    /// A folder of the organisation's own scenarios (`<lang>/<id>.toml`), added to the built-in
    /// ones; one with the same id and language replaces the built-in.
    #[arg(long, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// Wrap text to this many columns (default: the terminal's `COLUMNS`, else 80).
    #[arg(long)]
    width: Option<usize>,
    /// Write the final report as JSON to this file (for keeping progress).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

/// Runs `tact train`.
pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let catalog = match &args.scenarios {
        Some(dir) => Catalog::embedded_with_dir(dir),
        None => Catalog::embedded(),
    }
    .context("the scenarios do not load")?;
    let width = args
        .width
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(80)
        .clamp(20, 200);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.list {
        terminal::list(&catalog, &mut out, width)?;
        return Ok(Outcome::default());
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let id = match args.scenario {
        Some(id) => id,
        None => {
            terminal::list(&catalog, &mut out, width)?;
            if !std::io::stdin().is_terminal() {
                bail!("name a scenario: tact train <scenario> (the list is above)");
            }
            writeln!(out, "\nScenario to play:")?;
            out.flush()?;
            let mut line = String::new();
            input.read_line(&mut line)?;
            line.trim().to_string()
        }
    };
    let languages = catalog.languages_of(&id);
    if languages.is_empty() {
        bail!("no scenario {id:?}; `tact train --list` shows them");
    }
    let lang = match args.lang {
        Some(lang) if languages.contains(&lang) => lang,
        Some(lang) => bail!(
            "scenario {id:?} has no {lang} version; it has {}",
            languages
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => Lang::parse("en")
            .filter(|en| languages.contains(en))
            .unwrap_or(languages[0]),
    };
    let scenario = catalog
        .get(&id, lang)
        .with_context(|| format!("scenario {id:?} in {lang}"))?;
    let engine = crate::resources::load_engine(resources)?;
    let report = terminal::play_with(
        &engine,
        scenario,
        &mut input,
        &mut out,
        PlayOptions {
            width,
            reference: Some(jiff::Zoned::now().datetime()),
        },
    )?;
    if let Some(path) = &args.report {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    Ok(Outcome::default())
}
