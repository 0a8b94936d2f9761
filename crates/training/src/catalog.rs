//! The scenarios available: the built-in packs compiled into the binary, overlaid by an
//! organisation's own directory (a file with the same id and language replaces the built-in one;
//! new ids add scenarios).

use crate::error::{Error, Problem, Result};
use crate::scenario::Scenario;
use crate::validate::{builtin_languages, parse_scenario_for};
use std::path::Path;
use tact_core::{Lang, Location};

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// The embedded scenario files as `(path under scenarios/, content)`.
pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    EMBEDDED.iter().copied()
}

/// A set of scenarios, at most one per id and language, sorted by id then language.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    scenarios: Vec<Scenario>,
}

impl Catalog {
    /// The built-in scenarios. They are checked by the test suite, so a failure here is a bug in
    /// the build; it is still returned as an error rather than a panic.
    pub fn embedded() -> Result<Catalog> {
        let languages = builtin_languages();
        let mut catalog = Catalog::default();
        let mut problems = Vec::new();
        for (path, text) in embedded_files() {
            match parse_scenario_for(&format!("scenarios/{path}"), text, &languages) {
                Ok(scenario) => catalog.insert(scenario),
                Err(Error::Invalid(found)) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    /// The scenarios of one directory (every `.toml` file under it, at any depth), checked
    /// against tact's built-in languages. Every malformed file is reported with its line.
    pub fn load_dir(dir: &Path) -> Result<Catalog> {
        Catalog::load_dir_for(dir, &builtin_languages())
    }

    /// Like [`Catalog::load_dir`], for an engine that knows `languages`.
    pub fn load_dir_for(dir: &Path, languages: &[Lang]) -> Result<Catalog> {
        let mut files = Vec::new();
        collect_toml(dir, &mut files)?;
        let mut catalog = Catalog::default();
        let mut problems = Vec::new();
        for path in files {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: name.clone(),
                source,
            })?;
            match parse_scenario_for(&name, &text, languages) {
                Ok(scenario) => {
                    if let Some(twin) = catalog.get(&scenario.id, scenario.language) {
                        problems.push(Problem {
                            location: Location::file(&name),
                            message: format!(
                                "scenario {:?} in {} is also defined in {}",
                                scenario.id, scenario.language, twin.source
                            ),
                        });
                    } else {
                        catalog.insert(scenario);
                    }
                }
                Err(Error::Invalid(found)) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    /// The built-in scenarios overlaid by those of `dir`.
    pub fn embedded_with_dir(dir: &Path) -> Result<Catalog> {
        let mut catalog = Catalog::embedded()?;
        catalog.overlay(Catalog::load_dir(dir)?);
        Ok(catalog)
    }

    /// Adds the scenarios of `other`, replacing those with the same id and language.
    pub fn overlay(&mut self, other: Catalog) {
        for scenario in other.scenarios {
            self.insert(scenario);
        }
    }

    /// Adds one scenario, replacing any with the same id and language.
    pub fn insert(&mut self, scenario: Scenario) {
        let key = (scenario.id.clone(), scenario.language);
        match self
            .scenarios
            .binary_search_by(|s| (s.id.as_str(), s.language).cmp(&(key.0.as_str(), key.1)))
        {
            Ok(i) => self.scenarios[i] = scenario,
            Err(i) => self.scenarios.insert(i, scenario),
        }
    }

    /// The scenario with this id in this language.
    pub fn get(&self, id: &str, language: Lang) -> Option<&Scenario> {
        self.scenarios
            .iter()
            .find(|s| s.id == id && s.language == language)
    }

    /// Every scenario, by id then language.
    pub fn iter(&self) -> impl Iterator<Item = &Scenario> {
        self.scenarios.iter()
    }

    /// The scenarios in one language, by id.
    pub fn in_language(&self, language: Lang) -> impl Iterator<Item = &Scenario> {
        self.scenarios
            .iter()
            .filter(move |s| s.language == language)
    }

    /// The languages that have at least one scenario, sorted.
    pub fn languages(&self) -> Vec<Lang> {
        let mut langs: Vec<Lang> = self.scenarios.iter().map(|s| s.language).collect();
        langs.sort();
        langs.dedup();
        langs
    }

    /// The languages a scenario id is available in.
    pub fn languages_of(&self, id: &str) -> Vec<Lang> {
        self.scenarios
            .iter()
            .filter(|s| s.id == id)
            .map(|s| s.language)
            .collect()
    }

    /// How many scenarios (id and language pairs) there are.
    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let read_error = |source| Error::Read {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(read_error)?
        .into_iter()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}
