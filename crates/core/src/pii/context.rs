//! Personal data that only context reveals: a person's name after "my name is" or a title, a postal
//! address after "I live at", a date after "born on", a secret after "my password is".
//!
//! The cue words are per-language data (`<lang>/pii.toml`); what follows a cue is read with rules
//! that hold across languages: capitalised words for names in cased scripts, up to two words in
//! Arabic, a short run of ideographs or Katakana in Chinese and Japanese.

use super::{RawPii, ScanContext, Verdict};
use crate::category::PiiCue;
use crate::text::{Normalized, Script};
use std::sync::LazyLock;

/// A date written with digits or with a month name, in the folded text.
static DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"^[^\n.!?]{0,24}?(",
        r"[0-9]{1,2}[./\-][0-9]{1,2}[./\-](?:[0-9]{4}|[0-9]{2})",
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        r"|[0-9]{1,2}\.?(?:\s+de)?\s+\p{L}{3,12}\.?(?:\s+de)?,?\s+[0-9]{4}",
        r"|\p{L}{3,12}\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}",
        r"|[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日",
        r")"
    ))
    .expect("built-in date pattern compiles")
});

/// Lower-case particles inside names: "Jan van der Berg", "Maria da Silva", "Omar bin Said".
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von", "der",
    "den", "ter", "ten", "bin", "ben", "al", "el", "y", "e",
];

pub(super) fn scan(
    original: &str,
    norm: &Normalized,
    ctx: &ScanContext<'_>,
    out: &mut Vec<RawPii>,
) {
    let all_lower = typed_all_lower(original);
    for cue in ctx.cues {
        let (_, cue_end) = norm.to_original(original, cue.start, cue.end);
        let found = match cue.cue {
            // A one-word cue is a title ("Mr", "Mme", Afrikaans "me"): in a message typed all in
            // lower case it is too often an ordinary word to announce a name.
            PiiCue::Name if all_lower && !norm.as_str()[cue.start..cue.end].contains(' ') => None,
            PiiCue::Name => name_after(original, cue_end, all_lower).map(|r| (r, "PERSON", 0.75)),
            PiiCue::Address => address_after(original, cue_end).map(|r| (r, "ADDRESS", 0.7)),
            PiiCue::Secret => secret_after(original, cue_end).map(|r| (r, "SECRET", 0.8)),
            PiiCue::BirthDate => {
                let folded = norm.as_str();
                DATE.captures(&folded[cue.end..])
                    .and_then(|c| c.get(1))
                    .map(|m| {
                        let (s, e) =
                            norm.to_original(original, cue.end + m.start(), cue.end + m.end());
                        ((s, e), "DATE_OF_BIRTH", 0.85)
                    })
            }
            PiiCue::Phone | PiiCue::NotPii | PiiCue::Id => None,
        };
        if let Some(((start, end), kind, confidence)) = found
            && end > start
        {
            out.push(RawPii {
                start: norm.from_original(start),
                end: norm.from_original(end),
                verdict: Verdict {
                    kind,
                    confidence,
                    normalized: None,
                    detail: None,
                },
                rule: cue.rule.to_string(),
            });
        }
    }
}

/// Whether a message is typed all in lower case (only meaningful for scripts that have capitals:
/// Arabic or Chinese text is never "all lower case").
fn typed_all_lower(text: &str) -> bool {
    text.chars().any(char::is_lowercase) && !text.chars().any(char::is_uppercase)
}

/// Skips what separates a cue from its value: spaces, colons, dashes, quotes, a title's dot.
fn skip_separators(text: &str, at: usize) -> usize {
    at + text[at..]
        .find(|c: char| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    ':' | '-' | ',' | '.' | '"' | '\'' | '«' | '»' | '：' | '「'
                ))
        })
        .unwrap_or(text.len() - at)
}

/// The words starting at `at`: (start, end) of each, stopping at punctuation other than
/// apostrophes and hyphens inside words.
fn words_from(text: &str, at: usize, limit: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = at;
    while out.len() < limit {
        let rest = &text[i..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let start = i + (rest.len() - trimmed.len());
        let len = trimmed
            .char_indices()
            .find(|&(j, c)| !(c.is_alphanumeric() || (j > 0 && matches!(c, '\'' | '’' | '-'))))
            .map_or(trimmed.len(), |(j, _)| j);
        if len == 0 {
            break;
        }
        out.push((start, start + len));
        i = start + len;
        if !text[i..].starts_with([' ', '\t']) {
            break;
        }
    }
    out
}

fn name_after(text: &str, cue_end: usize, all_lower: bool) -> Option<(usize, usize)> {
    let at = skip_separators(text, cue_end);
    let first = text[at..].chars().next()?;
    match Script::of(first)? {
        Script::Latin | Script::Cyrillic | Script::Other => {
            let words = words_from(text, at, 6);
            let capitalised = |&(s, e): &(usize, usize)| {
                text[s..e].chars().next().is_some_and(char::is_uppercase)
            };
            if all_lower {
                // Chat typed all in lower case: take one word, the likeliest to be the name.
                return words.first().copied().filter(|&(s, e)| e - s >= 2);
            }
            let is_particle = |w: &(usize, usize)| {
                NAME_PARTICLES.contains(&text[w.0..w.1].to_lowercase().as_str())
            };
            let mut end = None;
            let mut names = 0;
            let mut k = 0;
            while k < words.len() && names < 4 {
                if capitalised(&words[k]) {
                    end = Some(words[k].1);
                    names += 1;
                    k += 1;
                    continue;
                }
                // A run of particles counts only when a capitalised word follows it.
                let run = words[k..].iter().take_while(|w| is_particle(w)).count();
                if names > 0 && run > 0 && words.get(k + run).is_some_and(capitalised) {
                    k += run;
                    continue;
                }
                break;
            }
            end.map(|e| (at, e))
        }
        Script::Arabic => {
            let words = words_from(text, at, 2);
            words.last().map(|&(_, e)| (at, e))
        }
        Script::Han | Script::Kana => {
            let end = text[at..]
                .char_indices()
                .take_while(|&(_, c)| {
                    matches!(Script::of(c), Some(Script::Han))
                        || ('\u{30A0}'..='\u{30FF}').contains(&c)
                })
                .take(4)
                .last()
                .map(|(j, c)| at + j + c.len_utf8())?;
            (text[at..end].chars().count() >= 2).then_some((at, end))
        }
        Script::Hangul => None,
    }
}

fn address_after(text: &str, cue_end: usize) -> Option<(usize, usize)> {
    let at = skip_separators(text, cue_end);
    let limit = (at + 100).min(text.len());
    let limit = (limit..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    let region = &text[at..limit];
    // The first comma-separated segment holds the street; later segments are kept while they look
    // like a place (start with a capital or a digit: postcode, city).
    let clause_end = region.find(['\n', ';', '!', '?']).unwrap_or(region.len());
    let clause_end = region[..clause_end]
        .find(". ")
        .map_or(clause_end, |i| i + 1)
        .min(clause_end);
    let clause = &region[..clause_end];
    let (mut end, mut seg_start) = (0, 0);
    for (k, segment) in clause.split(',').enumerate() {
        let trimmed = segment.trim_start();
        let starts_well = trimmed.chars().next().is_some_and(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || Script::of(c).is_some_and(|s| !matches!(s, Script::Latin | Script::Cyrillic))
        });
        if k == 0 && segment.split_whitespace().count() > 8 {
            return None;
        }
        if k > 0 && (!starts_well || trimmed.split_whitespace().count() > 4) {
            break;
        }
        end = seg_start + segment.len();
        seg_start = end + 1;
    }
    let value =
        clause[..end].trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ','));
    let has_digit = value.chars().any(|c| c.is_ascii_digit());
    let has_letter = value.chars().any(char::is_alphabetic);
    (has_digit && has_letter && value.chars().count() >= 5).then(|| (at, at + value.len()))
}

fn secret_after(text: &str, cue_end: usize) -> Option<(usize, usize)> {
    let mut at = skip_separators(text, cue_end);
    for _ in 0..2 {
        let token_len = text[at..]
            .find(char::is_whitespace)
            .unwrap_or(text.len() - at);
        let token = text[at..at + token_len]
            .trim_end_matches(['.', ',', ';', '!', '?', ')', '"', '\'', '」', '。']);
        let connective = token.chars().count() <= 3 && token.chars().all(char::is_alphabetic);
        if connective && token_len < text.len() - at {
            at = skip_separators(text, at + token_len);
            continue;
        }
        return (token.chars().count() >= 3).then(|| (at, at + token.len()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(
        f: fn(&str, usize) -> Option<(usize, usize)>,
        text: &str,
        cue: &str,
    ) -> Option<String> {
        let at = text.find(cue).unwrap() + cue.len();
        f(text, at).map(|(s, e)| text[s..e].to_string())
    }

    fn name(text: &str, cue: &str) -> Option<String> {
        let at = text.find(cue).unwrap() + cue.len();
        name_after(text, at, typed_all_lower(text)).map(|(s, e)| text[s..e].to_string())
    }

    #[test]
    fn names_after_cues() {
        assert_eq!(
            name("Hi, my name is Jan van der Berg and I need help", "name is").as_deref(),
            Some("Jan van der Berg")
        );
        assert_eq!(
            name("je m'appelle Marie-Claire Dupont.", "appelle").as_deref(),
            Some("Marie-Claire Dupont")
        );
        assert_eq!(name("Mr. Okafor called", "Mr").as_deref(), Some("Okafor"));
        assert_eq!(
            name("hi my name is sipho", "name is").as_deref(),
            Some("sipho")
        );
        assert_eq!(name("My name is not important", "name is"), None);
        assert_eq!(
            name("اسمي محمد علي، أحتاج مساعدة", "اسمي").as_deref(),
            Some("محمد علي")
        );
        assert_eq!(
            name("我叫王小明，我需要帮助", "我叫").as_deref(),
            Some("王小明")
        );
        assert_eq!(
            name("私の名前は田中です", "名前は").as_deref(),
            Some("田中")
        );
    }

    #[test]
    fn addresses_after_cues() {
        assert_eq!(
            after(
                address_after,
                "I live at 12 Baker Street, London, and I'm scared",
                "live at"
            )
            .as_deref(),
            Some("12 Baker Street, London")
        );
        assert_eq!(
            after(
                address_after,
                "j'habite au 5 rue des Lilas, 75011 Paris.",
                "habite au"
            )
            .as_deref(),
            Some("5 rue des Lilas, 75011 Paris")
        );
        assert_eq!(
            after(address_after, "I live at home with my parents", "live at"),
            None
        );
    }

    #[test]
    fn secrets_after_cues() {
        assert_eq!(
            after(
                secret_after,
                "my password is Hunter2!, can you reset it",
                "password"
            )
            .as_deref(),
            Some("Hunter2")
        );
        assert_eq!(
            after(secret_after, "PIN: 4821.", "PIN").as_deref(),
            Some("4821")
        );
        assert_eq!(
            after(secret_after, "mon mot de passe est soleil75", "passe").as_deref(),
            Some("soleil75")
        );
    }

    #[test]
    fn dates_after_birth_cues() {
        let find = |t: &str| {
            DATE.captures(t)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        };
        assert_eq!(
            find(" on 12/03/1985 in leeds").as_deref(),
            Some("12/03/1985")
        );
        assert_eq!(find(" le 3 mai 1990").as_deref(), Some("3 mai 1990"));
        assert_eq!(
            find(" 5 de mayo de 1990").as_deref(),
            Some("5 de mayo de 1990")
        );
        assert_eq!(find(" march 3rd, 1990").as_deref(), Some("march 3rd, 1990"));
        assert_eq!(
            find("は1985年3月12日です").as_deref(),
            Some("1985年3月12日")
        );
        assert_eq!(find(" in a small town. later 12/03/1985"), None);
    }
}
