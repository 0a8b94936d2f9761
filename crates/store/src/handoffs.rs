//! Escalations (a conversation handed up to a supervisor or over to a colleague) and referrals
//! (a directory entry offered to a client): both hang off a conversation, so a worker records
//! and sees only those of their own conversations.

use crate::{Error, Escalation, Referral, Result, Store, Viewer, stamp, time};
use jiff::Timestamp;
use sqlx::Row;

impl Store {
    /// Records an escalation of a conversation the viewer may see; `incident`, when given, must
    /// be one of that conversation's.
    pub async fn escalate(
        &self,
        viewer: Viewer,
        conversation: i64,
        incident: Option<i64>,
        to_worker: Option<i64>,
        reason: &str,
    ) -> Result<i64> {
        self.visible(viewer, conversation).await?;
        if reason.trim().is_empty() {
            return Err(Error::Invalid {
                field: "reason",
                reason: "say why, for whoever takes it over".into(),
            });
        }
        if let Some(incident) = incident {
            let of: Option<i64> =
                sqlx::query_scalar("SELECT conversation_id FROM incidents WHERE id = $1")
                    .bind(incident)
                    .fetch_optional(&self.pool)
                    .await?;
            if of != Some(conversation) {
                return Err(Error::NotFound);
            }
        }
        if let Some(to) = to_worker {
            self.worker(to).await?;
        }
        let insert = sqlx::query(
            "INSERT INTO escalations (incident_id, conversation_id, from_worker, to_worker, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(incident)
        .bind(conversation)
        .bind(viewer.worker)
        .bind(to_worker)
        .bind(reason)
        .bind(stamp(Timestamp::now()));
        self.create(
            Some(viewer.worker),
            "escalation",
            &format!("conversation:{conversation}"),
            insert,
        )
        .await
    }

    /// The escalations the viewer may see (of their conversations, or made to them; all for
    /// supervisors), newest first.
    pub async fn escalations(&self, viewer: Viewer) -> Result<Vec<Escalation>> {
        let rows = sqlx::query(
            "SELECT e.id, e.conversation_id, e.incident_id, e.from_worker, e.to_worker, e.reason, e.created_at
             FROM escalations e JOIN conversations c ON c.id = e.conversation_id
             WHERE $1 OR c.worker_id = $2 OR e.to_worker = $2 ORDER BY e.id DESC",
        )
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "escalations", "")
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Escalation {
                    id: row.get(0),
                    conversation: row.get(1),
                    incident: row.get(2),
                    from_worker: row.get(3),
                    to_worker: row.get(4),
                    reason: row.get(5),
                    created_at: time(row.get::<&str, _>(6))?,
                })
            })
            .collect()
    }

    /// Records that a directory entry was offered in a conversation the viewer may see.
    pub async fn add_referral(
        &self,
        viewer: Viewer,
        conversation: i64,
        resource: i64,
        category: &str,
    ) -> Result<i64> {
        self.visible(viewer, conversation).await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM resources WHERE id = $1")
            .bind(resource)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Err(Error::Invalid {
                field: "resource",
                reason: format!("no directory entry {resource}"),
            });
        }
        let insert = sqlx::query(
            "INSERT INTO referrals (conversation_id, resource_id, category, offered_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(conversation)
        .bind(resource)
        .bind(category)
        .bind(stamp(Timestamp::now()));
        self.create(
            Some(viewer.worker),
            "referral",
            &format!("conversation:{conversation}"),
            insert,
        )
        .await
    }

    /// The referrals the viewer may see, newest first.
    pub async fn referrals(&self, viewer: Viewer) -> Result<Vec<Referral>> {
        let rows = sqlx::query(
            "SELECT r.id, r.conversation_id, r.resource_id, r.category, r.offered_at
             FROM referrals r JOIN conversations c ON c.id = r.conversation_id
             WHERE $1 OR c.worker_id = $2 ORDER BY r.id DESC",
        )
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "referrals", "")
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Referral {
                    id: row.get(0),
                    conversation: row.get(1),
                    resource: row.get(2),
                    category: row.get(3),
                    offered_at: time(row.get::<&str, _>(4))?,
                })
            })
            .collect()
    }
}
