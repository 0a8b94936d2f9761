//! Personal-data detection.
//!
//! Two sources of findings:
//! - **patterns** (`_shared/pii_patterns.toml`): one multi-pattern regex finds candidates in the
//!   folded text, and a built-in validator accepts or rejects each (checksums, lengths, real
//!   country codes, phone-number metadata). A number that fails its checksum is never reported as
//!   that identifier; see [`number`] for how bare digit runs are told apart.
//! - **cues** (`<lang>/pii.toml`): words such as "my name is" or "born on" make clear that what
//!   follows is a name, an address, a date of birth or a secret ([`context`]).
//!
//! Overlapping findings resolve deterministically: higher confidence, then longer, then earlier,
//! then by type name.

pub mod checksum;
mod context;
mod number;
mod phone;

use crate::category::PiiCue;
use crate::error::{Error, Result};
use crate::finding::Span;
use crate::resources::PiiPatternDef;
use regex_automata::{Input, meta};
use serde::{Deserialize, Serialize};

pub use phone::PhoneRegions;

/// One piece of personal data found in a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PiiFinding {
    /// Entity type, named as Microsoft Presidio names it where it has a name
    /// (`EMAIL_ADDRESS`, `PHONE_NUMBER`, `CREDIT_CARD`, `IBAN_CODE`, `US_SSN` …), so both tools
    /// can be scored on the same labelled data.
    pub kind: String,
    /// Where it is in the original text.
    pub span: Span,
    /// The original text of the span.
    pub text: String,
    /// How sure the detector is, 0 to 1.
    pub confidence: f32,
    /// The rule that fired: a pattern id, or the id of the cue entry.
    pub rule: String,
    /// A canonical form when there is one: E.164 phone number, compact IBAN or card number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<String>,
    /// Extra facts from validation: card brand, country of a phone number or IBAN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A cue from the lexicon, in folded-text offsets, handed to the scanner by the analysis.
#[derive(Debug, Clone)]
pub struct Cue<'a> {
    /// What the cue announces.
    pub cue: PiiCue,
    /// For [`PiiCue::Id`]: the identifier type.
    pub kind: Option<&'a str>,
    /// The cue entry's id.
    pub rule: &'a str,
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
}

/// What a candidate turned out to be (internal to the scanner).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    pub kind: &'static str,
    pub confidence: f32,
    pub normalized: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Validator {
    None,
    Email,
    Url,
    Ipv4,
    Ipv6,
    Iban,
    Bic,
    Number,
    Id(fn(&str) -> bool),
}

impl Validator {
    fn parse(name: &str) -> Option<Validator> {
        use checksum as c;
        Some(match name {
            "none" => Validator::None,
            "email" => Validator::Email,
            "url" => Validator::Url,
            "ipv4" => Validator::Ipv4,
            "ipv6" => Validator::Ipv6,
            "iban" => Validator::Iban,
            "bic" => Validator::Bic,
            "number" => Validator::Number,
            _ => Validator::Id(match name {
                "uk_nino" => c::uk_nino,
                "es_dni" => c::es_dni,
                "es_nie" => c::es_nie,
                "it_codice_fiscale" => c::it_codice_fiscale,
                "fr_nir" => c::fr_nir,
                "cn_resident_id" => c::cn_resident_id,
                "us_ssn" => c::us_ssn,
                "be_national_number" => c::be_national_number,
                "nl_bsn" => c::nl_bsn,
                "za_id" => c::za_id,
                "de_tax_id" => c::de_tax_id,
                "pt_nif" => c::pt_nif,
                "pl_pesel" => c::pl_pesel,
                "tr_tckn" => c::tr_tckn,
                "ru_inn" => c::ru_inn,
                "ru_snils" => c::ru_snils,
                "sa_national_id" => c::sa_national_id,
                "ae_emirates_id" => c::ae_emirates_id,
                "jp_my_number" => c::jp_my_number,
                "luhn" => c::luhn,
                _ => return None,
            }),
        })
    }
}

/// What the scanner needs to know about the message besides its text.
#[derive(Debug, Clone)]
pub struct ScanContext<'a> {
    /// Regions for phone numbers in national format, most likely first.
    pub regions: &'a PhoneRegions,
    /// Regions of every language, tried with less confidence when `regions` reject a number that
    /// is laid out like a phone number.
    pub fallback_regions: &'a PhoneRegions,
    /// Languages the message is taken to be in (gates identifiers whose checksum is weak).
    pub langs: &'a [crate::lang::Lang],
    /// Cues found by the lexicon, sorted by start.
    pub cues: &'a [Cue<'a>],
}

/// Compiled personal-data patterns.
#[derive(Debug, Clone)]
pub struct PiiScanner {
    regex: Option<meta::Regex>,
    /// Each pattern on its own, for anchored retries and capture groups.
    singles: Vec<meta::Regex>,
    defs: Vec<PiiPatternDef>,
    validators: Vec<Validator>,
    kinds: Vec<&'static str>,
}

/// Longest URL reported, in bytes.
const MAX_URL: usize = 2048;

/// How far (bytes of folded text) a cue reaches forward to the value it announces.
const CUE_REACH: usize = 40;

impl PiiScanner {
    /// Compiles the patterns; an unknown validator or a bad regex is an error naming the file and
    /// line.
    pub fn compile(defs: &[PiiPatternDef]) -> Result<PiiScanner> {
        let mut validators = Vec::new();
        let mut kinds = Vec::new();
        for def in defs {
            let validator = Validator::parse(&def.validator).ok_or_else(|| Error::Resource {
                location: def.location.clone(),
                message: format!("unknown validator {:?}", def.validator),
            })?;
            validators.push(validator);
            // Kinds are few and live as long as the program: leaking them once at load time lets
            // verdicts use `&'static str` without allocating per finding.
            kinds.push(&*Box::leak(def.kind.clone().into_boxed_str()));
        }
        let patterns: Vec<(String, crate::error::Location)> = defs
            .iter()
            .map(|d| (d.regex.clone(), d.location.clone()))
            .collect();
        let regex = if patterns.is_empty() {
            None
        } else {
            let texts: Vec<String> = patterns.iter().map(|p| p.0.clone()).collect();
            let locations: Vec<_> = patterns
                .iter()
                .map(|p| (p.1.clone(), p.0.clone()))
                .collect();
            Some(crate::lexicon::compile_patterns(&texts, &locations)?)
        };
        let singles = defs
            .iter()
            .map(|d| {
                meta::Regex::new(&d.regex).map_err(|e| Error::Pattern {
                    location: d.location.clone(),
                    pattern: d.regex.clone(),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PiiScanner {
            regex,
            singles,
            defs: defs.to_vec(),
            validators,
            kinds,
        })
    }

    /// Finds personal data in the message (`original`, folded as `norm`). Spans are in folded-text offsets;
    /// the caller maps them to the original.
    pub fn scan(
        &self,
        original: &str,
        norm: &crate::text::Normalized,
        ctx: &ScanContext<'_>,
        out: &mut Vec<RawPii>,
    ) {
        context::scan(original, norm, ctx, out);
        let folded = norm.as_str();
        let Some(re) = &self.regex else { return };
        let mut pos = 0;
        while pos < folded.len() {
            let Some(m) = re.search(&Input::new(folded).span(pos..folded.len())) else {
                break;
            };
            // The leftmost candidate's pattern is tried first; if its validator rejects it, the
            // later patterns get their chance at the same position (an IBAN-shaped word may still
            // start a phone number).
            let first = m.pattern().as_usize();
            let mut settled = None;
            for index in first..self.defs.len() {
                let Some((start, end)) =
                    self.candidate_at(index, folded, m.start(), (index == first).then(|| m.end()))
                else {
                    continue;
                };
                // A URL candidate is only its first characters (the validator reads on), so only
                // its left side can be checked here.
                let ok = if matches!(self.validators[index], Validator::Url) {
                    left_bounded(folded, start)
                } else {
                    bounded(folded, start, end)
                };
                if !ok {
                    continue;
                }
                if let Some((verdict, value_end, resume)) =
                    self.validate(index, folded, start, end, ctx)
                {
                    settled = Some((index, start, verdict, value_end, resume));
                    break;
                }
            }
            pos = match settled {
                Some((index, start, verdict, value_end, resume)) => {
                    if let Some(verdict) = verdict {
                        out.push(RawPii {
                            start,
                            end: value_end,
                            verdict,
                            rule: self.defs[index].id.clone(),
                        });
                    }
                    resume.max(start + 1)
                }
                None => next_start(folded, m.start()),
            };
            while pos < folded.len() && !folded.is_char_boundary(pos) {
                pos += 1;
            }
        }
    }

    /// The candidate of pattern `index` starting at `at` (its capture group when it has one).
    /// `known_end` is the end the combined search already found for that pattern.
    fn candidate_at(
        &self,
        index: usize,
        folded: &str,
        at: usize,
        known_end: Option<usize>,
    ) -> Option<(usize, usize)> {
        let def = &self.defs[index];
        let single = &self.singles[index];
        let input = Input::new(folded)
            .span(at..folded.len())
            .anchored(regex_automata::Anchored::Yes);
        if def.group == 0 {
            return match known_end {
                Some(end) => Some((at, end)),
                None => single.search(&input).map(|m| (m.start(), m.end())),
            };
        }
        let mut caps = single.create_captures();
        single.search_captures(&input, &mut caps);
        caps.get_group(def.group).map(|g| (g.start, g.end))
    }

    /// Checks one candidate. `Some((verdict, end, resume))`: the candidate is settled (reported if
    /// `verdict` is some) up to `end`, scanning resumes at `resume`. `None`: not recognised.
    fn validate(
        &self,
        index: usize,
        folded: &str,
        start: usize,
        end: usize,
        ctx: &ScanContext<'_>,
    ) -> Option<(Option<Verdict>, usize, usize)> {
        let def = &self.defs[index];
        let kind = self.kinds[index];
        let raw = &folded[start..end];
        let plain = |confidence: f32| Verdict {
            kind,
            confidence,
            normalized: None,
            detail: None,
        };
        match self.validators[index] {
            Validator::None => Some((Some(plain(def.confidence)), end, end)),
            Validator::Email => valid_email(raw).then(|| (Some(plain(def.confidence)), end, end)),
            Validator::Url => {
                // Read on to the end of the URL here rather than in the pattern: a bounded loop
                // instead of an unbounded repetition that every rejected candidate would rescan.
                let rest = &folded[start..];
                let length = rest
                    .char_indices()
                    .find(|&(i, c)| {
                        i >= MAX_URL
                            || c.is_whitespace()
                            || matches!(
                                c,
                                '<' | '>'
                                    | '"'
                                    | '\''
                                    | '`'
                                    | '['
                                    | ']'
                                    | '{'
                                    | '}'
                                    | '|'
                                    | '\\'
                                    | '^'
                            )
                    })
                    .map_or(rest.len(), |(i, _)| i);
                let trimmed =
                    rest[..length].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
                let value_end = start + trimmed.len();
                (trimmed.len() > "www.".len() && trimmed.contains('.'))
                    .then(|| (Some(plain(def.confidence)), value_end, value_end))
            }
            Validator::Ipv4 => {
                // Not part of a longer dotted number (version strings, "1.2.3.4.5").
                let before_dot = folded[..start].ends_with('.');
                let after_dot = folded[end..].starts_with('.')
                    && folded[end + 1..].starts_with(|c: char| c.is_ascii_digit());
                (!before_dot
                    && !after_dot
                    && raw.parse::<std::net::Ipv4Addr>().is_ok()
                    && !raw.split('.').any(|p| p.len() > 1 && p.starts_with('0')))
                .then(|| (Some(plain(def.confidence)), end, end))
            }
            Validator::Ipv6 => {
                let ok = raw.parse::<std::net::Ipv6Addr>().is_ok()
                    && raw.matches(':').count() >= 2
                    && raw.bytes().any(|b| b.is_ascii_hexdigit());
                // "10:30:00" is a time, not an address.
                let time_like = raw.bytes().all(|b| b.is_ascii_digit() || b == b':')
                    && raw.split(':').all(|p| p.len() <= 2);
                (ok && !time_like).then(|| (Some(plain(def.confidence)), end, end))
            }
            Validator::Iban => iban(folded, start, end).map(|(value_end, compact, country)| {
                (
                    Some(Verdict {
                        kind,
                        confidence: def.confidence,
                        normalized: Some(compact),
                        detail: Some(country),
                    }),
                    value_end,
                    value_end,
                )
            }),
            Validator::Bic => checksum::bic(&raw.to_ascii_uppercase())
                .then(|| (Some(plain(def.confidence)), end, end)),
            Validator::Id(check) => {
                let compact = compact_upper(raw);
                check(&compact).then_some({
                    (
                        Some(Verdict {
                            kind,
                            confidence: def.confidence,
                            normalized: Some(compact),
                            detail: None,
                        }),
                        end,
                        end,
                    )
                })
            }
            Validator::Number => {
                number::classify(folded, start, end, ctx).map(|c| (c.verdict, c.end, c.end))
            }
        }
    }
}

/// A finding in folded-text offsets, before mapping to the original.
#[derive(Debug, Clone)]
pub struct RawPii {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    pub(crate) verdict: Verdict,
    /// The pattern or cue id.
    pub rule: String,
}

impl RawPii {
    /// Entity type.
    pub fn kind(&self) -> &str {
        self.verdict.kind
    }

    /// Turns the raw finding into a public one, given the mapped span and original text.
    pub fn into_finding(self, span: Span, text: &str) -> PiiFinding {
        PiiFinding {
            kind: self.verdict.kind.to_string(),
            span,
            text: text[span.start..span.end].to_string(),
            confidence: self.verdict.confidence,
            rule: self.rule,
            normalized: self.verdict.normalized,
            detail: self.verdict.detail,
        }
    }
}

/// Keeps one finding where several overlap: higher confidence, then longer, then earlier, then by
/// type name — the same input always gives the same output.
pub fn resolve_overlaps(found: &mut Vec<RawPii>) {
    found.sort_by(|a, b| {
        b.verdict
            .confidence
            .total_cmp(&a.verdict.confidence)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.verdict.kind.cmp(b.verdict.kind))
    });
    let mut kept: Vec<RawPii> = Vec::with_capacity(found.len());
    for f in found.drain(..) {
        if !kept.iter().any(|k| k.start < f.end && f.start < k.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end));
    *found = kept;
}

/// A candidate may not touch an ASCII letter or digit on either side ("ref123456" holds no phone).
fn bounded(folded: &str, start: usize, end: usize) -> bool {
    let after = folded[end..].chars().next();
    left_bounded(folded, start) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// No ASCII letter or digit just before `start`.
fn left_bounded(folded: &str, start: usize) -> bool {
    !folded[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Where to look next after a rejected candidate starting at `start`: past the run of letters and
/// digits it started in, so no candidate starts in the middle of a word.
fn next_start(folded: &str, start: usize) -> usize {
    let bytes = folded.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

/// Separators removed, upper-cased.
pub(crate) fn compact_upper(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn valid_email(raw: &str) -> bool {
    let Some((local, domain)) = raw.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 253
        && !local.contains("..")
        && !domain.contains("..")
}

/// Validates an IBAN candidate, cutting it to the length its country prescribes (a greedy
/// candidate may run into the next word). Returns the end in folded offsets, the compact form and
/// the country.
fn iban(folded: &str, start: usize, end: usize) -> Option<(usize, String, String)> {
    let raw = &folded[start..end];
    let country = raw.get(..2)?.to_ascii_uppercase();
    let length = iban_length(&country)?;
    let mut compact = String::with_capacity(length);
    let mut value_end = start;
    for (i, c) in raw.char_indices() {
        if c.is_ascii_alphanumeric() {
            compact.push(c.to_ascii_uppercase());
            if compact.len() == length {
                value_end = start + i + 1;
                break;
            }
        }
    }
    if compact.len() != length || !bounded(folded, start, value_end) {
        return None;
    }
    compact.parse::<iban::Iban>().ok()?;
    Some((value_end, compact, country))
}

/// IBAN length per country (SWIFT IBAN registry).
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "CR" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" => 22,
        "AE" | "IL" | "TL" | "IQ" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" | "ST" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "BY" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" | "SV" => 28,
        "BR" | "EG" | "PS" | "QA" | "UA" => 29,
        "JO" | "KW" | "MU" => 30,
        "MT" | "SC" => 31,
        "LC" => 32,
        "RU" => 33,
        _ => return None,
    })
}

/// The nearest cue of one of `kinds` that ends shortly before `start` in the same clause.
pub(crate) fn cue_before<'c>(
    folded: &str,
    cues: &'c [Cue<'c>],
    start: usize,
    kinds: &[PiiCue],
) -> Option<&'c Cue<'c>> {
    cues.iter()
        .filter(|c| kinds.contains(&c.cue) && c.end <= start && start - c.end <= CUE_REACH)
        .filter(|c| !folded[c.end..start].chars().any(crate::text::is_clause_end))
        .max_by_key(|c| c.end)
}

#[cfg(test)]
mod tests;
