//! When a message was sent, in the worker's local time: the command line resolves time zones so
//! the analysis core never has to (it is handed a weekday and a minute, see
//! `tact_core::context::TimeContext`).

use anyhow::{Context, Result, anyhow};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use tact_core::context::{TimeContext, WorkingHours};

/// The worker's time zone from an IANA name (`Europe/Paris`), or the system's when not given.
pub fn time_zone(name: Option<&str>) -> Result<TimeZone> {
    match name {
        Some(name) => TimeZone::get(name).with_context(|| format!("unknown time zone {name:?}")),
        None => Ok(TimeZone::system()),
    }
}

/// Reads a moment: an RFC 3339 timestamp with its offset (`2026-11-23T22:30:00+01:00`, `…Z`), or a
/// civil date and time (`2026-11-23T22:30`, `2026-11-23 22:30`) taken in `zone`.
pub fn parse_moment(text: &str, zone: &TimeZone) -> Result<Zoned> {
    if let Ok(timestamp) = text.parse::<Timestamp>() {
        return Ok(timestamp.to_zoned(zone.clone()));
    }
    let civil: DateTime = text.parse().map_err(|_| {
        anyhow!("{text:?} is not a time: expected 2026-11-23T22:30 or an RFC 3339 timestamp")
    })?;
    civil
        .to_zoned(zone.clone())
        .with_context(|| format!("{text:?} does not exist in the worker's time zone"))
}

/// The time context of a JSON line: its `sent_at` read in `zone`, against the worker's `hours`.
/// `None` when either is missing; an error when `sent_at` is not a time.
pub fn message_time(
    message: &crate::input::Message,
    hours: Option<&WorkingHours>,
    zone: &TimeZone,
) -> Result<Option<TimeContext>> {
    let (Some(hours), Some(sent_at)) = (hours, message.field("sent_at")) else {
        return Ok(None);
    };
    let text = sent_at
        .as_str()
        .ok_or_else(|| anyhow!("sent_at must be a string"))?;
    Ok(Some(time_context(&parse_moment(text, zone)?, hours)))
}

/// The time context of a message sent at `moment`, for a worker with `hours`.
pub fn time_context(moment: &Zoned, hours: &WorkingHours) -> TimeContext {
    TimeContext {
        weekday: moment.weekday().to_monday_zero_offset() as u8,
        minute: moment.hour() as u16 * 60 + moment.minute() as u16,
        hours: hours.clone(),
        day_off: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_resolve_in_the_workers_zone() {
        let paris = time_zone(Some("Europe/Paris")).unwrap();
        let hours: WorkingHours = "mon-fri 09:00-17:00".parse().unwrap();
        // 16:30 UTC on a Monday in November is 17:30 in Paris: after hours.
        let late = parse_moment("2026-11-23T16:30:00Z", &paris).unwrap();
        let context = time_context(&late, &hours);
        assert_eq!((context.weekday, context.minute), (0, 17 * 60 + 30));
        assert!(context.after_hours());
        let civil = parse_moment("2026-11-23T10:15", &paris).unwrap();
        assert!(!time_context(&civil, &hours).after_hours());
        assert!(parse_moment("yesterday", &paris).is_err());
        assert!(time_zone(Some("Mars/Olympus")).is_err());
    }
}
