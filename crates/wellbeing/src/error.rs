//! What can be wrong with the inputs: every error names the setting or record at fault and why, so
//! an administrator can fix the file or the worker's profile without reading code.

/// An invalid rule, schedule, rota or report request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The exposure rules file is not valid TOML, or has an unknown or mistyped setting.
    #[error("exposure rules: {0}")]
    RulesToml(String),
    /// An exposure rule is out of range.
    #[error("exposure rules: `{setting}` {reason}")]
    Rule {
        /// The setting, as written in the file (`break.window_minutes`).
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A time zone name that the bundled time zone database does not know.
    #[error("unknown time zone {0:?} (expected an IANA name such as Europe/Paris)")]
    TimeZone(String),
    /// Working hours that do not parse.
    #[error("working hours {spec:?}: {reason}")]
    Hours {
        /// The hours as written.
        spec: String,
        /// The parser's explanation.
        reason: String,
    },
    /// A day off or a range of days off that does not parse or runs backwards.
    #[error("day off {text:?}: {reason}")]
    DayOff {
        /// The day or range as written.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An on-call slot that ends before it starts.
    #[error(
        "on-call slot {index} (worker {worker}): it ends at {until}, not after it starts at {from}"
    )]
    OnCallSlot {
        /// Position of the slot in the rota, from 0.
        index: usize,
        /// The worker on call.
        worker: i64,
        /// Its start.
        from: jiff::Timestamp,
        /// Its end.
        until: jiff::Timestamp,
    },
    /// A schedule file (TOML) that does not read.
    #[error("schedule: {0}")]
    ScheduleToml(String),
    /// A weekly report asked for a week that cannot be placed in the team's time zone.
    #[error("week starting {date} in {zone}: {reason}")]
    Week {
        /// The first day asked for.
        date: jiff::civil::Date,
        /// The team's time zone.
        zone: String,
        /// What is wrong.
        reason: String,
    },
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
