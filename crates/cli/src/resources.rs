//! Loading the engine: the embedded resources, overlaid with an organisation's folder.

use anyhow::{Context, Result};
use std::path::Path;
use tact_core::Engine;
use tact_core::resources::{Source, overlay};

/// Every `.toml` file under `dir`, with paths relative to it.
pub fn read_dir_sources(dir: &Path) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot read resource folder {}", folder.display()))?;
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(Source::new(rel, text));
            }
        }
    }
    Ok(out)
}

/// The embedded resource files.
pub fn embedded_sources() -> Vec<Source> {
    tact_resources::files()
        .map(|(path, text)| Source::new(path, text))
        .collect()
}

/// The engine from the embedded resources, overlaid with `dir` when given.
pub fn load_engine(dir: Option<&Path>) -> Result<Engine> {
    let mut sources = embedded_sources();
    if let Some(dir) = dir {
        let over = read_dir_sources(dir)?;
        // Errors in the organisation's files should name the real path on disk.
        let over = over
            .into_iter()
            .map(|s| {
                Source::new(
                    dir.join(&s.path).to_string_lossy().replace('\\', "/"),
                    s.text,
                )
            })
            .collect();
        sources = overlay(sources, over);
    }
    Engine::from_sources(&sources).context("language resources do not load")
}
