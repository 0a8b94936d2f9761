//! # tact-resources
//!
//! The built-in language resources of tact — one folder per language under `data/`, plus
//! `_shared/` — embedded in the binary at build time so a fresh install needs no files. The schema
//! is in `docs/RESOURCES.md`. An organisation overlays its own files at run time (see
//! `tact_core::resources::overlay`); nothing here needs recompiling for that.

include!(concat!(env!("OUT_DIR"), "/files.rs"));

/// The embedded files as `(path, content)`, `cases.toml` included (the engine skips it).
pub fn files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().copied()
}
