//! Notes waiting to be posted to other systems (guidance back to Chatwoot as a private note).
//!
//! A note is written here before the delivery that caused it is acknowledged, so a target that
//! is down, or a tact restart, loses nothing. A sender claims due notes with a short lease (a
//! conditional update both back-ends run atomically), so several replicas never send one note
//! at the same time; a sender that dies mid-send leaves a lease that simply runs out.

use crate::{Result, Store, stamp};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sqlx::Row;

/// A note to post.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxNote {
    /// Id.
    pub id: i64,
    /// Which system: `chatwoot`.
    pub target: String,
    /// Where in it: `accounts/3/conversations/42`.
    pub address: String,
    /// The note.
    pub content: String,
    /// Attempts so far.
    pub attempts: i64,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// The target's answer to the last failed attempt.
    pub last_error: Option<String>,
}

/// How the outbox stands, for metrics and the health of an integration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    /// Waiting to be sent or retried.
    pub pending: i64,
    /// Delivered.
    pub sent: i64,
    /// Given up on after too many attempts or a refusal.
    pub failed: i64,
}

impl Store {
    /// Queues a note for `target` at `address`, due at once.
    pub async fn enqueue_note(&self, target: &str, address: &str, content: &str) -> Result<i64> {
        let now = stamp(Timestamp::now());
        Ok(sqlx::query(
            "INSERT INTO outbox (target, address, content, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(target)
        .bind(address)
        .bind(content)
        .bind(&now)
        .bind(&now)
        .fetch_one(&self.pool)
        .await?
        .get(0))
    }

    /// Claims up to `limit` notes for `target` that are due at `now`, leasing each for `lease`:
    /// until it runs out, no other sender takes them.
    pub async fn claim_due_notes(
        &self,
        target: &str,
        now: Timestamp,
        lease: SignedDuration,
        limit: i64,
    ) -> Result<Vec<OutboxNote>> {
        let rows = sqlx::query(
            "SELECT id, target, address, content, attempts FROM outbox
             WHERE target = $1 AND status = 'pending' AND next_attempt_at <= $2
               AND (lease_until IS NULL OR lease_until <= $2)
             ORDER BY next_attempt_at, id LIMIT $3",
        )
        .bind(target)
        .bind(stamp(now))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let until = stamp(now.saturating_add(lease).unwrap_or(now));
        let mut claimed = Vec::new();
        for row in rows {
            let id: i64 = row.get(0);
            let won = sqlx::query(
                "UPDATE outbox SET lease_until = $1
                 WHERE id = $2 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $3)",
            )
            .bind(&until)
            .bind(id)
            .bind(stamp(now))
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1;
            if won {
                claimed.push(OutboxNote {
                    id,
                    target: row.get(1),
                    address: row.get(2),
                    content: row.get(3),
                    attempts: row.get(4),
                    status: "pending".into(),
                    last_error: None,
                });
            }
        }
        Ok(claimed)
    }

    /// Records a delivered note.
    pub async fn note_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL,
               attempts = attempts + 1, last_error = NULL WHERE id = $2",
        )
        .bind(stamp(now))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or given up on when `None`. The error
    /// is the target's answer (a status and reason), never the note.
    pub async fn note_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<()> {
        let error: String = error.chars().take(500).collect();
        match retry_at {
            Some(at) => {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $1,
                       next_attempt_at = $2, lease_until = NULL WHERE id = $3",
                )
                .bind(error)
                .bind(stamp(at))
                .bind(id)
                .execute(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $1,
                       status = 'failed', lease_until = NULL WHERE id = $2",
                )
                .bind(error)
                .bind(id)
                .execute(&self.pool)
                .await?
            }
        };
        self.audit(None, "update", &format!("outbox:{id}"), "delivery failed")
            .await
    }

    /// How many notes are pending, sent and failed.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows = sqlx::query("SELECT status, COUNT(*) FROM outbox GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        let mut counts = OutboxCounts::default();
        for row in rows {
            let n: i64 = row.get(1);
            match row.get::<&str, _>(0) {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                _ => counts.failed = n,
            }
        }
        Ok(counts)
    }

    /// The note with this id as it stands.
    pub async fn outbox_note(&self, id: i64) -> Result<OutboxNote> {
        let row = sqlx::query(
            "SELECT id, target, address, content, attempts, status, last_error FROM outbox WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(crate::Error::NotFound)?;
        Ok(OutboxNote {
            id: row.get(0),
            target: row.get(1),
            address: row.get(2),
            content: row.get(3),
            attempts: row.get(4),
            status: row.get(5),
            last_error: row.get(6),
        })
    }
}
