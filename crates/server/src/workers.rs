//! `/v1/workers`: the team. Admins add workers and give or revoke their keys (a key is shown
//! once, when it is made); supervisors and admins list them. Without this, running tact for a
//! team would need SQL.

use crate::auth::Caller;
use crate::{ApiError, AppState, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tact_store::{Role, Viewer};

fn admin_only(viewer: Viewer) -> Result<(), ApiError> {
    if viewer.role == Role::Admin {
        Ok(())
    } else {
        Err(tact_store::Error::Forbidden.into())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewWorker {
    name: String,
    role: Role,
    #[serde(default = "utc")]
    time_zone: String,
    #[serde(default)]
    working_hours: Option<String>,
}

fn utc() -> String {
    "UTC".into()
}

pub(crate) async fn add(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<NewWorker>,
) -> Result<Json<Value>, ApiError> {
    admin_only(viewer)?;
    let Json(worker) = body?;
    if jiff::tz::TimeZone::get(&worker.time_zone).is_err() {
        return Err(ApiError::bad_request(
            "invalid",
            format!("{:?} is not an IANA time zone", worker.time_zone),
        ));
    }
    if let Some(hours) = &worker.working_hours
        && let Err(e) = hours.parse::<tact_core::context::WorkingHours>()
    {
        return Err(ApiError::bad_request(
            "invalid",
            format!("working_hours: {e}"),
        ));
    }
    let id = state
        .store
        .add_worker(
            &worker.name,
            worker.role,
            &worker.time_zone,
            worker.working_hours.as_deref(),
        )
        .await?;
    let key = state.store.create_api_key(id).await?;
    Ok(Json(json!({ "id": id, "key": key })))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Caller(viewer): Caller,
) -> Result<Json<Value>, ApiError> {
    if !viewer.sees_all() {
        return Err(tact_store::Error::Forbidden.into());
    }
    Ok(Json(json!(state.store.workers().await?)))
}

pub(crate) async fn new_key(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(worker): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    admin_only(viewer)?;
    state.store.worker(worker).await?;
    Ok(Json(
        json!({ "key": state.store.create_api_key(worker).await? }),
    ))
}

pub(crate) async fn revoke_keys(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(worker): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    admin_only(viewer)?;
    state.store.worker(worker).await?;
    let revoked = state.store.revoke_api_keys(worker).await?;
    Ok(Json(json!({
        "revoked": revoked,
        "effective_within_seconds": crate::auth::KEY_CACHE_TTL.as_secs(),
    })))
}
