//! Working hours as a boundary (P14, P16): when each worker is on duty in their own time zone,
//! where a client's message goes when they are not, and how often a worker keeps working after
//! hours.
//!
//! A message that arrives after hours is not pushed to the worker's phone: it waits for the start
//! of their next shift (with, if the organisation enables it, the after-hours reply to the
//! client). An *urgent* message never waits: it goes to whoever is on call, or to a colleague on
//! duty, and when there is nobody at all the result is [`Routing::Unstaffed`], which the server
//! must raise loudly (an alert to every supervisor, the crisis lines in the reply to the client),
//! never queue silently.
//!
//! Shifts are placed with the time zone database, so a 09:00 shift starts at 09:00 local time on
//! both sides of a daylight-saving change, and a night shift (`22:00-06:00`) belongs to the day it
//! starts. A shift starting at a local time that does not exist (a spring-forward gap) starts at
//! the first moment after the gap; one at a time that occurs twice starts at the first.

use crate::error::{Error, Result};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tact_core::context::WorkingHours;

/// How far ahead [`Schedule::next_shift_start`] looks: two months. A worker away longer has no
/// next shift, and their messages need another owner.
pub const SEARCH_DAYS: i64 = 60;

/// A day off, or an inclusive range of days off (holidays, leave, sickness), in the worker's
/// local calendar. Written `2026-12-24` or `2026-12-24..2026-12-26`. A day off cancels the shift
/// that *starts* on it: a night shift from the evening before still runs into its morning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DayOff {
    /// First day off.
    pub from: Date,
    /// Last day off (included).
    pub until: Date,
}

impl DayOff {
    /// A single day.
    pub fn day(date: Date) -> DayOff {
        DayOff {
            from: date,
            until: date,
        }
    }

    /// Whether `date` is off.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.until
    }
}

impl std::str::FromStr for DayOff {
    type Err = Error;

    fn from_str(text: &str) -> Result<DayOff> {
        let bad = |reason: String| Error::DayOff {
            text: text.to_string(),
            reason,
        };
        let date = |part: &str| -> Result<Date> {
            part.trim()
                .parse()
                .map_err(|e| bad(format!("{part:?} is not a date like 2026-12-24 ({e})")))
        };
        let day = match text.split_once("..") {
            Some((from, until)) => DayOff {
                from: date(from)?,
                until: date(until)?,
            },
            None => DayOff::day(date(text)?),
        };
        if day.until < day.from {
            return Err(bad(format!(
                "the range ends on {} before it starts on {}",
                day.until, day.from
            )));
        }
        Ok(day)
    }
}

impl TryFrom<String> for DayOff {
    type Error = Error;

    fn try_from(text: String) -> Result<DayOff> {
        text.parse()
    }
}

impl From<DayOff> for String {
    fn from(day: DayOff) -> String {
        if day.from == day.until {
            day.from.to_string()
        } else {
            format!("{}..{}", day.from, day.until)
        }
    }
}

/// A schedule as written in a file or kept by the store: the worker's `time_zone` and
/// `working_hours` columns, plus their days off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// IANA time zone (`workers.time_zone`).
    pub time_zone: String,
    /// Working hours as written (`workers.working_hours`, `mon-fri 09:00-17:00`); none means
    /// hours were never set, and the worker counts as always on duty (no deferral).
    #[serde(default)]
    pub hours: Option<String>,
    /// Holidays and absences.
    #[serde(default)]
    pub days_off: Vec<DayOff>,
}

/// When one worker is on duty: their hours placed in their time zone, minus days off.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    zone_name: String,
    zone: TimeZone,
    hours: WorkingHours,
    days_off: Vec<DayOff>,
}

impl Schedule {
    /// Builds a schedule from a time zone name, hours as written (parsed by
    /// `tact_core::context::WorkingHours`; `None` for always on duty) and days off.
    pub fn new(time_zone: &str, hours: Option<&str>, days_off: Vec<DayOff>) -> Result<Schedule> {
        let zone = TimeZone::get(time_zone).map_err(|_| Error::TimeZone(time_zone.to_string()))?;
        let hours = match hours {
            Some(spec) => spec.parse().map_err(|reason| Error::Hours {
                spec: spec.to_string(),
                reason,
            })?,
            None => WorkingHours {
                days: [Some((0, 24 * 60)); 7],
            },
        };
        Ok(Schedule {
            zone_name: time_zone.to_string(),
            zone,
            hours,
            days_off,
        })
    }

    /// Builds a schedule from its file or store form.
    pub fn from_spec(spec: &ScheduleSpec) -> Result<Schedule> {
        Schedule::new(
            &spec.time_zone,
            spec.hours.as_deref(),
            spec.days_off.clone(),
        )
    }

    /// Reads a schedule from TOML (`time_zone`, `hours`, `days_off`).
    pub fn from_toml(text: &str) -> Result<Schedule> {
        let spec: ScheduleSpec =
            toml::from_str(text).map_err(|e| Error::ScheduleToml(e.to_string()))?;
        Schedule::from_spec(&spec)
    }

    /// The time zone's IANA name.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// The time zone.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The weekly hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// The days off.
    pub fn days_off(&self) -> &[DayOff] {
        &self.days_off
    }

    /// Whether `date` (local) is a holiday or absence.
    pub fn is_day_off(&self, date: Date) -> bool {
        self.days_off.iter().any(|d| d.contains(date))
    }

    /// The local calendar date of a moment.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.zone.clone()).date()
    }

    /// The shift that starts on local `date`, as `[start, end)`; `None` on a day off or a day
    /// without hours.
    pub fn shift_on(&self, date: Date) -> Option<(Timestamp, Timestamp)> {
        if self.is_day_off(date) {
            return None;
        }
        let weekday = date.weekday().to_monday_zero_offset() as usize;
        let (start, end) = self.hours.days.get(weekday).copied().flatten()?;
        let begins = self.local(date, start)?;
        let end_date = if end <= start {
            date.tomorrow().ok()?
        } else {
            date
        };
        let ends = self.local(end_date, end)?;
        (begins < ends).then_some((begins, ends))
    }

    /// The shift `at` falls in, if any: today's, or a night shift that started yesterday.
    pub fn current_shift(&self, at: Timestamp) -> Option<(Timestamp, Timestamp)> {
        let today = self.local_date(at);
        [today.yesterday().ok(), Some(today)]
            .into_iter()
            .flatten()
            .filter_map(|d| self.shift_on(d))
            .find(|&(start, end)| start <= at && at < end)
    }

    /// Whether the worker is on duty at `at`.
    pub fn on_duty(&self, at: Timestamp) -> bool {
        self.current_shift(at).is_some()
    }

    /// The first shift start at or after `at`, looking up to [`SEARCH_DAYS`] ahead; `None` when
    /// there is none (no hours, or a long absence).
    pub fn next_shift_start(&self, at: Timestamp) -> Option<Timestamp> {
        let today = self.local_date(at);
        (-1..=SEARCH_DAYS)
            .filter_map(|n| today.checked_add(n.days()).ok())
            .filter_map(|d| self.shift_on(d))
            .map(|(start, _)| start)
            .find(|&start| start >= at)
    }

    /// A local wall-clock time (`minute` since midnight, up to 24:00) on `date`, as a moment.
    fn local(&self, date: Date, minute: u16) -> Option<Timestamp> {
        let (date, minute) = if minute >= 24 * 60 {
            (date.tomorrow().ok()?, minute - 24 * 60)
        } else {
            (date, minute)
        };
        let civil: DateTime = date.at((minute / 60) as i8, (minute % 60) as i8, 0, 0);
        self.zone.to_ambiguous_timestamp(civil).compatible().ok()
    }
}

/// A worker and their schedule: what the server builds from a `workers` row and the absences it
/// knows.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerSchedule {
    /// The worker's id (`workers.id`).
    pub worker: i64,
    /// When they work.
    pub schedule: Schedule,
}

impl WorkerSchedule {
    /// From the store's columns: `workers.id`, `workers.time_zone`, `workers.working_hours`.
    pub fn from_worker(
        worker: i64,
        time_zone: &str,
        working_hours: Option<&str>,
        days_off: Vec<DayOff>,
    ) -> Result<WorkerSchedule> {
        Ok(WorkerSchedule {
            worker,
            schedule: Schedule::new(time_zone, working_hours, days_off)?,
        })
    }
}

/// Someone on call between two moments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallSlot {
    /// The worker on call.
    pub worker: i64,
    /// Start (included).
    pub from: Timestamp,
    /// End (excluded).
    pub until: Timestamp,
}

/// Who takes urgent messages when their own worker is off duty. Slots may overlap; the first
/// listed wins, so list the primary before the backup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallRota {
    /// The slots, in order of preference.
    pub slots: Vec<OnCallSlot>,
}

impl OnCallRota {
    /// A rota from slots, each checked to end after it starts.
    pub fn new(slots: Vec<OnCallSlot>) -> Result<OnCallRota> {
        if let Some((index, slot)) = slots.iter().enumerate().find(|(_, s)| s.until <= s.from) {
            return Err(Error::OnCallSlot {
                index,
                worker: slot.worker,
                from: slot.from,
                until: slot.until,
            });
        }
        Ok(OnCallRota { slots })
    }

    /// Slots for `worker` from a weekly pattern written like working hours, in a time zone
    /// (`mon-thu 17:00-09:00, fri 17:00-24:00, sat-sun 00:00-24:00`), for every shift starting
    /// on a day from `from` to `until` (included). Days off in `pattern` are skipped.
    pub fn weekly(worker: i64, pattern: &Schedule, from: Date, until: Date) -> Vec<OnCallSlot> {
        let mut slots = Vec::new();
        let mut date = from;
        while date <= until {
            if let Some((start, end)) = pattern.shift_on(date) {
                slots.push(OnCallSlot {
                    worker,
                    from: start,
                    until: end,
                });
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        slots
    }

    /// Who is on call at `at`.
    pub fn on_call(&self, at: Timestamp) -> Option<i64> {
        self.slots
            .iter()
            .find(|s| s.from <= at && at < s.until)
            .map(|s| s.worker)
    }
}

/// The organisation's choice about messages that arrive after hours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingPolicy {
    /// Send the client the after-hours reply (when the worker will be back, where to turn in an
    /// emergency) when a message is deferred.
    pub after_hours_reply: bool,
}

/// Where a client's message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum Routing {
    /// The assigned worker is on duty: notify them now.
    NotifyNow {
        /// The assigned worker.
        worker: i64,
    },
    /// The assigned worker is off duty and the message is not urgent: keep it in their queue
    /// without notifying them until their next shift begins.
    Defer {
        /// The assigned worker.
        worker: i64,
        /// When to notify them: the start of their next shift.
        until: Timestamp,
        /// Whether to send the client the after-hours reply now.
        after_hours_reply: bool,
    },
    /// The assigned worker has no shift within [`SEARCH_DAYS`] (long leave, no hours): the
    /// message is not urgent, but it needs another owner; show it to a supervisor to reassign.
    Reassign {
        /// The assigned worker.
        worker: i64,
        /// Whether to send the client the after-hours reply now.
        after_hours_reply: bool,
    },
    /// Urgent and the assigned worker is off duty: the worker on call takes it now.
    OnCall {
        /// Who is on call.
        worker: i64,
    },
    /// Urgent, off duty, nobody on call, but a colleague in the team is on duty: they take it
    /// now.
    Colleague {
        /// The colleague on duty.
        worker: i64,
    },
    /// Urgent and nobody is on duty or on call. The server must surface this loudly: alert every
    /// supervisor, log it, and send the client the emergency resources at once. Never queue it
    /// silently.
    Unstaffed {
        /// The assigned worker, for the record.
        assigned: i64,
    },
}

/// Decides where a message that arrived at `message_at` goes. In order: the assigned worker when
/// on duty; for an urgent message, the worker on call, then the first colleague in `team` on
/// duty, else [`Routing::Unstaffed`]; for any other message, deferral to the assigned worker's
/// next shift (or [`Routing::Reassign`] when there is none in sight).
pub fn route(
    message_at: Timestamp,
    urgent: bool,
    assigned: &WorkerSchedule,
    team: &[WorkerSchedule],
    rota: &OnCallRota,
    policy: RoutingPolicy,
) -> Routing {
    let worker = assigned.worker;
    if assigned.schedule.on_duty(message_at) {
        return Routing::NotifyNow { worker };
    }
    if urgent {
        if let Some(on_call) = rota.on_call(message_at) {
            return Routing::OnCall { worker: on_call };
        }
        return match team
            .iter()
            .find(|w| w.worker != worker && w.schedule.on_duty(message_at))
        {
            Some(colleague) => Routing::Colleague {
                worker: colleague.worker,
            },
            None => Routing::Unstaffed { assigned: worker },
        };
    }
    match assigned.schedule.next_shift_start(message_at) {
        Some(until) => Routing::Defer {
            worker,
            until,
            after_hours_reply: policy.after_hours_reply,
        },
        None => Routing::Reassign {
            worker,
            after_hours_reply: policy.after_hours_reply,
        },
    }
}

/// When, outside their hours, a worker was active on one local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffHours {
    /// Before noon on a working day, outside the shift.
    Early,
    /// From noon on a working day, outside the shift: an evening.
    Evening,
    /// On a day without a shift: a weekend, a holiday, leave.
    DayOff,
}

/// One local day with activity outside hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfHoursDay {
    /// The local date.
    pub date: Date,
    /// When in the day.
    pub when: OffHours,
    /// How many actions.
    pub count: u32,
}

/// How often a worker worked outside their hours: a pattern to talk about, not a breach.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityPattern {
    /// Actions looked at (messages sent, cases updated).
    pub total: u32,
    /// Of which outside hours.
    pub outside: u32,
    /// The local days involved, in date order.
    pub days: Vec<OutOfHoursDay>,
}

impl ActivityPattern {
    /// The share of actions outside hours, 0 to 1 (0 when there were none).
    pub fn share(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            self.outside as f32 / self.total as f32
        }
    }

    /// Distinct local dates with activity outside hours.
    pub fn distinct_days(&self) -> usize {
        let mut dates: Vec<Date> = self.days.iter().map(|d| d.date).collect();
        dates.dedup();
        dates.len()
    }

    fn count_when(&self, when: OffHours) -> usize {
        self.days.iter().filter(|d| d.when == when).count()
    }

    fn occasions(&self) -> String {
        let mut parts = Vec::new();
        for (when, one, many) in [
            (OffHours::Evening, "an evening", "evenings"),
            (OffHours::Early, "an early morning", "early mornings"),
            (OffHours::DayOff, "a day off", "days off"),
        ] {
            match self.count_when(when) {
                0 => {}
                1 => parts.push(one.to_string()),
                n => parts.push(format!("{n} {many}")),
            }
        }
        parts.join(", ")
    }

    /// A gentle note to the worker, or `None` when there is nothing to say.
    pub fn note_for_worker(&self) -> Option<String> {
        (self.outside > 0).then(|| {
            format!(
                "You worked outside your hours on {} ({} of {} actions). Rest is part of the \
                 job: messages can wait for your next shift, and urgent ones go to whoever is on \
                 call. If the workload makes that hard, your supervisor can help.",
                self.occasions(),
                self.outside,
                self.total
            )
        })
    }

    /// A note to the supervisor, phrased as a support need, or `None` when there is nothing to
    /// say.
    pub fn note_for_supervisor(&self, name: &str) -> Option<String> {
        (self.outside > 0).then(|| {
            format!(
                "{name} worked outside their hours on {} ({} of {} actions). Not a fault: worth \
                 a conversation about workload and cover.",
                self.occasions(),
                self.outside,
                self.total
            )
        })
    }
}

/// The pattern of a worker's own activity (`events`: when they sent messages or updated cases)
/// against their schedule.
pub fn out_of_hours_activity(events: &[Timestamp], schedule: &Schedule) -> ActivityPattern {
    let mut days: BTreeMap<(Date, OffHours), u32> = BTreeMap::new();
    let mut outside = 0;
    for &at in events {
        if schedule.on_duty(at) {
            continue;
        }
        outside += 1;
        let local = at.to_zoned(schedule.zone.clone());
        let date = local.date();
        let working_day = schedule.shift_on(date).is_some() || schedule.current_shift(at).is_some();
        let when = if !working_day {
            OffHours::DayOff
        } else if local.hour() < 12 {
            OffHours::Early
        } else {
            OffHours::Evening
        };
        *days.entry((date, when)).or_default() += 1;
    }
    ActivityPattern {
        total: events.len() as u32,
        outside,
        days: days
            .into_iter()
            .map(|((date, when), count)| OutOfHoursDay { date, when, count })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn paris() -> Schedule {
        Schedule::new("Europe/Paris", Some("mon-fri 09:00-17:00"), vec![]).unwrap()
    }

    fn moment(text: &str, zone: &str) -> Timestamp {
        let civil: DateTime = text.parse().unwrap();
        civil
            .to_zoned(TimeZone::get(zone).unwrap())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn days_off_read_as_written() {
        let one: DayOff = "2026-12-24".parse().unwrap();
        assert_eq!(one, DayOff::day(date(2026, 12, 24)));
        let range: DayOff = "2026-12-24..2026-12-26".parse().unwrap();
        assert!(range.contains(date(2026, 12, 25)) && !range.contains(date(2026, 12, 27)));
        assert_eq!(String::from(range), "2026-12-24..2026-12-26");
        let error = "2026-12-26..2026-12-24".parse::<DayOff>().unwrap_err();
        assert!(error.to_string().contains("before it starts"), "{error}");
        assert!("Christmas".parse::<DayOff>().is_err());
    }

    #[test]
    fn bad_schedules_say_what() {
        let e = Schedule::new("Mars/Olympus", None, vec![]).unwrap_err();
        assert!(e.to_string().contains("Mars/Olympus"));
        let e = Schedule::new("UTC", Some("mon-fri 9-17"), vec![]).unwrap_err();
        assert!(e.to_string().contains("9-17"), "{e}");
    }

    #[test]
    fn shifts_begin_and_end_at_local_times() {
        let s = paris();
        let monday = moment("2026-11-23T09:00", "Europe/Paris");
        assert!(s.on_duty(monday));
        assert!(!s.on_duty(moment("2026-11-23T08:59", "Europe/Paris")));
        assert!(!s.on_duty(moment("2026-11-23T17:00", "Europe/Paris")));
        assert_eq!(s.next_shift_start(monday), Some(monday));
        assert_eq!(
            s.current_shift(moment("2026-11-23T12:00", "Europe/Paris")),
            Some((monday, moment("2026-11-23T17:00", "Europe/Paris")))
        );
    }

    #[test]
    fn night_shifts_and_days_off() {
        let s = Schedule::new(
            "Africa/Johannesburg",
            Some("mon-thu 22:00-06:00"),
            vec!["2026-11-24".parse().unwrap()],
        )
        .unwrap();
        let zone = "Africa/Johannesburg";
        // Monday night runs into Tuesday morning even though Tuesday is a day off.
        assert!(s.on_duty(moment("2026-11-24T05:59", zone)));
        // Tuesday's own night shift is cancelled.
        assert!(!s.on_duty(moment("2026-11-24T23:00", zone)));
        assert_eq!(
            s.next_shift_start(moment("2026-11-24T07:00", zone)),
            Some(moment("2026-11-25T22:00", zone))
        );
    }

    #[test]
    fn no_hours_means_always_on_duty_and_a_long_absence_has_no_next_shift() {
        let always = Schedule::new("UTC", None, vec![]).unwrap();
        assert!(always.on_duty(moment("2026-11-28T03:00", "UTC")));
        let away = Schedule::new(
            "UTC",
            Some("mon-fri 09:00-17:00"),
            vec!["2026-01-01..2026-12-31".parse().unwrap()],
        )
        .unwrap();
        assert_eq!(
            away.next_shift_start(moment("2026-03-02T08:00", "UTC")),
            None
        );
    }

    #[test]
    fn weekly_on_call_patterns_expand_to_slots() {
        let pattern = Schedule::new("Europe/Paris", Some("mon-sun 17:00-09:00"), vec![]).unwrap();
        let slots = OnCallRota::weekly(9, &pattern, date(2026, 11, 23), date(2026, 11, 29));
        assert_eq!(slots.len(), 7);
        let rota = OnCallRota::new(slots).unwrap();
        assert_eq!(
            rota.on_call(moment("2026-11-24T03:00", "Europe/Paris")),
            Some(9)
        );
        assert_eq!(
            rota.on_call(moment("2026-11-24T12:00", "Europe/Paris")),
            None
        );
        let backwards = OnCallSlot {
            worker: 3,
            from: moment("2026-11-24T03:00", "UTC"),
            until: moment("2026-11-24T02:00", "UTC"),
        };
        let e = OnCallRota::new(vec![backwards]).unwrap_err();
        assert!(e.to_string().contains("slot 0 (worker 3)"), "{e}");
    }

    #[test]
    fn activity_outside_hours_is_a_pattern() {
        let s = paris();
        let events = [
            moment("2026-11-23T10:00", "Europe/Paris"),
            moment("2026-11-23T21:00", "Europe/Paris"),
            moment("2026-11-23T21:30", "Europe/Paris"),
            moment("2026-11-24T07:30", "Europe/Paris"),
            moment("2026-11-28T11:00", "Europe/Paris"),
        ];
        let p = out_of_hours_activity(&events, &s);
        assert_eq!((p.total, p.outside), (5, 4));
        assert_eq!(p.days.len(), 3);
        assert_eq!(p.days[0].when, OffHours::Evening);
        assert_eq!(p.days[0].count, 2);
        assert_eq!(p.days[1].when, OffHours::Early);
        assert_eq!(p.days[2].when, OffHours::DayOff);
        assert_eq!(p.distinct_days(), 3);
        let note = p.note_for_supervisor("Amélie").unwrap();
        assert!(
            note.contains("an evening, an early morning, a day off"),
            "{note}"
        );
        assert!(note.contains("Not a fault"));
        assert!(p.note_for_worker().unwrap().contains("4 of 5"));
        assert_eq!(
            out_of_hours_activity(&events[..1], &s).note_for_worker(),
            None
        );
    }
}
