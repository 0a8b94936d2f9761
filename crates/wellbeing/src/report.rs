//! The weekly account a supervisor reads on Monday morning (P20, P22): promises kept on time,
//! follow-ups done and overdue, incidents reported and resolved, each worker's load and the
//! prompts they took, and time worked outside hours — with what went well said first, and
//! challenges put as support needs, never as blame.
//!
//! The inputs are plain records, one per row the store keeps, so the totals can be checked
//! against the store: every commitment due in the week is counted exactly once in one status,
//! every incident raised in the week once. The week runs Monday 00:00 to the next Monday 00:00
//! in the *team's* time zone (167 or 169 hours across a daylight-saving change).

mod html;

use crate::error::{Error, Result};
use crate::exposure::{ExposureRules, IntenseKind, Interaction, PromptKind, shift_exposure};
use crate::schedule::{ActivityPattern, DayOff, WorkerSchedule, out_of_hours_activity};
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A team member: a `workers` row plus the absences the server knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// `workers.id`.
    pub id: i64,
    /// `workers.name`.
    pub name: String,
    /// `workers.time_zone`.
    pub time_zone: String,
    /// `workers.working_hours`, as written.
    #[serde(default)]
    pub working_hours: Option<String>,
    /// Holidays and absences.
    #[serde(default)]
    pub days_off: Vec<DayOff>,
}

/// The team a report is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Its name, as the supervisor knows it.
    pub name: String,
    /// The time zone its weeks are counted in (usually the supervisor's).
    pub time_zone: String,
    /// Its members, in the order the report lists them.
    pub members: Vec<Member>,
}

impl Team {
    /// Each member's schedule, for routing and out-of-hours activity.
    pub fn schedules(&self) -> Result<Vec<WorkerSchedule>> {
        self.members
            .iter()
            .map(|m| {
                WorkerSchedule::from_worker(
                    m.id,
                    &m.time_zone,
                    m.working_hours.as_deref(),
                    m.days_off.clone(),
                )
            })
            .collect()
    }
}

/// A promise or a follow-up (`commitments.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKind {
    /// Made in a worker's reply (P20, P36).
    Promise,
    /// Scheduled after an incident or a disclosure (P5).
    FollowUp,
}

/// Where a commitment stands (`commitments.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    /// Not closed yet.
    Open,
    /// Done on time.
    Kept,
    /// Done after its due time.
    Late,
    /// Not done.
    Broken,
}

/// A `commitments` row, with the worker of its conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentRecord {
    /// `commitments.id`.
    pub id: i64,
    /// The conversation's worker (`conversations.worker_id`).
    pub worker: i64,
    /// `commitments.conversation_id`.
    pub conversation: i64,
    /// Promise or follow-up.
    pub kind: CommitmentKind,
    /// When it is due; the week it falls in is the week it counts in.
    pub due_at: Timestamp,
    /// Its status.
    pub status: CommitmentStatus,
    /// When it was closed.
    #[serde(default)]
    pub closed_at: Option<Timestamp>,
}

/// What kind of incident (`incidents.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// A boundary crossing.
    BoundaryCrossing,
    /// Abuse aimed at the worker.
    Abuse,
    /// Self-harm or a threat to life.
    UrgentDisclosure,
    /// A conflict of interest.
    ConflictOfInterest,
}

/// Where an incident stands (`incidents.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Not handled yet.
    Open,
    /// Someone is on it.
    InProgress,
    /// Done.
    Resolved,
}

/// An `incidents` row, with the worker of its conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRecord {
    /// `incidents.id`.
    pub id: i64,
    /// The conversation's worker.
    pub worker: i64,
    /// `incidents.conversation_id`.
    pub conversation: i64,
    /// Its kind.
    pub kind: IncidentKind,
    /// `low` … `urgent`, as stored.
    pub severity: String,
    /// Its status.
    pub status: IncidentStatus,
    /// When it was raised (`incidents.created_at`); the week it falls in is the week it counts in.
    pub created_at: Timestamp,
    /// When it was resolved (`incidents.updated_at` of a resolved incident).
    #[serde(default)]
    pub resolved_at: Option<Timestamp>,
}

/// A recorded prompt: what [`crate::exposure::prompts`] raised, and whether it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptRecord {
    /// The prompt's key.
    pub key: String,
    /// For whom.
    pub worker: i64,
    /// What it suggested.
    pub kind: PromptKind,
    /// When it was raised.
    pub at: Timestamp,
    /// Whether the worker (or for a notice, the supervisor) acted on it.
    pub taken: bool,
}

/// Something a worker did, at a time: a message they sent (`messages` with role `worker`), a case
/// they updated. Read against their hours for out-of-hours activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerAction {
    /// The worker.
    pub worker: i64,
    /// When.
    pub at: Timestamp,
}

/// Everything a report is built from. Records outside the week, or of workers not in the team,
/// are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    /// Promises and follow-ups.
    #[serde(default)]
    pub commitments: Vec<CommitmentRecord>,
    /// Incidents.
    #[serde(default)]
    pub incidents: Vec<IncidentRecord>,
    /// Analysed client messages (see [`Interaction::from_analysis`]).
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// Recorded prompts.
    #[serde(default)]
    pub prompts: Vec<PromptRecord>,
    /// Workers' own actions.
    #[serde(default)]
    pub actions: Vec<WorkerAction>,
}

/// Commitments due in the week, by status. `due = kept + late + broken + open`; `overdue` is the
/// part of `open` already past due when the report was built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentCounts {
    /// Due in the week.
    pub due: u32,
    /// Done on time.
    pub kept: u32,
    /// Done late.
    pub late: u32,
    /// Not done.
    pub broken: u32,
    /// Still open.
    pub open: u32,
    /// Open and past due.
    pub overdue: u32,
}

impl CommitmentCounts {
    fn add(&mut self, other: &CommitmentCounts) {
        self.due += other.due;
        self.kept += other.kept;
        self.late += other.late;
        self.broken += other.broken;
        self.open += other.open;
        self.overdue += other.overdue;
    }

    /// Done, on time or late.
    pub fn done(&self) -> u32 {
        self.kept + self.late
    }

    /// Kept on time, as a whole percentage of those due; `None` when none were due.
    pub fn kept_percent(&self) -> Option<u32> {
        (self.due > 0).then(|| (self.kept * 100 + self.due / 2) / self.due)
    }
}

/// Incidents raised in the week, by their status now. `reported = open + in_progress + resolved`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentCounts {
    /// Raised in the week.
    pub reported: u32,
    /// Of which resolved.
    pub resolved: u32,
    /// Being handled.
    pub in_progress: u32,
    /// Not yet handled.
    pub open: u32,
    /// By kind.
    pub by_kind: BTreeMap<IncidentKind, u32>,
}

impl IncidentCounts {
    fn add(&mut self, other: &IncidentCounts) {
        self.reported += other.reported;
        self.resolved += other.resolved;
        self.in_progress += other.in_progress;
        self.open += other.open;
        for (kind, n) in &other.by_kind {
            *self.by_kind.entry(*kind).or_default() += n;
        }
    }
}

/// Prompts of one kind raised in the week, and how many were taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptCounts {
    /// Raised.
    pub suggested: u32,
    /// Taken.
    pub taken: u32,
}

impl PromptCounts {
    fn add(&mut self, other: &PromptCounts) {
        self.suggested += other.suggested;
        self.taken += other.taken;
    }
}

/// A worker's load in the week and the prompts it raised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureSummary {
    /// Weighted exposure over the week.
    pub score: u32,
    /// Intense interactions (conversations).
    pub intense: u32,
    /// How often each kind counted.
    pub by_kind: BTreeMap<IntenseKind, u32>,
    /// Breaks suggested and taken.
    pub breaks: PromptCounts,
    /// Debriefs suggested and taken.
    pub debriefs: PromptCounts,
    /// Supervisor notices raised and acted on.
    pub notices: PromptCounts,
}

impl ExposureSummary {
    fn add(&mut self, other: &ExposureSummary) {
        self.score += other.score;
        self.intense += other.intense;
        for (kind, n) in &other.by_kind {
            *self.by_kind.entry(*kind).or_default() += n;
        }
        self.breaks.add(&other.breaks);
        self.debriefs.add(&other.debriefs);
        self.notices.add(&other.notices);
    }
}

/// One worker's week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerWeek {
    /// The worker's id.
    pub worker: i64,
    /// Their name.
    pub name: String,
    /// Promises due in the week.
    pub promises: CommitmentCounts,
    /// Follow-ups due in the week.
    pub follow_ups: CommitmentCounts,
    /// Incidents raised in the week in their conversations.
    pub incidents: IncidentCounts,
    /// Their load and prompts.
    pub exposure: ExposureSummary,
    /// Their activity outside their hours, in their own time zone.
    pub out_of_hours: ActivityPattern,
}

/// The team's sums: each field is the sum of the workers' fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Promises due in the week.
    pub promises: CommitmentCounts,
    /// Follow-ups due in the week.
    pub follow_ups: CommitmentCounts,
    /// Incidents raised in the week.
    pub incidents: IncidentCounts,
    /// Load and prompts.
    pub exposure: ExposureSummary,
    /// Actions outside hours.
    pub out_of_hours_actions: u32,
    /// Worker-days with activity outside hours.
    pub out_of_hours_days: u32,
}

/// A team's week, for its supervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyReport {
    /// The team's name.
    pub team: String,
    /// The time zone the week is counted in.
    pub time_zone: String,
    /// Monday.
    pub week_start: Date,
    /// Sunday.
    pub week_end: Date,
    /// Monday 00:00 local (included).
    pub from: Timestamp,
    /// The next Monday 00:00 local (excluded).
    pub until: Timestamp,
    /// When the statuses were read: open commitments due before it are overdue.
    pub as_of: Timestamp,
    /// Team sums.
    pub totals: Totals,
    /// Each member's week, in team order.
    pub workers: Vec<WorkerWeek>,
    /// What went well, for the supervisor to acknowledge.
    pub successes: Vec<String>,
    /// Where support may help.
    pub challenges: Vec<String>,
}

/// At most this many successes and challenges: a supervisor reads the report in a minute.
pub const MAX_POINTS: usize = 6;

/// Monday 00:00 to the next Monday 00:00 of the week starting `week_start`, in `zone_name`.
pub fn week_bounds(zone_name: &str, week_start: Date) -> Result<(Timestamp, Timestamp)> {
    let bad = |reason: String| Error::Week {
        date: week_start,
        zone: zone_name.to_string(),
        reason,
    };
    let zone = TimeZone::get(zone_name).map_err(|_| Error::TimeZone(zone_name.to_string()))?;
    if week_start.weekday() != Weekday::Monday {
        return Err(bad(format!(
            "it is a {:?}; weeks start on Monday",
            week_start.weekday()
        )));
    }
    let midnight = |date: Date| {
        zone.to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .map_err(|e| bad(e.to_string()))
    };
    let next = week_start
        .checked_add(jiff::Span::new().days(7))
        .map_err(|e| bad(e.to_string()))?;
    Ok((midnight(week_start)?, midnight(next)?))
}

impl WeeklyReport {
    /// Builds the report of `team` for the week starting on Monday `week_start` (in the team's
    /// time zone), from `records`, with statuses as of `as_of` (usually now).
    pub fn build(
        team: &Team,
        week_start: Date,
        records: &Records,
        rules: &ExposureRules,
        as_of: Timestamp,
    ) -> Result<WeeklyReport> {
        let (from, until) = week_bounds(&team.time_zone, week_start)?;
        let in_week = |at: Timestamp| from <= at && at < until;
        let schedules = team.schedules()?;
        let mut workers = Vec::new();
        for (member, schedule) in team.members.iter().zip(&schedules) {
            let id = member.id;
            let commitments = |kind: CommitmentKind| {
                let mut counts = CommitmentCounts::default();
                for c in records
                    .commitments
                    .iter()
                    .filter(|c| c.worker == id && c.kind == kind && in_week(c.due_at))
                {
                    counts.due += 1;
                    match c.status {
                        CommitmentStatus::Kept => counts.kept += 1,
                        CommitmentStatus::Late => counts.late += 1,
                        CommitmentStatus::Broken => counts.broken += 1,
                        CommitmentStatus::Open => {
                            counts.open += 1;
                            if c.due_at < as_of {
                                counts.overdue += 1;
                            }
                        }
                    }
                }
                counts
            };
            let mut incidents = IncidentCounts::default();
            for i in records
                .incidents
                .iter()
                .filter(|i| i.worker == id && in_week(i.created_at))
            {
                incidents.reported += 1;
                match i.status {
                    IncidentStatus::Open => incidents.open += 1,
                    IncidentStatus::InProgress => incidents.in_progress += 1,
                    IncidentStatus::Resolved => incidents.resolved += 1,
                }
                *incidents.by_kind.entry(i.kind).or_default() += 1;
            }
            let load = shift_exposure(rules, &records.interactions, id, from, until);
            let mut exposure = ExposureSummary {
                score: load.score,
                intense: load.intense,
                by_kind: load.by_kind,
                ..ExposureSummary::default()
            };
            for p in records
                .prompts
                .iter()
                .filter(|p| p.worker == id && in_week(p.at))
            {
                let counts = match p.kind {
                    PromptKind::Break => &mut exposure.breaks,
                    PromptKind::Debrief => &mut exposure.debriefs,
                    PromptKind::SupervisorNotice => &mut exposure.notices,
                };
                counts.suggested += 1;
                counts.taken += u32::from(p.taken);
            }
            let actions: Vec<Timestamp> = records
                .actions
                .iter()
                .filter(|a| a.worker == id && in_week(a.at))
                .map(|a| a.at)
                .collect();
            workers.push(WorkerWeek {
                worker: id,
                name: member.name.clone(),
                promises: commitments(CommitmentKind::Promise),
                follow_ups: commitments(CommitmentKind::FollowUp),
                incidents,
                exposure,
                out_of_hours: out_of_hours_activity(&actions, &schedule.schedule),
            });
        }
        let mut totals = Totals::default();
        for w in &workers {
            totals.promises.add(&w.promises);
            totals.follow_ups.add(&w.follow_ups);
            totals.incidents.add(&w.incidents);
            totals.exposure.add(&w.exposure);
            totals.out_of_hours_actions += w.out_of_hours.outside;
            totals.out_of_hours_days += w.out_of_hours.distinct_days() as u32;
        }
        let week_end = week_start
            .checked_add(jiff::Span::new().days(6))
            .unwrap_or(week_start);
        let mut report = WeeklyReport {
            team: team.name.clone(),
            time_zone: team.time_zone.clone(),
            week_start,
            week_end,
            from,
            until,
            as_of,
            totals,
            workers,
            successes: Vec::new(),
            challenges: Vec::new(),
        };
        report.successes = report.find_successes();
        report.challenges = report.find_challenges(rules);
        Ok(report)
    }

    /// The report as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The report as a self-contained, accessible HTML page (inline CSS, no scripts, no external
    /// fonts), key numbers first.
    pub fn to_html(&self) -> String {
        html::render(self)
    }

    /// What went well (P22: acknowledge it), team-wide first, then by worker.
    fn find_successes(&self) -> Vec<String> {
        let mut points = Vec::new();
        let t = &self.totals;
        if let Some(pct) = t.promises.kept_percent().filter(|&p| p >= 80) {
            points.push(format!(
                "{pct}% of promises due were kept on time ({} of {}).",
                t.promises.kept, t.promises.due
            ));
        }
        if t.follow_ups.due > 0 && t.follow_ups.done() * 10 >= t.follow_ups.due * 8 {
            points.push(format!(
                "{} of {} follow-ups due were done: clients heard back (P5).",
                t.follow_ups.done(),
                t.follow_ups.due
            ));
        }
        if t.incidents.reported > 0 {
            points.push(format!(
                "{} {} reported, {} resolved: thank you for telling supervisors (P6).",
                t.incidents.reported,
                plural(t.incidents.reported, "incident was", "incidents were"),
                t.incidents.resolved
            ));
        }
        let held = t.exposure.breaks.taken + t.exposure.debriefs.taken;
        if held > 0 {
            points.push(format!(
                "{} {} and {} {} taken after difficult contacts: looking after yourselves is \
                 part of the work (P14).",
                t.exposure.breaks.taken,
                plural(t.exposure.breaks.taken, "break", "breaks"),
                t.exposure.debriefs.taken,
                plural(t.exposure.debriefs.taken, "debrief", "debriefs"),
            ));
        }
        for w in &self.workers {
            if w.promises.due >= 3 && w.promises.kept == w.promises.due {
                points.push(format!(
                    "{} kept every promise due on time ({}).",
                    w.name, w.promises.due
                ));
            }
        }
        if points.is_empty() {
            points.push("A steady week: nothing stood out either way.".to_string());
        }
        points.truncate(MAX_POINTS);
        points
    }

    /// Where support may help, heaviest load first, phrased as needs rather than faults. One
    /// line per need, naming the workers concerned, so the list stays short.
    fn find_challenges(&self, rules: &ExposureRules) -> Vec<String> {
        let mut points = Vec::new();
        for w in &self.workers {
            let e = &w.exposure;
            if e.notices.suggested > 0 || e.score >= rules.supervisor.rolling_score {
                let kinds: Vec<String> = IntenseKind::ALL
                    .iter()
                    .filter_map(|k| e.by_kind.get(k).map(|&n| k.counted(n)))
                    .collect();
                points.push(format!(
                    "{} carried a heavy load (exposure {}: {}). A check-in, a lighter queue or \
                     counselling may help (P14).",
                    w.name,
                    e.score,
                    kinds.join(", ")
                ));
            }
        }
        let who = |count: &dyn Fn(&WorkerWeek) -> u32| -> (u32, String) {
            let named: Vec<String> = self
                .workers
                .iter()
                .filter(|w| count(w) > 0)
                .map(|w| format!("{} ({})", w.name, count(w)))
                .collect();
            (self.workers.iter().map(count).sum(), named.join(", "))
        };
        let (missed, names) = who(&|w| {
            let d = &w.exposure.debriefs;
            d.suggested.saturating_sub(d.taken)
        });
        if missed > 0 {
            points.push(format!(
                "{missed} {} after a difficult conversation not held yet: {names}. Offer a time \
                 this week (P6).",
                plural(missed, "debrief", "debriefs")
            ));
        }
        for w in &self.workers {
            if w.out_of_hours.distinct_days() >= 2
                && let Some(note) = w.out_of_hours.note_for_supervisor(&w.name)
            {
                points.push(note);
            }
        }
        let (overdue, names) = who(&|w| w.follow_ups.overdue);
        if overdue > 0 {
            points.push(format!(
                "{overdue} {} overdue: {names}. Could some be shared or rescheduled together?",
                plural(overdue, "follow-up", "follow-ups")
            ));
        }
        let (unkept, names) = who(&|w| w.promises.broken + w.promises.overdue);
        if unkept > 0 {
            points.push(format!(
                "{unkept} {} not kept in time: {names}. Worth looking together at what made the \
                 time frames tight (underpromise, overdeliver: P20).",
                plural(unkept, "promise", "promises")
            ));
        }
        let open = self.totals.incidents.open + self.totals.incidents.in_progress;
        if open > 0 {
            points.push(format!(
                "{open} {} from this week {} still open: who can take them on?",
                plural(open, "incident", "incidents"),
                plural(open, "is", "are")
            ));
        }
        if points.is_empty() {
            points.push("No support needs stood out this week.".to_string());
        }
        points.truncate(MAX_POINTS);
        points
    }
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_start_on_monday_in_the_teams_zone() {
        let (from, until) = week_bounds("Europe/Paris", date(2026, 3, 23)).unwrap();
        assert_eq!(from.to_string(), "2026-03-22T23:00:00Z");
        // The clocks go forward on 29 March: the week is an hour short.
        assert_eq!(until.to_string(), "2026-03-29T22:00:00Z");
        let e = week_bounds("Europe/Paris", date(2026, 3, 25)).unwrap_err();
        assert!(e.to_string().contains("Monday"), "{e}");
        assert!(week_bounds("Nowhere/City", date(2026, 3, 23)).is_err());
    }

    #[test]
    fn counts_add_up_and_percent_rounds() {
        let c = CommitmentCounts {
            due: 3,
            kept: 2,
            late: 1,
            ..CommitmentCounts::default()
        };
        assert_eq!(c.kept_percent(), Some(67));
        assert_eq!(CommitmentCounts::default().kept_percent(), None);
        assert_eq!(c.done(), 3);
    }
}
