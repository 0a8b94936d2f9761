//! Telling apart what a run of digits is: a payment card, a phone number, a national identifier,
//! a date, or nothing personal (an order number, an amount).
//!
//! The same ten or eleven digits can pass several checksums by chance (a Luhn check passes one
//! random number in ten), so a checksum alone is not enough evidence. The rules, strongest first:
//! 1. a cue naming the identifier just before it ("BSN", "PESEL") and a valid checksum;
//! 2. a written country code (`+`, `00`) and a number valid in that country → phone;
//! 3. a card brand's prefix and length and a valid Luhn check → card;
//! 4. a layout only one identifier uses (`123-45-6789` → US SSN; `784-…` → Emirates ID; 18 digits
//!    with a real birth date and ISO 7064 check → Chinese resident ID);
//! 5. a national phone format valid in a region of the message's language;
//! 6. identifiers with a weaker checksum only in their own languages.
//!
//! A "not personal data" cue ("order", "invoice", "parcel") before the number blocks rules 5 and 6.
//! A date is consumed without being reported (the date-of-birth cue handles dates that matter).

use super::checksum as c;
use super::phone;
use super::{ScanContext, Verdict, cue_before};
use crate::category::PiiCue;

/// The outcome for a candidate: a verdict (or `None` for "recognised, not personal data") and
/// where the recognised part ends.
pub(crate) struct Classified {
    pub verdict: Option<Verdict>,
    pub end: usize,
}

/// An identifier told apart by the checksum and the message's language.
struct WeakId {
    kind: &'static str,
    lengths: &'static [usize],
    check: fn(&str) -> bool,
    langs: &'static [&'static str],
}

const WEAK_IDS: &[WeakId] = &[
    WeakId {
        kind: "NL_BSN",
        lengths: &[9],
        check: c::nl_bsn,
        langs: &["nl"],
    },
    WeakId {
        kind: "PT_NIF",
        lengths: &[9],
        check: c::pt_nif,
        langs: &["pt"],
    },
    WeakId {
        kind: "US_SSN",
        lengths: &[9],
        check: c::us_ssn,
        langs: &[],
    },
    WeakId {
        kind: "SA_NATIONAL_ID",
        lengths: &[10],
        check: c::sa_national_id,
        langs: &["ar"],
    },
    WeakId {
        kind: "RU_INN",
        lengths: &[10, 12],
        check: c::ru_inn,
        langs: &["ru"],
    },
    WeakId {
        kind: "PL_PESEL",
        lengths: &[11],
        check: c::pl_pesel,
        langs: &["pl"],
    },
    WeakId {
        kind: "TR_TCKN",
        lengths: &[11],
        check: c::tr_tckn,
        langs: &["tr"],
    },
    WeakId {
        kind: "DE_TAX_ID",
        lengths: &[11],
        check: c::de_tax_id,
        langs: &["de"],
    },
    WeakId {
        kind: "BE_NATIONAL_NUMBER",
        lengths: &[11],
        check: c::be_national_number,
        langs: &["fr", "nl", "de"],
    },
    WeakId {
        kind: "RU_SNILS",
        lengths: &[11],
        check: c::ru_snils,
        langs: &["ru"],
    },
    WeakId {
        kind: "JP_MY_NUMBER",
        lengths: &[12],
        check: c::jp_my_number,
        langs: &["ja"],
    },
    WeakId {
        kind: "ZA_ID",
        lengths: &[13],
        check: c::za_id,
        langs: &["af", "en"],
    },
    WeakId {
        kind: "AE_EMIRATES_ID",
        lengths: &[15],
        check: c::ae_emirates_id,
        langs: &["ar", "en"],
    },
    WeakId {
        kind: "FR_NIR",
        lengths: &[15],
        check: c::fr_nir,
        langs: &["fr"],
    },
    WeakId {
        kind: "CN_RESIDENT_ID",
        lengths: &[18],
        check: c::cn_resident_id,
        langs: &[],
    },
];

/// Classifies the candidate `folded[start..end]`, trying the whole and then shorter prefixes that
/// end at a separator (a greedy candidate may have swallowed a following number).
pub(crate) fn classify(
    folded: &str,
    start: usize,
    end: usize,
    ctx: &ScanContext<'_>,
) -> Option<Classified> {
    let raw = &folded[start..end];
    let mut ends: Vec<usize> = raw
        .char_indices()
        .filter(|&(i, ch)| {
            i > 0
                && matches!(ch, ' ' | '-' | '.' | '/' | '(')
                && raw.as_bytes()[i - 1].is_ascii_digit()
        })
        .map(|(i, _)| i)
        .collect();
    ends.push(raw.len());
    ends.reverse();
    // The whole and at most three shorter prefixes: enough for "card … 2 times" and two numbers
    // in a row, and it keeps the work per candidate bounded on hostile digit soup.
    ends.truncate(4);
    // A trailing ")" closes an area code, not the number.
    for cut in ends {
        let piece = raw[..cut].trim_end_matches(['.', '-', '/', ' ', '(']);
        if piece.len() < 2 {
            continue;
        }
        if let Some(verdict) = classify_exact(folded, start, piece, ctx) {
            return Some(Classified {
                verdict,
                end: start + piece.len(),
            });
        }
    }
    // A "+…" or "(…)" shape that is no valid number is still one unit: do not let its tail be read
    // as a shorter number of its own.
    raw.starts_with(['+', '('])
        .then_some(Classified { verdict: None, end })
}

/// `Some(Some(v))`: personal data; `Some(None)`: recognised as not personal (a date);
/// `None`: not recognised.
fn classify_exact(
    folded: &str,
    start: usize,
    raw: &str,
    ctx: &ScanContext<'_>,
) -> Option<Option<Verdict>> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if is_date_shape(raw) {
        return Some(None);
    }
    let groups: Vec<usize> = raw
        .split(|ch: char| !ch.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    let cue_kinds = [PiiCue::Id, PiiCue::Phone, PiiCue::NotPii];
    let cue = cue_before(folded, ctx.cues, start, &cue_kinds);
    let named_id = cue.filter(|c| c.cue == PiiCue::Id).and_then(|c| c.kind);
    let phone_cue = cue.is_some_and(|c| c.cue == PiiCue::Phone);
    let not_pii = cue.is_some_and(|c| c.cue == PiiCue::NotPii);
    let verdict = |kind: &'static str,
                   confidence: f32,
                   normalized: Option<String>,
                   detail: Option<String>| {
        Some(Some(Verdict {
            kind,
            confidence,
            normalized,
            detail,
        }))
    };

    // 1. Named by a cue.
    if let Some(kind) = named_id
        && let Some(id) = WEAK_IDS.iter().find(|id| id.kind == kind)
        && id.lengths.contains(&n)
        && (id.check)(&digits)
    {
        return verdict(id.kind, 0.95, Some(digits), None);
    }
    // 2. International phone number.
    let trimmed = raw.trim_start_matches('(');
    if trimmed.starts_with('+') || (trimmed.starts_with("00") && n >= 10) {
        return phone::international(raw).map(|p| {
            Some(Verdict {
                kind: "PHONE_NUMBER",
                confidence: if p.valid { 0.95 } else { 0.7 },
                normalized: Some(p.e164),
                detail: p.region,
            })
        });
    }
    // 3. Payment card.
    if (13..=19).contains(&n)
        && let Some(brand) = c::card_brand(&digits)
        && card_layout(&groups)
    {
        let confidence = if not_pii { 0.6 } else { 0.95 };
        return verdict(
            "CREDIT_CARD",
            confidence,
            Some(digits),
            Some(brand.to_string()),
        );
    }
    // Four-digit blocks that fail every card check are a mistyped or fake card: not something to
    // cut into smaller numbers.
    if (13..=19).contains(&n)
        && groups.len() >= 3
        && groups[..groups.len() - 1].iter().all(|&g| g == 4)
    {
        return Some(None);
    }
    // 4. Layouts only one identifier uses.
    let sep = |s: &str| raw.contains(s);
    if groups == [3, 2, 4] && (sep("-") || sep(" ")) && c::us_ssn(&digits) {
        return verdict("US_SSN", 0.85, Some(digits), None);
    }
    if groups == [3, 3, 3, 2] && c::ru_snils(&digits) {
        return verdict("RU_SNILS", 0.85, Some(digits), None);
    }
    if groups == [3, 4, 7, 1] && c::ae_emirates_id(&digits) {
        return verdict("AE_EMIRATES_ID", 0.9, Some(digits), None);
    }
    if n == 18 && c::cn_resident_id(&digits) {
        return verdict("CN_RESIDENT_ID", 0.9, Some(digits), None);
    }
    if n == 13
        && groups.len() == 1
        && c::za_id(&digits)
        && ctx.langs.iter().any(|l| matches!(l.as_str(), "af" | "en"))
    {
        return verdict("ZA_ID", 0.85, Some(digits), None);
    }
    if not_pii {
        return Some(None);
    }
    // 5. National phone number: with a trunk prefix, a layout in groups, or a phone cue.
    let parenthesised = trimmed.len() < raw.len();
    let trunk = digits.starts_with('0') || parenthesised;
    if (trunk || groups.len() >= 2 || phone_cue) && groups.len() <= 6 {
        let confidence = if phone_cue {
            0.95
        } else if trunk {
            0.85
        } else {
            0.7
        };
        if let Some(p) = phone::national(raw, ctx.regions) {
            return verdict("PHONE_NUMBER", confidence, Some(p.e164), p.region);
        }
        // Clients write numbers from other countries too ("07989 171037" in a French message):
        // with a phone layout, any supported region may do, with less confidence.
        if (trunk || phone_cue)
            && let Some(p) = phone::national(raw, ctx.fallback_regions)
        {
            return verdict("PHONE_NUMBER", confidence - 0.15, Some(p.e164), p.region);
        }
    }
    // 6. Identifiers gated by language.
    for id in WEAK_IDS {
        let in_language = id
            .langs
            .iter()
            .any(|code| ctx.langs.iter().any(|l| l.as_str() == *code));
        if in_language && id.lengths.contains(&n) && (id.check)(&digits) {
            return verdict(id.kind, 0.6, Some(digits), None);
        }
    }
    None
}

/// Card numbers are written in one block, in fours, or in the 4-6-5 / 4-6-4 layouts of
/// American Express and Diners.
fn card_layout(groups: &[usize]) -> bool {
    match groups {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        _ => {
            groups[..groups.len() - 1].iter().all(|&g| g == 4)
                && (1..=4).contains(groups.last().unwrap_or(&0))
        }
    }
}

/// `12/05/2026`, `2026-05-12`, `12.05.26`: a day, a month and a year in any order common in the
/// supported languages, with a real calendar date.
pub(crate) fn is_date_shape(raw: &str) -> bool {
    let parts: Vec<&str> = raw.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (a, b, y) = (parts[0], parts[1], parts[2]);
    if a.len() == 4 {
        return c::is_valid_date(num(a) as i32, num(b), num(y));
    }
    if b.len() > 2 || a.len() > 2 || !(y.len() == 2 || y.len() == 4) {
        return false;
    }
    let year = if y.len() == 2 {
        2000 + num(y) as i32
    } else {
        num(y) as i32
    };
    // Day first (most of the world) or month first (US).
    c::is_valid_date(year, num(b), num(a)) || c::is_valid_date(year, num(a), num(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_recognised_in_common_layouts() {
        assert!(is_date_shape("12/05/2026"));
        assert!(is_date_shape("2026-05-12"));
        assert!(is_date_shape("05/31/1990"));
        assert!(is_date_shape("1.2.85"));
        assert!(!is_date_shape("32/13/2026"));
        assert!(!is_date_shape("06.12.34.56"));
        assert!(!is_date_shape("123/45/6789"));
    }

    #[test]
    fn card_layouts() {
        assert!(card_layout(&[16]));
        assert!(card_layout(&[4, 4, 4, 4]));
        assert!(card_layout(&[4, 6, 5]));
        assert!(!card_layout(&[2, 2, 2, 2, 2, 2, 2, 2]));
    }
}
