//! Role play in the browser (P39–P41): the scenarios to choose from, a session played reply by
//! reply with the coach's feedback after each, the report at the end, and the worker's progress
//! over time (their own; supervisors see the team's). Sessions are started and played through
//! the same functions as the API's, so both keep the same record.

use crate::console::store_error;
use crate::page::{self, Page};
use crate::session::SignedIn;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use tact_server::AppState;
use tact_training::{Outcome, Session, Turn};

/// The language filter of the list.
#[derive(Deserialize, Default)]
pub(crate) struct LanguageFilter {
    #[serde(default)]
    language: String,
}

fn outcome_key(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Good => "training.good",
        Outcome::Mixed => "training.mixed",
        Outcome::Poor => "training.poor",
    }
}

/// An API error as a page (the training functions are shared with the API).
fn api_error(user: &SignedIn, error: &tact_server::ApiError) -> Response {
    let key = match error.status() {
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::CONFLICT => "training.over",
        StatusCode::BAD_REQUEST => "error.invalid",
        _ => "error.unavailable",
    };
    page::error(user.locale, error.status(), key)
}

/// `GET /training`: scenarios to play and the worker's progress.
pub(crate) async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(filter): Query<LanguageFilter>,
) -> Response {
    let l = user.locale;
    let wanted = tact_core::Lang::parse(&filter.language);
    let summaries = match state
        .store
        .training_summary(
            user.session.viewer,
            (!user.sees_all()).then_some(user.session.viewer.worker),
        )
        .await
    {
        Ok(s) => s,
        Err(e) => return store_error(&user, e),
    };
    let languages = state.training.languages();
    Page::for_user(&user, l.t("training.title"), "training")
        .body(html! {
            main id="main" {
                h1 { (l.t("training.title")) }
                p { (l.t("training.intro")) }
                form method="get" action="/training" class="search" {
                    label { (l.t("training.language"))
                        select name="language" {
                            option value="" { (l.t("directory.any")) }
                            @for lang in &languages {
                                option value=(lang.as_str()) selected[Some(*lang) == wanted] { (lang.as_str()) }
                            }
                        }
                    }
                    button type="submit" { (l.t("directory.search")) }
                }
                ul class="scenarios" {
                    @for scenario in state.training.iter().filter(|s| wanted.is_none_or(|w| s.language == w)) {
                        li {
                            form method="post" action="/training/start" class="inline" {
                                input type="hidden" name="csrf" value=(user.session.csrf);
                                input type="hidden" name="scenario" value=(scenario.id);
                                input type="hidden" name="language" value=(scenario.language.as_str());
                                button type="submit" { (l.t("training.play")) }
                            }
                            " "
                            strong lang=(scenario.language.as_str()) dir="auto" { (scenario.title) }
                            " · " (scenario.language.as_str()) " · " (scenario.practices.join(", "))
                        }
                    }
                }
                h2 id="progress-h" { (l.t("training.progress")) }
                @if summaries.iter().all(|s| s.sessions_started == 0) {
                    p { (l.t("training.no_progress")) }
                } @else {
                    div class="scroll" role="group" tabindex="0" aria-labelledby="progress-h" { table {
                        thead { tr {
                            th scope="col" { (l.t("dashboard.worker")) }
                            th scope="col" { (l.t("training.finished")) }
                            th scope="col" { (l.t("training.good")) " / " (l.t("training.mixed")) " / " (l.t("training.poor")) }
                            th scope="col" { (l.t("training.average")) }
                            th scope="col" { (l.t("training.trend")) }
                        } }
                        tbody { @for s in summaries.iter().filter(|s| s.sessions_started > 0) { tr {
                            th scope="row" { (s.name) }
                            td { (s.sessions_finished) " / " (s.sessions_started) }
                            td { (s.outcomes.good) " / " (s.outcomes.mixed) " / " (s.outcomes.poor) }
                            td { (s.average_score.map(|a| format!("{a:.0}")).unwrap_or_else(|| "–".into())) }
                            td { (s.trend.as_ref().map(|t| l.t(&format!("training.trend_{}", serde_json::to_value(t.direction).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()))).unwrap_or("–")) }
                        } } }
                    } }
                }
            }
        })
        .into_response()
}

/// The start form.
#[derive(Deserialize)]
pub(crate) struct StartForm {
    csrf: String,
    scenario: String,
    language: String,
}

/// `POST /training/start`.
pub(crate) async fn start(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<StartForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let Some(language) = tact_core::Lang::parse(&form.language) else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    match tact_server::training::start_session(
        &state,
        user.session.viewer,
        &form.scenario,
        language,
    )
    .await
    {
        Ok((id, _)) => Redirect::to(&format!("/training/sessions/{id}")).into_response(),
        Err(error) => api_error(&user, &error),
    }
}

fn turn_feedback(l: crate::locale::Locale, turn: &Turn) -> Markup {
    html! {
        div class="coach" {
            p class="score" { (l.t("coach.score")) " " strong { (turn.score) } "/100" }
            ul class="criteria" {
                @for c in &turn.criteria {
                    li class={"criterion " (if c.met { "met" } else { "missed" })} {
                        span class="mark" aria-hidden="true" { (if c.met { "✓" } else { "✗" }) }
                        " "
                        span class="visually-hidden" { (l.t(if c.met { "coach.met" } else { "coach.missed" })) " " }
                        (l.t(&format!("criterion.{}", c.criterion)))
                        @if let Some(s) = &c.suggestion { span class="suggestion" { " — " (s) } }
                    }
                }
            }
            @for f in &turn.flags {
                p class="problem" { (l.t(&format!("flag.{}", f.flag))) " “" (f.text) "” — " (f.suggestion) }
            }
            p class="debrief" { strong { (l.t("training.debrief")) " " } (turn.debrief) }
        }
    }
}

/// `GET /training/sessions/{id}`: the session so far, the reply box or the report.
pub(crate) async fn session(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let l = user.locale;
    let stored = match state.store.training_session(user.session.viewer, id).await {
        Ok(s) => s,
        Err(e) => return store_error(&user, e),
    };
    let Ok(session) = serde_json::from_str::<Session>(&stored.state_json) else {
        return page::error(l, StatusCode::INTERNAL_SERVER_ERROR, "error.unavailable");
    };
    let scenario = session.scenario();
    let lang = scenario.language.as_str();
    let dir = if lang == "ar" { "rtl" } else { "auto" };
    let mine = stored.record.worker == user.session.viewer.worker;
    Page::for_user(&user, &scenario.title, "training")
        .body(html! {
            main id="main" class="training" {
                p { a href="/training" { "← " (l.t("training.title")) } }
                h1 lang=(lang) dir=(dir) { (scenario.title) }
                dl class="persona" lang=(lang) dir=(dir) {
                    dt { (l.t("training.who")) } dd { (scenario.client.who) }
                    dt { (l.t("training.wants")) } dd { (scenario.client.wants) }
                    dt { (l.t("training.mood")) } dd { (scenario.client.mood) }
                }
                ol class="thread" {
                    @for turn in session.turns() {
                        li class="msg msg-client" { p class="text" lang=(lang) dir=(dir) { (turn.client) } }
                        li class="msg msg-worker" {
                            p class="text" lang=(lang) dir=(dir) { (turn.reply) }
                            (turn_feedback(l, turn))
                        }
                    }
                    @if let Some(node) = session.current() {
                        li class="msg msg-client" id="current" { p class="text" lang=(lang) dir=(dir) { (node.client) } }
                    }
                }
                @if let (Some(node), true) = (session.current(), mine) {
                    form method="post" action={"/training/sessions/" (id) "/reply"} class="stack" {
                        input type="hidden" name="csrf" value=(user.session.csrf);
                        label for="reply" { (l.t("training.your_reply")) }
                        textarea id="reply" name="text" rows="4" required lang=(lang) dir=(dir) {}
                        @if let Some(hint) = &node.hint {
                            details { summary { (l.t("training.hint")) } p lang=(lang) dir=(dir) { (hint) } }
                        }
                        button type="submit" { (l.t("training.send")) }
                    }
                }
                @if let Some(end) = session.end() {
                    @let report = session.report();
                    section class="report" aria-labelledby="report-h" {
                        h2 id="report-h" { (l.t("training.report")) ": " (l.t(outcome_key(end.outcome))) }
                        p lang=(lang) dir=(dir) { (end.debrief) }
                        p { (l.t("training.average")) " " strong { (report.average_score) } "/100" }
                        h3 { (l.t("training.criteria")) }
                        ul { @for c in report.criteria.iter().filter(|c| c.applicable > 0) {
                            li { (l.t(&format!("criterion.{}", c.criterion))) " " (c.met) "/" (c.applicable) " (" (c.practice) ")" }
                        } }
                        @if !report.practise_next.is_empty() {
                            h3 { (l.t("training.next")) }
                            ul { @for tip in &report.practise_next {
                                li { strong { (tip.name.replace('_', " ")) } " (" (tip.practice) ") — " (tip.suggestion) }
                            } }
                        }
                        p { a href="/training" { (l.t("training.again")) } }
                    }
                }
            }
        })
        .into_response()
}

/// A reply as sent.
#[derive(Deserialize)]
pub(crate) struct ReplyForm {
    csrf: String,
    text: String,
}

/// `POST /training/sessions/{id}/reply`.
pub(crate) async fn reply(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let zone = match state.store.worker(user.session.viewer.worker).await {
        Ok(w) => jiff::tz::TimeZone::get(&w.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
        Err(e) => return store_error(&user, e),
    };
    let now = jiff::Timestamp::now().to_zoned(zone).datetime();
    match tact_server::training::reply_to_session(
        &state,
        user.session.viewer,
        id,
        &form.text,
        Some(now),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/training/sessions/{id}#current")).into_response(),
        Err(error) => api_error(&user, &error),
    }
}
