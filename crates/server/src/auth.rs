//! Who is calling: an API key in `Authorization: Bearer …`, looked up by its digest. A request
//! without a valid key gets 401 and nothing else.
//!
//! Keys found valid are remembered for [`KEY_CACHE_TTL`], by digest, so the stateless endpoints
//! do not ask the database on every request (that lookup halved their throughput). The price: a
//! revoked key or a changed role takes up to that long to apply on each replica.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tact_store::Viewer;

/// How long a key found valid is trusted without asking the database again.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(30);
/// At most this many keys are remembered; beyond it the cache starts afresh.
const KEY_CACHE_CAPACITY: usize = 10_000;

/// Valid keys seen recently, by the SHA-256 digest of the key (never the key itself).
#[derive(Debug, Default)]
pub struct KeyCache {
    entries: Mutex<HashMap<[u8; 32], (Viewer, Instant)>>,
}

impl KeyCache {
    fn get(&self, digest: &[u8; 32], now: Instant) -> Option<Viewer> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(digest)
            .filter(|(_, at)| now.duration_since(*at) < KEY_CACHE_TTL)
            .map(|(viewer, _)| *viewer)
    }

    fn put(&self, digest: [u8; 32], viewer: Viewer, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= KEY_CACHE_CAPACITY {
            entries.clear();
        }
        entries.insert(digest, (viewer, now));
    }
}

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
        let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        let now = Instant::now();
        if let Some(viewer) = state.keys.get(&digest, now) {
            return Ok(Caller(viewer));
        }
        match state.store.viewer_for_key(key).await {
            Ok(viewer) => {
                state.keys.put(digest, viewer, now);
                Ok(Caller(viewer))
            }
            Err(tact_store::Error::NotFound) => Err(ApiError::unauthorized()),
            Err(_) => Err(ApiError::unavailable()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tact_store::Role;

    #[test]
    fn remembered_keys_expire() {
        let cache = KeyCache::default();
        let viewer = Viewer {
            worker: 3,
            role: Role::Worker,
        };
        let start = Instant::now();
        cache.put([1; 32], viewer, start);
        assert_eq!(
            cache.get(&[1; 32], start + Duration::from_secs(1)),
            Some(viewer)
        );
        assert_eq!(cache.get(&[2; 32], start), None);
        assert_eq!(cache.get(&[1; 32], start + KEY_CACHE_TTL), None);
    }
}
