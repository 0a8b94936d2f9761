//! An organisation's resource file with arbitrary content, loaded over the built-in ones: either a
//! clear error or an engine that analyses text; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tact_core::resources::{Source, overlay};
use tact_core::{AnalyseOptions, Engine};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let base: Vec<Source> = tact_resources::files()
        .filter(|(p, _)| p.starts_with("_shared/") || p.ends_with("language.toml"))
        .map(|(p, t)| Source::new(p, t))
        .collect();
    let sources = overlay(base, vec![Source::new("/org/en/org.toml", text)]);
    if let Ok(engine) = Engine::from_sources(&sources) {
        let _ = engine.analyse("I want to die, call me on +33 6 12 34 56 78", &AnalyseOptions::default());
    }
});
