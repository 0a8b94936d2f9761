//! The supervisor's dashboard: alerts as they happen (a visual notice, no sound), the incident
//! queue, overdue follow-ups and broken promises, promises kept on time per worker, and charts
//! of incidents and escalations over the last weeks. Workers get 403.

use crate::charts::{self, Weekly};
use crate::console::store_error;
use crate::page::{self, Page};
use crate::session::SignedIn;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{PreEscaped, html};
use serde::Deserialize;
use tact_server::AppState;
use tact_store::{CommitmentStatus, IncidentStatus};

/// How many weeks the charts cover.
const CHART_WEEKS: usize = 8;

fn supervisors_only(user: &SignedIn) -> Result<(), Response> {
    if user.sees_all() {
        Ok(())
    } else {
        Err(page::error(
            user.locale,
            StatusCode::FORBIDDEN,
            "error.forbidden",
        ))
    }
}

/// `GET /dashboard`.
pub(crate) async fn dashboard(State(state): State<AppState>, user: SignedIn) -> Response {
    if let Err(refused) = supervisors_only(&user) {
        return refused;
    }
    let l = user.locale;
    let viewer = user.session.viewer;
    let now = jiff::Timestamp::now();
    let (incidents, commitments, promises, escalations) = match (
        state.store.incidents(viewer, None).await,
        state.store.commitments(viewer, now).await,
        state.store.promises_by_worker(viewer, now).await,
        state.store.escalations(viewer).await,
    ) {
        (Ok(i), Ok(c), Ok(p), Ok(e)) => (i, c, p, e),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return store_error(&user, e);
        }
    };
    let queue: Vec<_> = incidents
        .iter()
        .filter(|i| i.status != IncidentStatus::Resolved)
        .collect();
    let overdue: Vec<_> = commitments
        .iter()
        .filter(|c| matches!(c.status, CommitmentStatus::Late | CommitmentStatus::Broken))
        .collect();
    let weeks = charts::recent_weeks(now, CHART_WEEKS);
    let mut by_kind = Weekly::new();
    for incident in &incidents {
        *by_kind
            .entry(charts::week_of(incident.created_at))
            .or_default()
            .entry(
                l.t(&format!("incident.{}", incident.kind.as_str()))
                    .to_string(),
            )
            .or_default() += 1;
    }
    let mut escalated = Weekly::new();
    for escalation in &escalations {
        *escalated
            .entry(charts::week_of(escalation.created_at))
            .or_default()
            .entry(l.t("dashboard.escalations").to_string())
            .or_default() += 1;
    }
    // Each visible worker's load (P6, P14): over the last week for the table, and over each
    // of the charted weeks (as of its end) for the chart. Their own supervisor and admins see
    // it, nobody else (the store's rule).
    let mut exposure = Vec::new();
    let mut load = Weekly::new();
    for worker in state
        .store
        .visible_workers(viewer)
        .await
        .unwrap_or_default()
    {
        let rules = &state.wellbeing.rules;
        if let Ok(seen) =
            tact_server::exposure_of(&state.store, viewer, &worker, 7, now, rules).await
        {
            exposure.push(seen);
        }
        for week in &weeks {
            let end = week
                .checked_add(jiff::Span::new().days(7))
                .ok()
                .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
                .map_or(now, |z| z.timestamp().min(now));
            if let Ok(seen) =
                tact_server::exposure_of(&state.store, viewer, &worker, 7, end, rules).await
            {
                load.entry(*week).or_default().insert(
                    worker.name.clone(),
                    seen["rolling"]["score"].as_i64().unwrap_or(0),
                );
            }
        }
    }
    let zone = jiff::tz::TimeZone::UTC;
    let csrf = &user.session.csrf;
    Page::for_user(&user, l.t("dashboard.title"), "dashboard")
        .script("dashboard.js")
        .body(html! {
            main id="main" class="dashboard" {
                h1 { (l.t("dashboard.title")) }
                section aria-labelledby="alerts-h" class="alerts" {
                    h2 id="alerts-h" { (l.t("dashboard.alerts")) " " span id="alert-count" class="badge" hidden {} }
                    p class="hint" id="alerts-status" { (l.t("dashboard.alerts_waiting")) }
                    ul id="alerts" aria-live="polite" aria-relevant="additions"
                        data-open=(l.t("dashboard.open")) data-live=(l.t("dashboard.alerts_live"))
                        data-lost=(l.t("dashboard.alerts_lost")) data-new=(l.t("dashboard.new_alerts"))
                        data-kinds=(alert_kinds(l)) {}
                }
                section aria-labelledby="queue-h" {
                    h2 id="queue-h" { (l.t("dashboard.queue")) " (" (queue.len()) ")" }
                    @if queue.is_empty() { p { (l.t("dashboard.queue_empty")) } } @else {
                        div class="scroll" role="group" tabindex="0" aria-labelledby="queue-h" { table {
                            thead { tr {
                                th scope="col" { (l.t("dashboard.kind")) }
                                th scope="col" { (l.t("dashboard.severity")) }
                                th scope="col" { (l.t("dashboard.findings")) }
                                th scope="col" { (l.t("dashboard.raised")) }
                                th scope="col" { (l.t("dashboard.status")) }
                            } }
                            tbody { @for i in &queue { tr class={"sev-" (i.severity)} {
                                th scope="row" { a href={"/console/conversations/" (i.conversation)} { (l.t(&format!("incident.{}", i.kind.as_str()))) } }
                                td { (i.severity) }
                                td { (i.summary) }
                                td { (i.created_at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M")) }
                                td {
                                    form method="post" action={"/dashboard/incidents/" (i.id)} class="inline" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        label class="visually-hidden" for={"status-" (i.id)} { (l.t("dashboard.status")) }
                                        select id={"status-" (i.id)} name="status" {
                                            @for s in ["open", "in_progress", "resolved"] {
                                                option value=(s) selected[i.status.as_str() == s] { (l.t(&format!("status.{s}"))) }
                                            }
                                        }
                                        button type="submit" { (l.t("dashboard.save")) }
                                    }
                                }
                            } } }
                        } }
                    }
                }
                section aria-labelledby="overdue-h" {
                    h2 id="overdue-h" { (l.t("dashboard.overdue")) " (" (overdue.len()) ")" }
                    @if overdue.is_empty() { p { (l.t("dashboard.overdue_none")) } } @else {
                        ul { @for c in &overdue { li {
                            strong { (l.t(&format!("commitment.{}", c.status.as_str()))) } " · "
                            (l.t(&format!("kind.{}", c.kind.as_str()))) " · "
                            a href={"/console/conversations/" (c.conversation)} { (c.what) } " · "
                            (c.due_at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M"))
                        } } }
                    }
                }
                section aria-labelledby="promises-h" {
                    h2 id="promises-h" { (l.t("dashboard.promises")) }
                    @if promises.is_empty() { p { (l.t("dashboard.promises_none")) } } @else {
                        div class="scroll" role="group" tabindex="0" aria-labelledby="promises-h" { table {
                            thead { tr {
                                th scope="col" { (l.t("dashboard.worker")) }
                                th scope="col" { (l.t("commitment.kept")) }
                                th scope="col" { (l.t("commitment.late")) }
                                th scope="col" { (l.t("commitment.broken")) }
                                th scope="col" { (l.t("dashboard.overdue_short")) }
                                th scope="col" { (l.t("dashboard.on_time")) }
                            } }
                            tbody { @for p in &promises {
                                @let closed = p.kept + p.late + p.broken;
                                tr {
                                    th scope="row" { (p.name) }
                                    td { (p.kept) } td { (p.late) } td { (p.broken) } td { (p.overdue) }
                                    td { @if closed > 0 { (p.kept * 100 / closed) " %" } @else { "–" } }
                                }
                            } }
                        } }
                    }
                }
                section aria-labelledby="care-h" {
                    h2 id="care-h" { (l.t("dashboard.care")) }
                    p { a href="/dashboard/weekly" { (l.t("dashboard.weekly")) } }
                    @if exposure.is_empty() { p { (l.t("dashboard.care_none")) } } @else {
                        div class="scroll" role="group" tabindex="0" aria-labelledby="care-h" { table {
                            thead { tr {
                                th scope="col" { (l.t("dashboard.worker")) }
                                th scope="col" { (l.t("dashboard.load")) }
                                th scope="col" { (l.t("dashboard.intense")) }
                                th scope="col" { (l.t("dashboard.prompts")) }
                                th scope="col" { (l.t("dashboard.outside_hours")) }
                            } }
                            tbody { @for e in &exposure { tr {
                                th scope="row" { (e["name"].as_str().unwrap_or("")) }
                                td { (e["rolling"]["score"]) }
                                td { (e["rolling"]["intense"]) }
                                td { (e["open_prompts"].as_array().map_or(0, Vec::len)) }
                                td { (e["out_of_hours"]["note"].as_str().unwrap_or("")) }
                            } } }
                        } }
                    }
                }
                section aria-labelledby="charts-h" class="charts" {
                    h2 id="charts-h" { (l.t("dashboard.charts")) }
                    figure {
                        (PreEscaped(charts::weekly_lines(l.t("dashboard.chart_incidents"), &weeks, &by_kind)))
                        figcaption { (l.t("dashboard.chart_incidents")) " — " (incidents.len()) }
                    }
                    figure {
                        (PreEscaped(charts::weekly_lines(l.t("dashboard.chart_escalations"), &weeks, &escalated)))
                        figcaption { (l.t("dashboard.chart_escalations")) " — " (escalations.len()) }
                    }
                    figure {
                        (PreEscaped(charts::weekly_lines(l.t("dashboard.chart_exposure"), &weeks, &load)))
                        figcaption { (l.t("dashboard.chart_exposure")) }
                    }
                }
            }
        })
        .into_response()
}

/// The alert kinds' names in the interface's language, for the live feed's script.
fn alert_kinds(l: crate::locale::Locale) -> String {
    let kinds: serde_json::Map<String, serde_json::Value> = [
        "urgent_disclosure",
        "abuse",
        "escalation",
        "overdue_follow_up",
        "overdue_promise",
        "broken_promise",
        "unstaffed_urgent",
        "urgent_on_call",
        "urgent_colleague",
        "wellbeing_prompt",
        "needs_owner",
    ]
    .into_iter()
    .map(|k| (k.to_string(), l.t(&format!("alert.{k}")).into()))
    .collect();
    serde_json::Value::Object(kinds).to_string()
}

/// `GET /dashboard/alerts`: the live alerts for this session, as server-sent events.
pub(crate) async fn alerts(State(state): State<AppState>, user: SignedIn) -> Response {
    match tact_server::alert_events(&state, user.session.viewer) {
        Ok(events) => events.into_response(),
        Err(error) => error.into_response(),
    }
}

/// A new status for an incident.
#[derive(Deserialize)]
pub(crate) struct StatusForm {
    csrf: String,
    status: String,
}

/// `POST /dashboard/incidents/{id}`.
pub(crate) async fn incident_status(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let Ok(status) = IncidentStatus::parse(&form.status) else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    match state
        .store
        .update_incident(user.session.viewer, id, status, "")
        .await
    {
        Ok(_) => Redirect::to("/dashboard#queue-h").into_response(),
        Err(e) => store_error(&user, e),
    }
}

/// `GET /dashboard/weekly`: last week's report for the supervisor's team (all for admins), the
/// self-contained page the wellbeing crate renders.
pub(crate) async fn weekly(State(state): State<AppState>, user: SignedIn) -> Response {
    if let Err(refused) = supervisors_only(&user) {
        return refused;
    }
    let now = jiff::Timestamp::now();
    let zone = match state.store.worker(user.session.viewer.worker).await {
        Ok(w) => w.time_zone,
        Err(e) => return store_error(&user, e),
    };
    let Ok(week) = tact_server::last_week(&zone, now) else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    let team = (user.session.viewer.role == tact_store::Role::Supervisor)
        .then_some(user.session.viewer.worker);
    match tact_server::weekly_report(
        &state.store,
        user.session.viewer,
        team,
        week,
        now,
        &state.wellbeing.rules,
    )
    .await
    {
        Ok(report) => (
            [
                ("content-type", "text/html; charset=utf-8"),
                ("cache-control", "no-store"),
                // The report page carries its own inline styles and no script at all.
                (
                    "content-security-policy",
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                ),
            ],
            report.to_html(),
        )
            .into_response(),
        Err(_) => page::error(
            user.locale,
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
        ),
    }
}
