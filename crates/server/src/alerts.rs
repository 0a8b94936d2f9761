//! Alerts for supervisors (P6, P22): an urgent disclosure, abuse or a threat against a worker,
//! raised by ingest and delivered as server-sent events to every supervisor connected to
//! `/v1/alerts`. In one process a broadcast channel carries them; across replicas PostgreSQL's
//! LISTEN/NOTIFY will (with the PostgreSQL store).

use crate::auth::Caller;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use std::convert::Infallible;
use tokio::sync::broadcast;

/// How many alerts wait for a slow listener before the oldest are dropped for them.
pub(crate) const BACKLOG: usize = 256;

/// One alert: what happened where, without personal data.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    /// `urgent_disclosure`, `abuse`.
    pub kind: &'static str,
    /// The conversation's id in the store.
    pub conversation: i64,
    /// The incident raised.
    pub incident: i64,
    /// The worker whose conversation it is.
    pub worker: i64,
    /// The findings behind it (`disclosure.self_harm`).
    pub summary: String,
    /// When.
    pub at: jiff::Timestamp,
}

/// Sends an alert to whoever listens; nobody listening is fine.
pub(crate) fn raise(sender: &broadcast::Sender<Alert>, alert: Alert) {
    let _ = sender.send(alert);
}

pub(crate) async fn stream(
    State(state): State<AppState>,
    Caller(viewer): Caller,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    if !viewer.sees_all() {
        return Err(tact_store::Error::Forbidden.into());
    }
    let receiver = state.alerts.subscribe();
    let events = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(alert) => Event::default()
                .event(alert.kind)
                .json_data(&alert)
                .unwrap_or_else(|_| Event::default().comment("unserialisable alert")),
            // A slow listener missed some: say so and go on.
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                Event::default().event("lagged").data(missed.to_string())
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), receiver))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
