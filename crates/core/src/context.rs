//! What the caller knows about the moment a message arrives: the worker's working hours and the
//! local time. The engine reads no clock: the caller (server, command line) resolves the time zone
//! and hands over the local weekday and time, so the result is reproducible and testable.

use serde::{Deserialize, Serialize};

/// A worker's hours, per weekday (Monday first), as minutes since local midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    /// `days[0]` is Monday; `None` is a day off. A shift may end after midnight (`end < start`).
    pub days: [Option<(u16, u16)>; 7],
}

impl WorkingHours {
    /// The same shift Monday to Friday, weekends off.
    pub fn weekdays(start: u16, end: u16) -> WorkingHours {
        let mut days = [None; 7];
        for day in days.iter_mut().take(5) {
            *day = Some((start, end));
        }
        WorkingHours { days }
    }

    /// Whether `minute` (since midnight) of `weekday` (0 = Monday) falls in a shift, including a
    /// shift that started the day before and runs past midnight.
    pub fn covers(&self, weekday: u8, minute: u16) -> bool {
        let day = usize::from(weekday % 7);
        let today = self.days[day].is_some_and(|(start, end)| {
            if start <= end {
                (start..end).contains(&minute)
            } else {
                minute >= start
            }
        });
        let yesterday =
            self.days[(day + 6) % 7].is_some_and(|(start, end)| start > end && minute < end);
        today || yesterday
    }
}

impl std::str::FromStr for WorkingHours {
    type Err = String;

    /// Reads hours as people write them: `mon-fri 09:00-17:00`, several groups separated by
    /// commas or semicolons (`mon-thu 08:30-17:00, fri 08:30-12:00`), single days (`sat
    /// 10:00-14:00`) and night shifts that end after midnight (`mon-fri 22:00-06:00`). Days are
    /// English three-letter names; a day not named is a day off.
    fn from_str(spec: &str) -> Result<WorkingHours, String> {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let day = |name: &str| {
            let name = name.trim().to_ascii_lowercase();
            DAYS.iter()
                .position(|d| name.starts_with(d))
                .ok_or_else(|| format!("{name:?} is not a day (mon, tue, … sun)"))
        };
        let clock = |text: &str| -> Result<u16, String> {
            let (h, m) = text
                .trim()
                .split_once(':')
                .ok_or_else(|| format!("{text:?} is not a time like 09:00"))?;
            let (h, m): (u16, u16) = (
                h.parse().map_err(|_| format!("{text:?} is not a time"))?,
                m.parse().map_err(|_| format!("{text:?} is not a time"))?,
            );
            if h > 24 || m > 59 || (h == 24 && m > 0) {
                return Err(format!("{text:?} is not a time of day"));
            }
            Ok(h * 60 + m)
        };
        let mut days = [None; 7];
        for group in spec
            .split([',', ';'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            let (names, times) = group.split_once(char::is_whitespace).ok_or_else(|| {
                format!("{group:?}: expected days then hours, like mon-fri 09:00-17:00")
            })?;
            let (start, end) = times
                .trim()
                .split_once('-')
                .ok_or_else(|| format!("{times:?}: expected a range like 09:00-17:00"))?;
            let shift = (clock(start)?, clock(end)?);
            if shift.0 == shift.1 {
                return Err(format!(
                    "{times:?}: a shift cannot start and end at the same time"
                ));
            }
            let (first, last) = match names.split_once('-') {
                Some((a, b)) => (day(a)?, day(b)?),
                None => (day(names)?, day(names)?),
            };
            let mut d = first;
            loop {
                days[d] = Some(shift);
                if d == last {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        Ok(WorkingHours { days })
    }
}

/// When a message arrived, in the worker's local time, and their hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeContext {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Minutes since local midnight.
    pub minute: u16,
    /// The worker's hours.
    pub hours: WorkingHours,
    /// A holiday or absence: no hours that day.
    #[serde(default)]
    pub day_off: bool,
}

impl TimeContext {
    /// Whether the message arrived outside the worker's hours.
    pub fn after_hours(&self) -> bool {
        self.day_off || !self.hours.covers(self.weekday, self.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_at_their_boundaries() {
        let hours = WorkingHours::weekdays(9 * 60, 17 * 60);
        assert!(hours.covers(0, 9 * 60));
        assert!(!hours.covers(0, 17 * 60));
        assert!(hours.covers(4, 16 * 60 + 59));
        assert!(!hours.covers(5, 12 * 60));
        assert!(!hours.covers(2, 22 * 60 + 30));
    }

    #[test]
    fn night_shifts_run_past_midnight() {
        let mut days = [None; 7];
        days[0] = Some((22 * 60, 6 * 60));
        let hours = WorkingHours { days };
        assert!(hours.covers(0, 23 * 60));
        assert!(hours.covers(1, 5 * 60));
        assert!(!hours.covers(1, 7 * 60));
        assert!(!hours.covers(0, 5 * 60));
    }

    #[test]
    fn hours_read_as_people_write_them() {
        let hours: WorkingHours = "mon-thu 08:30-17:00; fri 08:30-12:00".parse().unwrap();
        assert_eq!(hours.days[0], Some((510, 1020)));
        assert_eq!(hours.days[4], Some((510, 720)));
        assert_eq!(hours.days[5], None);
        let nights: WorkingHours = "Sat-Sun 22:00-06:00".parse().unwrap();
        assert!(
            nights.covers(0, 5 * 60),
            "Sunday's night shift runs into Monday"
        );
        let wrap: WorkingHours = "fri-mon 10:00-12:00".parse().unwrap();
        assert_eq!(wrap.days.iter().filter(|d| d.is_some()).count(), 4);
        for bad in [
            "mon-fri",
            "mon-fri 9-17",
            "funday 09:00-17:00",
            "mon 25:00-26:00",
            "mon 09:00-09:00",
        ] {
            assert!(bad.parse::<WorkingHours>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_day_off_is_after_hours() {
        let t = TimeContext {
            weekday: 0,
            minute: 600,
            hours: WorkingHours::weekdays(540, 1020),
            day_off: true,
        };
        assert!(t.after_hours());
    }
}
