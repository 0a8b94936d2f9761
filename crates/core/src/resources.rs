//! Language resources: parsing the data files into typed entries.
//!
//! The engine reads no files. Callers hand it [`Source`]s — a path (only used in error messages
//! and to decide which language a file belongs to) and the file's text — and [`ResourceSet::load`]
//! parses and checks them. [`overlay`] implements the rule organisations rely on: a file at the same
//! path replaces the built-in one, any other file is added. The schema is documented in
//! `docs/RESOURCES.md`.

use crate::category::{Category, PiiCue, Severity};
use crate::error::{Error, Location, Result};
use crate::lang::Lang;
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

/// One resource file: where it came from and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path relative to the resource root, with `/` separators: `fr/disclosure.toml`,
    /// `_shared/pii_patterns.toml`. The first component names the language folder.
    pub path: String,
    /// The file's content.
    pub text: String,
}

impl Source {
    /// A source from a path and its text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Applies an organisation's files over the built-in ones: a file with the same language folder
/// and name replaces the built-in one (so `/etc/tact/fr/disclosure.toml` replaces
/// `fr/disclosure.toml` and errors still name the real path), any other file is added. Order is
/// kept (built-in files first), which makes later entries with a repeated id win.
pub fn overlay(base: Vec<Source>, over: Vec<Source>) -> Vec<Source> {
    let mut out = base;
    for source in over {
        match out
            .iter_mut()
            .find(|s| split_path(&s.path) == split_path(&source.path))
        {
            Some(existing) => *existing = source,
            None => out.push(source),
        }
    }
    out
}

/// What the engine must know about a language (`<lang>/language.toml`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LanguageMeta {
    /// ISO 639-1 code; must match the folder name.
    pub code: Lang,
    /// The language's own name for itself.
    pub name: String,
    /// Writing direction.
    #[serde(default)]
    pub direction: Direction,
    /// Whether words are separated by spaces (false for Japanese and Chinese).
    #[serde(default = "yes")]
    pub spaces: bool,
    /// Regions (ISO 3166 alpha-2) tried, in order, for phone numbers in national format.
    #[serde(default)]
    pub phone_regions: Vec<String>,
    /// How many words a negator or intensifier reaches.
    #[serde(default = "default_window")]
    pub window: usize,
}

fn yes() -> bool {
    true
}

fn default_window() -> usize {
    4
}

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left (Arabic).
    Rtl,
}

/// Who a phrase says a disclosure is about, when the phrase itself settles it.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Person {
    /// The speaker ("kill myself").
    First,
    /// The person addressed (the worker).
    Second,
    /// Someone else.
    Third,
}

/// How far a modifier reaches.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The words after it, within the language's window, in the same clause.
    #[default]
    Forward,
    /// The words before it, within the window, in the same clause (Japanese ない, Turkish -me).
    Backward,
    /// The whole clause.
    Clause,
}

/// One lexicon entry, checked and ready to compile.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `"fr:self_harm.want_to_die"`; `_shared` entries are `"_shared:…"`.
    pub id: String,
    /// The language folder it came from; `None` for `_shared`.
    pub lang: Option<Lang>,
    /// What it signals.
    pub category: Category,
    /// Base severity.
    pub severity: Option<Severity>,
    /// Phrases as written (normalised when compiled).
    pub phrases: Vec<String>,
    /// Regular expressions over the normalised text, each with its location.
    pub patterns: Vec<(String, Location)>,
    /// Who the phrase is about, if it says so itself.
    pub person: Option<Person>,
    /// Emotion intensity or modifier multiplier.
    pub intensity: Option<f32>,
    /// Reach of a modifier.
    pub scope: Scope,
    /// For `pii.cue.id`: the identifier type the cue announces (`NL_BSN`).
    pub kind: Option<String>,
    /// Where the entry is defined.
    pub location: Location,
}

/// A personal-data pattern from `_shared/pii_patterns.toml`.
#[derive(Debug, Clone)]
pub struct PiiPatternDef {
    /// Unique id, used as the rule that fired.
    pub id: String,
    /// The entity type reported (`EMAIL_ADDRESS`), or for the number classifier the family.
    pub kind: String,
    /// Regular expression over the normalised (lower-cased) text.
    pub regex: String,
    /// The built-in check applied to each candidate.
    pub validator: String,
    /// Confidence of a validated match.
    pub confidence: f32,
    /// Capture group holding the value (0 = the whole match).
    pub group: usize,
    /// Where it is defined.
    pub location: Location,
}

/// Every resource, parsed and checked.
#[derive(Debug, Clone, Default)]
pub struct ResourceSet {
    /// Language metadata, one per language folder.
    pub languages: Vec<LanguageMeta>,
    /// Lexicon entries of every language, in load order with repeated ids replaced.
    pub entries: Vec<Entry>,
    /// Personal-data patterns.
    pub pii_patterns: Vec<PiiPatternDef>,
    /// Reply suggestions (`<lang>/replies.toml`).
    pub replies: crate::replies::ReplyBook,
    /// Time words for commitments (`<lang>/time.toml`).
    pub times: crate::commitment::TimeWords,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    #[serde(default)]
    entry: Vec<RawEntry>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Spanned<String>,
    category: Spanned<String>,
    severity: Option<Severity>,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    person: Option<Person>,
    intensity: Option<f32>,
    #[serde(default)]
    scope: Scope,
    kind: Option<String>,
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    id: Spanned<String>,
    kind: String,
    regex: Spanned<String>,
    #[serde(default = "no_validator")]
    validator: String,
    #[serde(default = "default_confidence")]
    confidence: f32,
    #[serde(default)]
    group: usize,
    #[allow(dead_code)]
    note: Option<String>,
}

fn no_validator() -> String {
    "none".to_string()
}

fn default_confidence() -> f32 {
    0.8
}

/// Files in a language folder that the engine does not read.
const NOT_FOR_ENGINE: &[&str] = &["cases.toml", "coach_cases.toml"];

/// A TOML syntax or schema error, located at its line in the file.
pub(crate) fn toml_error(source: &Source, err: toml::de::Error) -> Error {
    let location = match err.span() {
        Some(span) => Location::in_text(&source.path, &source.text, span.start),
        None => Location::file(&source.path),
    };
    Error::Resource {
        location,
        message: err.message().to_string(),
    }
}

impl ResourceSet {
    /// Parses and checks `sources` (already overlaid, see [`overlay`]). Fails on the first
    /// problem, naming its file and line; nothing is partly loaded.
    pub fn load(sources: &[Source]) -> Result<ResourceSet> {
        let mut set = ResourceSet::default();
        // Languages first: entry files need to know their folder is a language.
        for source in sources {
            let Some((folder, file)) = split_path(&source.path) else {
                continue;
            };
            if file != "language.toml" || folder == "_shared" {
                continue;
            }
            let meta: LanguageMeta =
                toml::from_str(&source.text).map_err(|e| toml_error(source, e))?;
            if meta.code.as_str() != folder {
                return Err(Error::Resource {
                    location: Location::file(&source.path),
                    message: format!(
                        "code {:?} does not match the folder {folder:?}",
                        meta.code.as_str()
                    ),
                });
            }
            if meta.window == 0 || meta.window > 20 {
                return Err(Error::Resource {
                    location: Location::file(&source.path),
                    message: format!("window must be between 1 and 20, not {}", meta.window),
                });
            }
            set.languages.push(meta);
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        for source in sources {
            let Some((folder, file)) = split_path(&source.path) else {
                return Err(Error::Resource {
                    location: Location::file(&source.path),
                    message: "resource files live in a language folder: <lang>/<file>.toml or _shared/<file>.toml".into(),
                });
            };
            if !file.ends_with(".toml") || file == "language.toml" || NOT_FOR_ENGINE.contains(&file)
            {
                continue;
            }
            let lang = if folder == "_shared" {
                None
            } else {
                let Some(lang) = set
                    .languages
                    .iter()
                    .find(|m| m.code.as_str() == folder)
                    .map(|m| m.code)
                else {
                    return Err(Error::Resource {
                        location: Location::file(&source.path),
                        message: format!("folder {folder:?} has no language.toml"),
                    });
                };
                Some(lang)
            };
            if let (Some(lang), "replies.toml") = (lang, file) {
                set.replies.add_file(lang, source)?;
                continue;
            }
            if let (Some(lang), "time.toml") = (lang, file) {
                let spaced = set.language(lang).is_none_or(|m| m.spaces);
                set.times.add_file(lang, spaced, source)?;
                continue;
            }
            let parsed: EntryFile =
                toml::from_str(&source.text).map_err(|e| toml_error(source, e))?;
            let mut ids_in_file: HashMap<&str, ()> = HashMap::new();
            for raw in &parsed.entry {
                let location = Location::in_text(&source.path, &source.text, raw.id.span().start);
                if ids_in_file.insert(raw.id.get_ref().as_str(), ()).is_some() {
                    return Err(Error::Resource {
                        location,
                        message: format!("id {:?} appears twice in this file", raw.id.get_ref()),
                    });
                }
                let entry = check_entry(source, folder, lang, raw, location)?;
                match index.get(&entry.id) {
                    Some(&i) => set.entries[i] = entry,
                    None => {
                        index.insert(entry.id.clone(), set.entries.len());
                        set.entries.push(entry);
                    }
                }
            }
            for raw in parsed.pattern {
                let location = Location::in_text(&source.path, &source.text, raw.id.span().start);
                if !(0.0..=1.0).contains(&raw.confidence) {
                    return Err(Error::Resource {
                        location,
                        message: "confidence must be between 0 and 1".into(),
                    });
                }
                let def = PiiPatternDef {
                    id: raw.id.into_inner(),
                    kind: raw.kind,
                    location: Location::in_text(&source.path, &source.text, raw.regex.span().start),
                    regex: raw.regex.into_inner(),
                    validator: raw.validator,
                    confidence: raw.confidence,
                    group: raw.group,
                };
                match set.pii_patterns.iter_mut().find(|p| p.id == def.id) {
                    Some(existing) => *existing = def,
                    None => set.pii_patterns.push(def),
                }
            }
        }
        Ok(set)
    }

    /// The metadata of `lang`, if it has resources.
    pub fn language(&self, lang: Lang) -> Option<&LanguageMeta> {
        self.languages.iter().find(|m| m.code == lang)
    }

    /// The same languages with only the entries `keep` accepts: the engine compiles one lexicon
    /// for client messages and another for worker drafts from one loaded set.
    pub fn with_entries(&self, keep: impl Fn(&Entry) -> bool) -> ResourceSet {
        ResourceSet {
            languages: self.languages.clone(),
            entries: self.entries.iter().filter(|e| keep(e)).cloned().collect(),
            pii_patterns: Vec::new(),
            replies: Default::default(),
            times: Default::default(),
        }
    }
}

fn split_path(path: &str) -> Option<(&str, &str)> {
    let path = path.trim_start_matches("./");
    let (folder, file) = path.rsplit_once('/')?;
    let folder = folder.rsplit('/').next().unwrap_or(folder);
    Some((folder, file))
}

fn check_entry(
    source: &Source,
    folder: &str,
    lang: Option<Lang>,
    raw: &RawEntry,
    location: Location,
) -> Result<Entry> {
    let at = |offset: usize| Location::in_text(&source.path, &source.text, offset);
    let id = raw.id.get_ref();
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c == ':') {
        return Err(Error::Resource {
            location,
            message: format!("id {id:?} must be non-empty, without spaces or ':'"),
        });
    }
    let category = Category::parse(raw.category.get_ref()).ok_or_else(|| Error::Resource {
        location: at(raw.category.span().start),
        message: format!(
            "unknown category {:?} (see docs/RESOURCES.md for the list)",
            raw.category.get_ref()
        ),
    })?;
    if category.is_computed() {
        return Err(Error::Resource {
            location: at(raw.category.span().start),
            message: format!(
                "{:?} is computed by tact from context, not listed in files",
                raw.category.get_ref()
            ),
        });
    }
    if raw.phrases.is_empty() && raw.patterns.is_empty() {
        return Err(Error::Resource {
            location,
            message: format!("entry {id:?} has neither phrases nor patterns"),
        });
    }
    for phrase in &raw.phrases {
        let text = phrase.get_ref().trim();
        // Phrases are matched on words; a token of punctuation alone ("your @", "order #") would
        // vanish and leave a much shorter phrase that fires everywhere.
        if let Some(token) = text
            .split_whitespace()
            .find(|t| *t != "~" && t.chars().all(|c| c.is_ascii_punctuation()))
        {
            return Err(Error::Resource {
                location: at(phrase.span().start),
                message: format!(
                    "phrase {:?} has a token of punctuation alone ({token:?}); phrases match words, punctuation is ignored",
                    phrase.get_ref()
                ),
            });
        }
        if text.is_empty() || text.starts_with('*') || text.starts_with('~') || text.ends_with('~')
        {
            return Err(Error::Resource {
                location: at(phrase.span().start),
                message: format!(
                    "phrase {:?} needs a word before any '*' or '~', and cannot end with '~'",
                    phrase.get_ref()
                ),
            });
        }
    }
    if let Some(intensity) = raw.intensity
        && !(intensity.is_finite() && (0.0..=5.0).contains(&intensity))
    {
        return Err(Error::Resource {
            location,
            message: format!("intensity {intensity} must be between 0 and 5"),
        });
    }
    if category == Category::PiiCue(PiiCue::Id) && raw.kind.is_none() {
        return Err(Error::Resource {
            location,
            message: "pii.cue.id entries need a kind (the identifier type)".into(),
        });
    }
    Ok(Entry {
        id: format!("{folder}:{id}"),
        lang,
        category,
        severity: raw.severity,
        phrases: raw.phrases.iter().map(|p| p.get_ref().clone()).collect(),
        patterns: raw
            .patterns
            .iter()
            .map(|p| (p.get_ref().clone(), at(p.span().start)))
            .collect(),
        person: raw.person,
        intensity: raw.intensity,
        scope: raw.scope,
        kind: raw.kind.clone(),
        location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_file(code: &str) -> Source {
        Source::new(
            format!("{code}/language.toml"),
            format!("code = \"{code}\"\nname = \"x\"\n"),
        )
    }

    #[test]
    fn loads_entries_with_language_and_full_ids() {
        let set = ResourceSet::load(&[
            lang_file("en"),
            Source::new("en/disclosure.toml", "[[entry]]\nid = \"a\"\ncategory = \"disclosure.self_harm\"\nseverity = \"urgent\"\nphrases = [\"kill myself\"]\n"),
        ])
        .unwrap();
        assert_eq!(set.entries.len(), 1);
        assert_eq!(set.entries[0].id, "en:a");
        assert_eq!(set.entries[0].lang, Lang::parse("en"));
        assert_eq!(set.entries[0].severity, Some(Severity::Urgent));
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = ResourceSet::load(&[
            lang_file("en"),
            Source::new("en/x.toml", "# comment\n[[entry]]\nid = \"a\"\ncategory = \"disclosure.nope\"\nphrases = [\"x\"]\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("en/x.toml:4:"), "{err}");
        assert!(err.contains("unknown category"), "{err}");

        let err = ResourceSet::load(&[lang_file("en"), Source::new("en/x.toml", "[[entry]\nid=1")])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("en/x.toml:1:"), "{err}");

        let err = ResourceSet::load(&[
            lang_file("en"),
            Source::new("en/x.toml", "[[entry]]\nid = \"a\"\ncategory = \"emotion.anger\"\nphrases = [\"x\"]\nsurprise = 1\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("surprise"), "{err}");
    }

    #[test]
    fn phrases_that_would_shrink_and_computed_categories_are_refused() {
        let load = |category: &str, phrase: &str| {
            ResourceSet::load(&[
                lang_file("en"),
                Source::new(
                    "en/x.toml",
                    format!("[[entry]]\nid = \"a\"\ncategory = \"{category}\"\nphrases = [\"{phrase}\"]\n"),
                ),
            ])
            .map(|_| ())
            .map_err(|e| e.to_string())
        };
        let err = load("crossing.personal_contact", "your @").unwrap_err();
        assert!(
            err.starts_with("en/x.toml:4:") && err.contains("\"@\""),
            "{err}"
        );
        let err = load("modifier.quote", "he said").unwrap_err();
        assert!(err.contains("computed by tact"), "{err}");
        let err = load("crossing.after_hours", "late").unwrap_err();
        assert!(err.contains("computed by tact"), "{err}");
        assert!(load("pii.cue.not_pii", "100% sure").is_ok());
    }

    #[test]
    fn overlay_replaces_same_path_and_adds_new() {
        let base = vec![Source::new("en/a.toml", "1"), Source::new("en/b.toml", "2")];
        let over = vec![
            Source::new("/etc/org/en/b.toml", "3"),
            Source::new("en/c.toml", "4"),
        ];
        let merged = overlay(base, over);
        let texts: Vec<&str> = merged.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["1", "3", "4"]);
    }

    #[test]
    fn repeated_id_in_a_later_file_replaces_the_entry() {
        let entry = |phrase: &str| {
            format!(
                "[[entry]]\nid = \"a\"\ncategory = \"emotion.anger\"\nphrases = [\"{phrase}\"]\n"
            )
        };
        let set = ResourceSet::load(&[
            lang_file("en"),
            Source::new("en/emotion.toml", entry("furious")),
            Source::new("en/org.toml", entry("livid")),
        ])
        .unwrap();
        assert_eq!(set.entries.len(), 1);
        assert_eq!(set.entries[0].phrases, vec!["livid"]);
    }

    #[test]
    fn folder_without_language_file_is_rejected() {
        let err = ResourceSet::load(&[Source::new("xx/a.toml", "")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("no language.toml"), "{err}");
    }
}
