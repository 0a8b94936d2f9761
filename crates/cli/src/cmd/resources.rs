//! `tact resources`: check an organisation's resource folder before deploying it.

use crate::input::Outcome;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// Options of `tact resources`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to check (default: the `--resources` folder, or only the built-in resources).
    dir: Option<PathBuf>,
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let dir = args.dir.as_deref().or(resources);
    if let Some(dir) = dir
        && !dir.is_dir()
    {
        bail!("{} is not a folder", dir.display());
    }
    let engine = crate::resources::load_engine(dir)?;
    let set = engine.resources();
    let (literals, patterns) = engine.lexicon().size();
    println!(
        "resources load: {} languages, {} entries ({literals} phrases, {patterns} patterns), {} personal-data patterns",
        set.languages.len(),
        set.entries.len(),
        set.pii_patterns.len()
    );
    for meta in &set.languages {
        let count = set
            .entries
            .iter()
            .filter(|e| e.lang == Some(meta.code))
            .count();
        println!("  {:<3} {:<12} {:>5} entries", meta.code, meta.name, count);
    }
    Ok(Outcome::default())
}
