//! Writing systems of a text, used to detect languages that whatlang alone would confuse and to
//! know when words are not separated by spaces.

/// The scripts tact tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters (English, French, Turkish, Polish …).
    Latin,
    /// Cyrillic (Russian).
    Cyrillic,
    /// Arabic script.
    Arabic,
    /// Han ideographs (Chinese; also used in Japanese).
    Han,
    /// Hiragana and Katakana (only Japanese uses them).
    Kana,
    /// Hangul (Korean; not a supported language, recognised so it is not mislabelled).
    Hangul,
    /// Any other letter.
    Other,
}

impl Script {
    /// The script of a letter, `None` for digits, punctuation, spaces and symbols.
    #[inline]
    pub fn of(c: char) -> Option<Script> {
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(Script::Latin);
        }
        Script::of_common_letter(c).or_else(|| Script::of_lookup(c))
    }

    /// [`Script::of`] for a non-ASCII character, through Unicode's tables.
    fn of_lookup(c: char) -> Option<Script> {
        if !c.is_alphabetic() {
            return None;
        }
        Some(match c {
            '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{FF21}'..='\u{FF5A}' => {
                Script::Latin
            }
            '\u{0400}'..='\u{052F}' => Script::Cyrillic,
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => Script::Arabic,
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
                Script::Kana
            }
            '\u{4E00}'..='\u{9FFF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FA1F}' => Script::Han,
            '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' => Script::Hangul,
            _ => Script::Other,
        })
    }
}

impl Script {
    /// The script of `c` when it lies in a block where every code point is a letter, without the
    /// Unicode table lookup that `char::is_alphabetic` costs (measured: a tenth of the analysis
    /// time on Cyrillic, Arabic and CJK messages). `None` means "look it up", not "not a letter".
    #[inline]
    pub(crate) fn of_common_letter(c: char) -> Option<Script> {
        Some(match c {
            '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00F6}' | '\u{00F8}'..='\u{017F}' => {
                Script::Latin
            }
            '\u{0410}'..='\u{044F}' => Script::Cyrillic,
            '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => Script::Arabic,
            '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' => {
                Script::Kana
            }
            '\u{4E00}'..='\u{9FFF}' => Script::Han,
            '\u{AC00}'..='\u{D7A3}' => Script::Hangul,
            _ => return None,
        })
    }
}

/// How many letters of each script a text holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptCounts {
    /// Latin letters.
    pub latin: usize,
    /// Cyrillic letters.
    pub cyrillic: usize,
    /// Arabic letters.
    pub arabic: usize,
    /// Han ideographs.
    pub han: usize,
    /// Kana.
    pub kana: usize,
    /// Hangul.
    pub hangul: usize,
    /// Other letters.
    pub other: usize,
    /// Upper-case letters (for shouting cues).
    pub upper: usize,
}

impl ScriptCounts {
    /// Counts the letters of `text`.
    pub fn of(text: &str) -> ScriptCounts {
        let mut counts = ScriptCounts::default();
        for c in text.chars() {
            if c.is_ascii() {
                // Most letters of most messages: no decoding of scripts or case tables.
                if c.is_ascii_alphabetic() {
                    counts.latin += 1;
                    counts.upper += usize::from(c.is_ascii_uppercase());
                }
                continue;
            }
            let Some(script) = Script::of(c) else {
                continue;
            };
            // Only Latin and Cyrillic letters have case here; skip the lookup for the rest.
            if matches!(script, Script::Latin | Script::Cyrillic) && c.is_uppercase() {
                counts.upper += 1;
            }
            match script {
                Script::Latin => counts.latin += 1,
                Script::Cyrillic => counts.cyrillic += 1,
                Script::Arabic => counts.arabic += 1,
                Script::Han => counts.han += 1,
                Script::Kana => counts.kana += 1,
                Script::Hangul => counts.hangul += 1,
                Script::Other => counts.other += 1,
            }
        }
        counts
    }

    /// All letters counted.
    pub fn letters(&self) -> usize {
        self.latin + self.cyrillic + self.arabic + self.han + self.kana + self.hangul + self.other
    }

    /// Letters of scripts that have upper and lower case.
    pub fn cased(&self) -> usize {
        self.latin + self.cyrillic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must never call something a letter that Unicode does not, nor give it
    /// another script than the full lookup would.
    #[test]
    fn common_letter_blocks_hold_only_letters() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(script) = Script::of_common_letter(c) {
                assert!(
                    c.is_alphabetic(),
                    "{c:?} U+{:04X} is not a letter",
                    c as u32
                );
                assert_eq!(Some(script), Script::of_lookup(c), "U+{:04X}", c as u32);
            }
        }
    }
}
