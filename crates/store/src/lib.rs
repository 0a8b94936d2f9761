//! # tact-store
//!
//! The case store: workers, pseudonymous clients, conversations and their messages (stored
//! redacted; originals only as ciphertext with a retention deadline), incidents, commitments and
//! follow-ups, the resource directory with its review cycle, and an append-only audit log of who
//! read or changed what.
//!
//! Every read and change goes through a [`Viewer`]: a worker sees only their own conversations
//! and what hangs off them, and a record they may not see is [`Error::NotFound`] exactly like one
//! that does not exist, so guessing ids reveals nothing. Every access is audited.
//!
//! Two back-ends sit behind this one interface: embedded SQLite (the default: a single file,
//! created and migrated on first open, WAL mode) and PostgreSQL, for organisations running
//! several replicas (alerts then travel between replicas by LISTEN/NOTIFY, see [`notify`]).
//! Queries are written once; each back-end has its own versioned migrations.

mod backend;
mod care;
mod error;
mod handoffs;
pub mod model;
pub mod notify;
mod outbox;
mod overview;
mod sessions;
#[doc(hidden)]
pub mod testing;
mod training;

pub use backend::{Backend, Location};
pub use care::*;
pub use error::{Error, Result};
pub use model::*;
pub use outbox::{OutboxCounts, OutboxNote};
pub use overview::{ConversationSummary, WorkerPromises};
pub use sessions::{WEB_SESSION_HOURS, WebSession};
pub use training::{
    Finished, OutcomeCounts, STEADY_WITHIN, ScenarioProgress, TREND_WINDOW, TrainingOutcome,
    TrainingRecord, TrainingSession, TrainingSummary, Trend, TrendDirection,
};

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::path::Path;

/// The store. Cheap to clone (a pool handle); share it between tasks.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    location: Location,
}

fn time(text: &str) -> Result<Timestamp> {
    text.parse().map_err(|e| Error::Invalid {
        field: "timestamp",
        reason: format!("{text:?}: {e}"),
    })
}

/// A moment as stored: RFC 3339 UTC to the second, one fixed width, so text order is time order
/// in both back-ends.
fn stamp(at: Timestamp) -> String {
    Timestamp::from_second(at.as_second())
        .unwrap_or(at)
        .to_string()
}

fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes in hex: API keys, session cookies and CSRF tokens. `what` names the secret in
/// the error when the system has no random source.
fn random_secret(what: &'static str) -> Result<String> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| Error::Invalid {
        field: what,
        reason: format!("no random source: {e}"),
    })?;
    Ok(hex(&secret))
}

/// The digest an API key (or a session cookie) is kept as.
fn digest(key: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(key.as_bytes()))
}

/// What every directory entry needs: a name, a category to match disclosures against, and a
/// review interval.
fn check_resource(resource: &Resource) -> Result<()> {
    if resource.name.trim().is_empty()
        || resource.categories.is_empty()
        || resource.review_days <= 0
    {
        return Err(Error::Invalid {
            field: "resource",
            reason: "a name, at least one category and a positive review interval are needed"
                .into(),
        });
    }
    Ok(())
}

/// A query with its arguments, as both back-ends run it.
type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Adds a directory entry bound with [`bind_resource`].
const INSERT_RESOURCE: &str = "INSERT INTO resources (name, categories, languages, regions, contact, opening_hours, notes, last_verified, review_days)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

/// Binds a directory entry's fields, in column order, as `$1` … `$9`.
fn bind_resource<'q>(query: AnyQuery<'q>, resource: &'q Resource) -> AnyQuery<'q> {
    query
        .bind(&resource.name)
        .bind(json_list(&resource.categories))
        .bind(json_list(&resource.languages))
        .bind(json_list(&resource.regions))
        .bind(&resource.contact)
        .bind(&resource.opening_hours)
        .bind(&resource.notes)
        .bind(resource.last_verified.map(stamp))
        .bind(resource.review_days)
}

fn parse_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Store {
    /// Opens the store where `location` says, creating and migrating the schema if needed.
    pub async fn open(location: Location) -> Result<Store> {
        let (pool, backend) = backend::connect(&location).await?;
        Ok(Store {
            pool,
            backend,
            location,
        })
    }

    /// Opens (creating and migrating if needed) the SQLite file at `path`. Durable on commit:
    /// WAL mode with full synchronisation, foreign keys enforced, writers wait for each other.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        Store::open(Location::SqliteFile(path.to_path_buf())).await
    }

    /// Opens a private in-memory database, for tests and one-off runs.
    pub async fn open_memory() -> Result<Store> {
        Store::open(Location::SqliteMemory).await
    }

    /// Opens (migrating if needed) the PostgreSQL database at `url`.
    pub async fn open_postgres(url: &str) -> Result<Store> {
        Store::open(Location::Postgres(url.to_string())).await
    }

    /// Which back-end holds the store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where the store is, with any password hidden: for logs.
    pub fn describe(&self) -> String {
        self.location.redacted()
    }

    /// Answers when the database does: for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The SQLite journal mode in use (`wal` for a file); `None` on PostgreSQL.
    pub async fn journal_mode(&self) -> Result<Option<String>> {
        match self.backend {
            Backend::Sqlite => Ok(Some(
                sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(&self.pool)
                    .await?,
            )),
            Backend::Postgres => Ok(None),
        }
    }

    /// Runs an `INSERT … RETURNING id` and writes the record's `create` line in the audit log
    /// (`{record}:{id}`), so every record the store creates is audited the same way.
    async fn create(
        &self,
        actor: Option<i64>,
        record: &str,
        detail: &str,
        insert: AnyQuery<'_>,
    ) -> Result<i64> {
        let id: i64 = insert.fetch_one(&self.pool).await?.get(0);
        self.audit(actor, "create", &format!("{record}:{id}"), detail)
            .await?;
        Ok(id)
    }

    async fn audit(
        &self,
        actor: Option<i64>,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(stamp(Timestamp::now()))
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // ------------------------------------------------------------------ workers and clients

    /// Adds a worker.
    pub async fn add_worker(
        &self,
        name: &str,
        role: Role,
        time_zone: &str,
        working_hours: Option<&str>,
    ) -> Result<i64> {
        if name.trim().is_empty() {
            return Err(Error::Invalid {
                field: "name",
                reason: "empty".into(),
            });
        }
        let insert = sqlx::query(
            "INSERT INTO workers (name, role, time_zone, working_hours, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(time_zone)
        .bind(working_hours)
        .bind(stamp(Timestamp::now()));
        self.create(None, "worker", role.as_str(), insert).await
    }

    /// A worker by id.
    pub async fn worker(&self, id: i64) -> Result<Worker> {
        let row = sqlx::query(
            "SELECT id, name, role, time_zone, working_hours FROM workers WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        Store::worker_of(&row)
    }

    fn worker_of(row: &AnyRow) -> Result<Worker> {
        Ok(Worker {
            id: row.get(0),
            name: row.get(1),
            role: Role::parse(row.get::<&str, _>(2))?,
            time_zone: row.get(3),
            working_hours: row.get(4),
        })
    }

    /// Every worker, by id.
    pub async fn workers(&self) -> Result<Vec<Worker>> {
        let rows =
            sqlx::query("SELECT id, name, role, time_zone, working_hours FROM workers ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(Store::worker_of).collect()
    }

    /// The client with this pseudonym, created on first sight.
    pub async fn client(&self, pseudonym: &str) -> Result<i64> {
        sqlx::query("INSERT INTO clients (pseudonym, created_at) VALUES ($1, $2) ON CONFLICT (pseudonym) DO NOTHING")
            .bind(pseudonym)
            .bind(stamp(Timestamp::now()))
            .execute(&self.pool)
            .await?;
        Ok(
            sqlx::query_scalar("SELECT id FROM clients WHERE pseudonym = $1")
                .bind(pseudonym)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    // ------------------------------------------------------------------ conversations

    /// The conversation with this channel id, opened for `worker` and `client` on first sight.
    pub async fn conversation(
        &self,
        external_id: &str,
        worker: i64,
        client: i64,
        language: Option<&str>,
    ) -> Result<i64> {
        sqlx::query(
            "INSERT INTO conversations (external_id, worker_id, client_id, language, opened_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (external_id) DO NOTHING",
        )
        .bind(external_id)
        .bind(worker)
        .bind(client)
        .bind(language)
        .bind(stamp(Timestamp::now()))
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT id FROM conversations WHERE external_id = $1")
                .bind(external_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Checks that the viewer may see the conversation.
    async fn visible(&self, viewer: Viewer, conversation: i64) -> Result<()> {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT worker_id FROM conversations WHERE id = $1")
                .bind(conversation)
                .fetch_optional(&self.pool)
                .await?;
        match owner {
            Some(owner) if viewer.sees_all() || owner == viewer.worker => Ok(()),
            _ => Err(Error::NotFound),
        }
    }

    /// Stores a (redacted) message in a conversation the viewer may see.
    pub async fn add_message(
        &self,
        viewer: Viewer,
        conversation: i64,
        message: &NewMessage,
    ) -> Result<i64> {
        self.visible(viewer, conversation).await?;
        let insert = sqlx::query(
            "INSERT INTO messages (conversation_id, role, redacted_text, original_ciphertext, erase_original_after, analysis, sent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(conversation)
        .bind(message.author.as_str())
        .bind(&message.redacted_text)
        .bind(&message.original_ciphertext)
        .bind(message.erase_original_after.map(stamp))
        .bind(message.analysis.as_ref().map(|a| a.to_string()))
        .bind(stamp(message.sent_at));
        self.create(
            Some(viewer.worker),
            "message",
            &format!("conversation:{conversation}"),
            insert,
        )
        .await
    }

    /// The messages of a conversation the viewer may see, oldest first.
    pub async fn messages(&self, viewer: Viewer, conversation: i64) -> Result<Vec<Message>> {
        self.visible(viewer, conversation).await?;
        let rows = sqlx::query(
            "SELECT id, conversation_id, role, redacted_text, CASE WHEN original_ciphertext IS NULL THEN 0 ELSE 1 END, analysis, sent_at
             FROM messages WHERE conversation_id = $1 ORDER BY id",
        )
        .bind(conversation)
        .fetch_all(&self.pool)
        .await?;
        self.audit(
            Some(viewer.worker),
            "read",
            &format!("conversation:{conversation}"),
            "messages",
        )
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Message {
                    id: row.get(0),
                    conversation: row.get(1),
                    author: Author::parse(row.get::<&str, _>(2))?,
                    redacted_text: row.get(3),
                    has_original: row.get::<i64, _>(4) != 0,
                    analysis: row
                        .get::<Option<&str>, _>(5)
                        .and_then(|a| serde_json::from_str(a).ok()),
                    sent_at: time(row.get::<&str, _>(6))?,
                })
            })
            .collect()
    }

    /// The sealed original of a message and its conversation, for supervisors and admins only
    /// (an incident may need the exact words); every such read is audited. `None` when the
    /// original was not kept or is already erased.
    pub async fn sealed_original(
        &self,
        viewer: Viewer,
        message: i64,
    ) -> Result<(i64, Option<String>)> {
        if !viewer.sees_all() {
            return Err(Error::Forbidden);
        }
        let row =
            sqlx::query("SELECT conversation_id, original_ciphertext FROM messages WHERE id = $1")
                .bind(message)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?;
        self.audit(
            Some(viewer.worker),
            "read",
            &format!("message:{message}"),
            "original",
        )
        .await?;
        Ok((row.get(0), row.get(1)))
    }

    /// Erases the encrypted originals whose retention has passed; returns how many.
    pub async fn erase_expired_originals(&self, now: Timestamp) -> Result<u64> {
        let erased = sqlx::query(
            "UPDATE messages SET original_ciphertext = NULL, erase_original_after = NULL
             WHERE original_ciphertext IS NOT NULL AND erase_original_after <= $1",
        )
        .bind(stamp(now))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if erased > 0 {
            self.audit(
                None,
                "update",
                "messages",
                &format!("erased {erased} originals past retention"),
            )
            .await?;
        }
        Ok(erased)
    }

    // ------------------------------------------------------------------ incidents

    /// Raises an incident in a conversation the viewer may see.
    pub async fn add_incident(
        &self,
        viewer: Viewer,
        conversation: i64,
        message: Option<i64>,
        kind: IncidentKind,
        severity: &str,
        summary: &str,
    ) -> Result<i64> {
        self.visible(viewer, conversation).await?;
        let now = stamp(Timestamp::now());
        let insert = sqlx::query(
            "INSERT INTO incidents (conversation_id, message_id, kind, severity, summary, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(conversation)
        .bind(message)
        .bind(kind.as_str())
        .bind(severity)
        .bind(summary)
        .bind(&now)
        .bind(&now);
        self.create(Some(viewer.worker), "incident", kind.as_str(), insert)
            .await
    }

    fn incident_of(row: &AnyRow) -> Result<Incident> {
        Ok(Incident {
            id: row.get("id"),
            conversation: row.get("conversation_id"),
            message: row.get("message_id"),
            kind: IncidentKind::parse(row.get::<&str, _>("kind"))?,
            severity: row.get("severity"),
            status: IncidentStatus::parse(row.get::<&str, _>("status"))?,
            summary: row.get("summary"),
            notes: row.get("notes"),
            handled_by: row.get("handled_by"),
            created_at: time(row.get::<&str, _>("created_at"))?,
        })
    }

    /// The incidents the viewer may see, newest first, optionally of one status.
    pub async fn incidents(
        &self,
        viewer: Viewer,
        status: Option<IncidentStatus>,
    ) -> Result<Vec<Incident>> {
        let rows = sqlx::query(
            "SELECT i.* FROM incidents i JOIN conversations c ON c.id = i.conversation_id
             WHERE ($1 OR c.worker_id = $2) AND ($3 IS NULL OR i.status = $4)
             ORDER BY i.id DESC",
        )
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .bind(status.map(IncidentStatus::as_str))
        .bind(status.map(IncidentStatus::as_str))
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "incidents", "")
            .await?;
        rows.iter().map(Store::incident_of).collect()
    }

    /// Moves an incident on and records who handled it.
    pub async fn update_incident(
        &self,
        viewer: Viewer,
        id: i64,
        status: IncidentStatus,
        notes: &str,
    ) -> Result<Incident> {
        let conversation: i64 =
            sqlx::query_scalar("SELECT conversation_id FROM incidents WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?;
        self.visible(viewer, conversation).await?;
        sqlx::query("UPDATE incidents SET status = $1, notes = $2, handled_by = $3, updated_at = $4 WHERE id = $5")
            .bind(status.as_str())
            .bind(notes)
            .bind(viewer.worker)
            .bind(stamp(Timestamp::now()))
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("incident:{id}"),
            status.as_str(),
        )
        .await?;
        let row = sqlx::query("SELECT * FROM incidents WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Store::incident_of(&row)
    }

    // ------------------------------------------------------------------ commitments

    /// Records a promise or follow-up in a conversation the viewer may see.
    pub async fn add_commitment(
        &self,
        viewer: Viewer,
        conversation: i64,
        commitment: &NewCommitment,
    ) -> Result<i64> {
        self.visible(viewer, conversation).await?;
        let insert = sqlx::query(
            "INSERT INTO commitments (conversation_id, message_id, kind, what, due_at, ambiguous, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(conversation)
        .bind(commitment.message)
        .bind(commitment.kind.as_str())
        .bind(&commitment.what)
        .bind(stamp(commitment.due_at))
        .bind(i64::from(commitment.ambiguous))
        .bind(stamp(Timestamp::now()));
        self.create(
            Some(viewer.worker),
            "commitment",
            commitment.kind.as_str(),
            insert,
        )
        .await
    }

    /// The commitments the viewer may see, soonest due first; open ones past `now` read as late.
    pub async fn commitments(&self, viewer: Viewer, now: Timestamp) -> Result<Vec<Commitment>> {
        let rows = sqlx::query(
            "SELECT m.id, m.conversation_id, m.kind, m.what, m.due_at, m.ambiguous, m.status
             FROM commitments m JOIN conversations c ON c.id = m.conversation_id
             WHERE $1 OR c.worker_id = $2 ORDER BY m.due_at, m.id",
        )
        .bind(viewer.sees_all())
        .bind(viewer.worker)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "commitments", "")
            .await?;
        rows.iter()
            .map(|row| {
                let due_at = time(row.get::<&str, _>(4))?;
                let mut status = CommitmentStatus::parse(row.get::<&str, _>(6))?;
                if status == CommitmentStatus::Open && due_at < now {
                    status = CommitmentStatus::Late;
                }
                Ok(Commitment {
                    id: row.get(0),
                    conversation: row.get(1),
                    kind: CommitmentKind::parse(row.get::<&str, _>(2))?,
                    what: row.get(3),
                    due_at,
                    ambiguous: row.get::<i64, _>(5) != 0,
                    status,
                })
            })
            .collect()
    }

    /// Open commitments past their due time that nobody was alerted about yet, each claimed for
    /// alerting: a commitment is returned once, to one replica, ever. With their worker.
    pub async fn claim_overdue_commitments(
        &self,
        now: Timestamp,
    ) -> Result<Vec<(Commitment, i64)>> {
        let rows = sqlx::query(
            "SELECT m.id, m.conversation_id, m.kind, m.what, m.due_at, m.ambiguous, c.worker_id
             FROM commitments m JOIN conversations c ON c.id = m.conversation_id
             WHERE m.status = 'open' AND m.alerted_at IS NULL AND m.due_at < $1
             ORDER BY m.due_at, m.id LIMIT 100",
        )
        .bind(stamp(now))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for row in rows {
            let id: i64 = row.get(0);
            let won = sqlx::query(
                "UPDATE commitments SET alerted_at = $1 WHERE id = $2 AND alerted_at IS NULL",
            )
            .bind(stamp(now))
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1;
            if won {
                claimed.push((
                    Commitment {
                        id,
                        conversation: row.get(1),
                        kind: CommitmentKind::parse(row.get::<&str, _>(2))?,
                        what: row.get(3),
                        due_at: time(row.get::<&str, _>(4))?,
                        ambiguous: row.get::<i64, _>(5) != 0,
                        status: CommitmentStatus::Late,
                    },
                    row.get(6),
                ));
            }
        }
        Ok(claimed)
    }

    /// Closes a commitment: kept, late (done after its due time) or broken. Returns its
    /// conversation and the worker whose conversation it is.
    pub async fn close_commitment(
        &self,
        viewer: Viewer,
        id: i64,
        status: CommitmentStatus,
    ) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT m.conversation_id, c.worker_id FROM commitments m
             JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let (conversation, owner): (i64, i64) = (row.get(0), row.get(1));
        self.visible(viewer, conversation).await?;
        sqlx::query("UPDATE commitments SET status = $1, closed_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(stamp(Timestamp::now()))
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("commitment:{id}"),
            status.as_str(),
        )
        .await?;
        Ok((conversation, owner))
    }

    // ------------------------------------------------------------------ resource directory

    /// Adds an entry (id 0) or replaces one; only admins and supervisors change the directory.
    pub async fn save_resource(&self, viewer: Viewer, resource: &Resource) -> Result<i64> {
        if !viewer.sees_all() {
            return Err(Error::Forbidden);
        }
        check_resource(resource)?;
        // A new entry gets its id from the database; an existing one must exist.
        let id: i64 = if resource.id == 0 {
            bind_resource(sqlx::query(INSERT_RESOURCE), resource)
                .fetch_one(&self.pool)
                .await?
                .get(0)
        } else {
            bind_resource(sqlx::query(
                "UPDATE resources SET name = $1, categories = $2, languages = $3, regions = $4, contact = $5,
                   opening_hours = $6, notes = $7, last_verified = $8, review_days = $9
                 WHERE id = $10 RETURNING id",
            ), resource)
            .bind(resource.id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?
            .get(0)
        };
        self.audit(
            Some(viewer.worker),
            "update",
            &format!("resource:{id}"),
            &resource.name,
        )
        .await?;
        Ok(id)
    }

    /// Adds many new entries at once (an import): all of them, or, when one is invalid or the
    /// database fails midway, none. Returns their ids in order.
    pub async fn import_resources(
        &self,
        viewer: Viewer,
        resources: &[Resource],
    ) -> Result<Vec<i64>> {
        if !viewer.sees_all() {
            return Err(Error::Forbidden);
        }
        for (index, resource) in resources.iter().enumerate() {
            check_resource(resource).map_err(|e| Error::Invalid {
                field: "resource",
                reason: format!("entry {} ({:?}): {e}", index + 1, resource.name),
            })?;
        }
        let mut transaction = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(resources.len());
        for resource in resources {
            ids.push(
                bind_resource(sqlx::query(INSERT_RESOURCE), resource)
                    .fetch_one(&mut *transaction)
                    .await?
                    .get(0),
            );
        }
        transaction.commit().await?;
        self.audit(
            Some(viewer.worker),
            "create",
            "resources",
            &format!("imported {} entries", ids.len()),
        )
        .await?;
        Ok(ids)
    }

    /// The whole directory, by name.
    pub async fn resources(&self) -> Result<Vec<Resource>> {
        let rows = sqlx::query("SELECT * FROM resources ORDER BY name, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Resource {
                    id: row.get("id"),
                    name: row.get("name"),
                    categories: parse_list(row.get("categories")),
                    languages: parse_list(row.get("languages")),
                    regions: parse_list(row.get("regions")),
                    contact: row.get("contact"),
                    opening_hours: row.get("opening_hours"),
                    notes: row.get("notes"),
                    last_verified: row
                        .get::<Option<&str>, _>("last_verified")
                        .map(time)
                        .transpose()?,
                    review_days: row.get("review_days"),
                })
            })
            .collect()
    }

    /// Entries never checked, or whose last check is older than their review interval.
    pub async fn resources_due_for_review(&self, now: Timestamp) -> Result<Vec<Resource>> {
        Ok(self
            .resources()
            .await?
            .into_iter()
            .filter(|r| match r.last_verified {
                None => true,
                Some(checked) => {
                    now.duration_since(checked).as_secs() >= r.review_days.saturating_mul(86_400)
                }
            })
            .collect())
    }

    // ------------------------------------------------------------------ audit

    /// The audit log, newest first: supervisors and admins only.
    pub async fn audit_log(&self, viewer: Viewer, limit: i64) -> Result<Vec<AuditEntry>> {
        if !viewer.sees_all() {
            return Err(Error::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "read", "audit_log", "")
            .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    at: time(row.get::<&str, _>(0))?,
                    actor: row.get(1),
                    action: row.get(2),
                    target: row.get(3),
                    detail: row.get(4),
                })
            })
            .collect()
    }

    // ------------------------------------------------------------------ API keys

    /// Makes an API key for a worker and returns it; only its digest is kept, so this is the one
    /// time it can be seen.
    pub async fn create_api_key(&self, worker: i64) -> Result<String> {
        let key = format!("tact_{}", random_secret("api key")?);
        sqlx::query("INSERT INTO api_keys (worker_id, key_digest, created_at) VALUES ($1, $2, $3)")
            .bind(worker)
            .bind(digest(&key))
            .bind(stamp(Timestamp::now()))
            .execute(&self.pool)
            .await?;
        self.audit(None, "create", &format!("api_key:worker:{worker}"), "")
            .await?;
        Ok(key)
    }

    /// Revokes every key of a worker (someone leaving, a key leaked); returns how many.
    pub async fn revoke_api_keys(&self, worker: i64) -> Result<u64> {
        let revoked = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE worker_id = $2 AND revoked_at IS NULL",
        )
        .bind(stamp(Timestamp::now()))
        .bind(worker)
        .execute(&self.pool)
        .await?
        .rows_affected();
        // Someone who lost their keys loses their web sessions with them.
        self.end_web_sessions(worker).await?;
        self.audit(
            None,
            "update",
            &format!("api_key:worker:{worker}"),
            &format!("revoked {revoked}"),
        )
        .await?;
        Ok(revoked)
    }

    /// Who holds this key; [`Error::NotFound`] for an unknown or revoked key.
    pub async fn viewer_for_key(&self, key: &str) -> Result<Viewer> {
        let row = sqlx::query(
            "SELECT w.id, w.role FROM api_keys k JOIN workers w ON w.id = k.worker_id
             WHERE k.key_digest = $1 AND k.revoked_at IS NULL",
        )
        .bind(digest(key))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        Ok(Viewer {
            worker: row.get(0),
            role: Role::parse(row.get::<&str, _>(1))?,
        })
    }

    /// On a store without workers, creates the first admin and returns their key (to print once);
    /// `None` when there are workers already.
    pub async fn bootstrap_admin(&self) -> Result<Option<String>> {
        let workers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workers")
            .fetch_one(&self.pool)
            .await?;
        if workers > 0 {
            return Ok(None);
        }
        // Replicas starting together on an empty database: one row, one winner.
        let won = sqlx::query(
            "INSERT INTO bootstrap (id, happened_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(stamp(Timestamp::now()))
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if !won {
            return Ok(None);
        }
        let admin = self.add_worker("admin", Role::Admin, "UTC", None).await?;
        Ok(Some(self.create_api_key(admin).await?))
    }

    /// The conversation with this channel id as the viewer may use it: opened for the viewer on
    /// first sight, [`Error::NotFound`] when it is another worker's.
    pub async fn conversation_for(
        &self,
        viewer: Viewer,
        external_id: &str,
        client_pseudonym: &str,
        language: Option<&str>,
    ) -> Result<i64> {
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM conversations WHERE external_id = $1")
                .bind(external_id)
                .fetch_optional(&self.pool)
                .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let client = self.client(client_pseudonym).await?;
                self.conversation(external_id, viewer.worker, client, language)
                    .await?
            }
        };
        self.visible(viewer, id).await?;
        Ok(id)
    }

    /// Whose the conversation with this channel id is, if it exists: for integrations that must
    /// file a message under the conversation's owner rather than whoever delivered it.
    pub async fn conversation_owner(&self, external_id: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT worker_id FROM conversations WHERE external_id = $1")
                .bind(external_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The conversation's placeholder numbering, as its JSON.
    pub async fn redaction_state(&self, conversation: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT redaction_state FROM conversations WHERE id = $1")
                .bind(conversation)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// Saves the conversation's placeholder numbering.
    pub async fn set_redaction_state(&self, conversation: i64, state: &str) -> Result<()> {
        sqlx::query("UPDATE conversations SET redaction_state = $1 WHERE id = $2")
            .bind(state)
            .bind(conversation)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a delivery from another system; `false` when it was received before (a retry).
    pub async fn first_delivery(&self, source: &str, delivery_id: &str) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO deliveries (source, delivery_id, received_at) VALUES ($1, $2, $3)
             ON CONFLICT (source, delivery_id) DO NOTHING",
        )
        .bind(source)
        .bind(delivery_id)
        .bind(stamp(Timestamp::now()))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// Runs raw SQL against the database; for tests that prove the schema's own guarantees
    /// (the audit log refusing updates), not for callers.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &'static str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
