//! Reply suggestions: the sentences tact offers a worker, per language, from `<lang>/replies.toml`.
//!
//! Templates are data an organisation edits in its own voice; tact only chooses which one fits and
//! fills its placeholders. A placeholder the caller cannot fill is never left in the text: the
//! reply is not offered, and the caller is told which value was missing.

use crate::error::{Error, Location, Result};
use crate::lang::Lang;
use crate::resources::Source;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use toml::Spanned;

/// The placeholders a template may use, each filled from [`ReplyValues`].
pub const PLACEHOLDERS: &[&str] = &[
    "client_name",
    "worker_name",
    "organisation",
    "resource_name",
    "resource_contact",
    "crisis_line",
    "emergency_number",
    "colleague_name",
    "time_frame",
    "opening_hours",
];

/// One template, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyTemplate {
    /// `boundary.money_request`, `opening.you.anger` …
    pub id: String,
    /// The text with `{placeholder}`s.
    pub text: String,
    /// The placeholders it uses, in order of first use.
    pub placeholders: Vec<&'static str>,
    /// Where it is defined.
    pub location: Location,
}

/// Values for the placeholders; what is `None` cannot be filled.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReplyValues {
    /// Every value by placeholder name (`client_name` …).
    #[serde(flatten)]
    pub values: BTreeMap<String, String>,
}

impl ReplyValues {
    /// Sets one value, ignoring empty ones.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        if !value.trim().is_empty() {
            self.values.insert(name.to_string(), value);
        }
        self
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// A template filled in, or the reason it could not be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// The template's id.
    pub id: String,
    /// The language it is written in.
    pub lang: Lang,
    /// The sentence to offer, every placeholder filled.
    pub text: String,
}

/// Every language's templates.
#[derive(Debug, Clone, Default)]
pub struct ReplyBook {
    by_lang: HashMap<Lang, HashMap<String, ReplyTemplate>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    reply: Vec<RawReply>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReply {
    id: Spanned<String>,
    text: Spanned<String>,
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

impl ReplyBook {
    /// Parses one language's `replies.toml`. Unknown placeholders and unbalanced braces are errors
    /// naming the file and line, so a typo cannot reach a client.
    pub fn add_file(&mut self, lang: Lang, source: &Source) -> Result<()> {
        let raw: RawFile =
            toml::from_str(&source.text).map_err(|e| crate::resources::toml_error(source, e))?;
        let book = self.by_lang.entry(lang).or_default();
        for reply in raw.reply {
            let location = Location::in_text(&source.path, &source.text, reply.id.span().start);
            let at_text = Location::in_text(&source.path, &source.text, reply.text.span().start);
            let placeholders =
                placeholders_of(reply.text.get_ref()).map_err(|message| Error::Resource {
                    location: at_text,
                    message,
                })?;
            let id = reply.id.into_inner();
            book.insert(
                id.clone(),
                ReplyTemplate {
                    id,
                    text: reply.text.into_inner(),
                    placeholders,
                    location,
                },
            );
        }
        Ok(())
    }

    /// The template `id` in `lang`, if the language has one.
    pub fn template(&self, lang: Lang, id: &str) -> Option<&ReplyTemplate> {
        self.by_lang.get(&lang)?.get(id)
    }

    /// Every template id of a language, sorted.
    pub fn ids(&self, lang: Lang) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .by_lang
            .get(&lang)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    }

    /// Fills template `id` in `lang`. `Err` lists the placeholders without a value (or says the
    /// language has no such template).
    pub fn fill(
        &self,
        lang: Lang,
        id: &str,
        values: &ReplyValues,
    ) -> std::result::Result<Reply, Vec<&'static str>> {
        let template = self.template(lang, id).ok_or_else(Vec::new)?;
        // The client's name is a courtesy: without it the sentence still works once the name and
        // its honorific are taken out. Every other value carries meaning and must be there.
        let missing: Vec<&'static str> = template
            .placeholders
            .iter()
            .copied()
            .filter(|p| *p != "client_name" && values.get(p).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let mut text = String::with_capacity(template.text.len() + 64);
        let mut rest = template.text.as_str();
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').unwrap_or(rest.len() - open);
            let name = &rest[open + 1..close];
            text.push_str(values.get(name).unwrap_or(NAME_GAP));
            rest = &rest[(close + 1).min(rest.len())..];
        }
        text.push_str(rest);
        if values.get("client_name").is_none() && template.placeholders.contains(&"client_name") {
            text = without_name(&text);
        }
        Ok(Reply {
            id: id.to_string(),
            lang,
            text,
        })
    }
}

/// Marks where a missing client name was, for [`without_name`].
const NAME_GAP: &str = "\u{0}";

/// Takes a missing name out of a filled template with the punctuation and honorific around it:
/// "Thank you, {client_name}." becomes "Thank you.", "Hello {client_name}, I'm" becomes "Hello,
/// I'm", "{client_name}様、" at the start becomes "".
fn without_name(text: &str) -> String {
    const SEPARATORS: [char; 4] = [',', '،', '、', '，'];
    const HONORIFICS: [&str; 4] = ["様", "さん", "先生", "女士"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(NAME_GAP) {
        let before = rest[..at].trim_end();
        out.push_str(before.strip_suffix(SEPARATORS).unwrap_or(before).trim_end());
        let mut after = &rest[at + NAME_GAP.len()..];
        if let Some(stripped) = HONORIFICS.iter().find_map(|h| after.strip_prefix(h)) {
            after = stripped;
        }
        // At the start of a sentence, the separator that followed the name goes too.
        if out.trim_end().is_empty() || out.trim_end().ends_with(['.', '!', '?', '。', '！', '？'])
        {
            after = after.trim_start_matches(SEPARATORS).trim_start();
        }
        rest = after;
    }
    out.push_str(rest);
    out.replace("  ", " ").trim().to_string()
}

/// The placeholders of a template, checked against [`PLACEHOLDERS`].
fn placeholders_of(text: &str) -> std::result::Result<Vec<&'static str>, String> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a '}' without its '{'".into());
        }
        let Some(len) = rest[open + 1..].find(['{', '}']) else {
            return Err("a '{' without its '}'".into());
        };
        if rest[open + 1 + len..].starts_with('{') {
            return Err("a '{' without its '}'".into());
        }
        let name = &rest[open + 1..open + 1 + len];
        let known = PLACEHOLDERS.iter().find(|p| **p == name).ok_or_else(|| {
            format!(
                "unknown placeholder {{{name}}}; known: {}",
                PLACEHOLDERS.join(", ")
            )
        })?;
        if !found.contains(known) {
            found.push(known);
        }
        rest = &rest[open + 1 + len + 1..];
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(text: &str) -> Result<ReplyBook> {
        let mut book = ReplyBook::default();
        book.add_file(
            Lang::parse("en").unwrap(),
            &Source::new("en/replies.toml", text),
        )?;
        Ok(book)
    }

    #[test]
    fn fills_every_placeholder_or_says_which_is_missing() {
        let en = Lang::parse("en").unwrap();
        let book = book("[[reply]]\nid = \"a\"\ntext = \"Hi {client_name}, call {resource_name} on {resource_contact}.\"\n").unwrap();
        let mut values = ReplyValues::default();
        values
            .set("client_name", "Sam")
            .set("resource_name", "Lifeline");
        assert_eq!(book.fill(en, "a", &values), Err(vec!["resource_contact"]));
        values.set("resource_contact", "0800 567 567");
        assert_eq!(
            book.fill(en, "a", &values).unwrap().text,
            "Hi Sam, call Lifeline on 0800 567 567."
        );
        values.values.remove("client_name");
        assert_eq!(
            book.fill(en, "a", &values).unwrap().text,
            "Hi, call Lifeline on 0800 567 567.",
            "the client's name is a courtesy, not a requirement"
        );
        assert!(book.fill(en, "nope", &values).is_err());
    }

    #[test]
    fn a_missing_name_leaves_a_clean_sentence() {
        let gap = |t: &str| without_name(&t.replace("{n}", NAME_GAP));
        assert_eq!(
            gap("Thank you for telling me, {n}. I'm glad."),
            "Thank you for telling me. I'm glad."
        );
        assert_eq!(
            gap("You're right, {n}, and I'm sorry."),
            "You're right, and I'm sorry."
        );
        assert_eq!(
            gap("{n}様、ご連絡ありがとうございます。"),
            "ご連絡ありがとうございます。"
        );
    }

    #[test]
    fn typos_in_placeholders_are_refused_with_their_line() {
        let err = book("[[reply]]\nid = \"a\"\ntext = \"Hi {clientname}\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("en/replies.toml:3:") && err.contains("{clientname}"),
            "{err}"
        );
        for bad in ["Hi {client_name", "Hi client_name}", "Hi {{client_name}"] {
            let text = format!("[[reply]]\nid = \"a\"\ntext = \"{bad}\"\n");
            assert!(book(&text).is_err(), "{bad}");
        }
    }
}
