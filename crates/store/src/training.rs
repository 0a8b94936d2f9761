//! Role-play training over time: each session a worker starts is kept, in progress as the
//! trainer's serialised state (so any replica can take the next reply), and once ended with its
//! end state, outcome and average score. From those come a worker's progress: which scenarios,
//! best and latest scores, and whether the recent sessions score better than the ones before.
//!
//! The same rule as for cases: a worker sees and plays only their own sessions, and another
//! worker's is [`Error::NotFound`] like one that does not exist; supervisors and admins see
//! everyone's (to support their team) but play only their own. The store holds the trainer's
//! state as opaque JSON, so it does not depend on the trainer.

use crate::{Error, Result, Store, Viewer, stamp, time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

/// How a finished session ended, as the scenario's end state rates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingOutcome {
    /// The practice was followed.
    Good,
    /// Partly followed.
    Mixed,
    /// Not followed.
    Poor,
}

impl TrainingOutcome {
    /// The stored name, the same as the trainer's.
    pub fn as_str(self) -> &'static str {
        match self {
            TrainingOutcome::Good => "good",
            TrainingOutcome::Mixed => "mixed",
            TrainingOutcome::Poor => "poor",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Result<TrainingOutcome> {
        match text {
            "good" => Ok(TrainingOutcome::Good),
            "mixed" => Ok(TrainingOutcome::Mixed),
            "poor" => Ok(TrainingOutcome::Poor),
            other => Err(Error::Invalid {
                field: "outcome",
                reason: format!("{other:?} is not one of: good, mixed, poor"),
            }),
        }
    }
}

/// What is recorded when a session reaches an end state, so progress can be read without
/// deserialising every session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The end state's id in the scenario (`referred`).
    pub end_state: String,
    /// Its outcome.
    pub outcome: TrainingOutcome,
    /// The mean of the turns' scores, 0–100.
    pub average_score: u8,
}

/// One training session as progress reports see it (without the trainer's state).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingRecord {
    /// Id.
    pub id: i64,
    /// The worker who played it.
    pub worker: i64,
    /// The scenario's id (`money-request`), the same in every language.
    pub scenario: String,
    /// The language it was played in (`en`).
    pub language: String,
    /// When it was started.
    pub started_at: Timestamp,
    /// When it reached an end state; `None` while in progress or abandoned.
    pub finished_at: Option<Timestamp>,
    /// The end state reached.
    pub end_state: Option<String>,
    /// Its outcome.
    pub outcome: Option<TrainingOutcome>,
    /// The average score of the turns, once finished.
    pub average_score: Option<u8>,
    /// Replies given so far.
    pub turns: i64,
}

/// A session with the trainer's state, for playing on.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingSession {
    /// What progress reports see.
    pub record: TrainingRecord,
    /// The trainer's serialised session, as last saved.
    pub state_json: String,
}

/// How one scenario went for one worker over their finished sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioProgress {
    /// The scenario's id.
    pub scenario: String,
    /// The languages it was finished in, sorted.
    pub languages: Vec<String>,
    /// Finished sessions of it.
    pub sessions: usize,
    /// The best average score of a session.
    pub best_score: u8,
    /// The average score of the latest session.
    pub latest_score: u8,
    /// The outcome of the latest session.
    pub latest_outcome: TrainingOutcome,
    /// When the latest session finished.
    pub latest_at: Timestamp,
}

/// Whether the recent sessions score better than the ones before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// Recent sessions average more than [`STEADY_WITHIN`] points above the previous ones.
    Up,
    /// More than [`STEADY_WITHIN`] points below.
    Down,
    /// Within [`STEADY_WITHIN`] points.
    Steady,
    /// No earlier sessions to compare with yet.
    New,
}

/// Sessions compared in each block of the trend.
pub const TREND_WINDOW: usize = 5;
/// A change of average score this small (in points) reads as steady, not as a trend.
pub const STEADY_WITHIN: f64 = 3.0;

/// The average score of the last [`TREND_WINDOW`] finished sessions against the
/// [`TREND_WINDOW`] before them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The average of the latest finished sessions (to one decimal).
    pub recent_average: f64,
    /// How many sessions that is (at most [`TREND_WINDOW`]).
    pub recent_sessions: usize,
    /// The average of the sessions before them, if there were any.
    pub previous_average: Option<f64>,
    /// How many sessions that is.
    pub previous_sessions: usize,
    /// Recent minus previous, in points.
    pub change: Option<f64>,
    /// The change in a word.
    pub direction: TrendDirection,
}

/// How many finished sessions ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    /// Good ends.
    pub good: usize,
    /// Mixed ends.
    pub mixed: usize,
    /// Poor ends.
    pub poor: usize,
}

/// One worker's training at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingSummary {
    /// The worker.
    pub worker: i64,
    /// Their name, for a supervisor's overview.
    pub name: String,
    /// Sessions started, finished or not.
    pub sessions_started: usize,
    /// Sessions that reached an end state.
    pub sessions_finished: usize,
    /// How the finished ones ended.
    pub outcomes: OutcomeCounts,
    /// The average score over every finished session (to one decimal).
    pub average_score: Option<f64>,
    /// Per scenario, by id.
    pub scenarios: Vec<ScenarioProgress>,
    /// Recent against earlier sessions; `None` before the first finished one.
    pub trend: Option<Trend>,
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn mean(scores: &[u8]) -> f64 {
    let total: u32 = scores.iter().map(|&s| u32::from(s)).sum();
    f64::from(total) / scores.len().max(1) as f64
}

impl TrainingSummary {
    /// Summarises one worker's sessions (any order; others' records are ignored).
    pub fn of(worker: i64, name: &str, records: &[TrainingRecord]) -> TrainingSummary {
        let mine: Vec<&TrainingRecord> = records.iter().filter(|r| r.worker == worker).collect();
        // Finished sessions in the order they finished.
        let mut finished: Vec<(Timestamp, i64, &TrainingRecord, TrainingOutcome, u8)> = mine
            .iter()
            .filter_map(|r| Some((r.finished_at?, r.id, *r, r.outcome?, r.average_score?)))
            .collect();
        finished.sort_by_key(|(at, id, ..)| (*at, *id));

        let mut outcomes = OutcomeCounts::default();
        for (.., outcome, _) in &finished {
            match outcome {
                TrainingOutcome::Good => outcomes.good += 1,
                TrainingOutcome::Mixed => outcomes.mixed += 1,
                TrainingOutcome::Poor => outcomes.poor += 1,
            }
        }
        let scores: Vec<u8> = finished.iter().map(|(.., score)| *score).collect();

        let mut scenarios: Vec<ScenarioProgress> = Vec::new();
        for (at, _, record, outcome, score) in &finished {
            match scenarios.iter_mut().find(|s| s.scenario == record.scenario) {
                Some(progress) => {
                    progress.sessions += 1;
                    progress.best_score = progress.best_score.max(*score);
                    progress.latest_score = *score;
                    progress.latest_outcome = *outcome;
                    progress.latest_at = *at;
                    if !progress.languages.contains(&record.language) {
                        progress.languages.push(record.language.clone());
                        progress.languages.sort();
                    }
                }
                None => scenarios.push(ScenarioProgress {
                    scenario: record.scenario.clone(),
                    languages: vec![record.language.clone()],
                    sessions: 1,
                    best_score: *score,
                    latest_score: *score,
                    latest_outcome: *outcome,
                    latest_at: *at,
                }),
            }
        }
        scenarios.sort_by(|a, b| a.scenario.cmp(&b.scenario));

        TrainingSummary {
            worker,
            name: name.to_string(),
            sessions_started: mine.len(),
            sessions_finished: finished.len(),
            outcomes,
            average_score: (!scores.is_empty()).then(|| one_decimal(mean(&scores))),
            scenarios,
            trend: Trend::of(&scores),
        }
    }
}

impl Trend {
    /// The trend of scores in the order they were reached; `None` when there are none.
    pub fn of(scores: &[u8]) -> Option<Trend> {
        if scores.is_empty() {
            return None;
        }
        let split = scores.len().saturating_sub(TREND_WINDOW);
        let recent = &scores[split..];
        let previous = &scores[split.saturating_sub(TREND_WINDOW)..split];
        let recent_average = one_decimal(mean(recent));
        let previous_average = (!previous.is_empty()).then(|| one_decimal(mean(previous)));
        let change = previous_average.map(|p| one_decimal(recent_average - p));
        let direction = match change {
            None => TrendDirection::New,
            Some(c) if c > STEADY_WITHIN => TrendDirection::Up,
            Some(c) if c < -STEADY_WITHIN => TrendDirection::Down,
            Some(_) => TrendDirection::Steady,
        };
        Some(Trend {
            recent_average,
            recent_sessions: recent.len(),
            previous_average,
            previous_sessions: previous.len(),
            change,
            direction,
        })
    }
}

/// The columns [`record_of`] reads, in its order, then the state (a macro so queries stay static
/// strings).
macro_rules! training_columns {
    () => {
        "SELECT id, worker_id, scenario_id, language, started_at, finished_at, end_state, outcome,
                average_score, turns, state_json FROM training_sessions"
    };
}

fn record_of(row: &AnyRow) -> Result<TrainingRecord> {
    let optional_time = |index: usize| -> Result<Option<Timestamp>> {
        row.get::<Option<String>, _>(index)
            .map(|t| time(&t))
            .transpose()
    };
    Ok(TrainingRecord {
        id: row.get(0),
        worker: row.get(1),
        scenario: row.get(2),
        language: row.get(3),
        started_at: time(row.get::<&str, _>(4))?,
        finished_at: optional_time(5)?,
        end_state: row.get(6),
        outcome: row
            .get::<Option<String>, _>(7)
            .map(|o| TrainingOutcome::parse(&o))
            .transpose()?,
        average_score: row
            .get::<Option<i64>, _>(8)
            .map(|s| {
                u8::try_from(s).map_err(|_| Error::Invalid {
                    field: "average_score",
                    reason: format!("{s} is not a score"),
                })
            })
            .transpose()?,
        turns: row.get(9),
    })
}

impl Store {
    /// Whose training the viewer asks for: a worker only their own (another worker's is
    /// [`Error::NotFound`]); supervisors and admins anyone's, or everyone's with `None`.
    async fn training_target(&self, viewer: Viewer, worker: Option<i64>) -> Result<Option<i64>> {
        let target = match worker {
            Some(w) if viewer.sees_all() || w == viewer.worker => Some(w),
            Some(_) => return Err(Error::NotFound),
            None if viewer.sees_all() => None,
            None => Some(viewer.worker),
        };
        if let Some(w) = target {
            self.worker(w).await?;
        }
        Ok(target)
    }

    async fn training_records(&self, worker: Option<i64>) -> Result<Vec<TrainingRecord>> {
        let rows = sqlx::query(concat!(
            training_columns!(),
            " WHERE $1 IS NULL OR worker_id = $2 ORDER BY started_at DESC, id DESC"
        ))
        .bind(worker)
        .bind(worker)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_of).collect()
    }

    /// Starts a session for the viewer: `state_json` is the trainer's serialised session at its
    /// start. Returns its id.
    pub async fn start_training(
        &self,
        viewer: Viewer,
        scenario: &str,
        language: &str,
        state_json: &str,
    ) -> Result<i64> {
        if scenario.trim().is_empty() || language.trim().is_empty() {
            return Err(Error::Invalid {
                field: "scenario",
                reason: "a scenario id and a language are needed".into(),
            });
        }
        let insert = sqlx::query(
            "INSERT INTO training_sessions (worker_id, scenario_id, language, state_json, started_at, turns)
             VALUES ($1, $2, $3, $4, $5, 0) RETURNING id",
        )
        .bind(viewer.worker)
        .bind(scenario)
        .bind(language)
        .bind(state_json)
        .bind(stamp(Timestamp::now()));
        self.create(
            Some(viewer.worker),
            "training_session",
            &format!("{scenario} {language}"),
            insert,
        )
        .await
    }

    /// A session with its state: a worker's own only ([`Error::NotFound`] for anyone else's);
    /// supervisors and admins any.
    pub async fn training_session(&self, viewer: Viewer, id: i64) -> Result<TrainingSession> {
        let row = sqlx::query(concat!(training_columns!(), " WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let record = record_of(&row)?;
        if !(viewer.sees_all() || record.worker == viewer.worker) {
            return Err(Error::NotFound);
        }
        self.audit(
            Some(viewer.worker),
            "read",
            &format!("training_session:{id}"),
            "",
        )
        .await?;
        Ok(TrainingSession {
            record,
            state_json: row.get(10),
        })
    }

    /// Saves the state of the viewer's own session after a reply (`turns` replies so far), and,
    /// when it reached an end state, what it came to. Only the worker playing it may save
    /// (anyone else gets [`Error::NotFound`]). A session already finished, or saved meanwhile
    /// with as many turns (two replies racing), is refused with [`Error::Invalid`] on the field
    /// `training_session`, so a reply is never lost silently.
    pub async fn save_training(
        &self,
        viewer: Viewer,
        id: i64,
        state_json: &str,
        turns: i64,
        finished: Option<&Finished>,
    ) -> Result<()> {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT worker_id FROM training_sessions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        if owner != Some(viewer.worker) {
            return Err(Error::NotFound);
        }
        if let Some(f) = finished
            && f.average_score > 100
        {
            return Err(Error::Invalid {
                field: "average_score",
                reason: format!("{} is over 100", f.average_score),
            });
        }
        let saved = sqlx::query(
            "UPDATE training_sessions
             SET state_json = $1, turns = $2, finished_at = $3, end_state = $4, outcome = $5, average_score = $6
             WHERE id = $7 AND finished_at IS NULL AND turns < $8",
        )
        .bind(state_json)
        .bind(turns)
        .bind(finished.map(|_| stamp(Timestamp::now())))
        .bind(finished.map(|f| f.end_state.clone()))
        .bind(finished.map(|f| f.outcome.as_str()))
        .bind(finished.map(|f| i64::from(f.average_score)))
        .bind(id)
        .bind(turns)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if saved != 1 {
            return Err(Error::Invalid {
                field: "training_session",
                reason: "it has already ended, or another reply was saved meanwhile".into(),
            });
        }
        let detail = match finished {
            Some(f) => format!("turn {turns}, finished {}", f.outcome.as_str()),
            None => format!("turn {turns}"),
        };
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("training_session:{id}"),
            &detail,
        )
        .await
    }

    /// The sessions the viewer may see, newest first: a worker's own (asking for another
    /// worker's is [`Error::NotFound`]); for supervisors and admins one worker's, or everyone's
    /// with `None`.
    pub async fn training_progress(
        &self,
        viewer: Viewer,
        worker: Option<i64>,
    ) -> Result<Vec<TrainingRecord>> {
        let target = self.training_target(viewer, worker).await?;
        let records = self.training_records(target).await?;
        self.audit(
            Some(viewer.worker),
            "read",
            &target.map_or_else(|| "training".into(), |w| format!("training:worker:{w}")),
            "progress",
        )
        .await?;
        Ok(records)
    }

    /// Progress at a glance, per worker, by worker id: the viewer's own for a worker (another
    /// worker's is [`Error::NotFound`]); for supervisors and admins one worker's, or with
    /// `None` every worker's, those who have not trained yet included.
    pub async fn training_summary(
        &self,
        viewer: Viewer,
        worker: Option<i64>,
    ) -> Result<Vec<TrainingSummary>> {
        let target = self.training_target(viewer, worker).await?;
        let records = self.training_records(target).await?;
        let workers = match target {
            Some(w) => vec![self.worker(w).await?],
            None => self.workers().await?,
        };
        self.audit(
            Some(viewer.worker),
            "read",
            &target.map_or_else(|| "training".into(), |w| format!("training:worker:{w}")),
            "summary",
        )
        .await?;
        Ok(workers
            .iter()
            .map(|w| TrainingSummary::of(w.id, &w.name, &records))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(id: i64, scenario: &str, language: &str, second: i64, score: u8) -> TrainingRecord {
        TrainingRecord {
            id,
            worker: 1,
            scenario: scenario.into(),
            language: language.into(),
            started_at: Timestamp::from_second(second - 60).unwrap(),
            finished_at: Some(Timestamp::from_second(second).unwrap()),
            end_state: Some("end".into()),
            outcome: Some(if score >= 70 {
                TrainingOutcome::Good
            } else {
                TrainingOutcome::Poor
            }),
            average_score: Some(score),
            turns: 2,
        }
    }

    #[test]
    fn the_trend_compares_the_last_five_with_the_five_before() {
        assert_eq!(Trend::of(&[]), None);
        let new = Trend::of(&[40, 60]).unwrap();
        assert_eq!(new.direction, TrendDirection::New);
        assert_eq!(new.recent_average, 50.0);
        assert_eq!(new.previous_average, None);

        // Eleven scores: the oldest falls out, 5 previous (50s) against 5 recent (80s).
        let scores = [0, 50, 50, 50, 50, 50, 80, 80, 80, 80, 82];
        let trend = Trend::of(&scores).unwrap();
        assert_eq!(
            (trend.recent_sessions, trend.previous_sessions),
            (5, 5),
            "{trend:?}"
        );
        assert_eq!(trend.recent_average, 80.4);
        assert_eq!(trend.previous_average, Some(50.0));
        assert_eq!(trend.change, Some(30.4));
        assert_eq!(trend.direction, TrendDirection::Up);

        let partial = Trend::of(&[70, 71, 70, 70, 70, 72, 70]).unwrap();
        assert_eq!(partial.previous_sessions, 2);
        assert_eq!(partial.direction, TrendDirection::Steady);
        assert_eq!(
            Trend::of(&[90, 90, 90, 90, 90, 60]).unwrap().direction,
            TrendDirection::Down
        );
    }

    #[test]
    fn a_summary_has_best_and_latest_per_scenario_in_finishing_order() {
        let mut in_progress = finished(9, "self-harm", "en", 500, 0);
        in_progress.finished_at = None;
        in_progress.outcome = None;
        in_progress.average_score = None;
        let mut someone_else = finished(10, "self-harm", "en", 600, 99);
        someone_else.worker = 2;
        let records = vec![
            // Listed newest first, as the store does; the summary orders by finishing time.
            finished(3, "money-request", "es", 300, 60),
            finished(2, "money-request", "en", 200, 90),
            finished(1, "money-request", "en", 100, 40),
            in_progress,
            someone_else,
        ];
        let summary = TrainingSummary::of(1, "Anna", &records);
        assert_eq!(summary.sessions_started, 4);
        assert_eq!(summary.sessions_finished, 3);
        assert_eq!(
            summary.outcomes,
            OutcomeCounts {
                good: 1,
                mixed: 0,
                poor: 2
            }
        );
        assert_eq!(summary.average_score, Some(63.3));
        let money = &summary.scenarios[0];
        assert_eq!(money.scenario, "money-request");
        assert_eq!(money.languages, ["en", "es"]);
        assert_eq!(
            (money.sessions, money.best_score, money.latest_score),
            (3, 90, 60)
        );
        assert_eq!(money.latest_outcome, TrainingOutcome::Poor);
        assert_eq!(summary.scenarios.len(), 1);
        assert_eq!(summary.trend.unwrap().direction, TrendDirection::New);
    }
}
