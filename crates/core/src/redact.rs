//! Redaction: replacing personal data before anything is stored or logged (capability 4).
//!
//! Operators, chosen per entity type by a [`Policy`]:
//! - **placeholder**: `<EMAIL_1>`, numbered per conversation so the same address is `<EMAIL_1>`
//!   every time it recurs and a reader can still follow who said what;
//! - **mask**: every letter and digit becomes `*` except the last few (a card keeps its last four);
//! - **hash**: `<EMAIL:1f3a…>`, an HMAC-SHA-256 under the organisation's key, so equal values can be
//!   linked across conversations without being readable;
//! - **encrypt**: `{{tact:EMAIL_ADDRESS:…}}`, XChaCha20-Poly1305 under the organisation's key, which
//!   [`unredact`] reverses;
//! - **drop**: the value is removed.
//!
//! Encryption is deterministic (the nonce is an HMAC of the value under a separate key, the
//! synthetic-IV construction): the engine reads no random source, equal values give equal tokens
//! (which the keyed hash reveals anyway), and a nonce is never reused for two different values.

use crate::error::{Error, Result};
use crate::pii::PiiFinding;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::LazyLock;

/// How one entity type is redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "operator")]
pub enum Operator {
    /// `<EMAIL_1>`, consistent within a conversation.
    Placeholder,
    /// `****-****-****-4626`: letters and digits masked except the last `keep_last`.
    Mask {
        /// How many trailing letters and digits stay readable.
        keep_last: usize,
    },
    /// `<EMAIL:1f3a9c0e2b7d>`: keyed hash.
    Hash,
    /// `{{tact:EMAIL_ADDRESS:…}}`: reversible encryption.
    Encrypt,
    /// Removed.
    Drop,
}

/// Which operator applies to which entity type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Operator for types not listed in `per_kind`.
    pub default: Operator,
    /// Operators per entity type (`CREDIT_CARD` → mask).
    #[serde(default)]
    pub per_kind: HashMap<String, Operator>,
}

impl Default for Policy {
    /// Placeholders everywhere: readable, consistent, reveals nothing.
    fn default() -> Policy {
        Policy {
            default: Operator::Placeholder,
            per_kind: HashMap::new(),
        }
    }
}

impl Policy {
    /// The same operator for every type.
    pub fn uniform(operator: Operator) -> Policy {
        Policy {
            default: operator,
            per_kind: HashMap::new(),
        }
    }

    /// The operator for `kind`.
    pub fn operator(&self, kind: &str) -> Operator {
        self.per_kind.get(kind).copied().unwrap_or(self.default)
    }
}

/// The organisation's redaction key, split into independent sub-keys for hashing, encryption and
/// nonce derivation.
#[derive(Clone)]
pub struct RedactionKey {
    hash: [u8; 32],
    encrypt: [u8; 32],
    nonce: [u8; 32],
}

impl std::fmt::Debug for RedactionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedactionKey(..)")
    }
}

impl RedactionKey {
    /// Derives the sub-keys from the organisation's secret (at least 16 bytes of key material,
    /// typically 32 random bytes).
    pub fn from_secret(secret: &[u8]) -> Result<RedactionKey> {
        if secret.len() < 16 {
            return Err(Error::Key(format!(
                "the key must hold at least 16 bytes, it holds {}",
                secret.len()
            )));
        }
        let derive = |label: &[u8]| -> [u8; 32] {
            let mut mac = <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(secret)
                .expect("HMAC takes any key length");
            mac.update(b"tact redaction v1 ");
            mac.update(label);
            mac.finalize().into_bytes().into()
        };
        Ok(RedactionKey {
            hash: derive(b"hash"),
            encrypt: derive(b"encrypt"),
            nonce: derive(b"nonce"),
        })
    }

    /// Parses a key written as 64 hexadecimal digits (32 bytes).
    pub fn from_hex(hex: &str) -> Result<RedactionKey> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Key(
                "expected 64 hexadecimal digits (32 bytes)".into(),
            ));
        }
        let bytes: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect();
        RedactionKey::from_secret(&bytes)
    }

    /// Seals a whole original message for keeping at rest (when an organisation keeps
    /// originals): XChaCha20-Poly1305 under the organisation's key, bound to `context` (the
    /// conversation it belongs to), so a sealed message moved to another record does not open.
    /// The nonce is derived from the context and the text (as for tokens), so sealing needs no
    /// random source and the same message in the same conversation seals the same way.
    pub fn seal(&self, text: &str, context: &str) -> Result<String> {
        let synthetic = RedactionKey::mac(&self.nonce, context, text);
        let nonce = XNonce::try_from(&synthetic[..24]).map_err(|_| Error::Key("nonce".into()))?;
        let sealed = XChaCha20Poly1305::new(&self.encrypt.into())
            .encrypt(
                &nonce,
                Payload {
                    msg: text.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Key("encryption failed".into()))?;
        let mut bytes = synthetic[..24].to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("sealed:v1:{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Opens what [`RedactionKey::seal`] sealed for `context`; an error for another key, another
    /// context or altered bytes.
    pub fn open(&self, sealed: &str, context: &str) -> Result<String> {
        let fail = || Error::Decrypt { offset: 0 };
        let bytes = sealed
            .strip_prefix("sealed:v1:")
            .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
            .filter(|b| b.len() >= 24 + 16)
            .ok_or_else(fail)?;
        let nonce = XNonce::try_from(&bytes[..24]).map_err(|_| fail())?;
        let plain = XChaCha20Poly1305::new(&self.encrypt.into())
            .decrypt(
                &nonce,
                Payload {
                    msg: &bytes[24..],
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }

    fn mac(key: &[u8; 32], kind: &str, value: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(key)
            .expect("HMAC takes any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// One replacement made by [`Redactor::redact`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replacement {
    /// Entity type.
    pub kind: String,
    /// Byte range in the original text.
    pub original: (usize, usize),
    /// Byte range of the replacement in the redacted text.
    pub redacted: (usize, usize),
    /// Operator used.
    pub operator: Operator,
}

/// A redacted text and what was replaced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redacted {
    /// The text with personal data replaced.
    pub text: String,
    /// The replacements, in text order.
    pub replacements: Vec<Replacement>,
}

/// Redacts the messages of one conversation, keeping placeholder numbers consistent across them.
///
/// The numbering state holds digests of values, never the values, so it can be kept with the
/// conversation without keeping its personal data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Redactor {
    numbers: HashMap<String, usize>,
    counters: HashMap<String, usize>,
}

/// Short placeholder labels for the common types: `<EMAIL_1>` reads better than
/// `<EMAIL_ADDRESS_1>`.
fn placeholder_label(kind: &str) -> &str {
    match kind {
        "EMAIL_ADDRESS" => "EMAIL",
        "PHONE_NUMBER" => "PHONE",
        "CREDIT_CARD" => "CARD",
        "IBAN_CODE" => "IBAN",
        "IP_ADDRESS" => "IP",
        "DATE_OF_BIRTH" => "BIRTH_DATE",
        other => other,
    }
}

/// The value used for equality: the canonical form when validation gave one, else the text with
/// case and separators ignored.
fn identity(finding: &PiiFinding) -> String {
    finding.normalized.clone().unwrap_or_else(|| {
        finding
            .text
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '@' | '.' | '+'))
            .flat_map(char::to_lowercase)
            .collect()
    })
}

impl Redactor {
    /// A redactor for a new conversation.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Replaces every finding in `text` by its policy's operator. Findings that overlap an earlier
    /// (then longer) one are skipped, so the result does not depend on the order given. Text
    /// outside the spans is copied unchanged.
    pub fn redact(
        &mut self,
        text: &str,
        findings: &[PiiFinding],
        policy: &Policy,
        key: Option<&RedactionKey>,
    ) -> Result<Redacted> {
        let mut ordered: Vec<&PiiFinding> = findings
            .iter()
            .filter(|f| f.span.end <= text.len() && f.span.start < f.span.end)
            .collect();
        ordered.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.end.cmp(&a.span.end))
                .then(a.kind.cmp(&b.kind))
        });
        let mut out = String::with_capacity(text.len());
        let mut replacements = Vec::new();
        let mut copied = 0;
        for finding in ordered {
            let (start, end) = (finding.span.start, finding.span.end);
            if start < copied || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            out.push_str(&text[copied..start]);
            let operator = policy.operator(&finding.kind);
            let at = out.len();
            self.apply(operator, finding, &text[start..end], key, &mut out)?;
            replacements.push(Replacement {
                kind: finding.kind.clone(),
                original: (start, end),
                redacted: (at, out.len()),
                operator,
            });
            copied = end;
        }
        out.push_str(&text[copied..]);
        Ok(Redacted {
            text: out,
            replacements,
        })
    }

    fn apply(
        &mut self,
        operator: Operator,
        finding: &PiiFinding,
        value: &str,
        key: Option<&RedactionKey>,
        out: &mut String,
    ) -> Result<()> {
        let kind = finding.kind.as_str();
        let need_key = || {
            key.ok_or_else(|| {
                Error::Key(format!(
                    "the {operator:?} operator needs the organisation's key"
                ))
            })
        };
        match operator {
            Operator::Placeholder => {
                let digest = hex(&Sha256::digest(
                    format!("{kind}\0{}", identity(finding)).as_bytes(),
                ));
                let n = match self.numbers.get(&digest) {
                    Some(&n) => n,
                    None => {
                        let counter = self.counters.entry(kind.to_string()).or_insert(0);
                        *counter += 1;
                        self.numbers.insert(digest, *counter);
                        *counter
                    }
                };
                out.push_str(&format!("<{}_{n}>", placeholder_label(kind)));
            }
            Operator::Mask { keep_last } => {
                let total = value.chars().filter(|c| c.is_alphanumeric()).count();
                let mut seen = 0;
                for c in value.chars() {
                    if c.is_alphanumeric() {
                        seen += 1;
                        out.push(if seen > total.saturating_sub(keep_last) {
                            c
                        } else {
                            '*'
                        });
                    } else {
                        out.push(c);
                    }
                }
            }
            Operator::Hash => {
                let mac = RedactionKey::mac(&need_key()?.hash, kind, &identity(finding));
                out.push_str(&format!(
                    "<{}:{}>",
                    placeholder_label(kind),
                    &hex(&mac)[..16]
                ));
            }
            Operator::Encrypt => {
                let key = need_key()?;
                let synthetic = RedactionKey::mac(&key.nonce, kind, value);
                let nonce =
                    XNonce::try_from(&synthetic[..24]).map_err(|_| Error::Key("nonce".into()))?;
                let cipher = XChaCha20Poly1305::new(&key.encrypt.into());
                let sealed = cipher
                    .encrypt(
                        &nonce,
                        Payload {
                            msg: value.as_bytes(),
                            aad: kind.as_bytes(),
                        },
                    )
                    .map_err(|_| Error::Key("encryption failed".into()))?;
                let mut token = synthetic[..24].to_vec();
                token.extend_from_slice(&sealed);
                out.push_str(&format!(
                    "{{{{tact:{kind}:{}}}}}",
                    URL_SAFE_NO_PAD.encode(token)
                ));
            }
            Operator::Drop => {}
        }
        Ok(())
    }
}

static TOKEN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\{\{tact:([A-Z0-9_]{1,64}):([A-Za-z0-9_-]{40,})\}\}")
        .expect("token pattern compiles")
});

/// Reverses the **encrypt** operator: every `{{tact:KIND:…}}` token in `text` is decrypted back to
/// the original value. A token that does not decrypt under `key` (wrong key, altered text) is an
/// error naming its offset; nothing is half-restored.
pub fn unredact(text: &str, key: &RedactionKey) -> Result<String> {
    let cipher = XChaCha20Poly1305::new(&key.encrypt.into());
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for caps in TOKEN.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let kind = &caps[1];
        let fail = || Error::Decrypt {
            offset: whole.start(),
        };
        let bytes = URL_SAFE_NO_PAD.decode(&caps[2]).map_err(|_| fail())?;
        if bytes.len() < 24 + 16 {
            return Err(fail());
        }
        let nonce = XNonce::try_from(&bytes[..24]).map_err(|_| fail())?;
        let plain = cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: &bytes[24..],
                    aad: kind.as_bytes(),
                },
            )
            .map_err(|_| fail())?;
        let plain = String::from_utf8(plain).map_err(|_| fail())?;
        out.push_str(&text[copied..whole.start()]);
        out.push_str(&plain);
        copied = whole.end();
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Span;

    fn finding(text: &str, needle: &str, kind: &str) -> PiiFinding {
        let start = text.find(needle).unwrap();
        PiiFinding {
            kind: kind.into(),
            span: Span::bytes(start, start + needle.len()),
            text: needle.into(),
            confidence: 0.9,
            rule: "test".into(),
            normalized: None,
            detail: None,
        }
    }

    fn key() -> RedactionKey {
        RedactionKey::from_hex(&"ab".repeat(32)).unwrap()
    }

    #[test]
    fn placeholders_are_consistent_within_a_conversation() {
        let mut r = Redactor::new();
        let t1 = "mail me at a@x.fr or b@y.de";
        let f1 = [
            finding(t1, "a@x.fr", "EMAIL_ADDRESS"),
            finding(t1, "b@y.de", "EMAIL_ADDRESS"),
        ];
        let out = r.redact(t1, &f1, &Policy::default(), None).unwrap();
        assert_eq!(out.text, "mail me at <EMAIL_1> or <EMAIL_2>");
        let t2 = "again: A@X.fr";
        let out = r
            .redact(
                t2,
                &[finding(t2, "A@X.fr", "EMAIL_ADDRESS")],
                &Policy::default(),
                None,
            )
            .unwrap();
        assert_eq!(out.text, "again: <EMAIL_1>");
        assert_eq!(out.replacements[0].redacted, (7, 16));
    }

    #[test]
    fn mask_keeps_separators_and_last_digits() {
        let t = "card 4390-9960-3082-4626 ok";
        let policy = Policy::uniform(Operator::Mask { keep_last: 4 });
        let out = Redactor::new()
            .redact(
                t,
                &[finding(t, "4390-9960-3082-4626", "CREDIT_CARD")],
                &policy,
                None,
            )
            .unwrap();
        assert_eq!(out.text, "card ****-****-****-4626 ok");
    }

    #[test]
    fn hash_needs_a_key_and_is_stable() {
        let t = "call +33612345678";
        let f = [finding(t, "+33612345678", "PHONE_NUMBER")];
        assert!(
            Redactor::new()
                .redact(t, &f, &Policy::uniform(Operator::Hash), None)
                .is_err()
        );
        let a = Redactor::new()
            .redact(t, &f, &Policy::uniform(Operator::Hash), Some(&key()))
            .unwrap();
        let b = Redactor::new()
            .redact(t, &f, &Policy::uniform(Operator::Hash), Some(&key()))
            .unwrap();
        assert_eq!(a.text, b.text);
        assert!(a.text.starts_with("call <PHONE:") && !a.text.contains("612345678"));
    }

    #[test]
    fn encryption_round_trips_and_detects_tampering() {
        let t = "je suis Zoé, né le 3 mai 1990 — écrivez à zoé@exemple.fr";
        let f = [
            finding(t, "Zoé", "PERSON"),
            finding(t, "zoé@exemple.fr", "EMAIL_ADDRESS"),
        ];
        let out = Redactor::new()
            .redact(t, &f, &Policy::uniform(Operator::Encrypt), Some(&key()))
            .unwrap();
        assert!(!out.text.contains("Zoé") && out.text.contains("{{tact:PERSON:"));
        assert_eq!(unredact(&out.text, &key()).unwrap(), t);
        let other = RedactionKey::from_hex(&"cd".repeat(32)).unwrap();
        assert!(matches!(
            unredact(&out.text, &other),
            Err(Error::Decrypt { .. })
        ));
        let tampered = out.text.replacen("{{tact:PERSON:", "{{tact:ADDRESS:", 1);
        assert!(unredact(&tampered, &key()).is_err());
    }

    #[test]
    fn drop_and_overlaps_are_deterministic() {
        let t = "x 0612345678 y";
        let mut a = finding(t, "0612345678", "PHONE_NUMBER");
        let b = finding(t, "12345678", "NUMBER");
        let out1 = Redactor::new()
            .redact(
                t,
                &[a.clone(), b.clone()],
                &Policy::uniform(Operator::Drop),
                None,
            )
            .unwrap();
        let out2 = Redactor::new()
            .redact(t, &[b, a.clone()], &Policy::uniform(Operator::Drop), None)
            .unwrap();
        assert_eq!(out1, out2);
        assert_eq!(out1.text, "x  y");
        a.span = Span::bytes(100, 200);
        assert_eq!(
            Redactor::new()
                .redact(t, &[a], &Policy::default(), None)
                .unwrap()
                .text,
            t
        );
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(RedactionKey::from_secret(b"short").is_err());
        assert!(RedactionKey::from_hex("zz").is_err());
    }

    #[test]
    fn sealed_originals_open_only_with_their_key_and_context() {
        let key = RedactionKey::from_secret(&[7u8; 32]).unwrap();
        let text = "My name is Zoë and my number is +27 82 555 0199";
        let sealed = key.seal(text, "conversation:12").unwrap();
        assert!(!sealed.contains("Zo") && !sealed.contains("0199"));
        assert_eq!(key.open(&sealed, "conversation:12").unwrap(), text);
        assert!(
            key.open(&sealed, "conversation:13").is_err(),
            "moved to another record"
        );
        let other = RedactionKey::from_secret(&[8u8; 32]).unwrap();
        assert!(
            other.open(&sealed, "conversation:12").is_err(),
            "another key"
        );
        let mut altered = sealed.clone();
        altered.pop();
        assert!(key.open(&altered, "conversation:12").is_err(), "altered");
    }
}
