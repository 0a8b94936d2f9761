//! `/v1/training`: role play in the browser. The scenarios to choose from, a session started for
//! the caller, each reply coached and answered by the simulated client, and progress over time.
//!
//! A session lives in the store between requests as the trainer's serialised state, so a reply
//! can reach any replica. A worker plays and sees only their own sessions (another's id is 404
//! like one that does not exist); supervisors and admins also see their team's sessions and
//! progress. Replies are the trainee's practice text: answered back, stored with the session,
//! never logged.

use crate::auth::Caller;
use crate::{ApiError, AppState, JsonBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tact_core::Lang;
use tact_training::scenario::Persona;
use tact_training::{Catalog, Report, Scenario, Session};

/// A reply the trainer cannot take: the session is over, or a stale copy of it.
fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "training_over", message)
}

/// A state the trainer can no longer read (written by an incompatible version).
fn unreadable_state() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "training_state",
        "this session cannot be continued; start a new one",
    )
}

/// A scenario in the list a trainee chooses from.
#[derive(Serialize)]
struct ScenarioEntry<'a> {
    id: &'a str,
    language: Lang,
    title: &'a str,
    practices: &'a [String],
    persona: &'a Persona,
    /// Every language this scenario can be played in.
    languages: Vec<Lang>,
}

impl<'a> ScenarioEntry<'a> {
    fn of(catalog: &Catalog, scenario: &'a Scenario) -> ScenarioEntry<'a> {
        ScenarioEntry {
            id: &scenario.id,
            language: scenario.language,
            title: &scenario.title,
            practices: &scenario.practices,
            persona: &scenario.client,
            languages: catalog.languages_of(&scenario.id),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioQuery {
    #[serde(default)]
    language: Option<String>,
}

/// `GET /v1/training/scenarios?language=`: the scenarios, all or in one language.
pub(crate) async fn scenarios(
    State(state): State<AppState>,
    _caller: Caller,
    Query(query): Query<ScenarioQuery>,
) -> Result<Json<Value>, ApiError> {
    let catalog = &state.training;
    let language = crate::language(&state.engine, query.language.as_deref())?;
    let entries: Vec<ScenarioEntry> = catalog
        .iter()
        .filter(|s| language.is_none_or(|l| s.language == l))
        .map(|s| ScenarioEntry::of(catalog, s))
        .collect();
    Ok(Json(
        json!({ "languages": catalog.languages(), "scenarios": entries }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartRequest {
    scenario: String,
    language: String,
}

/// Where a session stands, for the page to show next: the client's message waiting for a reply
/// and its hint, or the end and the report.
fn position(session: &Session) -> Value {
    match session.end() {
        Some(end) => json!({
            "over": true,
            "client": null,
            "hint": null,
            "end": end,
            "report": session.report(),
        }),
        None => {
            let node = session.current();
            json!({
                "over": false,
                "client": node.map(|n| n.client.as_str()),
                "hint": node.and_then(|n| n.hint.as_deref()),
                "end": null,
                "report": null,
            })
        }
    }
}

/// Merges `extra`'s fields into `base` (both objects).
fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

/// Starts `scenario` in `language` for `viewer` and keeps it: the API and the web training page
/// start sessions the same way.
pub async fn start_session(
    state: &AppState,
    viewer: tact_store::Viewer,
    scenario: &str,
    language: tact_core::Lang,
) -> Result<(i64, Session), ApiError> {
    let found = state.training.get(scenario, language).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_scenario",
            format!(
                "no scenario {scenario:?} in {language}; GET /v1/training/scenarios lists them"
            ),
        )
    })?;
    let session = Session::new(found.clone());
    let state_json = serde_json::to_string(&session).map_err(|_| unreadable_state())?;
    let id = state
        .store
        .start_training(viewer, &found.id, language.as_str(), &state_json)
        .await?;
    Ok((id, session))
}

/// `POST /v1/training/sessions`: starts a scenario for the caller.
pub(crate) async fn start(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<StartRequest>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body?;
    let language = crate::language(&state.engine, Some(&request.language))?
        .ok_or_else(|| ApiError::bad_request("unknown_language", "a language is needed"))?;
    let (id, session) = start_session(&state, viewer, &request.scenario, language).await?;
    let scenario = session.scenario();
    Ok(Json(merged(
        json!({
            "id": id,
            "scenario": scenario.id,
            "language": language,
            "title": scenario.title,
            "persona": scenario.client,
        }),
        position(&session),
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyRequest {
    text: String,
    /// When the reply is written, in the trainee's local time (`2026-11-23T14:00`); the coach
    /// resolves time frames ("by Friday") against it.
    #[serde(default)]
    reference: Option<jiff::civil::DateTime>,
}

/// Plays the trainee's reply in session `id`: coached, the branch taken, saved. Only the
/// session's trainee plays it (404 for anyone else); an ended session or a reply raced by
/// another is 409. The API and the web training page reply the same way.
pub async fn reply_to_session(
    state: &AppState,
    viewer: tact_store::Viewer,
    id: i64,
    text: &str,
    reference: Option<jiff::civil::DateTime>,
) -> Result<(Session, tact_training::Turn), ApiError> {
    let stored = state.store.training_session(viewer, id).await?;
    // Supervisors may look at a team member's session, but only its trainee plays it.
    if stored.record.worker != viewer.worker {
        return Err(ApiError::not_found());
    }
    let mut session: Session =
        serde_json::from_str(&stored.state_json).map_err(|_| unreadable_state())?;
    if session.is_over() {
        return Err(conflict(
            "this session has ended; start a new one to play again",
        ));
    }
    if text.trim().is_empty() {
        return Err(ApiError::bad_request(
            "invalid",
            "write a reply to the client",
        ));
    }
    let turn = match session.reply(&state.engine, text, reference) {
        Ok(turn) => turn.clone(),
        Err(tact_training::Error::Coach(error)) => return Err(error.into()),
        Err(tact_training::Error::Ended(_)) => {
            return Err(conflict("this session has ended"));
        }
        Err(_) => return Err(unreadable_state()),
    };
    let report = session.report();
    let finished = session.end().map(|end| tact_store::Finished {
        end_state: end.id.clone(),
        outcome: match end.outcome {
            tact_training::Outcome::Good => tact_store::TrainingOutcome::Good,
            tact_training::Outcome::Mixed => tact_store::TrainingOutcome::Mixed,
            tact_training::Outcome::Poor => tact_store::TrainingOutcome::Poor,
        },
        average_score: report.average_score,
    });
    let state_json = serde_json::to_string(&session).map_err(|_| unreadable_state())?;
    let turns = i64::try_from(session.turns().len()).unwrap_or(i64::MAX);
    match state
        .store
        .save_training(viewer, id, &state_json, turns, finished.as_ref())
        .await
    {
        Ok(()) => {}
        Err(tact_store::Error::Invalid {
            field: "training_session",
            ..
        }) => {
            return Err(conflict(
                "another reply to this session was saved meanwhile; reload it",
            ));
        }
        Err(other) => return Err(other.into()),
    }
    Ok((session, turn))
}

/// `POST /v1/training/sessions/{id}/replies`: coaches the caller's reply, moves the scenario on,
/// saves it, and answers the turn with the next client message or the end and the report.
pub(crate) async fn reply(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    body: JsonBody<ReplyRequest>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body?;
    let (session, turn) =
        reply_to_session(&state, viewer, id, &request.text, request.reference).await?;
    let turns = i64::try_from(session.turns().len()).unwrap_or(i64::MAX);
    Ok(Json(merged(
        json!({ "id": id, "number": turns, "turn": turn }),
        position(&session),
    )))
}

/// `GET /v1/training/sessions/{id}`: a session as it stands, to resume or review it.
pub(crate) async fn session(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let stored = state.store.training_session(viewer, id).await?;
    let session: Session =
        serde_json::from_str(&stored.state_json).map_err(|_| unreadable_state())?;
    let report: Report = session.report();
    let scenario = session.scenario();
    let mut answer = merged(
        json!({
            "id": stored.record.id,
            "worker": stored.record.worker,
            "scenario": scenario.id,
            "language": scenario.language,
            "title": scenario.title,
            "persona": scenario.client,
            "opening": session.opening(),
            "started_at": stored.record.started_at,
            "finished_at": stored.record.finished_at,
            "turns": report.turns,
        }),
        position(&session),
    );
    // The turns are listed once, at the top.
    if let Some(report) = answer.get_mut("report").and_then(Value::as_object_mut) {
        report.remove("turns");
    }
    Ok(Json(answer))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgressQuery {
    #[serde(default)]
    worker: Option<i64>,
}

/// `GET /v1/training/progress?worker=`: the caller's own progress, or for supervisors and
/// admins one worker's or the whole team's: a summary per worker and the sessions, newest first.
pub(crate) async fn progress(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<ProgressQuery>,
) -> Result<Json<Value>, ApiError> {
    let summaries = state.store.training_summary(viewer, query.worker).await?;
    let sessions = state.store.training_progress(viewer, query.worker).await?;
    Ok(Json(json!({ "workers": summaries, "sessions": sessions })))
}
