//! Overviews for the web interface: a worker's conversations at a glance, and promises kept per
//! worker for the supervisor's dashboard. Each query keeps the store's one rule: a worker sees
//! only their own conversations, supervisors and admins see all.

use crate::{Result, Store, Viewer, stamp, time};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

/// One conversation in a list: enough to choose which to open, no message text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversationSummary {
    /// Id.
    pub id: i64,
    /// The channel's id (`chatwoot:1:19`), when it came from one.
    pub external_id: Option<String>,
    /// The client's pseudonym.
    pub client: String,
    /// The conversation's language, when known.
    pub language: Option<String>,
    /// Whose it is.
    pub worker: i64,
    /// Their name.
    pub worker_name: String,
    /// How many messages.
    pub messages: i64,
    /// When the last message was sent.
    pub last_message_at: Option<Timestamp>,
    /// Incidents not yet resolved.
    pub open_incidents: i64,
}

/// How a worker keeps their promises and follow-ups (P20, P36).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerPromises {
    /// The worker.
    pub worker: i64,
    /// Their name.
    pub name: String,
    /// Kept in time.
    pub kept: i64,
    /// Kept, but late.
    pub late: i64,
    /// Not kept.
    pub broken: i64,
    /// Still open and not yet due.
    pub open: i64,
    /// Still open and past due.
    pub overdue: i64,
}

impl Store {
    /// The conversations the viewer may see, the most recently active first.
    pub async fn conversation_summaries(&self, viewer: Viewer) -> Result<Vec<ConversationSummary>> {
        let rows = sqlx::query(
            "SELECT c.id, c.external_id, cl.pseudonym, c.language, c.worker_id, w.name,
                    (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id),
                    (SELECT MAX(m.sent_at) FROM messages m WHERE m.conversation_id = c.id),
                    (SELECT COUNT(*) FROM incidents i
                      WHERE i.conversation_id = c.id AND i.status <> 'resolved')
             FROM conversations c
             JOIN clients cl ON cl.id = c.client_id
             JOIN workers w ON w.id = c.worker_id
             WHERE $1 OR c.worker_id = $2
             ORDER BY 8 DESC NULLS LAST, c.id DESC",
        )
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "conversations", "")
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ConversationSummary {
                    id: row.get(0),
                    external_id: row.get(1),
                    client: row.get(2),
                    language: row.get(3),
                    worker: row.get(4),
                    worker_name: row.get(5),
                    messages: row.get(6),
                    last_message_at: row
                        .get::<Option<String>, _>(7)
                        .map(|t| time(&t))
                        .transpose()?,
                    open_incidents: row.get(8),
                })
            })
            .collect()
    }

    /// Promises and follow-ups per worker, as of `now`, for the workers the viewer may see.
    pub async fn promises_by_worker(
        &self,
        viewer: Viewer,
        now: Timestamp,
    ) -> Result<Vec<WorkerPromises>> {
        let rows = sqlx::query(
            "SELECT w.id, w.name,
                    SUM(CASE WHEN m.status = 'kept' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN m.status = 'late' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN m.status = 'broken' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN m.status = 'open' AND m.due_at > $3 THEN 1 ELSE 0 END),
                    SUM(CASE WHEN m.status = 'open' AND m.due_at <= $3 THEN 1 ELSE 0 END)
             FROM commitments m
             JOIN conversations c ON c.id = m.conversation_id
             JOIN workers w ON w.id = c.worker_id
             WHERE $1 OR c.worker_id = $2
             GROUP BY w.id, w.name ORDER BY w.name, w.id",
        )
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .bind(stamp(now))
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "promises_by_worker", "")
            .await?;
        Ok(rows
            .iter()
            .map(|row| WorkerPromises {
                worker: row.get(0),
                name: row.get(1),
                kept: row.get(2),
                late: row.get(3),
                broken: row.get(4),
                open: row.get(5),
                overdue: row.get(6),
            })
            .collect())
    }
}
