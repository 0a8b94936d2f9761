//! Normalisation for matching, with a map back to the original text.
//!
//! Lexicons and patterns are matched against a *folded* copy of the message so that one phrase
//! written naturally in a resource file matches the many ways clients type it: upper or lower case,
//! with or without accents, full-width or ordinary digits, Arabic with or without harakat. Every
//! finding must still point into the *original* text, so the folded copy keeps, for each of its
//! bytes, the byte offset of the original character that produced it.
//!
//! Folding is done character by character (never across characters), which is what makes the
//! offset map exact:
//! - compatibility decomposition (NFKD), then on Latin letters the combining marks are dropped
//!   (`é` → `e`; clients on phones often omit accents) while other scripts are recomposed (`й`
//!   stays `й`, `が` stays `が`): stripping marks there would change the letter;
//! - lower case, with `ß` → `ss` and Turkish `İ`/`ı` → `i`;
//! - Arabic: alef variants → `ا`, `ى` → `ي`, `ة` → `ه`, hamza carriers `ؤ`/`ئ` → `و`/`ي`,
//!   Persian `ی`/`ک` → `ي`/`ك`; harakat and tatweel are dropped;
//! - Arabic-Indic and Persian digits → ASCII digits (phone numbers and identifiers are written with
//!   them);
//! - typographic apostrophes, quotes and dashes → their ASCII forms; zero-width and bidirectional
//!   control characters are dropped (they are invisible and are used to dodge filters).

use unicode_normalization::char::{compose, decompose_compatible, is_combining_mark};

/// A folded copy of a text with the map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    text: String,
    /// For each byte of `text`, the byte offset in the original of the character that produced
    /// it. `None` when the folded text has the same byte layout as the original (ASCII input).
    origin: Option<Vec<u32>>,
    original_len: usize,
}

impl Normalized {
    /// Folds `original`. Inputs of 4 GiB or more are not supported (offsets are 32-bit to keep the
    /// map small); the caller checks the length first.
    pub fn new(original: &str) -> Normalized {
        if original.is_ascii() {
            return Normalized {
                text: original.to_ascii_lowercase(),
                origin: None,
                original_len: original.len(),
            };
        }
        let mut text = String::with_capacity(original.len() + original.len() / 8);
        let mut origin: Vec<u32> = Vec::with_capacity(original.len() + original.len() / 8);
        let mut previous_was_latin = false;
        for (offset, c) in original.char_indices() {
            let before = text.len();
            previous_was_latin = fold_char(c, previous_was_latin, &mut text);
            origin.resize(text.len(), offset as u32);
            debug_assert!(origin.len() >= before);
        }
        Normalized {
            text,
            origin: Some(origin),
            original_len: original.len(),
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of the folded text to the byte range of the original characters that
    /// produced it. The result always lies on character boundaries of the original.
    ///
    /// `start..end` must lie within the folded text; an empty range maps to an empty range.
    pub fn to_original(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        debug_assert_eq!(original.len(), self.original_len);
        let Some(origin) = &self.origin else {
            return (start, end);
        };
        let map_start = |i: usize| -> usize {
            if i >= origin.len() {
                self.original_len
            } else {
                origin[i] as usize
            }
        };
        let s = map_start(start);
        if end <= start {
            return (s, s);
        }
        let last = origin[end - 1] as usize;
        let char_len = original[last..].chars().next().map_or(0, char::len_utf8);
        (s, last + char_len)
    }

    /// Maps a byte offset of the original to the first byte of the folded text produced at or
    /// after it (used to look at folded text just after an original position).
    pub fn from_original(&self, offset: usize) -> usize {
        match &self.origin {
            None => offset,
            Some(origin) => origin.partition_point(|&o| (o as usize) < offset),
        }
    }
}

/// Folds one character into `out`. Returns whether it was a Latin letter, which decides whether a
/// following lone combining mark is dropped.
fn fold_char(c: char, previous_was_latin: bool, out: &mut String) -> bool {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return c.is_ascii_alphabetic();
    }
    if let Some(mapped) = special_fold(c) {
        out.push_str(mapped);
        return mapped.bytes().all(|b| b.is_ascii_alphabetic());
    }
    if is_ignorable(c) || is_arabic_diacritic(c) {
        return previous_was_latin;
    }
    if is_combining_mark(c) {
        // A mark typed as its own character (decomposed input): drop it after a Latin letter,
        // keep it elsewhere (Devanagari vowel signs, Japanese voicing marks).
        if !previous_was_latin {
            out.push(c);
        }
        return previous_was_latin;
    }
    // Compatibility decomposition into a small buffer (the longest NFKD expansion is 18 chars).
    let mut buf = ['\0'; 18];
    let mut n = 0;
    decompose_compatible(c, |d| {
        if n < buf.len() {
            buf[n] = d;
            n += 1;
        }
    });
    let parts = &buf[..n];
    let latin = parts.first().is_some_and(|&b| is_latin_letter(b));
    if latin {
        for &d in parts {
            if !is_combining_mark(d) {
                push_lower(d, out);
            }
        }
    } else {
        // Recompose what decomposition split (й, が), lower-case, keep everything else.
        let mut acc: Option<char> = None;
        for &d in parts {
            acc = match acc {
                None => Some(d),
                Some(a) => match compose(a, d) {
                    Some(composed) => Some(composed),
                    None => {
                        push_folded_non_latin(a, out);
                        Some(d)
                    }
                },
            };
        }
        if let Some(a) = acc {
            push_folded_non_latin(a, out);
        }
    }
    latin
}

fn push_folded_non_latin(c: char, out: &mut String) {
    match special_fold(c) {
        Some(mapped) => out.push_str(mapped),
        None if is_arabic_diacritic(c) || is_ignorable(c) => {}
        None => push_lower(c, out),
    }
}

fn push_lower(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        for l in c.to_lowercase() {
            // `İ`.to_lowercase() is "i\u{307}": drop the dot, Turkish dotted i is plain i here.
            if l != '\u{307}' {
                out.push(l);
            }
        }
    }
}

/// Characters with a fixed folding that decomposition and lower-casing do not give.
fn special_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'İ' | 'ı' => "i",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ø' | 'Ø' => "o",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'þ' | 'Þ' => "th",
        // Typographic apostrophes and quotes.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{00B4}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => "\"",
        // Hyphens and dashes.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        // Arabic letter variants.
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => "ا",
        'ى' | 'ی' | 'ئ' => "ي",
        'ة' => "ه",
        'ؤ' => "و",
        'ک' => "ك",
        // Arabic-Indic and extended (Persian/Urdu) digits.
        '٠' | '۰' => "0",
        '١' | '۱' => "1",
        '٢' | '۲' => "2",
        '٣' | '۳' => "3",
        '٤' | '۴' => "4",
        '٥' | '۵' => "5",
        '٦' | '۶' => "6",
        '٧' | '۷' => "7",
        '٨' | '۸' => "8",
        '٩' | '۹' => "9",
        '،' => ",",
        '؛' => ";",
        '؟' => "?",
        _ => return None,
    })
}

/// Harakat (short vowels, shadda, sukun, tanwin), superscript alef and tatweel.
fn is_arabic_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}')
}

/// Invisible characters: zero-width spaces and joiners, soft hyphen, byte-order mark, and the
/// bidirectional controls that right-to-left text may carry.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Whether `c` is a letter of the Latin script (the only script whose marks are folded away).
pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}')
            && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> String {
        Normalized::new(s).as_str().to_string()
    }

    #[test]
    fn latin_case_and_accents_fold() {
        assert_eq!(fold("Ça VA très BIEN"), "ca va tres bien");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ŻÓŁĆ źle"), "zolc zle");
        assert_eq!(fold("e\u{301}te\u{301}"), "ete");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(
            fold("Afrikaans: ek is bekommerd oor my kêrel"),
            "afrikaans: ek is bekommerd oor my kerel"
        );
    }

    #[test]
    fn turkish_dotted_and_dotless_i_fold_to_i() {
        assert_eq!(fold("İSTANBUL ılık"), "istanbul ilik");
        assert_eq!(fold("İntihar"), "intihar");
        assert_eq!(fold("şğçöü"), "sgcou");
    }

    #[test]
    fn cyrillic_keeps_its_letters() {
        assert_eq!(fold("Й Ё ПРИВЕТ"), "й ё привет");
    }

    #[test]
    fn arabic_variants_unify_and_diacritics_drop() {
        assert_eq!(fold("أنا"), "انا");
        assert_eq!(fold("إسلام"), "اسلام");
        assert_eq!(fold("مدرسة"), "مدرسه");
        assert_eq!(fold("على"), "علي");
        assert_eq!(fold("مُحَمَّد"), "محمد");
        assert_eq!(fold("جـــميل"), "جميل");
        assert_eq!(fold("٠١٢٣٤٥٦٧٨٩"), "0123456789");
    }

    #[test]
    fn japanese_and_chinese_keep_their_characters() {
        assert_eq!(fold("死にたい"), "死にたい");
        assert_eq!(fold("がぎぐ"), "がぎぐ");
        assert_eq!(fold("０９０－１２３４"), "090-1234");
        assert_eq!(fold("ｶﾀｶﾅ"), "カタカナ");
        assert_eq!(fold("我想死"), "我想死");
    }

    #[test]
    fn invisible_characters_and_typography() {
        assert_eq!(fold("sui\u{200B}cide"), "suicide");
        assert_eq!(fold("je m’appelle"), "je m'appelle");
        assert_eq!(fold("\u{202B}مرحبا\u{202C}"), "مرحبا");
        assert_eq!(fold("06\u{2011}12"), "06-12");
    }

    #[test]
    fn offsets_map_back_to_original_characters() {
        let original = "Où est Æsop? 電話 ０９０";
        let n = Normalized::new(original);
        let folded = n.as_str();
        // Every folded byte range that starts and ends on folded char boundaries maps to a slice
        // of the original on char boundaries.
        for (i, _) in folded.char_indices() {
            for (j, _) in folded.char_indices().skip_while(|&(j, _)| j <= i) {
                let (s, e) = n.to_original(original, i, j);
                assert!(original.is_char_boundary(s) && original.is_char_boundary(e));
                assert!(s <= e);
            }
        }
        let at = folded.find("aesop").unwrap();
        let (s, e) = n.to_original(original, at, at + "aesop".len());
        assert_eq!(&original[s..e], "Æsop");
        let at = folded.find("090").unwrap();
        let (s, e) = n.to_original(original, at, at + 3);
        assert_eq!(&original[s..e], "０９０");
    }

    #[test]
    fn ascii_is_identity_mapped() {
        let n = Normalized::new("Hello World");
        assert_eq!(n.as_str(), "hello world");
        assert_eq!(n.to_original("Hello World", 6, 11), (6, 11));
        assert_eq!(n.from_original(6), 6);
    }
}
