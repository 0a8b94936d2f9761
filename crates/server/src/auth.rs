//! Who is calling: an API key in `Authorization: Bearer …`, looked up by its digest. A request
//! without a valid key gets 401 and nothing else.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tact_store::Viewer;

/// The authenticated caller of a request.
pub struct Caller(pub Viewer);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let key = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        match state.store.viewer_for_key(key).await {
            Ok(viewer) => Ok(Caller(viewer)),
            Err(tact_store::Error::NotFound) => Err(ApiError::unauthorized()),
            Err(_) => Err(ApiError::unavailable()),
        }
    }
}
