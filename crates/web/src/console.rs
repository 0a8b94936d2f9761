//! The worker's console: their conversations, one conversation with its findings marked, the
//! advice on the latest client message with replies to take into the draft, the draft coached as
//! it is typed, and a follow-up, an incident report or an escalation in two clicks.

use crate::highlight;
use crate::page::{self, Page};
use crate::session::SignedIn;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use tact_core::AnalyseOptions;
use tact_core::advice::{ActionKind, AdviseOptions, DirectoryEntry};
use tact_core::coach::{CoachOptions, CoachReport, Stage, Verdict};
use tact_core::replies::ReplyValues;
use tact_server::{AppState, IngestRequest};
use tact_store::{Author, CommitmentKind, ConversationSummary, IncidentKind, NewCommitment};

/// A store failure as a page: a record that is not the worker's is the same 404 as one that
/// does not exist.
pub(crate) fn store_error(user: &SignedIn, error: tact_store::Error) -> Response {
    match error {
        tact_store::Error::NotFound => {
            page::error(user.locale, StatusCode::NOT_FOUND, "error.not_found")
        }
        tact_store::Error::Forbidden => {
            page::error(user.locale, StatusCode::FORBIDDEN, "error.forbidden")
        }
        tact_store::Error::Invalid { .. } => {
            page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid")
        }
        _ => page::error(
            user.locale,
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
        ),
    }
}

fn when(at: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

async fn zone_of(state: &AppState, worker: i64) -> jiff::tz::TimeZone {
    match state.store.worker(worker).await {
        Ok(w) => jiff::tz::TimeZone::get(&w.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
        Err(_) => jiff::tz::TimeZone::UTC,
    }
}

/// `GET /console`: the conversations the worker may open.
pub(crate) async fn conversations(State(state): State<AppState>, user: SignedIn) -> Response {
    let l = user.locale;
    let list = match state
        .store
        .conversation_summaries(user.session.viewer)
        .await
    {
        Ok(list) => list,
        Err(e) => return store_error(&user, e),
    };
    let zone = zone_of(&state, user.session.viewer.worker).await;
    // The worker's own open prompts (a break, a debrief), first on the page (P6, P14).
    let prompts: Vec<_> = state
        .store
        .prompts(user.session.viewer, Some(user.session.viewer.worker), None)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.taken_at.is_none() && p.dismissed_at.is_none())
        .collect();
    Page::for_user(&user, l.t("console.title"), "console")
        .body(html! {
            main id="main" {
                @if !prompts.is_empty() {
                    section class="notice" aria-labelledby="prompts-h" {
                        h2 id="prompts-h" { (l.t("prompts.title")) }
                        ul {
                            @for p in &prompts {
                                li {
                                    strong { (l.t(&format!("prompts.{}", p.kind.as_str()))) }
                                    " — " (p.reason) " "
                                    form method="post" action={"/console/prompts/" (p.id) "/taken"} class="inline" {
                                        input type="hidden" name="csrf" value=(user.session.csrf);
                                        button type="submit" { (l.t("prompts.taken")) }
                                    }
                                }
                            }
                        }
                    }
                }
                h1 { (l.t("console.title")) }
                @if list.is_empty() {
                    p { (l.t("console.none")) }
                } @else {
                    // Focusable, so a table wider than a phone can be scrolled from the keyboard.
                    div class="scroll" role="group" tabindex="0" aria-label=(l.t("console.title")) {
                        table {
                            caption class="visually-hidden" { (l.t("console.title")) }
                            thead { tr {
                                th scope="col" { (l.t("console.client")) }
                                @if user.sees_all() { th scope="col" { (l.t("console.worker")) } }
                                th scope="col" { (l.t("console.language")) }
                                th scope="col" { (l.t("console.messages")) }
                                th scope="col" { (l.t("console.last")) }
                                th scope="col" { (l.t("console.open_incidents")) }
                            } }
                            tbody {
                                @for c in &list {
                                    tr {
                                        th scope="row" {
                                            a href={"/console/conversations/" (c.id)} { (c.client) }
                                        }
                                        @if user.sees_all() { td { (c.worker_name) } }
                                        td { (c.language.as_deref().unwrap_or("–")) }
                                        td { (c.messages) }
                                        td { (c.last_message_at.map(|t| when(t, &zone)).unwrap_or_default()) }
                                        td class=[(c.open_incidents > 0).then_some("attention")] { (c.open_incidents) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        })
        .into_response()
}

async fn summary_of(
    state: &AppState,
    user: &SignedIn,
    id: i64,
) -> Result<ConversationSummary, Response> {
    let list = state
        .store
        .conversation_summaries(user.session.viewer)
        .await
        .map_err(|e| store_error(user, e))?;
    list.into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| page::error(user.locale, StatusCode::NOT_FOUND, "error.not_found"))
}

/// The directory as the advice reads it; an unreadable directory only means no referral.
async fn directory(state: &AppState) -> Vec<DirectoryEntry> {
    tact_server::referrals::Directory::load(&state.store)
        .await
        .map(|d| d.entries)
        .unwrap_or_default()
}

/// What a form just recorded, said once on the page it returns to (`?saved=follow_up`).
#[derive(Deserialize)]
pub(crate) struct Saved {
    saved: Option<String>,
}

/// `GET /console/conversations/{id}`.
pub(crate) async fn conversation(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(saved): Query<Saved>,
) -> Response {
    let l = user.locale;
    let summary = match summary_of(&state, &user, id).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let messages = match state.store.messages(user.session.viewer, id).await {
        Ok(m) => m,
        Err(e) => return store_error(&user, e),
    };
    let zone = zone_of(&state, user.session.viewer.worker).await;
    let lang = summary.language.as_deref().and_then(tact_core::Lang::parse);
    let read = |text: &str| {
        state
            .engine
            .analyse(
                text,
                &AnalyseOptions {
                    language: lang,
                    ..Default::default()
                },
            )
            .ok()
    };
    let last_client = messages.iter().rev().find(|m| m.author == Author::Client);
    let advice = match last_client.and_then(|m| read(&m.redacted_text)) {
        Some(analysis) => {
            let directory = directory(&state).await;
            Some(state.engine.advise(
                &analysis,
                &AdviseOptions {
                    language: analysis.language.lang.or(lang),
                    values: ReplyValues::default(),
                    region: None,
                    directory: &directory,
                    history: &[],
                    first_contact: messages.iter().all(|m| m.author == Author::Client),
                },
            ))
        }
        None => None,
    };
    let tomorrow = jiff::Timestamp::now()
        .to_zoned(zone.clone())
        .saturating_add(jiff::Span::new().days(1))
        .with()
        .hour(10)
        .minute(0)
        .second(0)
        .build()
        .map(|z| z.strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default();
    let csrf = &user.session.csrf;
    let rtl = |code: Option<&str>| matches!(code, Some("ar")).then_some("rtl");
    Page::for_user(&user, &format!("{} {}", l.t("conversation.title"), summary.client), "console")
        .script("console.js")
        .body(html! {
            main id="main" class="conversation" data-conversation=(id) data-csrf=(csrf) {
                p { a href="/console" { "← " (l.t("console.title")) } }
                h1 { (l.t("conversation.title")) " " (summary.client) }
                @if let Some(what) = saved.saved.as_deref().filter(|w| ["follow_up", "incident", "escalation"].contains(w)) {
                    p class="notice saved" role="status" { (l.t(&format!("saved.{what}"))) }
                }
                section class="messages" aria-labelledby="messages-h" {
                    h2 id="messages-h" { (l.t("conversation.messages")) }
                    p class="legend" {
                        (l.t("conversation.legend")) " "
                        @for family in ["pii", "disclosure", "emotion", "crossing", "abuse"] {
                            span class={"f f-" (family)} { (l.t(&format!("finding.{family}"))) } " "
                        }
                    }
                    ol class="thread" {
                        @for m in &messages {
                            @let code = m.analysis.as_ref().and_then(|a| a["language"].as_str()).or(summary.language.as_deref());
                            li class={"msg msg-" (m.author.as_str())} {
                                div class="meta" {
                                    (l.t(&format!("author.{}", m.author.as_str()))) " · "
                                    time datetime=(m.sent_at.to_string()) { (when(m.sent_at, &zone)) }
                                }
                                p class="text" lang=[code] dir=(rtl(code).unwrap_or("auto")) {
                                    @match (m.author, read(&m.redacted_text)) {
                                        (Author::Client, Some(analysis)) => (highlight::marked(&m.redacted_text, &analysis)),
                                        _ => (m.redacted_text),
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(advice) = &advice {
                    section class="advice" aria-labelledby="advice-h" {
                        h2 id="advice-h" { (l.t("advice.title")) }
                        ul class="actions" {
                            @for action in &advice.actions {
                                @if action.kind != ActionKind::RedactBeforeStoring {
                                    li class={"action action-" (format!("{:?}", action.kind).to_lowercase())} {
                                        p { strong { (l.t(&format!("action.{}", serde_json::to_value(action.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()))) } " — " (action.what) }
                                        @if let Some(reply) = &action.reply {
                                            blockquote lang=(reply.lang.as_str()) dir=(rtl(Some(reply.lang.as_str())).unwrap_or("auto")) { (reply.text) }
                                            form method="get" action={"/console/conversations/" (id)} class="inline" {
                                                input type="hidden" name="draft" value=(reply.text);
                                                button type="submit" class="use-reply" data-reply=(reply.text) { (l.t("advice.use")) }
                                            }
                                        }
                                        @if action.kind == ActionKind::EscalateToSupervisor {
                                            (escalate_form(&user, id))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                section class="draft" aria-labelledby="draft-h" {
                    h2 id="draft-h" { (l.t("draft.title")) }
                    form method="post" action={"/console/conversations/" (id) "/send"} class="stack" id="draft-form" {
                        input type="hidden" name="csrf" value=(csrf);
                        label for="draft" { (l.t("draft.label")) }
                        textarea id="draft" name="draft" rows="5" required aria-describedby="coach" {}
                        div class="buttons" {
                            button type="submit" { (l.t("draft.send")) }
                        }
                    }
                    div id="coach" class="coach" aria-live="polite" {
                        p class="hint" { (l.t("draft.hint")) }
                    }
                }
                section class="tools" aria-labelledby="tools-h" {
                    h2 id="tools-h" { (l.t("tools.title")) }
                    details {
                        summary { (l.t("tools.follow_up")) }
                        form method="post" action={"/console/conversations/" (id) "/follow-up"} class="stack" {
                            input type="hidden" name="csrf" value=(csrf);
                            label for="fu-what" { (l.t("tools.what")) }
                            input id="fu-what" name="what" required value=(l.t("tools.follow_up_default"));
                            label for="fu-due" { (l.t("tools.due")) }
                            input id="fu-due" name="due" type="datetime-local" required value=(tomorrow);
                            button type="submit" { (l.t("tools.save_follow_up")) }
                        }
                    }
                    details {
                        summary { (l.t("tools.incident")) }
                        form method="post" action={"/console/conversations/" (id) "/incident"} class="stack" {
                            input type="hidden" name="csrf" value=(csrf);
                            label for="in-kind" { (l.t("tools.kind")) }
                            select id="in-kind" name="kind" {
                                @for kind in ["boundary_crossing", "abuse", "urgent_disclosure", "conflict_of_interest"] {
                                    option value=(kind) { (l.t(&format!("incident.{kind}"))) }
                                }
                            }
                            label for="in-summary" { (l.t("tools.summary")) }
                            input id="in-summary" name="summary" required;
                            button type="submit" { (l.t("tools.save_incident")) }
                        }
                    }
                    details {
                        summary { (l.t("tools.escalate")) }
                        (escalate_form(&user, id))
                    }
                }
            }
        })
        .into_response()
}

fn escalate_form(user: &SignedIn, id: i64) -> Markup {
    let l = user.locale;
    html! {
        form method="post" action={"/console/conversations/" (id) "/escalate"} class="stack" {
            input type="hidden" name="csrf" value=(user.session.csrf);
            label { (l.t("tools.reason")) input name="reason" required; }
            button type="submit" { (l.t("tools.escalate")) }
        }
    }
}

/// What the draft box sends while the worker types.
#[derive(Deserialize)]
pub(crate) struct CoachInput {
    draft: String,
}

/// `POST /console/conversations/{id}/coach`: the coach's reading of the draft, as HTML to put
/// under the draft box. The CSRF token comes in `X-CSRF-Token`.
pub(crate) async fn coach(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(input): Json<CoachInput>,
) -> Response {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Err(refused) = user.check_csrf(token) {
        return refused;
    }
    let summary = match summary_of(&state, &user, id).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let messages = match state.store.messages(user.session.viewer, id).await {
        Ok(m) => m,
        Err(e) => return store_error(&user, e),
    };
    let lang = summary.language.as_deref().and_then(tact_core::Lang::parse);
    let client = messages
        .iter()
        .rev()
        .find(|m| m.author == Author::Client)
        .and_then(|m| {
            state
                .engine
                .analyse(
                    &m.redacted_text,
                    &AnalyseOptions {
                        language: lang,
                        ..Default::default()
                    },
                )
                .ok()
        });
    let zone = zone_of(&state, user.session.viewer.worker).await;
    let first = !messages.iter().any(|m| m.author == Author::Worker);
    let report = match state.engine.coach(
        &input.draft,
        &CoachOptions {
            language: lang,
            client: client.as_ref(),
            stage: Some(if first { Stage::First } else { Stage::Middle }),
            reference: Some(jiff::Timestamp::now().to_zoned(zone.clone()).datetime()),
        },
    ) {
        Ok(report) => report,
        Err(_) => return page::error(user.locale, StatusCode::PAYLOAD_TOO_LARGE, "error.invalid"),
    };
    Html(coach_panel(&user, &report, &zone).into_string()).into_response()
}

fn coach_panel(user: &SignedIn, report: &CoachReport, zone: &jiff::tz::TimeZone) -> Markup {
    let l = user.locale;
    html! {
        p class="score" { (l.t("coach.score")) " " strong { (report.score) } "/100" }
        ul class="criteria" {
            @for c in report.criteria.iter().filter(|c| c.verdict != Verdict::NotApplicable) {
                li class={"criterion " (if c.verdict == Verdict::Met { "met" } else { "missed" })} {
                    span class="mark" aria-hidden="true" { (if c.verdict == Verdict::Met { "✓" } else { "✗" }) }
                    " "
                    span class="visually-hidden" { (l.t(if c.verdict == Verdict::Met { "coach.met" } else { "coach.missed" })) " " }
                    (l.t(&format!("criterion.{}", c.criterion.as_str())))
                    @if let Some(s) = &c.suggestion { span class="suggestion" { " — " (s) } }
                }
            }
        }
        @if !report.flags.is_empty() {
            h3 { (l.t("coach.flags")) }
            ul class="flags" {
                @for f in &report.flags {
                    li { strong { (l.t(&format!("flag.{}", f.flag.as_str()))) } " “" (f.text) "” — " (f.suggestion) }
                }
            }
        }
        @if !report.commitments.is_empty() {
            h3 { (l.t("coach.promises")) }
            ul class="promises" {
                @for c in &report.commitments {
                    li {
                        "“" (c.sentence) "” → "
                        @match c.due.to_zoned(zone.clone()) {
                            Ok(due) => { time datetime=(due.timestamp().to_string()) { (due.strftime("%Y-%m-%d %H:%M")) } }
                            Err(_) => { (c.due.to_string()) }
                        }
                        @if c.ambiguous { " " em { (l.t("coach.ambiguous")) } }
                    }
                }
            }
        }
    }
}

/// The draft as sent.
#[derive(Deserialize)]
pub(crate) struct SendForm {
    csrf: String,
    draft: String,
}

/// `POST /console/conversations/{id}/send`: the reply is ingested like any worker's message
/// (redacted, coached, promises tracked), then the conversation is shown again.
pub(crate) async fn send(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<SendForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let summary = match summary_of(&state, &user, id).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let Some(external) = summary.external_id.clone() else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    if form.draft.trim().is_empty() {
        return Redirect::to(&format!("/console/conversations/{id}")).into_response();
    }
    match tact_server::ingest_for(
        &state,
        user.session.viewer,
        IngestRequest {
            conversation: external,
            client: summary.client,
            author: Author::Worker,
            text: form.draft,
            language: summary.language,
            sent_at: None,
        },
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/console/conversations/{id}#draft-h")).into_response(),
        Err(_) => page::error(
            user.locale,
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
        ),
    }
}

/// A follow-up as planned in the console.
#[derive(Deserialize)]
pub(crate) struct FollowUpForm {
    csrf: String,
    what: String,
    /// Local date and time in the worker's zone (`2026-11-24T10:00`).
    due: String,
}

/// `POST /console/conversations/{id}/follow-up`.
pub(crate) async fn follow_up(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<FollowUpForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let zone = zone_of(&state, user.session.viewer.worker).await;
    let Some(due) = form
        .due
        .parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|d| d.to_zoned(zone).ok())
    else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    let planned = NewCommitment {
        kind: CommitmentKind::FollowUp,
        message: None,
        what: form.what.trim().to_string(),
        due_at: due.timestamp(),
        ambiguous: false,
    };
    match state
        .store
        .add_commitment(user.session.viewer, id, &planned)
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/console/conversations/{id}?saved=follow_up")).into_response()
        }
        Err(e) => store_error(&user, e),
    }
}

/// An incident as reported in the console.
#[derive(Deserialize)]
pub(crate) struct IncidentForm {
    csrf: String,
    kind: String,
    summary: String,
}

/// `POST /console/conversations/{id}/incident`.
pub(crate) async fn incident(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<IncidentForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let Ok(kind) = IncidentKind::parse(&form.kind) else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    let severity = match kind {
        IncidentKind::UrgentDisclosure => "urgent",
        IncidentKind::Abuse => "high",
        _ => "moderate",
    };
    match state
        .store
        .add_incident(
            user.session.viewer,
            id,
            None,
            kind,
            severity,
            form.summary.trim(),
        )
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/console/conversations/{id}?saved=incident")).into_response()
        }
        Err(e) => store_error(&user, e),
    }
}

/// An escalation as asked for in the console.
#[derive(Deserialize)]
pub(crate) struct EscalateForm {
    csrf: String,
    reason: String,
}

/// `POST /console/conversations/{id}/escalate`: hands the conversation up and alerts the
/// supervisors (without the worker's free text).
pub(crate) async fn escalate(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<EscalateForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    match state
        .store
        .escalate(user.session.viewer, id, None, None, &form.reason)
        .await
    {
        Ok(escalation) => {
            tact_server::raise_escalation(&state, user.session.viewer.worker, id, None, escalation)
                .await;
            Redirect::to(&format!("/console/conversations/{id}?saved=escalation")).into_response()
        }
        Err(e) => store_error(&user, e),
    }
}

/// `POST /console/prompts/{id}/taken`: the worker had the break or the debrief; recorded, so
/// the prompt leaves the console and the supervisor sees it taken.
pub(crate) async fn prompt_taken(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<crate::session::CsrfForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(form.token()) {
        return refused;
    }
    match state
        .store
        .take_prompt(user.session.viewer, id, jiff::Timestamp::now())
        .await
    {
        Ok(_) => Redirect::to("/console").into_response(),
        Err(e) => store_error(&user, e),
    }
}
