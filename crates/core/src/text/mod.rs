//! Text handling shared by every language: folding for matching ([`Normalized`]), scripts, words
//! and clauses.

mod normalize;
mod script;

pub use normalize::{Normalized, is_latin_letter};
pub use script::{Script, ScriptCounts};

/// Whether `c` counts as part of a word for whole-word matching. Apostrophes and hyphens do not,
/// so "l'abus" contains the word "abus" and "self-harm" contains "harm".
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if Script::of_common_letter(c).is_some() {
        return true;
    }
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Whether byte `at` of `text` is at a word boundary on its left: start of text or after a
/// non-word character.
pub fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
}

/// Whether byte `at` of `text` is at a word boundary on its right.
pub fn ends_word(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// The end of the word that continues at `at` (for `*` stems): the first non-word character.
pub fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| at + i)
}

/// Whether `c` ends a clause: sentence punctuation (in every script tact supports) or a line break.
/// Negation and reported speech do not reach across clause ends.
pub fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | '\n' | '\r' | '。' | '！' | '？' | '；' | '؟' | '؛' | '…' | '|'
    )
}

/// Byte ranges of the clauses of `text`: pieces between clause ends (see [`is_clause_end`]);
/// commas and "but" do not split. Every byte of `text` belongs to exactly one range.
pub fn clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_clause_end(c) {
            // Runs of punctuation ("?!?") end one clause.
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if is_clause_end(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            // "3.5" and "e.g." are not clause ends: a dot between two non-spaces continues.
            let next_is_word = text[end..]
                .chars()
                .next()
                .is_some_and(|n| !n.is_whitespace());
            if c == '.' && next_is_word && end == i + 1 {
                continue;
            }
            out.push((start, end));
            start = end;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push((start, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_on_sentence_punctuation_in_all_scripts() {
        let t = "I'm fine. Really?! no… ok";
        let parts: Vec<&str> = clauses(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(parts, vec!["I'm fine.", " Really?!", " no…", " ok"]);
        let t = "元気です。死にたい";
        assert_eq!(clauses(t).len(), 2);
        let t = "هل أنت بخير؟ نعم";
        assert_eq!(clauses(t).len(), 2);
        let t = "it costs 3.5 euros today";
        assert_eq!(clauses(t).len(), 1);
    }

    #[test]
    fn word_boundaries() {
        let t = "l'abus diet";
        assert!(starts_word(t, 2) && ends_word(t, 6));
        assert!(!ends_word(t, 9)); // "die|t"
        assert_eq!(word_end(t, 7), 11);
    }
}
