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
