//! The interface's own words, in English and French: one TOML file per language
//! (`crates/web/i18n/`), read once. A page asks [`Locale::t`] for a key; a key missing in French
//! falls back to English, and a test keeps the two files in step.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// English.
    En,
    /// French.
    Fr,
}

static TEXTS: LazyLock<[HashMap<String, String>; 2]> = LazyLock::new(|| {
    let read = |text: &str| toml::from_str(text).expect("the interface texts are valid TOML");
    [
        read(include_str!("../i18n/en.toml")),
        read(include_str!("../i18n/fr.toml")),
    ]
});

/// The cookie that keeps a chosen language.
pub const LANG_COOKIE: &str = "tact_lang";

impl Locale {
    /// Every language of the interface.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// The BCP 47 code, for `lang` attributes and links.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// The language's own name, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }

    fn parse(code: &str) -> Option<Locale> {
        let code = code.trim().to_ascii_lowercase();
        Locale::ALL
            .into_iter()
            .find(|l| code == l.code() || code.starts_with(&format!("{}-", l.code())))
    }

    /// The language for a request: the `lang` cookie when set, else the browser's first
    /// preference the interface speaks, else English.
    pub fn of(headers: &HeaderMap) -> Locale {
        if let Some(chosen) = crate::session::cookie(headers, LANG_COOKIE).and_then(Locale::parse) {
            return chosen;
        }
        headers
            .get("accept-language")
            .and_then(|v| v.to_str().ok())
            .and_then(|list| {
                list.split(',')
                    .filter_map(|item| Locale::parse(item.split(';').next().unwrap_or("")))
                    .next()
            })
            .unwrap_or(Locale::En)
    }

    /// The text for `key`: in this language, else in English, else the key itself (so a
    /// missing text shows up on the page rather than an empty label).
    pub fn t(self, key: &str) -> &'static str {
        let texts = &*TEXTS;
        let index = self as usize;
        texts[index]
            .get(key)
            .or_else(|| texts[0].get(key))
            .map(String::as_str)
            .unwrap_or_else(|| {
                tracing::warn!(key, "interface text missing");
                ""
            })
    }

    /// Reads a language chosen in a link (`?lang=fr`).
    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::parse(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_has_every_english_text_and_no_other() {
        let [en, fr] = &*TEXTS;
        let mut missing: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
        let mut extra: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
        missing.sort();
        extra.sort();
        assert!(missing.is_empty(), "missing in fr.toml: {missing:?}");
        assert!(extra.is_empty(), "only in fr.toml: {extra:?}");
        assert!(fr.values().all(|v| !v.trim().is_empty()));
    }

    #[test]
    fn the_browsers_preference_picks_the_language() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "accept-language",
            "de-DE,fr-CA;q=0.8,en;q=0.5".parse().unwrap(),
        );
        assert_eq!(Locale::of(&headers), Locale::Fr);
        headers.insert("cookie", "tact_lang=en".parse().unwrap());
        assert_eq!(Locale::of(&headers), Locale::En, "a choice wins");
        assert_eq!(Locale::of(&HeaderMap::new()), Locale::En);
    }
}
