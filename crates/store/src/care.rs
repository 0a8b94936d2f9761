//! Looking after workers (P6, P14, P16, P20, P22): teams, absences, the on-call rota, wellbeing
//! prompts, notifications held back until a worker's shift, and the records a weekly report and
//! an exposure reading are built from.
//!
//! Exposure is about a person, not a case, so it has its own rule, stricter than the case rule
//! that lets every supervisor see every conversation: what concerns a worker's load (prompts,
//! exposure records, notifications, absences) is seen by the worker, by *their own* supervisor
//! (`workers.supervisor_id`) and by admins, and by nobody else. A record another viewer may not
//! see is [`Error::NotFound`], like one that does not exist.

use crate::{
    AbsenceKind, CommitmentKind, CommitmentStatus, Error, IncidentKind, IncidentStatus,
    NotificationReason, PromptKind, Result, Role, Store, Viewer, Worker, stamp, time,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A holiday or absence of a worker: days in their own calendar, both included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Absence {
    /// Id.
    pub id: i64,
    /// Who is away.
    pub worker: i64,
    /// First day away.
    pub first_day: Date,
    /// Last day away (included).
    pub last_day: Date,
    /// Holiday or absence.
    pub kind: AbsenceKind,
}

/// Someone on call between two moments: `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OnCallSlot {
    /// Id.
    pub id: i64,
    /// Who is on call.
    pub worker: i64,
    /// Start (included).
    pub from: Timestamp,
    /// End (excluded).
    pub until: Timestamp,
}

/// A prompt raised by the exposure rules, to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPrompt {
    /// For whom.
    pub worker: i64,
    /// What it suggests.
    pub kind: PromptKind,
    /// The rule's identity for this situation: the same key is recorded once.
    pub key: String,
    /// The conversation behind a debrief.
    pub conversation: Option<i64>,
    /// Why, in counts and kinds (never a client's words).
    pub reason: String,
    /// When the rule fired.
    pub raised_at: Timestamp,
}

/// A recorded prompt and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WellbeingPrompt {
    /// Id.
    pub id: i64,
    /// For whom.
    pub worker: i64,
    /// What it suggests.
    pub kind: PromptKind,
    /// The rule's identity for this situation.
    pub key: String,
    /// The conversation behind a debrief.
    pub conversation: Option<i64>,
    /// Why, in counts and kinds.
    pub reason: String,
    /// When the rule fired.
    pub raised_at: Timestamp,
    /// When it was taken (the break had, the debrief held), if it was.
    pub taken_at: Option<Timestamp>,
    /// When it was set aside without being taken, if it was.
    pub dismissed_at: Option<Timestamp>,
}

/// A worker told (or to be told) about a client's message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// Who is told.
    pub worker: i64,
    /// The conversation.
    pub conversation: i64,
    /// The client's message.
    pub message: i64,
    /// Why this worker, and why now or later.
    pub reason: NotificationReason,
    /// When they are to be told.
    pub notify_at: Timestamp,
    /// When they were told; `None` while it waits.
    pub delivered_at: Option<Timestamp>,
}

/// A client's message as far as the worker's load goes: its stored analysis summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientAnalysis {
    /// The conversation's worker.
    pub worker: i64,
    /// The conversation.
    pub conversation: i64,
    /// The message.
    pub message: i64,
    /// When it was sent.
    pub sent_at: Timestamp,
    /// The stored analysis summary, if any.
    pub analysis: Option<serde_json::Value>,
}

/// A commitment with its worker and how it was closed, for accountability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentRecord {
    /// Id.
    pub id: i64,
    /// The conversation's worker.
    pub worker: i64,
    /// The conversation.
    pub conversation: i64,
    /// Promise or follow-up.
    pub kind: CommitmentKind,
    /// When it is due.
    pub due_at: Timestamp,
    /// Its stored status (an open one stays open here; the report decides what is overdue).
    pub status: CommitmentStatus,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
}

/// An incident with its worker and when it was resolved, for accountability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRecord {
    /// Id.
    pub id: i64,
    /// The conversation's worker.
    pub worker: i64,
    /// The conversation.
    pub conversation: i64,
    /// What kind.
    pub kind: IncidentKind,
    /// `low` … `urgent`.
    pub severity: String,
    /// Where it stands.
    pub status: IncidentStatus,
    /// When it was raised.
    pub created_at: Timestamp,
    /// When it was resolved (its last update, for a resolved incident).
    pub resolved_at: Option<Timestamp>,
}

/// Everything about one worker over a period that exposure and the weekly report read. Each
/// list is exactly the stored rows in the period, so a report can be checked against them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CareRecords {
    /// Client messages in their conversations, sent in the period.
    pub client_messages: Vec<ClientAnalysis>,
    /// When they sent messages themselves in the period.
    pub actions: Vec<Timestamp>,
    /// Commitments of their conversations due in the period.
    pub commitments: Vec<CommitmentRecord>,
    /// Incidents of their conversations raised in the period.
    pub incidents: Vec<IncidentRecord>,
    /// Prompts raised for them in the period.
    pub prompts: Vec<WellbeingPrompt>,
}

fn optional_time(row: &AnyRow, index: usize) -> Result<Option<Timestamp>> {
    row.get::<Option<String>, _>(index)
        .map(|t| time(&t))
        .transpose()
}

fn date(text: &str) -> Result<Date> {
    text.parse().map_err(|e| Error::Invalid {
        field: "date",
        reason: format!("{text:?}: {e}"),
    })
}

/// The columns [`prompt_of`] reads, in its order.
macro_rules! prompt_columns {
    () => {
        "SELECT p.id, p.worker_id, p.kind, p.key, p.conversation_id, p.reason, p.raised_at,
                p.taken_at, p.dismissed_at FROM wellbeing_prompts p JOIN workers w ON w.id = p.worker_id"
    };
}

fn prompt_of(row: &AnyRow) -> Result<WellbeingPrompt> {
    Ok(WellbeingPrompt {
        id: row.get(0),
        worker: row.get(1),
        kind: PromptKind::parse(row.get::<&str, _>(2))?,
        key: row.get(3),
        conversation: row.get(4),
        reason: row.get(5),
        raised_at: time(row.get::<&str, _>(6))?,
        taken_at: optional_time(row, 7)?,
        dismissed_at: optional_time(row, 8)?,
    })
}

fn notification_of(row: &AnyRow) -> Result<Notification> {
    Ok(Notification {
        id: row.get(0),
        worker: row.get(1),
        conversation: row.get(2),
        message: row.get(3),
        reason: NotificationReason::parse(row.get::<&str, _>(4))?,
        notify_at: time(row.get::<&str, _>(5))?,
        delivered_at: optional_time(row, 6)?,
    })
}

fn slot_of(row: &AnyRow) -> Result<OnCallSlot> {
    Ok(OnCallSlot {
        id: row.get(0),
        worker: row.get(1),
        from: time(row.get::<&str, _>(2))?,
        until: time(row.get::<&str, _>(3))?,
    })
}

/// The condition "the viewer may see this worker's wellbeing records", on a query where the
/// worker's row is `w`, with `$1` = viewer is admin, `$2` = viewer's id, `$3` = viewer is a
/// supervisor (a macro so queries stay static strings).
macro_rules! sees_worker {
    () => {
        "($1 OR w.id = $2 OR ($3 AND w.supervisor_id = $2))"
    };
}

impl Viewer {
    fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    fn is_supervisor(&self) -> bool {
        self.role == Role::Supervisor
    }
}

impl Store {
    // ------------------------------------------------------------------ teams

    /// Puts a worker in a supervisor's team (or in none): admins only. The supervisor must be a
    /// supervisor or an admin, and not the worker themselves.
    pub async fn set_supervisor(
        &self,
        viewer: Viewer,
        worker: i64,
        supervisor: Option<i64>,
    ) -> Result<()> {
        if !viewer.is_admin() {
            return Err(Error::Forbidden);
        }
        self.worker(worker).await?;
        if let Some(supervisor) = supervisor {
            let lead = self.worker(supervisor).await?;
            if lead.role == Role::Worker || supervisor == worker {
                return Err(Error::Invalid {
                    field: "supervisor",
                    reason: format!(
                        "worker {supervisor} cannot lead worker {worker}'s team: a team is led by another supervisor or admin"
                    ),
                });
            }
        }
        sqlx::query("UPDATE workers SET supervisor_id = $1 WHERE id = $2")
            .bind(supervisor)
            .bind(worker)
            .execute(&self.pool)
            .await?;
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("worker:{worker}"),
            &format!("supervisor {supervisor:?}"),
        )
        .await
    }

    /// Whose team a worker is in, if anyone's.
    pub async fn supervisor_of(&self, worker: i64) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT supervisor_id FROM workers WHERE id = $1")
            .bind(worker)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The members of `supervisor`'s team, by id: for that supervisor and admins. Another
    /// supervisor's team is [`Error::Forbidden`] (the team exists; its members are not theirs to
    /// read), and so is any team for a worker.
    pub async fn team(&self, viewer: Viewer, supervisor: i64) -> Result<Vec<Worker>> {
        if !(viewer.is_admin() || (viewer.is_supervisor() && viewer.worker == supervisor)) {
            return Err(Error::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT id, name, role, time_zone, working_hours FROM workers
             WHERE supervisor_id = $1 ORDER BY id",
        )
        .bind(supervisor)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Store::worker_of).collect()
    }

    /// The workers whose wellbeing records the viewer may see, by id: themselves; a
    /// supervisor's team too; everyone for an admin.
    pub async fn visible_workers(&self, viewer: Viewer) -> Result<Vec<Worker>> {
        let rows = sqlx::query(concat!(
            "SELECT w.id, w.name, w.role, w.time_zone, w.working_hours FROM workers w WHERE ",
            sees_worker!(),
            " ORDER BY w.id"
        ))
        .bind(viewer.is_admin())
        .bind(viewer.worker)
        .bind(viewer.is_supervisor())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Store::worker_of).collect()
    }

    /// The other members of a worker's team (same supervisor), by id; none when they have no
    /// team. For routing an urgent message to a colleague on duty.
    pub async fn teammates(&self, worker: i64) -> Result<Vec<Worker>> {
        let Some(supervisor) = self.supervisor_of(worker).await? else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(
            "SELECT id, name, role, time_zone, working_hours FROM workers
             WHERE supervisor_id = $1 AND id <> $2 ORDER BY id",
        )
        .bind(supervisor)
        .bind(worker)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Store::worker_of).collect()
    }

    /// Every supervisor, by id: who must hear of an urgent message nobody is there to take.
    pub async fn supervisors(&self) -> Result<Vec<Worker>> {
        let rows = sqlx::query(
            "SELECT id, name, role, time_zone, working_hours FROM workers
             WHERE role = 'supervisor' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Store::worker_of).collect()
    }

    /// Checks that the viewer may see a worker's wellbeing records: [`Error::NotFound`] when not,
    /// exactly as for a worker that does not exist.
    pub async fn may_see_worker(&self, viewer: Viewer, worker: i64) -> Result<()> {
        let supervisor = self.supervisor_of(worker).await?;
        if viewer.is_admin()
            || viewer.worker == worker
            || (viewer.is_supervisor() && supervisor == Some(viewer.worker))
        {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Checks that the viewer may plan a worker's time (absences, on call): their supervisor or
    /// an admin. A worker may not ([`Error::Forbidden`]); another team is [`Error::NotFound`].
    async fn may_plan_for(&self, viewer: Viewer, worker: i64) -> Result<()> {
        if viewer.role == Role::Worker {
            return Err(Error::Forbidden);
        }
        self.may_see_worker(viewer, worker).await
    }

    // ------------------------------------------------------------------ absences

    /// Records a holiday or absence from `first_day` to `last_day` (both included, in the
    /// worker's calendar): their supervisor or an admin.
    pub async fn add_absence(
        &self,
        viewer: Viewer,
        worker: i64,
        first_day: Date,
        last_day: Date,
        kind: AbsenceKind,
    ) -> Result<i64> {
        self.may_plan_for(viewer, worker).await?;
        if last_day < first_day {
            return Err(Error::Invalid {
                field: "absence",
                reason: format!("it ends on {last_day}, before it starts on {first_day}"),
            });
        }
        let insert = sqlx::query(
            "INSERT INTO absences (worker_id, first_day, last_day, kind, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(worker)
        .bind(first_day.to_string())
        .bind(last_day.to_string())
        .bind(kind.as_str())
        .bind(viewer.worker)
        .bind(stamp(Timestamp::now()));
        self.create(
            Some(viewer.worker),
            "absence",
            &format!("worker:{worker}"),
            insert,
        )
        .await
    }

    /// The absences the viewer may see, of one worker or of all they may see, by first day.
    pub async fn absences(&self, viewer: Viewer, worker: Option<i64>) -> Result<Vec<Absence>> {
        if let Some(worker) = worker {
            self.may_see_worker(viewer, worker).await?;
        }
        let rows = sqlx::query(concat!(
            "SELECT a.id, a.worker_id, a.first_day, a.last_day, a.kind
             FROM absences a JOIN workers w ON w.id = a.worker_id WHERE ",
            sees_worker!(),
            " AND ($4 IS NULL OR a.worker_id = $5) ORDER BY a.first_day, a.id"
        ))
        .bind(viewer.is_admin())
        .bind(viewer.worker)
        .bind(viewer.is_supervisor())
        .bind(worker)
        .bind(worker)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "absences", "")
            .await?;
        rows.iter().map(absence_of).collect()
    }

    /// A worker's absences, for routing their messages, which the organisation does whoever
    /// sends them.
    pub async fn worker_absences(&self, worker: i64) -> Result<Vec<Absence>> {
        let rows = sqlx::query(
            "SELECT id, worker_id, first_day, last_day, kind FROM absences
             WHERE worker_id = $1 ORDER BY first_day, id",
        )
        .bind(worker)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(absence_of).collect()
    }

    /// Removes an absence: the worker's supervisor or an admin.
    pub async fn delete_absence(&self, viewer: Viewer, id: i64) -> Result<()> {
        let worker: i64 = sqlx::query_scalar("SELECT worker_id FROM absences WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        self.may_plan_for(viewer, worker).await?;
        sqlx::query("DELETE FROM absences WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.audit(Some(viewer.worker), "delete", &format!("absence:{id}"), "")
            .await
    }

    // ------------------------------------------------------------------ on call

    /// Puts a worker on call over `[from, until)`: their supervisor or an admin.
    pub async fn add_on_call(
        &self,
        viewer: Viewer,
        worker: i64,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<i64> {
        self.may_plan_for(viewer, worker).await?;
        if stamp(until) <= stamp(from) {
            return Err(Error::Invalid {
                field: "on_call",
                reason: format!("it ends at {until}, not after it starts at {from}"),
            });
        }
        let insert = sqlx::query(
            "INSERT INTO on_call (worker_id, starts_at, ends_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(worker)
        .bind(stamp(from))
        .bind(stamp(until))
        .bind(viewer.worker)
        .bind(stamp(Timestamp::now()));
        self.create(
            Some(viewer.worker),
            "on_call",
            &format!("worker:{worker}"),
            insert,
        )
        .await
    }

    /// The on-call slots the viewer may see that overlap `[from, until)`, by start.
    pub async fn on_call(
        &self,
        viewer: Viewer,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<OnCallSlot>> {
        let rows = sqlx::query(concat!(
            "SELECT o.id, o.worker_id, o.starts_at, o.ends_at
             FROM on_call o JOIN workers w ON w.id = o.worker_id WHERE ",
            sees_worker!(),
            " AND o.ends_at > $4 AND o.starts_at < $5 ORDER BY o.starts_at, o.id"
        ))
        .bind(viewer.is_admin())
        .bind(viewer.worker)
        .bind(viewer.is_supervisor())
        .bind(stamp(from))
        .bind(stamp(until))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(slot_of).collect()
    }

    /// Who is on call at `at`, in order of preference: first the slots of `team`'s members (the
    /// team of the worker whose message it is), then the others, each by the order they were
    /// planned. For routing, which the organisation does whoever sends the message.
    pub async fn on_call_at(&self, at: Timestamp, team: Option<i64>) -> Result<Vec<OnCallSlot>> {
        let rows = sqlx::query(
            "SELECT o.id, o.worker_id, o.starts_at, o.ends_at
             FROM on_call o JOIN workers w ON w.id = o.worker_id
             WHERE o.starts_at <= $1 AND o.ends_at > $1
             ORDER BY CASE WHEN w.supervisor_id = $2 THEN 0 ELSE 1 END, o.id",
        )
        .bind(stamp(at))
        .bind(team)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(slot_of).collect()
    }

    /// Removes an on-call slot: the worker's supervisor or an admin.
    pub async fn delete_on_call(&self, viewer: Viewer, id: i64) -> Result<()> {
        let worker: i64 = sqlx::query_scalar("SELECT worker_id FROM on_call WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        self.may_plan_for(viewer, worker).await?;
        sqlx::query("DELETE FROM on_call WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.audit(Some(viewer.worker), "delete", &format!("on_call:{id}"), "")
            .await
    }

    // ------------------------------------------------------------------ prompts

    /// Records a prompt unless one with its key was recorded before (the rules are evaluated
    /// after every message; each situation is prompted once). Returns the new prompt's id.
    pub async fn record_prompt(&self, prompt: &NewPrompt) -> Result<Option<i64>> {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO wellbeing_prompts (worker_id, kind, key, conversation_id, reason, raised_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING id",
        )
        .bind(prompt.worker)
        .bind(prompt.kind.as_str())
        .bind(&prompt.key)
        .bind(prompt.conversation)
        .bind(&prompt.reason)
        .bind(stamp(prompt.raised_at))
        .fetch_optional(&self.pool)
        .await?;
        if let Some(id) = id {
            self.audit(
                None,
                "create",
                &format!("wellbeing_prompt:{id}"),
                &format!("{} for worker:{}", prompt.kind.as_str(), prompt.worker),
            )
            .await?;
        }
        Ok(id)
    }

    /// The prompts the viewer may see, of one worker or all they may see, newest first; only
    /// those raised at or after `since` when given.
    pub async fn prompts(
        &self,
        viewer: Viewer,
        worker: Option<i64>,
        since: Option<Timestamp>,
    ) -> Result<Vec<WellbeingPrompt>> {
        if let Some(worker) = worker {
            self.may_see_worker(viewer, worker).await?;
        }
        let rows = sqlx::query(concat!(
            prompt_columns!(),
            " WHERE ",
            sees_worker!(),
            " AND ($4 IS NULL OR p.worker_id = $5) AND ($6 IS NULL OR p.raised_at >= $7)
             ORDER BY p.raised_at DESC, p.id DESC"
        ))
        .bind(viewer.is_admin())
        .bind(viewer.worker)
        .bind(viewer.is_supervisor())
        .bind(worker)
        .bind(worker)
        .bind(since.map(stamp))
        .bind(since.map(stamp))
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "wellbeing_prompts", "")
            .await?;
        rows.iter().map(prompt_of).collect()
    }

    /// One prompt the viewer may see.
    pub async fn prompt(&self, viewer: Viewer, id: i64) -> Result<WellbeingPrompt> {
        let row = sqlx::query(concat!(prompt_columns!(), " WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let prompt = prompt_of(&row)?;
        self.may_see_worker(viewer, prompt.worker).await?;
        Ok(prompt)
    }

    /// Records that a prompt was taken at `at` (the break had, the debrief held): by the worker,
    /// their supervisor or an admin. Taking it again keeps the first time.
    pub async fn take_prompt(
        &self,
        viewer: Viewer,
        id: i64,
        at: Timestamp,
    ) -> Result<WellbeingPrompt> {
        self.prompt(viewer, id).await?;
        sqlx::query(
            "UPDATE wellbeing_prompts SET taken_at = $1, taken_by = $2
             WHERE id = $3 AND taken_at IS NULL",
        )
        .bind(stamp(at))
        .bind(viewer.worker)
        .bind(id)
        .execute(&self.pool)
        .await?;
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("wellbeing_prompt:{id}"),
            "taken",
        )
        .await?;
        self.prompt(viewer, id).await
    }

    /// Records that a prompt was set aside at `at` without being taken; a taken prompt stays
    /// taken.
    pub async fn dismiss_prompt(
        &self,
        viewer: Viewer,
        id: i64,
        at: Timestamp,
    ) -> Result<WellbeingPrompt> {
        self.prompt(viewer, id).await?;
        sqlx::query(
            "UPDATE wellbeing_prompts SET dismissed_at = $1
             WHERE id = $2 AND taken_at IS NULL AND dismissed_at IS NULL",
        )
        .bind(stamp(at))
        .bind(id)
        .execute(&self.pool)
        .await?;
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("wellbeing_prompt:{id}"),
            "dismissed",
        )
        .await?;
        self.prompt(viewer, id).await
    }

    // ------------------------------------------------------------------ notifications

    /// Records that `worker` is to be told about a client's `message` at `notify_at` (at once
    /// when `delivered`), in a conversation the viewer may see.
    pub async fn add_notification(
        &self,
        viewer: Viewer,
        message: i64,
        worker: i64,
        reason: NotificationReason,
        notify_at: Timestamp,
        delivered: bool,
    ) -> Result<i64> {
        let conversation: i64 =
            sqlx::query_scalar("SELECT conversation_id FROM messages WHERE id = $1")
                .bind(message)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?;
        self.visible(viewer, conversation).await?;
        let now = stamp(Timestamp::now());
        let insert = sqlx::query(
            "INSERT INTO notifications (worker_id, conversation_id, message_id, reason, notify_at, delivered_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(worker)
        .bind(conversation)
        .bind(message)
        .bind(reason.as_str())
        .bind(stamp(notify_at))
        .bind(delivered.then(|| now.clone()))
        .bind(&now);
        self.create(
            Some(viewer.worker),
            "notification",
            &format!("worker:{worker} {}", reason.as_str()),
            insert,
        )
        .await
    }

    /// Notifications due by `now` and not yet delivered, each marked delivered as it is claimed:
    /// a notification is returned once, to one replica, ever.
    pub async fn claim_due_notifications(&self, now: Timestamp) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, worker_id, conversation_id, message_id, reason, notify_at, delivered_at
             FROM notifications WHERE delivered_at IS NULL AND notify_at <= $1
             ORDER BY notify_at, id LIMIT 500",
        )
        .bind(stamp(now))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for row in rows {
            let mut notification = notification_of(&row)?;
            let won = sqlx::query(
                "UPDATE notifications SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL",
            )
            .bind(stamp(now))
            .bind(notification.id)
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1;
            if won {
                notification.delivered_at = Timestamp::from_second(now.as_second()).ok();
                claimed.push(notification);
            }
        }
        Ok(claimed)
    }

    /// The notifications of the workers the viewer may see (of one worker when given), newest
    /// first; only delivered ones when `delivered_only`.
    pub async fn notifications(
        &self,
        viewer: Viewer,
        worker: Option<i64>,
        delivered_only: bool,
    ) -> Result<Vec<Notification>> {
        if let Some(worker) = worker {
            self.may_see_worker(viewer, worker).await?;
        }
        let rows = sqlx::query(concat!(
            "SELECT n.id, n.worker_id, n.conversation_id, n.message_id, n.reason, n.notify_at, n.delivered_at
             FROM notifications n JOIN workers w ON w.id = n.worker_id WHERE ",
            sees_worker!(),
            " AND ($4 IS NULL OR n.worker_id = $5) AND (NOT $6 OR n.delivered_at IS NOT NULL)
             ORDER BY n.notify_at DESC, n.id DESC"
        ))
        .bind(viewer.is_admin())
        .bind(viewer.worker)
        .bind(viewer.is_supervisor())
        .bind(worker)
        .bind(worker)
        .bind(delivered_only)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "notifications", "")
            .await?;
        rows.iter().map(notification_of).collect()
    }

    // ------------------------------------------------------------------ records

    /// What exposure and the weekly report read about one worker over `[from, until)`: for the
    /// viewers allowed to see that worker's wellbeing records. Audited once.
    pub async fn care_records(
        &self,
        viewer: Viewer,
        worker: i64,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<CareRecords> {
        self.may_see_worker(viewer, worker).await?;
        let (from, until) = (stamp(from), stamp(until));
        let client_messages = sqlx::query(
            "SELECT m.id, m.conversation_id, m.sent_at, m.analysis
             FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.worker_id = $1 AND m.role = 'client' AND m.sent_at >= $2 AND m.sent_at < $3
             ORDER BY m.sent_at, m.id",
        )
        .bind(worker)
        .bind(&from)
        .bind(&until)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ClientAnalysis {
                worker,
                conversation: row.get(1),
                message: row.get(0),
                sent_at: time(row.get::<&str, _>(2))?,
                analysis: row
                    .get::<Option<&str>, _>(3)
                    .and_then(|a| serde_json::from_str(a).ok()),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let actions = sqlx::query(
            "SELECT m.sent_at FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.worker_id = $1 AND m.role = 'worker' AND m.sent_at >= $2 AND m.sent_at < $3
             ORDER BY m.sent_at, m.id",
        )
        .bind(worker)
        .bind(&from)
        .bind(&until)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| time(row.get::<&str, _>(0)))
        .collect::<Result<Vec<_>>>()?;
        let commitments = sqlx::query(
            "SELECT m.id, m.conversation_id, m.kind, m.due_at, m.status, m.closed_at
             FROM commitments m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.worker_id = $1 AND m.due_at >= $2 AND m.due_at < $3
             ORDER BY m.due_at, m.id",
        )
        .bind(worker)
        .bind(&from)
        .bind(&until)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(CommitmentRecord {
                id: row.get(0),
                worker,
                conversation: row.get(1),
                kind: CommitmentKind::parse(row.get::<&str, _>(2))?,
                due_at: time(row.get::<&str, _>(3))?,
                status: CommitmentStatus::parse(row.get::<&str, _>(4))?,
                closed_at: optional_time(row, 5)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let incidents = sqlx::query(
            "SELECT i.id, i.conversation_id, i.kind, i.severity, i.status, i.created_at, i.updated_at
             FROM incidents i JOIN conversations c ON c.id = i.conversation_id
             WHERE c.worker_id = $1 AND i.created_at >= $2 AND i.created_at < $3
             ORDER BY i.created_at, i.id",
        )
        .bind(worker)
        .bind(&from)
        .bind(&until)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let status = IncidentStatus::parse(row.get::<&str, _>(4))?;
            Ok(IncidentRecord {
                id: row.get(0),
                worker,
                conversation: row.get(1),
                kind: IncidentKind::parse(row.get::<&str, _>(2))?,
                severity: row.get(3),
                status,
                created_at: time(row.get::<&str, _>(5))?,
                resolved_at: match status {
                    IncidentStatus::Resolved => Some(time(row.get::<&str, _>(6))?),
                    _ => None,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let prompts = sqlx::query(concat!(
            prompt_columns!(),
            " WHERE p.worker_id = $1 AND p.raised_at >= $2 AND p.raised_at < $3
             ORDER BY p.raised_at, p.id"
        ))
        .bind(worker)
        .bind(&from)
        .bind(&until)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(prompt_of)
        .collect::<Result<Vec<_>>>()?;
        self.audit(
            Some(viewer.worker),
            "read",
            &format!("wellbeing:worker:{worker}"),
            &format!("{from}..{until}"),
        )
        .await?;
        Ok(CareRecords {
            client_messages,
            actions,
            commitments,
            incidents,
            prompts,
        })
    }
}

fn absence_of(row: &AnyRow) -> Result<Absence> {
    Ok(Absence {
        id: row.get(0),
        worker: row.get(1),
        first_day: date(row.get::<&str, _>(2))?,
        last_day: date(row.get::<&str, _>(3))?,
        kind: AbsenceKind::parse(row.get::<&str, _>(4))?,
    })
}
