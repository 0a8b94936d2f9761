//! Alerts for supervisors (P6, P22): an urgent disclosure, abuse or a threat against a worker,
//! raised by ingest and delivered as server-sent events to every supervisor connected to
//! `/v1/alerts`. Each process keeps a broadcast channel for its own SSE clients. With SQLite
//! (one process) an alert goes straight into it; with PostgreSQL it is published by NOTIFY and
//! every replica's relay (see [`relay`]) puts what it hears into its own channel, so a supervisor
//! connected to any replica sees alerts raised on all of them.

use crate::auth::Caller;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use tokio::sync::broadcast;

/// How many alerts wait for a slow listener before the oldest are dropped for them.
pub(crate) const BACKLOG: usize = 256;

/// One alert: what happened where, without personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// `urgent_disclosure`, `abuse`, `overdue_follow_up`, `overdue_promise`, `broken_promise`.
    pub kind: String,
    /// The conversation's id in the store.
    pub conversation: i64,
    /// The incident raised, for disclosures and abuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<i64>,
    /// The commitment, for overdue follow-ups and late or broken promises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<i64>,
    /// The worker whose conversation it is.
    pub worker: i64,
    /// The findings behind it (`disclosure.self_harm`).
    pub summary: String,
    /// When.
    pub at: jiff::Timestamp,
    /// The worker it is addressed to besides supervisors: whoever is on call for an urgent
    /// message their colleague could not take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    /// Which supervisors hear it. Most alerts are about cases, which every supervisor may see;
    /// a wellbeing prompt is about a person and reaches only their own supervisor and admins.
    #[serde(default, skip_serializing_if = "Audience::is_everyone")]
    pub audience: Audience,
}

/// Which of the supervisors listening hear an alert.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every supervisor and admin.
    #[default]
    Supervisors,
    /// One supervisor (the worker's own) and admins.
    Supervisor(i64),
    /// Admins only: a worker without a team.
    Admins,
}

impl Audience {
    fn is_everyone(&self) -> bool {
        *self == Audience::Supervisors
    }

    /// Whether a viewer allowed on the alert stream hears an alert for this audience.
    pub fn reaches(&self, viewer: tact_store::Viewer) -> bool {
        match self {
            Audience::Supervisors => viewer.sees_all(),
            Audience::Supervisor(id) => {
                viewer.role == tact_store::Role::Admin || viewer.worker == *id
            }
            Audience::Admins => viewer.role == tact_store::Role::Admin,
        }
    }
}

/// Sends an alert to every supervisor listening, on this replica or (PostgreSQL) any other;
/// nobody listening is fine. When the database cannot carry it, the alert still reaches this
/// replica's listeners, and the incident behind it is in the store either way.
pub(crate) async fn raise(state: &AppState, alert: Alert) {
    if state.store.alerts_cross_replicas() {
        match serde_json::to_string(&alert) {
            Ok(payload) => match state.store.publish_alert(&payload).await {
                Ok(()) => return,
                Err(error) => tracing::warn!(%error, "alert not published to other replicas"),
            },
            Err(error) => tracing::warn!(%error, "alert not serialisable"),
        }
    }
    let _ = state.alerts.send(alert);
}

/// How often open commitments past their due time are looked for.
pub(crate) const OVERDUE_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

/// Alerts supervisors to every open follow-up or promise that passed its due time since the last
/// sweep (P5, P20): once per commitment, on whichever replica claims it first. Returns how many.
pub async fn sweep_overdue(
    state: &AppState,
    now: jiff::Timestamp,
) -> Result<usize, tact_store::Error> {
    let overdue = state.store.claim_overdue_commitments(now).await?;
    let count = overdue.len();
    for (commitment, worker) in overdue {
        let kind = match commitment.kind {
            tact_store::CommitmentKind::FollowUp => "overdue_follow_up",
            tact_store::CommitmentKind::Promise => "overdue_promise",
        };
        raise(
            state,
            Alert {
                kind: kind.into(),
                conversation: commitment.conversation,
                incident: None,
                commitment: Some(commitment.id),
                worker,
                summary: format!("{} due {}", commitment.kind.as_str(), commitment.due_at),
                at: now,
                to: None,
                audience: Audience::Supervisors,
            },
        )
        .await;
    }
    Ok(count)
}

/// With PostgreSQL, hears the alerts every replica publishes and hands them to this replica's
/// SSE clients, until the process ends; returns at once with SQLite. Fails only when the first
/// `LISTEN` cannot be set up; later connection losses are retried.
pub async fn relay(
    store: tact_store::Store,
    sender: broadcast::Sender<Alert>,
) -> Result<(), tact_store::Error> {
    let Some(mut listener) = store.listen_alerts().await? else {
        return Ok(());
    };
    tokio::spawn(async move {
        loop {
            match listener.recv().await {
                Ok(payload) => match serde_json::from_str::<Alert>(&payload) {
                    Ok(alert) => {
                        let _ = sender.send(alert);
                    }
                    Err(error) => tracing::warn!(%error, "an alert that is not one was ignored"),
                },
                Err(error) => {
                    tracing::warn!(%error, "alert listener lost its connection; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

pub(crate) async fn stream(
    State(state): State<AppState>,
    Caller(viewer): Caller,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    alert_events(&state, viewer)
}

/// The alerts as server-sent events, from now on, for a supervisor or admin (others get 403):
/// `/v1/alerts`, and the web dashboard's live feed.
pub fn alert_events(
    state: &AppState,
    viewer: tact_store::Viewer,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>, ApiError> {
    if !viewer.sees_all() {
        return Err(tact_store::Error::Forbidden.into());
    }
    let receiver = state.alerts.subscribe();
    let events = futures_util::stream::unfold(receiver, move |mut receiver| async move {
        let next = loop {
            match receiver.recv().await {
                Ok(alert) if !alert.audience.reaches(viewer) => continue,
                other => break other,
            }
        };
        let event = match next {
            Ok(alert) => Event::default()
                .event(alert.kind.as_str())
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
