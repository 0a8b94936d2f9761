//! Conversions between tact's store records and the formats other systems speak.
//!
//! * [`hsds`]: the resource directory as Open Referral Human Services Data Specification 3.0
//!   `service` objects (export and import);
//! * [`directory_csv`]: the resource directory as a spreadsheet-friendly CSV (export and import);
//! * [`vcon`]: one conversation as an IETF vCon document (export only).
//!
//! Everything here is a pure function of its arguments: no files, no network, no database and no
//! clock. Whatever needs the current time takes it as a `now` argument.

pub mod directory_csv;
pub mod hsds;
pub mod vcon;

use sha2::{Digest, Sha256};
use std::fmt;

/// Displays every error of a refused import, one per line, after how many there are: an
/// organisation fixes its whole file in one go rather than one error per attempt.
pub(crate) struct ErrorList<'a, E> {
    /// The errors.
    pub(crate) errors: &'a [E],
    /// What one is called (`bad cell`).
    pub(crate) noun: &'static str,
    /// Where they are (`the file`).
    pub(crate) place: &'static str,
}

impl<'a, E> ErrorList<'a, E> {
    pub(crate) fn new(errors: &'a [E], noun: &'static str, place: &'static str) -> Self {
        ErrorList {
            errors,
            noun,
            place,
        }
    }
}

impl<E: fmt::Display> fmt::Display for ErrorList<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "{n} {}{} in {}; nothing was imported",
            self.noun,
            if n == 1 { "" } else { "s" },
            self.place
        )?;
        for error in self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

/// A version-8 UUID (RFC 9562 §5.8) built from the SHA-256 digest of `parts`, the way RFC 9562
/// Appendix B.2 builds a name-based one: the first 128 bits of the digest with the version and
/// variant bits set. The same parts always give the same UUID. Each part is length-prefixed, so
/// `["ab", "c"]` and `["a", "bc"]` differ.
pub(crate) fn uuid_v8(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 0b10
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The UTC calendar date of a timestamp, as `YYYY-MM-DD`.
pub(crate) fn utc_date(at: jiff::Timestamp) -> jiff::civil::Date {
    at.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Midnight UTC at the start of `date`.
pub(crate) fn utc_midnight(date: jiff::civil::Date) -> jiff::Timestamp {
    // Every civil date jiff can represent has a UTC midnight jiff can represent, except at the
    // very edges of its range, which a `YYYY-MM-DD` date (years 0000–9999) never reaches.
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|zoned| zoned.timestamp())
        .unwrap_or(jiff::Timestamp::MIN)
}

/// Parses a `YYYY-MM-DD` date, or the date part of an RFC 3339 timestamp.
pub(crate) fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    if text.len() == 10 {
        return text.parse().ok();
    }
    text.parse::<jiff::Timestamp>().ok().map(utc_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v8_is_deterministic_and_well_formed() {
        let a = uuid_v8(&["org", "42"]);
        assert_eq!(a, uuid_v8(&["org", "42"]));
        assert_ne!(a, uuid_v8(&["org", "43"]));
        assert_ne!(uuid_v8(&["ab", "c"]), uuid_v8(&["a", "bc"]));
        assert_eq!(a.len(), 36);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('8'), "version 8: {a}");
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "RFC 9562 variant: {a}"
        );
    }

    #[test]
    fn dates_parse_plain_and_from_timestamps() {
        let date = parse_date("2026-03-01").unwrap();
        assert_eq!(date.to_string(), "2026-03-01");
        assert_eq!(parse_date("2026-03-01T23:30:00Z"), Some(date));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("01/03/2026"), None);
        assert_eq!(utc_midnight(date).to_string(), "2026-03-01T00:00:00Z");
    }
}
