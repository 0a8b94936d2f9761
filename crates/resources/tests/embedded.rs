//! The built-in resources load and compile, every language folder is complete, and ids are unique
//! across the embedded files (an overlay may repeat an id on purpose; the built-ins may not).

use std::collections::HashMap;
use tact_core::Engine;
use tact_core::resources::Source;

const LANGUAGES: &[&str] = &[
    "en", "fr", "ar", "af", "nl", "de", "es", "it", "pt", "pl", "tr", "ru", "ja", "zh",
];

fn sources() -> Vec<Source> {
    tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect()
}

#[test]
fn built_in_resources_compile() {
    let engine = Engine::from_sources(&sources()).unwrap_or_else(|e| panic!("{e}"));
    assert!(engine.resources().pii_patterns.len() >= 10);
}

#[test]
fn every_language_has_its_metadata() {
    let files: Vec<&str> = tact_resources::files().map(|(p, _)| p).collect();
    for lang in LANGUAGES {
        let path = format!("{lang}/language.toml");
        assert!(files.contains(&path.as_str()), "missing {path}");
    }
}

#[test]
fn ids_are_unique_across_built_in_files() {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        entry: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        id: String,
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, text) in tact_resources::files() {
        if path.ends_with("cases.toml") || path.ends_with("language.toml") {
            continue;
        }
        let file: File = toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let folder = path.split('/').next().unwrap_or_default();
        for entry in file.entry {
            let id = format!("{folder}:{}", entry.id);
            if let Some(other) = seen.insert(id.clone(), path.to_string()) {
                panic!("{id} is defined in {other} and {path}");
            }
        }
    }
}
