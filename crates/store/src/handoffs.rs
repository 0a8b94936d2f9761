//! Escalations (a conversation handed up to a supervisor or over to a colleague) and referrals
//! (a directory entry offered to a client): both hang off a conversation, so a worker records
//! and sees only those of their own conversations.

use crate::{Error, Escalation, Referral, ReferralStatus, Result, Store, Viewer, stamp, time};
use jiff::Timestamp;
use sqlx::Row;

/// The columns [`referral`] reads, in its order (a macro so queries stay static strings).
macro_rules! referral_columns {
    () => {
        "SELECT r.id, r.conversation_id, r.resource_id, r.category, r.status, r.message_id,
                r.suggested_at, r.offered_at FROM referrals r"
    };
}

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

    /// Records that a directory entry was offered at `at` in a conversation the viewer may
    /// see. A suggestion of the same entry in that conversation becomes the offer, so a need
    /// is counted once.
    pub async fn add_referral(
        &self,
        viewer: Viewer,
        conversation: i64,
        resource: i64,
        category: &str,
        at: Timestamp,
    ) -> Result<i64> {
        self.visible(viewer, conversation).await?;
        self.resource_exists(resource).await?;
        let suggested: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM referrals
             WHERE conversation_id = $1 AND resource_id = $2 AND status = 'suggested'
             ORDER BY id LIMIT 1",
        )
        .bind(conversation)
        .bind(resource)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(id) = suggested {
            sqlx::query("UPDATE referrals SET status = 'offered', offered_at = $1 WHERE id = $2")
                .bind(stamp(at))
                .bind(id)
                .execute(&self.pool)
                .await?;
            self.audit(Some(viewer.worker), "offer", &format!("referral:{id}"), "")
                .await?;
            return Ok(id);
        }
        let insert = sqlx::query(
            "INSERT INTO referrals (conversation_id, resource_id, category, status, offered_at)
             VALUES ($1, $2, $3, 'offered', $4) RETURNING id",
        )
        .bind(conversation)
        .bind(resource)
        .bind(category)
        .bind(stamp(at));
        self.create(
            Some(viewer.worker),
            "referral",
            &format!("conversation:{conversation}"),
            insert,
        )
        .await
    }

    /// Records that the client's `message` calls for a directory entry, unless that entry was
    /// already suggested or offered in the conversation. Returns the new suggestion's id.
    pub async fn suggest_referral(
        &self,
        viewer: Viewer,
        message: i64,
        resource: i64,
        category: &str,
    ) -> Result<Option<i64>> {
        let (conversation, sent_at): (i64, String) =
            sqlx::query_as("SELECT conversation_id, sent_at FROM messages WHERE id = $1")
                .bind(message)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?;
        self.visible(viewer, conversation).await?;
        self.resource_exists(resource).await?;
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM referrals WHERE conversation_id = $1 AND resource_id = $2 LIMIT 1",
        )
        .bind(conversation)
        .bind(resource)
        .fetch_optional(&self.pool)
        .await?;
        if known.is_some() {
            return Ok(None);
        }
        let insert = sqlx::query(
            "INSERT INTO referrals
                 (conversation_id, resource_id, category, status, message_id, suggested_at)
             VALUES ($1, $2, $3, 'suggested', $4, $5) RETURNING id",
        )
        .bind(conversation)
        .bind(resource)
        .bind(category)
        .bind(message)
        .bind(sent_at);
        self.create(
            Some(viewer.worker),
            "referral",
            &format!("conversation:{conversation} suggested"),
            insert,
        )
        .await
        .map(Some)
    }

    /// The referrals of one conversation the viewer may see, oldest first: what was suggested
    /// and what was offered there.
    pub async fn conversation_referrals(
        &self,
        viewer: Viewer,
        conversation: i64,
    ) -> Result<Vec<Referral>> {
        self.visible(viewer, conversation).await?;
        let rows = sqlx::query(concat!(
            referral_columns!(),
            " WHERE r.conversation_id = $1 ORDER BY r.id"
        ))
        .bind(conversation)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(referral).collect()
    }

    async fn resource_exists(&self, resource: i64) -> Result<()> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM resources WHERE id = $1")
            .bind(resource)
            .fetch_optional(&self.pool)
            .await?;
        match exists {
            Some(_) => Ok(()),
            None => Err(Error::Invalid {
                field: "resource",
                reason: format!("no directory entry {resource}"),
            }),
        }
    }

    /// The referrals the viewer may see, newest first.
    pub async fn referrals(&self, viewer: Viewer) -> Result<Vec<Referral>> {
        let rows = sqlx::query(concat!(
            referral_columns!(),
            " JOIN conversations c ON c.id = r.conversation_id
             WHERE $1 OR c.worker_id = $2 ORDER BY r.id DESC"
        ))
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "referrals", "")
            .await?;
        rows.iter().map(referral).collect()
    }
}

fn referral(row: &sqlx::any::AnyRow) -> Result<Referral> {
    let optional_time = |index: usize| -> Result<Option<Timestamp>> {
        row.get::<Option<String>, _>(index)
            .map(|t| time(&t))
            .transpose()
    };
    Ok(Referral {
        id: row.get(0),
        conversation: row.get(1),
        resource: row.get(2),
        category: row.get(3),
        status: ReferralStatus::parse(row.get::<&str, _>(4))?,
        message: row.get(5),
        suggested_at: optional_time(6)?,
        offered_at: optional_time(7)?,
    })
}
