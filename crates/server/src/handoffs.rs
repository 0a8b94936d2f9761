//! `/v1/escalations` and `/v1/referrals`: a conversation handed up (a supervisor hears it live)
//! and a directory entry offered, each recorded against a conversation the caller may see.

use crate::auth::Caller;
use crate::{ApiError, AppState, JsonBody};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EscalationRequest {
    conversation: i64,
    #[serde(default)]
    incident: Option<i64>,
    #[serde(default)]
    to_worker: Option<i64>,
    reason: String,
}

pub(crate) async fn escalate(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<EscalationRequest>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body?;
    let id = state
        .store
        .escalate(
            viewer,
            request.conversation,
            request.incident,
            request.to_worker,
            &request.reason,
        )
        .await?;
    raise_escalation(
        &state,
        viewer.worker,
        request.conversation,
        request.incident,
        id,
    )
    .await;
    Ok(Json(json!({ "id": id })))
}

/// Tells the supervisors that `worker` escalated `conversation` (escalation `id`), without the
/// worker's free text: the API and the web console raise it the same way.
pub async fn raise_escalation(
    state: &AppState,
    worker: i64,
    conversation: i64,
    incident: Option<i64>,
    id: i64,
) {
    crate::alerts::raise(
        state,
        crate::Alert {
            kind: "escalation".into(),
            conversation,
            incident,
            commitment: None,
            worker,
            // The reason is the worker's free text and may name the client: the supervisor
            // reads it in the escalation itself, not in the alert.
            summary: format!("escalation {id}"),
            at: jiff::Timestamp::now(),
            to: None,
            audience: crate::alerts::Audience::Supervisors,
        },
    )
    .await;
}

pub(crate) async fn escalations(
    State(state): State<AppState>,
    Caller(viewer): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(state.store.escalations(viewer).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReferralRequest {
    conversation: i64,
    resource: i64,
    category: String,
}

pub(crate) async fn refer(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<ReferralRequest>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body?;
    let id = state
        .store
        .add_referral(
            viewer,
            request.conversation,
            request.resource,
            &request.category,
            jiff::Timestamp::now(),
        )
        .await?;
    Ok(Json(json!({ "id": id })))
}

pub(crate) async fn referrals(
    State(state): State<AppState>,
    Caller(viewer): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(state.store.referrals(viewer).await?)))
}
