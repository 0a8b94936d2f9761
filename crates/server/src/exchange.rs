//! Records in the formats other systems speak (see `tact-exchange`): the resource directory
//! imported and exported as Open Referral HSDS or CSV, and a conversation exported as a redacted
//! IETF vCon.

use crate::auth::Caller;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tact_exchange::{directory_csv, hsds, vcon};

/// A directory format.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    /// Open Referral HSDS 3.0 services, as JSON.
    Hsds,
    /// One row per entry, lists separated by `;`.
    Csv,
}

#[derive(Deserialize)]
pub(crate) struct FormatQuery {
    format: Format,
}

pub(crate) async fn export_resources(
    State(state): State<AppState>,
    Caller(_): Caller,
    Query(query): Query<FormatQuery>,
) -> Result<Response, ApiError> {
    let resources = state.store.resources().await?;
    Ok(match query.format {
        Format::Hsds => Json(hsds::export(&resources, &state.organisation)).into_response(),
        Format::Csv => {
            let csv = directory_csv::export(&resources)
                .map_err(|e| ApiError::bad_request("unexportable", e.to_string()))?;
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
        }
    })
}

pub(crate) async fn import_resources(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<FormatQuery>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    if !viewer.sees_all() {
        return Err(tact_store::Error::Forbidden.into());
    }
    let invalid =
        |e: &dyn std::fmt::Display| ApiError::bad_request("invalid_import", e.to_string());
    let (resources, skipped) = match query.format {
        Format::Csv => (
            directory_csv::import(&body).map_err(|e| invalid(&e))?,
            Vec::new(),
        ),
        Format::Hsds => {
            let text = std::str::from_utf8(&body).map_err(|e| invalid(&e))?;
            let mut keep = Vec::new();
            let mut skipped = Vec::new();
            for imported in hsds::import(text).map_err(|e| invalid(&e))? {
                // A service its publisher marks closed is not offered to clients.
                match imported.status.as_deref() {
                    Some("inactive" | "defunct") => skipped.push(imported.resource.name),
                    _ => keep.push(imported.resource),
                }
            }
            (keep, skipped)
        }
    };
    let ids = state.store.import_resources(viewer, &resources).await?;
    Ok(Json(
        json!({ "imported": ids.len(), "ids": ids, "skipped_inactive": skipped }),
    ))
}

pub(crate) async fn export_vcon(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(conversation): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    // Reading the messages checks the caller may see the conversation.
    let messages = state.store.messages(viewer, conversation).await?;
    let now = jiff::Timestamp::now();
    let incidents: Vec<_> = state
        .store
        .incidents(viewer, None)
        .await?
        .into_iter()
        .filter(|i| i.conversation == conversation)
        .collect();
    let commitments: Vec<_> = state
        .store
        .commitments(viewer, now)
        .await?
        .into_iter()
        .filter(|c| c.conversation == conversation)
        .collect();
    let document = vcon::export(
        &vcon::Conversation {
            id: conversation,
            organisation: &state.organisation,
            client_pseudonym: None,
            messages: &messages,
            incidents: &incidents,
            commitments: &commitments,
        },
        now,
    )
    .map_err(|e| ApiError::bad_request("unexportable", e.to_string()))?;
    Ok(Json(document))
}
