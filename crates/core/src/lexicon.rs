//! Compiled lexicons. Each language's phrases go into one Aho-Corasick automaton, and the phrases
//! that need more than literal matching (`~` gaps, inner `*` stems, regexes) into one multi-pattern
//! regex; a pass of each over the folded message finds every entry that fires.
//!
//! One automaton per language, not one for all: with every language together the automaton holds
//! some 40,000 phrases, outgrows the processor's caches and scans at 20 MB/s (measured); a single
//! language's fits and scans many times faster. Which language to scan is decided first by a small
//! *voter* automaton over every language's function words (the modifier entries: "I", "not", "ik",
//! "niet", "ek", "nie" …), whose counts also serve language detection. When the language stays
//! unknown, every language is scanned.

use crate::category::{Category, Modifier};
use crate::error::{Error, Location, Result};
use crate::lang::Lang;
use crate::resources::{Entry, ResourceSet};
use crate::text::{Normalized, ends_word, is_word_char, starts_word, word_end};
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

/// The phrases and patterns of one group of entries (one language, or the voter).
#[derive(Debug, Clone, Default)]
struct Matcher {
    literals: Option<AhoCorasick>,
    literal_info: Vec<Literal>,
    patterns: Option<meta::Regex>,
    pattern_info: Vec<Literal>,
}

/// Every entry of a [`ResourceSet`] compiled for matching.
#[derive(Debug, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
    /// Entries without a language (`_shared`), scanned for every message.
    shared: Matcher,
    /// One matcher per language.
    languages: Vec<(Lang, Matcher)>,
    /// Function words of every language, for choosing which languages to scan.
    voter: Matcher,
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
        let indexed: Vec<(u32, &Entry)> = resources
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (i as u32, e))
            .collect();
        let shared = Matcher::compile(
            resources,
            indexed.iter().copied().filter(|(_, e)| e.lang.is_none()),
            true,
        )?;
        let mut languages = Vec::new();
        for meta in &resources.languages {
            let matcher = Matcher::compile(
                resources,
                indexed
                    .iter()
                    .copied()
                    .filter(|(_, e)| e.lang == Some(meta.code)),
                true,
            )?;
            languages.push((meta.code, matcher));
        }
        let voter = Matcher::compile(
            resources,
            indexed.iter().copied().filter(|(_, e)| {
                e.lang.is_some()
                    && matches!(
                        e.category,
                        Category::Modifier(
                            Modifier::FirstPerson | Modifier::SecondPerson | Modifier::Negation
                        )
                    )
            }),
            // Literal phrases only: the regex part is the expensive one, and votes need no
            // precision, only evidence.
            false,
        )?;
        Ok(Lexicon {
            entries: resources.entries.clone(),
            shared,
            languages,
            voter,
        })
    }

    /// The entries, indexed by [`LexMatch::entry`].
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many literal phrases and patterns were compiled.
    pub fn size(&self) -> (usize, usize) {
        let all = std::iter::once(&self.shared).chain(self.languages.iter().map(|(_, m)| m));
        all.fold((0, 0), |(l, p), m| {
            (l + m.literal_info.len(), p + m.pattern_info.len())
        })
    }

    /// Characters of the folded text matched by each language's function words (modifier
    /// entries): evidence of the message's language that costs one small scan.
    pub fn votes(&self, text: &Normalized, view: &WordView) -> Vec<(Lang, usize)> {
        let mut matches = Vec::new();
        self.voter.find(text.as_str(), view, &mut matches);
        let mut votes: Vec<(Lang, usize)> = Vec::new();
        for m in &matches {
            let Some(lang) = self.entries[m.entry as usize].lang else {
                continue;
            };
            let chars = text.as_str()[m.start..m.end].chars().count();
            match votes.iter_mut().find(|v| v.0 == lang) {
                Some(v) => v.1 += chars,
                None => votes.push((lang, chars)),
            }
        }
        votes
    }

    /// Finds every phrase and pattern of the `languages` given (all when `None`) and of the
    /// shared entries that fires in the folded text, sorted by start then longest.
    /// `view` is [`WordView::new`] of the same text (computed once by the caller, shared with
    /// [`Lexicon::votes`]).
    pub fn find_all(
        &self,
        text: &Normalized,
        view: &WordView,
        languages: Option<&[Lang]>,
        out: &mut Vec<LexMatch>,
    ) {
        let folded = text.as_str();
        self.shared.find(folded, view, out);
        for (lang, matcher) in &self.languages {
            if languages.is_none_or(|wanted| wanted.contains(lang)) {
                matcher.find(folded, view, out);
            }
        }
        out.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.entry.cmp(&b.entry))
        });
        out.dedup_by(|a, b| a.entry == b.entry && a.start == b.start && a.end == b.end);
    }
}

impl Matcher {
    /// Compiles `entries`; without `with_patterns`, only the phrases that an automaton can match
    /// literally.
    fn compile<'a>(
        resources: &ResourceSet,
        entries: impl Iterator<Item = (u32, &'a Entry)>,
        with_patterns: bool,
    ) -> Result<Matcher> {
        let mut literal_texts: Vec<String> = Vec::new();
        let mut literal_info = Vec::new();
        let mut pattern_texts: Vec<String> = Vec::new();
        let mut pattern_locations: Vec<(Location, String)> = Vec::new();
        let mut pattern_info = Vec::new();
        let mut seen: HashSet<(u32, String)> = HashSet::new();

        for (entry_index, entry) in entries {
            let spaced = entry
                .lang
                .and_then(|l| resources.language(l))
                .is_none_or(|m| m.spaces);
            for (phrase_index, phrase) in entry.phrases.iter().enumerate() {
                let folded = fold_phrase(phrase);
                if !seen.insert((entry_index, folded.clone())) {
                    continue;
                }
                let info = Literal {
                    entry: entry_index,
                    phrase: phrase_index as u32,
                    stem: false,
                    boundary: spaced,
                };
                let words: Vec<&str> = folded.split(' ').collect();
                let needs_regex = words.contains(&"~")
                    || words[..words.len() - 1].iter().any(|w| w.ends_with('*'))
                    || (!spaced && folded.contains('*'));
                // Literals are matched on the word view (see `WordView`): punctuation and
                // spaces become single spaces, and phrases of languages written with spaces
                // start with one, so they can only match at the start of a word.
                let literal = |text: &str| {
                    let view = view_phrase(text);
                    if view.is_empty() {
                        None
                    } else if spaced {
                        Some(format!(" {view}"))
                    } else {
                        Some(view)
                    }
                };
                if needs_regex {
                    pattern_texts.push(phrase_regex(&words, spaced));
                    pattern_locations.push((entry.location.clone(), phrase.clone()));
                    pattern_info.push(info);
                } else if let Some(stem) = folded.strip_suffix('*') {
                    match literal(stem) {
                        Some(text) => {
                            literal_texts.push(text);
                            literal_info.push(Literal { stem: true, ..info });
                        }
                        None => {
                            pattern_texts.push(regex::escape(stem));
                            pattern_locations.push((entry.location.clone(), phrase.clone()));
                            pattern_info.push(Literal {
                                boundary: false,
                                ..info
                            });
                        }
                    }
                } else {
                    match literal(&folded) {
                        Some(text) => {
                            literal_texts.push(text);
                            literal_info.push(info);
                        }
                        // A phrase of symbols only ("〒"): matched as is, anywhere.
                        None => {
                            pattern_texts.push(regex::escape(&folded));
                            pattern_locations.push((entry.location.clone(), phrase.clone()));
                            pattern_info.push(Literal {
                                boundary: false,
                                ..info
                            });
                        }
                    }
                }
            }
            for (pattern, location) in &entry.patterns {
                let pattern = strip_word_boundaries(pattern, location)?;
                pattern_texts.push(pattern.clone());
                pattern_locations.push((location.clone(), pattern.clone()));
                pattern_info.push(Literal {
                    entry: entry_index,
                    phrase: u32::MAX,
                    stem: false,
                    boundary: spaced,
                });
            }
        }

        let literals = if literal_texts.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&literal_texts)
                    .map_err(|e| Error::Resource {
                        location: Location::file("(lexicon)"),
                        message: e.to_string(),
                    })?,
            )
        };
        let patterns = if pattern_texts.is_empty() || !with_patterns {
            pattern_info.clear();
            None
        } else {
            Some(compile_patterns(&pattern_texts, &pattern_locations)?)
        };
        Ok(Matcher {
            literals,
            literal_info,
            patterns,
            pattern_info,
        })
    }

    fn find(&self, folded: &str, view: &WordView, out: &mut Vec<LexMatch>) {
        if let Some(ac) = &self.literals {
            for m in ac.find_overlapping_iter(&view.text) {
                let info = self.literal_info[m.pattern().as_usize()];
                let (view_start, view_end) = if info.boundary {
                    (m.start() + 1, m.end())
                } else {
                    (m.start(), m.end())
                };
                if view_end <= view_start {
                    continue;
                }
                let start = view.origin[view_start] as usize;
                let mut end = view.origin[view_end - 1] as usize + 1;
                if info.boundary {
                    if info.stem {
                        end = word_end(folded, end);
                    } else if view
                        .text
                        .as_bytes()
                        .get(view_end)
                        .is_some_and(|&b| b != b' ')
                    {
                        continue;
                    }
                }
                out.push(LexMatch {
                    entry: info.entry,
                    phrase: info.phrase,
                    start,
                    end,
                });
            }
        }
        if let Some(re) = &self.patterns {
            for m in re.find_iter(folded) {
                let info = self.pattern_info[m.pattern().as_usize()];
                if m.is_empty() {
                    continue;
                }
                if info.boundary && !(starts_word(folded, m.start()) && ends_word(folded, m.end()))
                {
                    continue;
                }
                out.push(LexMatch {
                    entry: info.entry,
                    phrase: info.phrase,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
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

/// The folded text as the literal automaton sees it: every run of characters that are not part of
/// a word (spaces, punctuation, symbols) becomes one space, and a space is put in front. A phrase
/// compiled as `" want to die"` then matches only where a word starts, whatever punctuation or
/// spacing the client typed between the words, and the automaton reports no matches inside words
/// (with 40,000 phrases, short ones such as "me" or "de" would otherwise fire hundreds of times per
/// message; measured: most of the analysis time).
pub struct WordView {
    text: String,
    /// For each byte of `text`, the byte of the folded text it comes from.
    origin: Vec<u32>,
}

impl WordView {
    /// The word view of a folded text.
    pub fn new(folded: &str) -> WordView {
        let mut text = String::with_capacity(folded.len() + 1);
        let mut origin = Vec::with_capacity(folded.len() + 1);
        text.push(' ');
        origin.push(0);
        if folded.is_ascii() {
            // The common case, byte by byte without decoding.
            for (i, &b) in folded.as_bytes().iter().enumerate() {
                if b.is_ascii_alphanumeric() {
                    text.push(b as char);
                    origin.push(i as u32);
                } else if !text.ends_with(' ') {
                    text.push(' ');
                    origin.push(i as u32);
                }
            }
            return WordView { text, origin };
        }
        for (i, c) in folded.char_indices() {
            if is_word_char(c) {
                text.push(c);
                origin.extend((i..i + c.len_utf8()).map(|b| b as u32));
            } else if !text.ends_with(' ') {
                text.push(' ');
                origin.push(i as u32);
            }
        }
        WordView { text, origin }
    }

    /// Byte positions in the folded text where words start, in order. In a language written
    /// without spaces (`spaced == false`) every character counts as a word, so windows counted in
    /// words stay meaningful for Chinese and Japanese.
    pub fn word_starts(&self, spaced: bool) -> Vec<usize> {
        let mut starts = Vec::new();
        let mut previous = ' ';
        for (i, c) in self.text.char_indices() {
            if c != ' ' && (previous == ' ' || !spaced) {
                starts.push(self.origin[i] as usize);
            }
            previous = c;
        }
        starts
    }
}

/// A phrase as the word view writes it: words separated by single spaces, no punctuation.
fn view_phrase(folded: &str) -> String {
    folded
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folds a phrase as messages are folded, with single spaces between words.
pub fn fold_phrase(phrase: &str) -> String {
    Normalized::new(phrase.trim())
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(size_limit))
                .onepass_size_limit(Some(size_limit))
                .hybrid_cache_capacity(32 << 20),
        )
        .syntax(regex_automata::util::syntax::Config::new().nest_limit(64));
    builder
}

pub(crate) fn compile_patterns(
    patterns: &[String],
    locations: &[(Location, String)],
) -> Result<meta::Regex> {
    // Check each pattern on its own first, so a bad one is reported where it is written.
    for (pattern, (location, _)) in patterns.iter().zip(locations) {
        let re = pattern_builder(PATTERN_SIZE_LIMIT)
            .build(pattern)
            .map_err(|e| Error::Pattern {
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
    pattern_builder(ALL_PATTERNS_SIZE_LIMIT)
        .build_many(patterns)
        .map_err(|e| Error::Pattern {
            location: locations
                .first()
                .map(|l| l.0.clone())
                .unwrap_or_else(|| Location::file("(patterns)")),
            pattern: "(all patterns together)".into(),
            reason: describe_build_error(&e),
        })
}

fn describe_build_error(e: &meta::BuildError) -> String {
    if let Some(limit) = e.size_limit() {
        format!(
            "it compiles larger than the {limit}-byte limit; simplify it (fewer nested repetitions)"
        )
    } else if let Some(syntax) = e.syntax_error() {
        syntax
            .to_string()
            .lines()
            .last()
            .unwrap_or("invalid syntax")
            .trim()
            .to_string()
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
            Source::new(
                "ja/language.toml",
                "code = \"ja\"\nname = \"日本語\"\nspaces = false\n",
            ),
        ];
        sources.extend(files.iter().map(|(p, t)| Source::new(*p, *t)));
        Lexicon::compile(&ResourceSet::load(&sources)?)
    }

    fn matches(lex: &Lexicon, text: &str) -> Vec<String> {
        let n = Normalized::new(text);
        let mut out = Vec::new();
        lex.find_all(&n, &WordView::new(n.as_str()), None, &mut out);
        out.iter()
            .map(|m| n.as_str()[m.start..m.end].to_string())
            .collect()
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
        assert_eq!(
            matches(&lex, "I WANT so badly to DIE"),
            vec!["want so badly to die"]
        );
        assert_eq!(matches(&lex, "I want a diet"), Vec::<String>::new());
        assert_eq!(matches(&lex, "feeling suicidal"), vec!["suicidal"]);
        assert_eq!(matches(&lex, "antisuicide"), Vec::<String>::new());
        assert_eq!(
            matches(&lex, "gonna killing myself"),
            vec!["killing myself"]
        );
        assert_eq!(matches(&lex, "eine uberdosis"), vec!["uberdosis"]);
        assert_eq!(
            matches(&lex, "so fed up with this"),
            vec!["fed up with this"]
        );
    }

    #[test]
    fn languages_without_spaces_match_inside_text() {
        let lex = lexicon(&[("ja/d.toml", "[[entry]]\nid = \"a\"\ncategory = \"disclosure.self_harm\"\nphrases = [\"死にたい\", \"消え ~ たい\"]\n")]).unwrap();
        assert_eq!(matches(&lex, "もう死にたいです"), vec!["死にたい"]);
        assert_eq!(
            matches(&lex, "もう消えてしまいたい"),
            vec!["消えてしまいたい"]
        );
    }

    #[test]
    fn hostile_patterns_are_rejected_with_file_and_line() {
        let bad = |pattern: &str| {
            let file = format!(
                "[[entry]]\nid = \"a\"\ncategory = \"emotion.anger\"\npatterns = ['{pattern}']\n"
            );
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
