//! Signing in and out, and who is signed in. An API key is exchanged once for a session cookie
//! (HttpOnly, SameSite=Strict, Secure behind HTTPS); the store keeps only its digest. Every form
//! carries the session's CSRF token, checked in constant time; the sign-in form, which has no
//! session yet, carries a token that must match a cookie set with it (double submit).

use crate::locale::Locale;
use crate::page::{self, Page};
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use tact_server::AppState;
use tact_store::WebSession;

/// The session cookie.
const SESSION_COOKIE: &str = "tact_session";
/// The sign-in form's double-submit cookie.
const SIGN_IN_COOKIE: &str = "tact_sign_in";

/// A cookie's value from the request.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// Equality that takes the same time whatever the inputs share.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether the browser reached tact over HTTPS (through a proxy that terminates TLS and says
/// so); cookies are then marked Secure.
fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// A `Set-Cookie` value with the attributes every tact cookie has.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age: i64,
    headers: &HeaderMap,
) -> HeaderValue {
    let secure = if over_https(headers) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie values are hex or codes")
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // Without a random source there is no safe token: the page fails rather than guess.
    getrandom::fill(&mut bytes).expect("the system has a random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed-in worker of a request, with the interface's language. A request without a valid
/// session is sent to the sign-in page.
pub struct SignedIn {
    /// Who, what they may see, and the token their forms carry.
    pub session: WebSession,
    /// The interface's language for them.
    pub locale: Locale,
}

impl SignedIn {
    /// Refuses a form or script request whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), Response> {
        if same(token, &self.session.csrf) {
            Ok(())
        } else {
            Err(page::error(
                self.locale,
                StatusCode::FORBIDDEN,
                "error.csrf",
            ))
        }
    }

    /// Whether they see the whole team (supervisors and admins).
    pub fn sees_all(&self) -> bool {
        self.session.viewer.sees_all()
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<SignedIn, Response> {
        let locale = Locale::of(&parts.headers);
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/sign-in").into_response());
        };
        match state.store.web_session(token, jiff::Timestamp::now()).await {
            Ok(Some(session)) => Ok(SignedIn { session, locale }),
            Ok(None) => Err(Redirect::to("/sign-in").into_response()),
            Err(_) => Err(page::error(
                locale,
                StatusCode::SERVICE_UNAVAILABLE,
                "error.unavailable",
            )),
        }
    }
}

/// `GET /sign-in`.
pub(crate) async fn sign_in_page(headers: HeaderMap) -> Response {
    let locale = Locale::of(&headers);
    let token = random_token();
    let mut response = sign_in_form(locale, &token, None).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SIGN_IN_COOKIE, &token, 600, &headers),
    );
    response
}

fn sign_in_form(locale: Locale, token: &str, problem: Option<&str>) -> Page {
    Page::new(locale, locale.t("sign_in.title")).body(html! {
        main id="main" class="narrow" {
            h1 { (locale.t("sign_in.title")) }
            p { (locale.t("sign_in.intro")) }
            @if let Some(problem) = problem {
                p class="problem" role="alert" { (locale.t(problem)) }
            }
            form method="post" action="/sign-in" class="stack" {
                input type="hidden" name="csrf" value=(token);
                label for="key" { (locale.t("sign_in.key")) }
                input id="key" name="key" type="password" autocomplete="current-password"
                    required spellcheck="false";
                button type="submit" { (locale.t("sign_in.submit")) }
            }
        }
    })
}

/// The sign-in form as sent.
#[derive(Deserialize)]
pub(crate) struct SignInForm {
    key: String,
    csrf: String,
}

/// `POST /sign-in`.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let locale = Locale::of(&headers);
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or("");
    if expected.is_empty() || !same(expected, &form.csrf) {
        return page::error(locale, StatusCode::FORBIDDEN, "error.csrf");
    }
    match state
        .store
        .start_web_session(form.key.trim(), jiff::Timestamp::now())
        .await
    {
        Ok((token, _)) => {
            let mut response = Redirect::to("/").into_response();
            let cookies = response.headers_mut();
            cookies.append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &token,
                    tact_store::WEB_SESSION_HOURS * 3600,
                    &headers,
                ),
            );
            cookies.append(
                header::SET_COOKIE,
                set_cookie(SIGN_IN_COOKIE, "", 0, &headers),
            );
            response
        }
        Err(tact_store::Error::NotFound) => {
            let token = random_token();
            let mut response = (
                StatusCode::UNAUTHORIZED,
                sign_in_form(locale, &token, Some("sign_in.refused")),
            )
                .into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                set_cookie(SIGN_IN_COOKIE, &token, 600, &headers),
            );
            response
        }
        Err(_) => page::error(locale, StatusCode::SERVICE_UNAVAILABLE, "error.unavailable"),
    }
}

/// A form that carries only its CSRF token.
#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    /// The token the form carried.
    pub(crate) fn token(&self) -> &str {
        &self.csrf
    }
}

/// `POST /sign-out`.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    user: SignedIn,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && state.store.end_web_session(token).await.is_err()
    {
        return page::error(
            user.locale,
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
        );
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, &headers),
    );
    response
}
