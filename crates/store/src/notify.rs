//! Alerts between replicas. With PostgreSQL, an alert raised on one replica is published with
//! `NOTIFY` and every replica (the one that raised it included) hears it through its own
//! `LISTEN`, so a supervisor connected to any replica sees every alert. With SQLite there is one
//! process, and the caller delivers in-process instead.

use crate::{Backend, Error, Location, Result, Store};
use sqlx::postgres::PgListener;

/// The PostgreSQL channel alerts travel on.
pub const ALERT_CHANNEL: &str = "tact_alerts";

/// Payloads larger than this are refused: PostgreSQL's own limit is 8000 bytes, and an alert is
/// a few ids and a kind, never message text.
pub const MAX_PAYLOAD: usize = 7_900;

/// Hears the alerts published by every replica.
#[derive(Debug)]
pub struct AlertListener {
    listener: PgListener,
}

impl AlertListener {
    /// The next alert's payload. After a lost connection the listener reconnects by itself;
    /// alerts published while it was away are not replayed (they remain incidents in the store).
    pub async fn recv(&mut self) -> Result<String> {
        let notification = self.listener.recv().await?;
        Ok(notification.payload().to_string())
    }
}

impl Store {
    /// Whether alerts must be published through the database to reach other replicas.
    pub fn alerts_cross_replicas(&self) -> bool {
        self.backend == Backend::Postgres
    }

    /// Publishes an alert to every replica's listener. Only for PostgreSQL; on SQLite it is an
    /// error, since the caller delivers in-process.
    pub async fn publish_alert(&self, payload: &str) -> Result<()> {
        if !self.alerts_cross_replicas() {
            return Err(Error::Invalid {
                field: "alert",
                reason: "alerts are delivered in-process with SQLite".into(),
            });
        }
        if payload.len() > MAX_PAYLOAD {
            return Err(Error::Invalid {
                field: "alert",
                reason: format!("{} bytes, more than {MAX_PAYLOAD}", payload.len()),
            });
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(ALERT_CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A listener for the alerts of every replica; `None` with SQLite.
    pub async fn listen_alerts(&self) -> Result<Option<AlertListener>> {
        let Location::Postgres(url) = &self.location else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(ALERT_CHANNEL).await?;
        Ok(Some(AlertListener { listener }))
    }
}
