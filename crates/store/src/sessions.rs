//! Sessions of the web interface. A worker signs in once with their API key and gets a session
//! cookie; only the cookie's digest is kept, with the CSRF token every form of that session must
//! carry. Sessions end on their own after [`WEB_SESSION_HOURS`], on sign-out, and when the
//! worker's keys are revoked.

use crate::{Error, Result, Role, Store, Viewer, digest, random_secret, stamp, time};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

/// How long a web session lasts: a working day and some.
pub const WEB_SESSION_HOURS: i64 = 12;

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// Who, and what they may see.
    pub viewer: Viewer,
    /// The worker's name, for the page header.
    pub name: String,
    /// The token forms and scripts of this session must send back.
    pub csrf: String,
}

impl Store {
    /// Opens a web session for the holder of `key`: returns the cookie value (shown this once;
    /// only its digest is kept) and the session. An unknown or revoked key is
    /// [`Error::NotFound`].
    pub async fn start_web_session(
        &self,
        key: &str,
        now: Timestamp,
    ) -> Result<(String, WebSession)> {
        let viewer = self.viewer_for_key(key).await?;
        let token = random_secret("session")?;
        let csrf = random_secret("csrf token")?;
        let expires = now
            .checked_add(SignedDuration::from_hours(WEB_SESSION_HOURS))
            .map_err(|e| Error::Invalid {
                field: "session",
                reason: e.to_string(),
            })?;
        sqlx::query(
            "INSERT INTO web_sessions (token_digest, worker_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(digest(&token))
        .bind(viewer.worker)
        .bind(&csrf)
        .bind(stamp(now))
        .bind(stamp(expires))
        .execute(&self.pool)
        .await?;
        self.audit(Some(viewer.worker), "sign_in", "web_session", "")
            .await?;
        let name = self.worker(viewer.worker).await?.name;
        Ok((token, WebSession { viewer, name, csrf }))
    }

    /// The session of a cookie, when it exists and has not expired.
    pub async fn web_session(&self, token: &str, now: Timestamp) -> Result<Option<WebSession>> {
        let row = sqlx::query(
            "SELECT s.worker_id, w.role, w.name, s.csrf_token, s.expires_at
             FROM web_sessions s JOIN workers w ON w.id = s.worker_id
             WHERE s.token_digest = $1",
        )
        .bind(digest(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if time(row.get::<&str, _>(4))? <= now {
            return Ok(None);
        }
        Ok(Some(WebSession {
            viewer: Viewer {
                worker: row.get(0),
                role: Role::parse(row.get::<&str, _>(1))?,
            },
            name: row.get(2),
            csrf: row.get(3),
        }))
    }

    /// Ends the session of a cookie (sign-out); ending one that is gone is not an error.
    pub async fn end_web_session(&self, token: &str) -> Result<()> {
        let ended =
            sqlx::query("DELETE FROM web_sessions WHERE token_digest = $1 RETURNING worker_id")
                .bind(digest(token))
                .fetch_optional(&self.pool)
                .await?;
        if let Some(row) = ended {
            self.audit(Some(row.get(0)), "sign_out", "web_session", "")
                .await?;
        }
        Ok(())
    }

    /// Ends every web session of a worker, and the expired sessions of everyone.
    pub(crate) async fn end_web_sessions(&self, worker: i64) -> Result<()> {
        sqlx::query("DELETE FROM web_sessions WHERE worker_id = $1 OR expires_at <= $2")
            .bind(worker)
            .bind(stamp(Timestamp::now()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
