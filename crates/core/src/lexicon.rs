//! Compiled lexicons: every phrase of every language in one Aho-Corasick automaton, and every
//! phrase that needs more than literal matching (`~` gaps, inner `*` stems, regexes) in one
//! multi-pattern regex. One pass of each over the folded message finds every entry that fires.
//!
//! Matching all languages at once keeps mixed-language messages and wrong language guesses from
//! hiding findings; the analysis decides afterwards which matches count for the message's language.

use crate::error::{Error, Location, Result};
use crate::resources::{Entry, ResourceSet};
use crate::text::{Normalized, ends_word, starts_word, word_end};
use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::meta;
use std::collections::HashSet;

/// A phrase or pattern that fired, in folded-text byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexMatch {
    /// Index of the entry in [`Lexicon::entries`].
    pub entry: u32,
    /// Which phrase of the entry fired (`u32::MAX` for an entry pattern).
    pub phrase: u32,
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
}

#[derive(Debug, Clone, Copy)]
struct Literal {
    entry: u32,
    phrase: u32,
    /// `*` at the end: the match extends to the end of the word.
    stem: bool,
    /// Whole-word matching applies (languages written with spaces).
    boundary: bool,
}

/// Every entry of a [`ResourceSet`] compiled for matching.
#[derive(Debug, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
    literals: Option<AhoCorasick>,
    literal_info: Vec<Literal>,
    patterns: Option<meta::Regex>,
    pattern_info: Vec<Literal>,
}

/// Upper bound on the compiled size of one user pattern; larger ones are rejected rather than
/// slowing every message down.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;
/// Upper bound on the compiled size of all patterns together.
const ALL_PATTERNS_SIZE_LIMIT: usize = 64 << 20;

impl Lexicon {
    /// Compiles the entries of `resources`. Fails, naming file and line, on a pattern that does
    /// not compile, compiles too large, or matches the empty string.
    pub fn compile(resources: &ResourceSet) -> Result<Lexicon> {
        let mut literal_texts: Vec<String> = Vec::new();
        let mut literal_info = Vec::new();
        let mut pattern_texts: Vec<String> = Vec::new();
        let mut pattern_locations: Vec<(Location, String)> = Vec::new();
        let mut pattern_info = Vec::new();
        let mut seen: HashSet<(u32, String)> = HashSet::new();

        for (index, entry) in resources.entries.iter().enumerate() {
            let entry_index = index as u32;
            let spaced = entry.lang.and_then(|l| resources.language(l)).is_none_or(|m| m.spaces);
            for (phrase_index, phrase) in entry.phrases.iter().enumerate() {
                let folded = fold_phrase(phrase);
                if !seen.insert((entry_index, folded.clone())) {
                    continue;
                }
                let info = Literal { entry: entry_index, phrase: phrase_index as u32, stem: false, boundary: spaced };
                let words: Vec<&str> = folded.split(' ').collect();
                let needs_regex = words.iter().any(|w| *w == "~")
                    || words[..words.len() - 1].iter().any(|w| w.ends_with('*'))
                    || (!spaced && folded.contains('*'));
                if needs_regex {
                    pattern_texts.push(phrase_regex(&words, spaced));
                    pattern_locations.push((entry.location.clone(), phrase.clone()));
                    pattern_info.push(info);
                } else if let Some(stem) = folded.strip_suffix('*') {
                    literal_texts.push(stem.to_string());
                    literal_info.push(Literal { stem: true, ..info });
                } else {
                    literal_texts.push(folded);
                    literal_info.push(info);
                }
            }
            for (pattern, location) in &entry.patterns {
                let pattern = strip_word_boundaries(pattern, location)?;
                pattern_texts.push(pattern.clone());
                pattern_locations.push((location.clone(), pattern.clone()));
                pattern_info.push(Literal { entry: entry_index, phrase: u32::MAX, stem: false, boundary: spaced });
            }
        }

        let literals = if literal_texts.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&literal_texts)
                    .map_err(|e| Error::Resource { location: Location::file("(lexicon)"), message: e.to_string() })?,
            )
        };
        let patterns = if pattern_texts.is_empty() {
            None
        } else {
            Some(compile_patterns(&pattern_texts, &pattern_locations)?)
        };
        Ok(Lexicon { entries: resources.entries.clone(), literals, literal_info, patterns, pattern_info })
    }

    /// The entries, indexed by [`LexMatch::entry`].
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many literal phrases and patterns were compiled.
    pub fn size(&self) -> (usize, usize) {
        (self.literal_info.len(), self.pattern_info.len())
    }

    /// Finds every phrase and pattern that fires in the folded text, sorted by start then longest.
    pub fn find_all(&self, text: &Normalized, out: &mut Vec<LexMatch>) {
        let folded = text.as_str();
        if let Some(ac) = &self.literals {
            for m in ac.find_overlapping_iter(folded) {
                let info = self.literal_info[m.pattern().as_usize()];
                let (start, mut end) = (m.start(), m.end());
                if info.boundary {
                    if !starts_word(folded, start) {
                        continue;
                    }
                    if info.stem {
                        end = word_end(folded, end);
                    } else if !ends_word(folded, end) {
                        continue;
                    }
                }
                out.push(LexMatch { entry: info.entry, phrase: info.phrase, start, end });
            }
        }
        if let Some(re) = &self.patterns {
            for m in re.find_iter(folded) {
                let info = self.pattern_info[m.pattern().as_usize()];
                if m.is_empty() {
                    continue;
                }
                if info.boundary && !(starts_word(folded, m.start()) && ends_word(folded, m.end())) {
                    continue;
                }
                out.push(LexMatch { entry: info.entry, phrase: info.phrase, start: m.start(), end: m.end() });
            }
        }
        out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.entry.cmp(&b.entry)));
        out.dedup_by(|a, b| a.entry == b.entry && a.start == b.start && a.end == b.end);
    }
}

/// Removes `\b` at the ends of a pattern: tact checks word boundaries itself (for languages
/// written with spaces), and a Unicode `\b` would push the regex engine off its fast path on
/// every non-ASCII message (measured: 1.5 ms instead of microseconds per message). A `\b` inside
/// a pattern is refused with a clear error for the same reason.
fn strip_word_boundaries(pattern: &str, location: &Location) -> Result<String> {
    let mut p = pattern.trim();
    while let Some(rest) = p.strip_prefix(r"\b") {
        p = rest;
    }
    while let Some(rest) = p.strip_suffix(r"\b") {
        p = rest;
    }
    let inner = p.replace(r"\\", "");
    if inner.contains(r"\b") || inner.contains(r"\B") {
        return Err(Error::Pattern {
            location: location.clone(),
            pattern: pattern.to_string(),
            reason: "word boundaries (\\b, \\B) inside a pattern are not supported: tact checks whole words at both ends itself; split the pattern or use a phrase with `~`".into(),
        });
    }
    Ok(p.to_string())
}

/// Folds a phrase as messages are folded, with single spaces between words.
pub fn fold_phrase(phrase: &str) -> String {
    Normalized::new(phrase.trim()).as_str().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns a phrase with `~` gaps or inner `*` stems into a regex over folded text.
fn phrase_regex(words: &[&str], spaced: bool) -> String {
    let word_continuation = r"[\p{L}\p{N}\p{M}]*";
    let mut out = String::new();
    let mut pending_gap = false;
    for (i, word) in words.iter().enumerate() {
        if *word == "~" {
            pending_gap = true;
            continue;
        }
        if i > 0 && spaced {
            out.push_str(r"\s+");
            if pending_gap {
                out.push_str(r"(?:\S+\s+){0,3}");
            }
        } else if pending_gap {
            out.push_str(r"[^\n。！？]{0,6}");
        } else if i > 0 {
            out.push_str(r"\s*");
        }
        pending_gap = false;
        match word.strip_suffix('*') {
            Some(stem) => {
                out.push_str(&regex::escape(stem));
                out.push_str(word_continuation);
            }
            None => out.push_str(&regex::escape(word)),
        }
    }
    out
}

fn pattern_builder(size_limit: usize) -> meta::Builder {
    let mut builder = meta::Regex::builder();
    builder
        .configure(meta::Config::new().nfa_size_limit(Some(size_limit)).onepass_size_limit(Some(size_limit)).hybrid_cache_capacity(32 << 20))
        .syntax(regex_automata::util::syntax::Config::new().nest_limit(64));
    builder
}

pub(crate) fn compile_patterns(patterns: &[String], locations: &[(Location, String)]) -> Result<meta::Regex> {
    // Check each pattern on its own first, so a bad one is reported where it is written.
    for (pattern, (location, _)) in patterns.iter().zip(locations) {
        let re = pattern_builder(PATTERN_SIZE_LIMIT).build(pattern).map_err(|e| Error::Pattern {
            location: location.clone(),
            pattern: pattern.clone(),
            reason: describe_build_error(&e),
        })?;
        if re.is_match("") {
            return Err(Error::Pattern {
                location: location.clone(),
                pattern: pattern.clone(),
                reason: "it matches empty text, so it would fire everywhere".into(),
            });
        }
    }
    pattern_builder(ALL_PATTERNS_SIZE_LIMIT).build_many(patterns).map_err(|e| Error::Pattern {
        location: locations.first().map(|l| l.0.clone()).unwrap_or_else(|| Location::file("(patterns)")),
        pattern: "(all patterns together)".into(),
        reason: describe_build_error(&e),
    })
}

fn describe_build_error(e: &meta::BuildError) -> String {
    if let Some(limit) = e.size_limit() {
        format!("it compiles larger than the {limit}-byte limit; simplify it (fewer nested repetitions)")
    } else if let Some(syntax) = e.syntax_error() {
        syntax.to_string().lines().last().unwrap_or("invalid syntax").trim().to_string()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Source;

    fn lexicon(files: &[(&str, &str)]) -> Result<Lexicon> {
        let mut sources = vec![
            Source::new("en/language.toml", "code = \"en\"\nname = \"English\"\n"),
            Source::new("ja/language.toml", "code = \"ja\"\nname = \"日本語\"\nspaces = false\n"),
        ];
        sources.extend(files.iter().map(|(p, t)| Source::new(*p, *t)));
        Lexicon::compile(&ResourceSet::load(&sources)?)
    }

    fn matches(lex: &Lexicon, text: &str) -> Vec<String> {
        let n = Normalized::new(text);
        let mut out = Vec::new();
        lex.find_all(&n, &mut out);
        out.iter().map(|m| n.as_str()[m.start..m.end].to_string()).collect()
    }

    const ENTRIES: &str = r#"
[[entry]]
id = "die"
category = "disclosure.self_harm"
phrases = ["want ~ die", "suicid*", "kill* myself", "Überdosis"]
[[entry]]
id = "pat"
category = "emotion.anger"
patterns = ['fed up with \w+']
"#;

    #[test]
    fn phrases_match_whole_words_stems_and_gaps() {
        let lex = lexicon(&[("en/d.toml", ENTRIES)]).unwrap();
        assert_eq!(matches(&lex, "I want to die"), vec!["want to die"]);
        assert_eq!(matches(&lex, "I WANT so badly to DIE"), vec!["want so badly to die"]);
        assert_eq!(matches(&lex, "I want a diet"), Vec::<String>::new());
        assert_eq!(matches(&lex, "feeling suicidal"), vec!["suicidal"]);
        assert_eq!(matches(&lex, "antisuicide"), Vec::<String>::new());
        assert_eq!(matches(&lex, "gonna killing myself"), vec!["killing myself"]);
        assert_eq!(matches(&lex, "eine uberdosis"), vec!["uberdosis"]);
        assert_eq!(matches(&lex, "so fed up with this"), vec!["fed up with this"]);
    }

    #[test]
    fn languages_without_spaces_match_inside_text() {
        let lex = lexicon(&[("ja/d.toml", "[[entry]]\nid = \"a\"\ncategory = \"disclosure.self_harm\"\nphrases = [\"死にたい\", \"消え ~ たい\"]\n")]).unwrap();
        assert_eq!(matches(&lex, "もう死にたいです"), vec!["死にたい"]);
        assert_eq!(matches(&lex, "もう消えてしまいたい"), vec!["消えてしまいたい"]);
    }

    #[test]
    fn hostile_patterns_are_rejected_with_file_and_line() {
        let bad = |pattern: &str| {
            let file = format!("[[entry]]\nid = \"a\"\ncategory = \"emotion.anger\"\npatterns = ['{pattern}']\n");
            lexicon(&[("en/org.toml", &file)]).unwrap_err().to_string()
        };
        let err = bad("(unclosed");
        assert!(err.starts_with("en/org.toml:4:"), "{err}");
        let err = bad("(?:a{1000}){1000}");
        assert!(err.contains("limit"), "{err}");
        let err = bad("a*");
        assert!(err.contains("empty"), "{err}");
        let err = bad("(a)\\1");
        assert!(err.starts_with("en/org.toml:4:"), "{err}");
    }
}
