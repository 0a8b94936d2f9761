//! tact's web interface, served by `tact serve` beside the JSON API: sign-in with an API key
//! exchanged for a session cookie, the worker's console, the supervisor's dashboard and the
//! resource directory. Pages are rendered on the server (maud) in English or French, with one
//! stylesheet and a few small hand-written scripts served from the binary: no build step, no
//! third-party front-end code, nothing fetched from the internet. Every page works without
//! scripts; scripts add live coaching, live alerts and one-click replies.
//!
//! Handlers stay thin: they read the session and the form, call the store or the engine, and
//! render. Access rules are the store's (a worker sees only their own conversations); a record
//! that is not the worker's is the same 404 page as one that does not exist.

// Handlers answer a page either way; an error page is a `Response` like any other.
#![allow(clippy::result_large_err)]

pub mod charts;
mod console;
mod dashboard;
mod directory;
mod highlight;
pub mod locale;
pub mod page;
pub mod session;
mod training;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use session::SignedIn;
use tact_server::AppState;

/// The web interface's routes, to serve beside the API (`tact_server::app_with`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route(
            "/sign-in",
            get(session::sign_in_page).post(session::sign_in),
        )
        .route("/sign-out", post(session::sign_out))
        .route("/language/{code}", get(language))
        .route("/console", get(console::conversations))
        .route("/console/conversations/{id}", get(console::conversation))
        .route("/console/conversations/{id}/coach", post(console::coach))
        .route("/console/conversations/{id}/send", post(console::send))
        .route(
            "/console/conversations/{id}/follow-up",
            post(console::follow_up),
        )
        .route(
            "/console/conversations/{id}/incident",
            post(console::incident),
        )
        .route(
            "/console/conversations/{id}/escalate",
            post(console::escalate),
        )
        .route("/console/prompts/{id}/taken", post(console::prompt_taken))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/dashboard/alerts", get(dashboard::alerts))
        .route("/dashboard/weekly", get(dashboard::weekly))
        .route(
            "/dashboard/incidents/{id}",
            post(dashboard::incident_status),
        )
        .route("/directory", get(directory::list))
        .route("/directory/new", get(directory::edit))
        .route("/directory/{id}", get(directory::edit))
        .route("/directory/save", post(directory::save))
        .route("/directory/import", post(directory::import))
        .route("/directory/export.csv", get(directory::export_csv))
        .route("/directory/export.hsds.json", get(directory::export_hsds))
        .route("/training", get(training::list))
        .route("/training/start", post(training::start))
        .route("/training/sessions/{id}", get(training::session))
        .route("/training/sessions/{id}/reply", post(training::reply))
        .route("/assets/{name}", get(asset))
}

/// `/`: the console for workers, the dashboard for supervisors and admins.
async fn home(user: SignedIn) -> Redirect {
    if user.sees_all() {
        Redirect::to("/dashboard")
    } else {
        Redirect::to("/console")
    }
}

/// `/language/{code}`: keeps the chosen language in a cookie and goes back.
async fn language(
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(locale) = locale::Locale::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = same_site_path(&headers).unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(
            locale::LANG_COOKIE,
            locale.code(),
            365 * 24 * 3600,
            &headers,
        ),
    );
    response
}

/// The page the request came from, when it was one of ours: its path only, never another
/// site's address (`//elsewhere` included), so the language switch cannot redirect away.
fn same_site_path(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// The stylesheet and scripts, compiled into the binary.
async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let (content_type, body) = match name.as_str() {
        "tact.css" => (
            "text/css; charset=utf-8",
            include_str!("../assets/tact.css"),
        ),
        "console.js" => (
            "text/javascript; charset=utf-8",
            include_str!("../assets/console.js"),
        ),
        "dashboard.js" => (
            "text/javascript; charset=utf-8",
            include_str!("../assets/dashboard.js"),
        ),
        "directory.js" => (
            "text/javascript; charset=utf-8",
            include_str!("../assets/directory.js"),
        ),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_returns_only_to_our_own_pages() {
        let with = |referer: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, "127.0.0.1:7878".parse().unwrap());
            headers.insert(header::REFERER, referer.parse().unwrap());
            same_site_path(&headers)
        };
        assert_eq!(
            with("http://127.0.0.1:7878/console?x=1").as_deref(),
            Some("/console?x=1")
        );
        assert_eq!(with("http://evil.example/?127.0.0.1:7878/x"), None);
        assert_eq!(with("http://127.0.0.1:7878//evil.example/"), None);
        assert_eq!(with("http://127.0.0.1:78780/x"), None);
    }
}
