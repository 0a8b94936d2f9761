//! Phone numbers, validated against libphonenumber's metadata (through `rlibphonenumber`) and
//! normalised to E.164.
//!
//! National formats are ambiguous without a country: "06 12 34 56 78" is French, "0612345678"
//! could be Dutch. The caller gives the regions of the message's language, most likely first, and
//! the first region in which the number is valid wins.

use rlibphonenumber::enums::Region;
use rlibphonenumber::{PhoneNumber, PhoneNumberFormat};

/// Regions to try for national-format numbers, most likely first.
#[derive(Debug, Clone, Default)]
pub struct PhoneRegions(Vec<Region>);

impl PhoneRegions {
    /// Regions from ISO 3166 codes; unknown codes are skipped (resource loading reports them).
    pub fn new<'a>(codes: impl IntoIterator<Item = &'a str>) -> PhoneRegions {
        let mut regions: Vec<Region> = Vec::new();
        for code in codes {
            if let Ok(region) = Region::from_code(&code.to_ascii_uppercase())
                && !regions.contains(&region)
            {
                regions.push(region);
            }
        }
        PhoneRegions(regions)
    }

    /// Whether `code` names a region libphonenumber knows.
    pub fn is_known(code: &str) -> bool {
        code.len() == 2 && Region::from_code(&code.to_ascii_uppercase()).is_ok()
    }

    /// Number of regions.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A valid phone number: E.164 form and the region it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPhone {
    /// `+33612345678`.
    pub e164: String,
    /// `FR`, when the number belongs to one region.
    pub region: Option<String>,
    /// Valid per the numbering plan; `false` when it only has a possible length (a typo, a
    /// number range the metadata does not know yet) — still a phone number to protect.
    pub valid: bool,
}

fn valid(number: PhoneNumber) -> Option<ValidPhone> {
    number.is_valid().then(|| described(&number, true))
}

fn described(number: &PhoneNumber, valid: bool) -> ValidPhone {
    ValidPhone {
        e164: number.format_as(PhoneNumberFormat::E164).into_owned(),
        region: number
            .get_region_code()
            .map(|r| r.as_region_str().to_string()),
        valid,
    }
}

/// Validates a number written with its country code (`+33 6 12 34 56 78`, `0033 6…`).
pub fn international(raw: &str) -> Option<ValidPhone> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let digits = if raw.trim_start_matches('(').starts_with('+') {
        digits
    } else {
        digits.strip_prefix("00")?.to_string()
    };
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    let number = PhoneNumber::parse(format!("+{digits}"), None).ok()?;
    if number.is_valid() {
        return Some(described(&number, true));
    }
    // Written with a country code and a length the country allows: a phone number, even if the
    // range is not in the metadata.
    (number.get_region_code().is_some() && number.is_possible_with_reason().is_ok())
        .then(|| described(&number, false))
}

/// Validates a number in national format in the first of `regions` where it is valid.
pub fn national(raw: &str, regions: &PhoneRegions) -> Option<ValidPhone> {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    if !(6..=13).contains(&digits) {
        return None;
    }
    regions.0.iter().find_map(|&region| {
        let number = PhoneNumber::parse(raw, Some(region)).ok()?;
        (number.is_valid_for_region(region))
            .then_some(number)
            .and_then(valid)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_numbers_validate_and_normalise() {
        let p = international("+33 6 12 34 56 78").unwrap();
        assert_eq!(p.e164, "+33612345678");
        assert_eq!(p.region.as_deref(), Some("FR"));
        assert_eq!(
            international("0049 151 23456789").unwrap().e164,
            "+4915123456789"
        );
        assert!(international("+33 6 12").is_none());
        let possible = international("+49 151 3124840").unwrap();
        assert!(!possible.valid);
        assert!(international("+999 123 456 789").is_none());
    }

    #[test]
    fn national_numbers_use_the_regions_in_order() {
        let fr = PhoneRegions::new(["FR", "BE"]);
        assert_eq!(
            national("06 12 34 56 78", &fr).unwrap().e164,
            "+33612345678"
        );
        let nl = PhoneRegions::new(["NL"]);
        assert_eq!(national("06-12345678", &nl).unwrap().e164, "+31612345678");
        let za = PhoneRegions::new(["ZA"]);
        assert_eq!(national("082 555 1234", &za).unwrap().e164, "+27825551234");
        assert!(national("12345", &fr).is_none());
        assert!(national("0000000000", &fr).is_none());
    }
}
