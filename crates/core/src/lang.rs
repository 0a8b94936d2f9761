//! Languages: codes, and detection with a confidence.
//!
//! Detection first looks at scripts, which settle most non-Latin cases outright (Kana means
//! Japanese, Arabic letters mean Arabic among the languages tact has resources for), then asks
//! whatlang, restricted to the languages that have resources, to tell Latin-script languages
//! apart. A short or mixed message gets `None` (reported as "unknown") rather than a confident
//! wrong guess; the engine then applies every language's resources that fit the script.

use crate::text::ScriptCounts;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A language, by its ISO 639-1 code (two lower-case ASCII letters).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang([u8; 2]);

impl Lang {
    /// Parses a two-letter code; upper case is accepted and lowered.
    pub fn parse(code: &str) -> Option<Lang> {
        let b = code.as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic))
            .then(|| Lang([b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase()]))
    }

    /// The code, for example `"fr"`.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    fn to_whatlang(self) -> Option<whatlang::Lang> {
        use whatlang::Lang as W;
        Some(match self.as_str() {
            "en" => W::Eng,
            "fr" => W::Fra,
            "ar" => W::Ara,
            "af" => W::Afr,
            "nl" => W::Nld,
            "de" => W::Deu,
            "es" => W::Spa,
            "it" => W::Ita,
            "pt" => W::Por,
            "pl" => W::Pol,
            "tr" => W::Tur,
            "ru" => W::Rus,
            "ja" => W::Jpn,
            "zh" => W::Cmn,
            "uk" => W::Ukr,
            "sv" => W::Swe,
            "da" => W::Dan,
            "nb" => W::Nob,
            "fi" => W::Fin,
            "cs" => W::Ces,
            "sk" => W::Slk,
            "hu" => W::Hun,
            "ro" => W::Ron,
            "el" => W::Ell,
            "he" => W::Heb,
            "hi" => W::Hin,
            "ko" => W::Kor,
            "id" => W::Ind,
            "vi" => W::Vie,
            _ => return None,
        })
    }

    fn from_whatlang(lang: whatlang::Lang, known: &[Lang]) -> Option<Lang> {
        known
            .iter()
            .copied()
            .find(|l| l.to_whatlang() == Some(lang))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let text = String::deserialize(d)?;
        Lang::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not a two-letter language code"))
        })
    }
}

/// The outcome of language detection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageGuess {
    /// The language, or `None` ("unknown") when the text is too short, mixed or unlike any
    /// language with resources.
    pub lang: Option<Lang>,
    /// How sure the detector is, 0 to 1. For a caller-given language this is 1.
    pub confidence: f64,
    /// The best guess even when `lang` is `None`, so a person can see what the detector leaned to.
    pub best_guess: Option<Lang>,
    /// Whether the caller set the language instead of detecting it.
    pub given: bool,
}

impl LanguageGuess {
    /// A language the caller set.
    pub fn given(lang: Lang) -> LanguageGuess {
        LanguageGuess {
            lang: Some(lang),
            confidence: 1.0,
            best_guess: Some(lang),
            given: true,
        }
    }

    fn unknown(best_guess: Option<Lang>, confidence: f64) -> LanguageGuess {
        LanguageGuess {
            lang: None,
            confidence,
            best_guess,
            given: false,
        }
    }
}

/// Detects languages among a fixed set (those that have resources).
#[derive(Debug, Clone)]
pub struct LanguageDetector {
    known: Vec<Lang>,
    latin: Option<whatlang::Detector>,
}

/// Fewer letters than this and a Latin-script guess is not trusted.
const MIN_LATIN_LETTERS: usize = 12;
/// How many bytes of a message whatlang looks at.
const DETECTION_SAMPLE: usize = 200;

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// whatlang confidence below which the guess is reported as unknown.
const MIN_CONFIDENCE: f64 = 0.12;

impl LanguageDetector {
    /// A detector that only answers with languages from `known`.
    pub fn new(known: &[Lang]) -> LanguageDetector {
        let allow: Vec<whatlang::Lang> = known
            .iter()
            .filter(|l| !matches!(l.as_str(), "ar" | "ru" | "ja" | "zh"))
            .filter_map(|l| l.to_whatlang())
            .collect();
        let latin = (!allow.is_empty()).then(|| whatlang::Detector::with_allowlist(allow));
        LanguageDetector {
            known: known.to_vec(),
            latin,
        }
    }

    fn known(&self, code: &str) -> Option<Lang> {
        Lang::parse(code).filter(|l| self.known.contains(l))
    }

    /// Guesses the language of `text`, first from `votes` — how many characters of each language's
    /// lexicon phrases matched, which the engine has already computed — and, when they do not
    /// settle it, with whatlang. Function words ("I", "my", "not", "ik", "niet", "ek", "nie") are
    /// in the lexicons of every language, so most messages carry clear votes; whatlang costs
    /// 25–40 µs per message (measured), more than the rest of the analysis.
    pub fn detect_with_votes(&self, text: &str, votes: &[(Lang, usize)]) -> LanguageGuess {
        self.detect_counted(text, &ScriptCounts::of(text), votes)
    }

    /// [`LanguageDetector::detect_with_votes`] with the script counts of `text` already made (the
    /// engine counts once and reuses them for shouting cues).
    pub(crate) fn detect_counted(
        &self,
        text: &str,
        counts: &ScriptCounts,
        votes: &[(Lang, usize)],
    ) -> LanguageGuess {
        let letters = counts.letters().max(1);
        if counts.latin * 2 >= letters {
            let mut ranked: Vec<(Lang, usize)> = votes
                .iter()
                .copied()
                .filter(|(l, _)| !matches!(l.as_str(), "ar" | "ru" | "ja" | "zh"))
                .collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            if let Some(&(best, score)) = ranked.first() {
                let second = ranked.get(1).map_or(0, |r| r.1);
                let total: usize = ranked.iter().map(|r| r.1).sum();
                if score >= 8 && score >= 2 * second {
                    let confidence = (score as f64 / total as f64) * (score as f64 / 16.0).min(1.0);
                    return LanguageGuess {
                        lang: Some(best),
                        confidence,
                        best_guess: Some(best),
                        given: false,
                    };
                }
            }
        }
        self.detect_by_script(text, counts)
    }

    /// Guesses the language of `text` from its scripts and, for Latin script, with whatlang.
    pub fn detect(&self, text: &str) -> LanguageGuess {
        self.detect_by_script(text, &ScriptCounts::of(text))
    }

    fn detect_by_script(&self, text: &str, counts: &ScriptCounts) -> LanguageGuess {
        let letters = counts.letters();
        if letters == 0 {
            return LanguageGuess::unknown(None, 0.0);
        }
        let share = |n: usize| n as f64 / letters as f64;
        // Japanese is the only language written with Kana; a few Kana among Han settle it.
        if counts.kana > 0 && share(counts.kana + counts.han) >= 0.5 {
            return self.script_guess("ja", share(counts.kana + counts.han), letters);
        }
        if share(counts.han) >= 0.5 {
            return self.script_guess("zh", share(counts.han), letters);
        }
        if share(counts.arabic) >= 0.5 {
            return self.script_guess("ar", share(counts.arabic), letters);
        }
        if share(counts.cyrillic) >= 0.5 {
            return self.script_guess("ru", share(counts.cyrillic), letters);
        }
        if share(counts.latin) < 0.5 {
            return LanguageGuess::unknown(None, 0.0);
        }
        // Trigram statistics settle within a few hundred bytes; longer texts only cost time
        // (measured: 85 µs for 500 bytes, most of an analysis).
        let sample = &text[..floor_char_boundary(text, DETECTION_SAMPLE)];
        let Some(info) = self.latin.as_ref().and_then(|d| d.detect(sample)) else {
            return LanguageGuess::unknown(None, 0.0);
        };
        let best = Lang::from_whatlang(info.lang(), &self.known);
        // Mixed scripts lower the confidence in proportion.
        let confidence = info.confidence() * share(counts.latin);
        if counts.latin < MIN_LATIN_LETTERS || confidence < MIN_CONFIDENCE {
            return LanguageGuess::unknown(best, confidence);
        }
        LanguageGuess {
            lang: best,
            confidence,
            best_guess: best,
            given: false,
        }
    }

    fn script_guess(&self, code: &str, share: f64, letters: usize) -> LanguageGuess {
        let lang = self.known(code);
        // A single ideograph or a two-letter Arabic word is weak evidence.
        let confidence = share * (letters as f64 / 4.0).min(1.0);
        if confidence < 0.5 {
            return LanguageGuess::unknown(lang, confidence);
        }
        LanguageGuess {
            lang,
            confidence,
            best_guess: lang,
            given: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Lang> {
        [
            "en", "fr", "ar", "af", "nl", "de", "es", "it", "pt", "pl", "tr", "ru", "ja", "zh",
        ]
        .iter()
        .map(|c| Lang::parse(c).unwrap())
        .collect()
    }

    fn detect(text: &str) -> Option<String> {
        LanguageDetector::new(&all())
            .detect(text)
            .lang
            .map(|l| l.to_string())
    }

    #[test]
    fn detects_each_language_on_ordinary_sentences() {
        let cases = [
            (
                "en",
                "I have been waiting for my refund for three weeks and nobody answers me",
            ),
            (
                "fr",
                "J'attends mon remboursement depuis trois semaines et personne ne me répond",
            ),
            (
                "de",
                "Ich warte seit drei Wochen auf meine Erstattung und niemand antwortet mir",
            ),
            (
                "es",
                "Llevo tres semanas esperando mi reembolso y nadie me contesta",
            ),
            (
                "it",
                "Aspetto il mio rimborso da tre settimane e nessuno mi risponde",
            ),
            (
                "pt",
                "Estou à espera do meu reembolso há três semanas e ninguém me responde",
            ),
            (
                "af",
                "Ek wag al drie weke vir my terugbetaling en niemand antwoord my nie",
            ),
            (
                "nl",
                "Ik wacht al drie weken op mijn terugbetaling en niemand antwoordt mij",
            ),
            (
                "pl",
                "Czekam na zwrot pieniędzy od trzech tygodni i nikt mi nie odpowiada",
            ),
            (
                "tr",
                "Üç haftadır para iademi bekliyorum ve kimse bana cevap vermiyor",
            ),
            (
                "ru",
                "Я жду возврата денег уже три недели, и никто мне не отвечает",
            ),
            ("ar", "أنتظر استرداد أموالي منذ ثلاثة أسابيع ولا أحد يجيبني"),
            ("ja", "返金を三週間待っていますが、誰も返事をくれません"),
            ("zh", "我等退款已经三个星期了，没有人回复我"),
        ];
        for (want, text) in cases {
            assert_eq!(detect(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn short_or_empty_text_is_unknown() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("ok"), None);
        assert_eq!(detect("12345 !!"), None);
        assert_eq!(detect("한국어 문장입니다"), None);
    }

    #[test]
    fn lang_codes_parse_and_display() {
        assert_eq!(Lang::parse("FR").unwrap().to_string(), "fr");
        assert!(Lang::parse("fra").is_none());
        assert!(Lang::parse("é").is_none());
    }
}
