//! API errors: a stable code, a message a person can act on, the right status, and never an
//! internal detail (a database message) in the body.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds before trying again, sent as `Retry-After`.
    retry_after: Option<u64>,
}

impl ApiError {
    /// The HTTP status it answers with, for callers that render their own page for it.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// An error with its own status and code, for the cases the helpers below do not name (a
    /// training session that has ended answers 409).
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// A request the API cannot use, with what is wrong.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// No valid API key.
    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "send an API key as 'Authorization: Bearer <key>'".into(),
            retry_after: None,
        }
    }

    /// The record does not exist or is not the caller's: the same answer for both.
    pub fn not_found() -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: "no such record".into(),
            retry_after: None,
        }
    }

    /// Too many requests: the caller may try again after `seconds`.
    pub fn too_many_requests(seconds: u64) -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "too_many_requests",
            message: format!("too many requests; try again in {seconds} s"),
            retry_after: Some(seconds),
        }
    }

    /// The database or another dependency is not there; the server recovers by itself.
    pub fn unavailable() -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: "the database cannot be reached; try again shortly".into(),
            retry_after: None,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        let (status, code) = match &rejection {
            JsonRejection::BytesRejection(_) => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json")
            }
            _ => (StatusCode::BAD_REQUEST, "malformed_json"),
        };
        ApiError {
            status,
            code,
            message: rejection.body_text(),
            retry_after: None,
        }
    }
}

impl From<tact_core::Error> for ApiError {
    fn from(error: tact_core::Error) -> ApiError {
        match error {
            tact_core::Error::InputTooLarge(_) => ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "text_too_large",
                message: error.to_string(),
                retry_after: None,
            },
            other => ApiError::bad_request("invalid", other.to_string()),
        }
    }
}

impl From<tact_store::Error> for ApiError {
    fn from(error: tact_store::Error) -> ApiError {
        match error {
            tact_store::Error::NotFound => ApiError::not_found(),
            tact_store::Error::Forbidden => ApiError {
                status: StatusCode::FORBIDDEN,
                code: "forbidden",
                message: "your role does not allow this".into(),
                retry_after: None,
            },
            tact_store::Error::Invalid { .. } => {
                ApiError::bad_request("invalid", error.to_string())
            }
            // The database's own message stays in the server; the client learns it is unavailable.
            tact_store::Error::Database(_) | tact_store::Error::Migrate(_) => {
                ApiError::unavailable()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({ "error": { "code": self.code, "message": self.message } })),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
