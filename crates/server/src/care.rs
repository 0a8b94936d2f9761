//! Looking after workers (P6, P14, P16, P20, P22), wired to the store: where a client's message
//! goes given its worker's hours (notify now, hold back until their next shift, or, when urgent,
//! the worker on call, a colleague on duty, or every supervisor when nobody is there), the
//! break, debrief and supervisor prompts their exposure calls for, and the weekly team report.
//!
//! The rules themselves live in `tact_wellbeing` (no I/O); this module reads the store, calls
//! them, and records what they decide. Handlers are thin. What concerns a worker's load is shown
//! to the worker, their own supervisor and admins only (the store enforces it), and alerts about
//! it carry counts and kinds, never a client's words.

use crate::alerts::{Alert, Audience};
use crate::auth::Caller;
use crate::{ApiError, AppState, JsonBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::{Value, json};
use tact_core::advice::{ActionKind, AdviseOptions};
use tact_core::context::TimeContext;
use tact_core::replies::ReplyValues;
use tact_core::{AnalyseOptions, Lang};
use tact_store::{
    AbsenceKind, CareRecords, NewPrompt, NotificationReason, Role, Store, Viewer, Worker,
};
use tact_wellbeing::exposure::{self, ExposureRules, Interaction};
use tact_wellbeing::report::{self, WeeklyReport};
use tact_wellbeing::schedule::{self, DayOff, OnCallRota, Routing, RoutingPolicy, WorkerSchedule};

/// The organisation's choices about its workers' wellbeing, set when the server starts (`tact
/// serve --config`, section `[wellbeing]`). The same on every replica, so nothing to share.
#[derive(Debug, Clone, Default)]
pub struct WellbeingSettings {
    /// When exposure calls for a break, a debrief or a supervisor's attention.
    pub rules: ExposureRules,
    /// Whether a client who writes outside their worker's hours is offered the after-hours reply
    /// (when the worker is back, where urgent help is). Off unless the organisation enables it:
    /// some prefer to say nothing rather than something automatic.
    pub after_hours_reply: bool,
    /// Values for that reply: `crisis_line`, `emergency_number`, `organisation`. The worker's
    /// own hours fill `opening_hours` when it is not set here.
    pub reply_values: ReplyValues,
}

/// How often notifications held back for a shift are looked for.
pub(crate) const NOTIFICATION_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

/// Errors of the wellbeing functions the command line shares with the API.
#[derive(Debug, thiserror::Error)]
pub enum CareError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] tact_store::Error),
    /// A schedule, rule or week that does not work (an unknown time zone, a week not starting
    /// on Monday).
    #[error(transparent)]
    Wellbeing(#[from] tact_wellbeing::Error),
    /// The engine could not read the message again for the after-hours reply.
    #[error(transparent)]
    Engine(#[from] tact_core::Error),
}

impl From<CareError> for ApiError {
    fn from(error: CareError) -> ApiError {
        match error {
            CareError::Store(error) => error.into(),
            CareError::Wellbeing(error) => ApiError::bad_request("invalid", error.to_string()),
            CareError::Engine(error) => error.into(),
        }
    }
}

/// A worker's schedule from their row and the absences the store keeps.
async fn schedule_of(store: &Store, worker: &Worker) -> Result<WorkerSchedule, CareError> {
    let days_off = store
        .worker_absences(worker.id)
        .await?
        .into_iter()
        .map(|a| DayOff {
            from: a.first_day,
            until: a.last_day,
        })
        .collect();
    Ok(WorkerSchedule::from_worker(
        worker.id,
        &worker.time_zone,
        worker.working_hours.as_deref(),
        days_off,
    )?)
}

/// Who hears an alert about `worker`'s wellbeing: their own supervisor, or admins when they have
/// none.
async fn their_supervisor(store: &Store, worker: i64) -> Result<Audience, CareError> {
    Ok(match store.supervisor_of(worker).await? {
        Some(supervisor) => Audience::Supervisor(supervisor),
        None => Audience::Admins,
    })
}

/// The moment `at` in a worker's hours, for the analysis and the after-hours reply.
fn time_context(schedule: &schedule::Schedule, at: Timestamp) -> TimeContext {
    let local = at.to_zoned(schedule.zone().clone());
    TimeContext {
        weekday: local.weekday().to_monday_zero_offset() as u8,
        minute: local.hour() as u16 * 60 + local.minute() as u16,
        hours: schedule.hours().clone(),
        day_off: schedule.is_day_off(local.date()),
    }
}

/// A client's message as the routing sees it.
pub(crate) struct Arrival<'a> {
    /// Who ingested it (they may see the conversation).
    pub(crate) viewer: Viewer,
    /// The conversation's own worker.
    pub(crate) owner: i64,
    /// The conversation.
    pub(crate) conversation: i64,
    /// The stored message.
    pub(crate) message: i64,
    /// When it was sent.
    pub(crate) sent_at: Timestamp,
    /// Whether it is urgent (self-harm, a threat to life).
    pub(crate) urgent: bool,
    /// Its words, only to read the after-hours reply's language and findings again.
    pub(crate) text: &'a str,
    /// The language asked for, if any.
    pub(crate) language: Option<Lang>,
}

/// Routes a stored client message by its worker's hours and records what that means; returns
/// the `routing` part of the ingest answer. The message is stored before this runs, and when
/// routing cannot be decided (the database fails, the worker's time zone is unknown) the
/// worker is notified at once: a message is never held back by mistake.
pub(crate) async fn route_message(state: &AppState, arrival: &Arrival<'_>) -> Value {
    match try_route(state, arrival).await {
        Ok(value) => value,
        Err(error) => {
            tracing::warn!(%error, "routing failed; the worker is notified at once");
            json!({ "route": "notify_now", "worker": arrival.owner, "fallback": true })
        }
    }
}

async fn try_route(state: &AppState, arrival: &Arrival<'_>) -> Result<Value, CareError> {
    let store = &state.store;
    let worker = store.worker(arrival.owner).await?;
    let assigned = schedule_of(store, &worker).await?;
    let mut team = Vec::new();
    for mate in store.teammates(worker.id).await? {
        match schedule_of(store, &mate).await {
            Ok(schedule) => team.push(schedule),
            Err(error) => {
                tracing::warn!(%error, worker = mate.id, "a colleague's hours are unreadable")
            }
        }
    }
    let supervisor = store.supervisor_of(worker.id).await?;
    let rota = OnCallRota {
        slots: store
            .on_call_at(arrival.sent_at, supervisor)
            .await?
            .into_iter()
            .map(|s| schedule::OnCallSlot {
                worker: s.worker,
                from: s.from,
                until: s.until,
            })
            .collect(),
    };
    let settings = &state.wellbeing;
    let routing = schedule::route(
        arrival.sent_at,
        arrival.urgent,
        &assigned,
        &team,
        &rota,
        RoutingPolicy {
            after_hours_reply: settings.after_hours_reply,
        },
    );
    let mut answer = json!(routing);
    let alert = |kind: &str, summary: String, to: Option<i64>, audience: Audience| Alert {
        kind: kind.into(),
        conversation: arrival.conversation,
        incident: None,
        commitment: None,
        worker: arrival.owner,
        summary,
        at: Timestamp::now(),
        to,
        audience,
    };
    let reply = match routing {
        Routing::NotifyNow { .. } => false,
        Routing::Defer {
            worker,
            until,
            after_hours_reply,
        } => {
            let id = store
                .add_notification(
                    arrival.viewer,
                    arrival.message,
                    worker,
                    NotificationReason::Deferred,
                    until,
                    false,
                )
                .await?;
            answer["notification"] = json!(id);
            state
                .metrics
                .event("tact_routed_messages_total", "deferred");
            after_hours_reply
        }
        Routing::Reassign {
            after_hours_reply, ..
        } => {
            crate::alerts::raise(
                state,
                alert(
                    "needs_owner",
                    "a message arrived for a worker with no shift in the next 60 days".into(),
                    None,
                    their_supervisor(store, arrival.owner).await?,
                ),
            )
            .await;
            after_hours_reply
        }
        Routing::OnCall { worker } | Routing::Colleague { worker } => {
            let (reason, kind) = match routing {
                Routing::OnCall { .. } => (NotificationReason::OnCall, "urgent_on_call"),
                _ => (NotificationReason::Colleague, "urgent_colleague"),
            };
            let id = store
                .add_notification(
                    arrival.viewer,
                    arrival.message,
                    worker,
                    reason,
                    arrival.sent_at,
                    true,
                )
                .await?;
            answer["notification"] = json!(id);
            crate::alerts::raise(
                state,
                alert(
                    kind,
                    format!(
                        "urgent message outside worker {}'s hours: taken by worker {worker}",
                        arrival.owner
                    ),
                    Some(worker),
                    Audience::Supervisors,
                ),
            )
            .await;
            state.metrics.event("tact_routed_messages_total", kind);
            false
        }
        Routing::Unstaffed { .. } => {
            crate::alerts::raise(
                state,
                alert(
                    "unstaffed_urgent",
                    "urgent message while nobody is on duty or on call: someone must take it now"
                        .into(),
                    None,
                    Audience::Supervisors,
                ),
            )
            .await;
            tracing::error!(
                conversation = arrival.conversation,
                "urgent message with nobody on duty or on call"
            );
            state
                .metrics
                .event("tact_routed_messages_total", "unstaffed_urgent");
            false
        }
    };
    if reply {
        answer["after_hours_reply"] = after_hours_reply(state, arrival, &worker, &assigned)?;
    }
    Ok(answer)
}

/// The after-hours reply for the client, from the advice templates in the client's language,
/// read with the worker's hours (the analysis then sees the message as after hours).
fn after_hours_reply(
    state: &AppState,
    arrival: &Arrival<'_>,
    worker: &Worker,
    assigned: &WorkerSchedule,
) -> Result<Value, CareError> {
    let time = time_context(&assigned.schedule, arrival.sent_at);
    let analysis = state.engine.analyse(
        arrival.text,
        &AnalyseOptions {
            language: arrival.language,
            time: Some(time),
        },
    )?;
    let mut values = state.wellbeing.reply_values.clone();
    if !values.values.contains_key("opening_hours")
        && let Some(hours) = &worker.working_hours
    {
        values.set("opening_hours", format!("{hours} ({})", worker.time_zone));
    }
    let advice = state.engine.advise(
        &analysis,
        &AdviseOptions {
            language: arrival.language.or(analysis.language.lang),
            values,
            ..Default::default()
        },
    );
    Ok(advice
        .actions
        .into_iter()
        .find(|a| a.kind == ActionKind::AfterHoursReply)
        .map(|a| json!({ "reply": a.reply, "template": a.template, "missing": a.missing }))
        .unwrap_or(Value::Null))
}

/// Interactions of a worker from their stored client messages.
fn interactions(records: &CareRecords, rules: &ExposureRules) -> Vec<Interaction> {
    records
        .client_messages
        .iter()
        .map(|m| {
            Interaction::from_analysis(
                m.worker,
                m.conversation,
                m.sent_at,
                m.analysis.as_ref().unwrap_or(&Value::Null),
                rules,
            )
        })
        .collect()
}

/// How far back the rules look.
fn history(rules: &ExposureRules) -> SignedDuration {
    let days = rules.supervisor.of_days.max(rules.supervisor.rolling_days) + 1;
    SignedDuration::from_hours(24 * i64::from(days))
}

/// After a client message of `worker`'s sent at `at`: evaluates the exposure rules over their
/// recent history, records the prompts not recorded before, and alerts their supervisor of new
/// debriefs and notices. Returns the new prompts, for the worker to see at once. A failure is
/// logged, never allowed to fail the message's ingest.
pub(crate) async fn raise_prompts(
    state: &AppState,
    worker: i64,
    conversation: i64,
    at: Timestamp,
) -> Vec<Value> {
    match try_raise_prompts(state, worker, conversation, at).await {
        Ok(raised) => raised,
        Err(error) => {
            tracing::warn!(%error, worker, "wellbeing prompts not evaluated");
            Vec::new()
        }
    }
}

async fn try_raise_prompts(
    state: &AppState,
    worker: i64,
    conversation: i64,
    at: Timestamp,
) -> Result<Vec<Value>, CareError> {
    let rules = &state.wellbeing.rules;
    // The organisation evaluates a worker's load on the worker's behalf.
    let on_behalf = Viewer {
        worker,
        role: Role::Worker,
    };
    let until = at + SignedDuration::from_secs(1);
    let records = state
        .store
        .care_records(on_behalf, worker, at - history(rules), until)
        .await?;
    let mut raised = Vec::new();
    for prompt in exposure::prompts(rules, &interactions(&records, rules), at) {
        let kind = match prompt.kind {
            exposure::PromptKind::Break => tact_store::PromptKind::Break,
            exposure::PromptKind::Debrief => tact_store::PromptKind::Debrief,
            exposure::PromptKind::SupervisorNotice => tact_store::PromptKind::SupervisorNotice,
        };
        let Some(id) = state
            .store
            .record_prompt(&NewPrompt {
                worker,
                kind,
                key: prompt.key.clone(),
                conversation: prompt.conversation,
                reason: prompt.reason.clone(),
                raised_at: prompt.at,
            })
            .await?
        else {
            continue;
        };
        state
            .metrics
            .event("tact_wellbeing_prompts_total", kind.as_str());
        if kind != tact_store::PromptKind::Break {
            crate::alerts::raise(
                state,
                Alert {
                    kind: "wellbeing_prompt".into(),
                    conversation: prompt.conversation.unwrap_or(conversation),
                    incident: None,
                    commitment: None,
                    worker,
                    summary: format!("{}: {}", kind.as_str(), prompt.reason),
                    at: Timestamp::now(),
                    to: None,
                    audience: their_supervisor(&state.store, worker).await?,
                },
            )
            .await;
        }
        raised.push(json!({ "id": id, "kind": kind, "reason": prompt.reason, "at": prompt.at }));
    }
    Ok(raised)
}

/// Delivers the notifications held back for a shift that has now begun (and any other due):
/// once each, on whichever replica claims them. Returns how many.
pub async fn sweep_notifications(state: &AppState, now: Timestamp) -> Result<usize, CareError> {
    let delivered = state.store.claim_due_notifications(now).await?;
    for notification in &delivered {
        state.metrics.event(
            "tact_notifications_delivered_total",
            notification.reason.as_str(),
        );
    }
    Ok(delivered.len())
}

// ------------------------------------------------------------------ reports

/// The team a weekly report covers, as the viewer may ask for it: a supervisor their own; an
/// admin any supervisor's (`team`), or, without one, every worker. Workers get
/// [`tact_store::Error::Forbidden`].
async fn report_team(
    store: &Store,
    viewer: Viewer,
    team: Option<i64>,
) -> Result<(String, String, Vec<Worker>), CareError> {
    let lead = match (viewer.role, team) {
        (Role::Worker, _) => return Err(tact_store::Error::Forbidden.into()),
        (Role::Supervisor, None) => Some(viewer.worker),
        (_, team) => team,
    };
    match lead {
        Some(lead) => {
            let members = store.team(viewer, lead).await?;
            let lead = store.worker(lead).await?;
            Ok((format!("{}'s team", lead.name), lead.time_zone, members))
        }
        None => {
            let me = store.worker(viewer.worker).await?;
            let members = store
                .workers()
                .await?
                .into_iter()
                .filter(|w| w.role == Role::Worker)
                .collect();
            Ok(("All workers".into(), me.time_zone, members))
        }
    }
}

/// The weekly report of a team (see [`report_team`] for which) for the week starting on Monday
/// `week` in the team's time zone, with statuses as of `now`: built from exactly the store's
/// records of that week.
pub async fn weekly_report(
    store: &Store,
    viewer: Viewer,
    team: Option<i64>,
    week: Date,
    now: Timestamp,
    rules: &ExposureRules,
) -> Result<WeeklyReport, CareError> {
    let (name, time_zone, workers) = report_team(store, viewer, team).await?;
    let (from, until) = report::week_bounds(&time_zone, week)?;
    let mut members = Vec::new();
    let mut records = report::Records::default();
    for worker in workers {
        let schedule = schedule_of(store, &worker).await?;
        members.push(report::Member {
            id: worker.id,
            name: worker.name.clone(),
            time_zone: worker.time_zone.clone(),
            working_hours: worker.working_hours.clone(),
            days_off: schedule.schedule.days_off().to_vec(),
        });
        let stored = store.care_records(viewer, worker.id, from, until).await?;
        records.interactions.extend(interactions(&stored, rules));
        records
            .actions
            .extend(stored.actions.iter().map(|&at| report::WorkerAction {
                worker: worker.id,
                at,
            }));
        records
            .commitments
            .extend(stored.commitments.iter().map(|c| report::CommitmentRecord {
                id: c.id,
                worker: c.worker,
                conversation: c.conversation,
                kind: match c.kind {
                    tact_store::CommitmentKind::Promise => report::CommitmentKind::Promise,
                    tact_store::CommitmentKind::FollowUp => report::CommitmentKind::FollowUp,
                },
                due_at: c.due_at,
                status: match c.status {
                    tact_store::CommitmentStatus::Open => report::CommitmentStatus::Open,
                    tact_store::CommitmentStatus::Kept => report::CommitmentStatus::Kept,
                    tact_store::CommitmentStatus::Late => report::CommitmentStatus::Late,
                    tact_store::CommitmentStatus::Broken => report::CommitmentStatus::Broken,
                },
                closed_at: c.closed_at,
            }));
        records
            .incidents
            .extend(stored.incidents.iter().map(|i| report::IncidentRecord {
                id: i.id,
                worker: i.worker,
                conversation: i.conversation,
                kind: match i.kind {
                    tact_store::IncidentKind::BoundaryCrossing => {
                        report::IncidentKind::BoundaryCrossing
                    }
                    tact_store::IncidentKind::Abuse => report::IncidentKind::Abuse,
                    tact_store::IncidentKind::UrgentDisclosure => {
                        report::IncidentKind::UrgentDisclosure
                    }
                    tact_store::IncidentKind::ConflictOfInterest => {
                        report::IncidentKind::ConflictOfInterest
                    }
                },
                severity: i.severity.clone(),
                status: match i.status {
                    tact_store::IncidentStatus::Open => report::IncidentStatus::Open,
                    tact_store::IncidentStatus::InProgress => report::IncidentStatus::InProgress,
                    tact_store::IncidentStatus::Resolved => report::IncidentStatus::Resolved,
                },
                created_at: i.created_at,
                resolved_at: i.resolved_at,
            }));
        records
            .prompts
            .extend(stored.prompts.iter().map(|p| report::PromptRecord {
                key: p.key.clone(),
                worker: p.worker,
                kind: match p.kind {
                    tact_store::PromptKind::Break => exposure::PromptKind::Break,
                    tact_store::PromptKind::Debrief => exposure::PromptKind::Debrief,
                    tact_store::PromptKind::SupervisorNotice => {
                        exposure::PromptKind::SupervisorNotice
                    }
                },
                at: p.raised_at,
                taken: p.taken_at.is_some(),
            }));
    }
    let team = report::Team {
        name,
        time_zone,
        members,
    };
    Ok(WeeklyReport::build(&team, week, &records, rules, now)?)
}

/// The Monday of the last complete week before `now` in `zone`: what a supervisor reads on a
/// Monday morning.
pub fn last_week(zone_name: &str, now: Timestamp) -> Result<Date, CareError> {
    let zone = jiff::tz::TimeZone::get(zone_name)
        .map_err(|_| tact_wellbeing::Error::TimeZone(zone_name.to_string()))?;
    let today = now.to_zoned(zone).date();
    let monday = today
        .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset()) + 7))
        .map_err(|e| tact_wellbeing::Error::Week {
            date: today,
            zone: zone_name.to_string(),
            reason: e.to_string(),
        })?;
    Ok(monday)
}

/// One worker's exposure as the viewer may read it: the rolling window, the current (or last)
/// shift, their time outside hours with a gentle note, and their open prompts.
pub async fn exposure_of(
    store: &Store,
    viewer: Viewer,
    worker: &Worker,
    days: u32,
    at: Timestamp,
    rules: &ExposureRules,
) -> Result<Value, CareError> {
    let days = days.clamp(1, exposure::MAX_DAYS);
    let span = SignedDuration::from_hours(24 * i64::from(days));
    let until = at + SignedDuration::from_secs(1);
    let records = store
        .care_records(viewer, worker.id, at - span, until)
        .await?;
    let interactions = interactions(&records, rules);
    let rolling = exposure::rolling_exposure(rules, &interactions, worker.id, at, days);
    let schedule = schedule_of(store, worker).await?;
    let shift = schedule.schedule.current_shift(at).map(|(from, until)| {
        exposure::shift_exposure(rules, &interactions, worker.id, from, until)
    });
    let pattern = schedule::out_of_hours_activity(&records.actions, &schedule.schedule);
    let note = if viewer.worker == worker.id {
        pattern.note_for_worker()
    } else {
        pattern.note_for_supervisor(&worker.name)
    };
    let open: Vec<_> = records
        .prompts
        .iter()
        .filter(|p| p.taken_at.is_none() && p.dismissed_at.is_none())
        .collect();
    Ok(json!({
        "worker": worker.id,
        "name": worker.name,
        "days": days,
        "at": at,
        "on_duty": schedule.schedule.on_duty(at),
        "rolling": rolling,
        "shift": shift,
        "out_of_hours": { "pattern": pattern, "note": note },
        "open_prompts": open,
    }))
}

// ------------------------------------------------------------------ handlers

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExposureQuery {
    #[serde(default)]
    worker: Option<i64>,
    #[serde(default = "seven")]
    days: u32,
    /// Evaluate as of this moment instead of now (RFC 3339).
    #[serde(default)]
    at: Option<Timestamp>,
}

fn seven() -> u32 {
    7
}

/// `GET /v1/wellbeing/exposure`: one worker the viewer may see, or all of them.
pub(crate) async fn exposure(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<ExposureQuery>,
) -> Result<Json<Value>, ApiError> {
    let workers = match query.worker {
        Some(id) => {
            state.store.may_see_worker(viewer, id).await?;
            vec![state.store.worker(id).await?]
        }
        None => state.store.visible_workers(viewer).await?,
    };
    let at = query.at.unwrap_or_else(Timestamp::now);
    let mut out = Vec::new();
    for worker in &workers {
        out.push(
            exposure_of(
                &state.store,
                viewer,
                worker,
                query.days,
                at,
                &state.wellbeing.rules,
            )
            .await?,
        );
    }
    Ok(Json(json!(out)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PromptQuery {
    #[serde(default)]
    worker: Option<i64>,
    #[serde(default)]
    since: Option<Timestamp>,
}

pub(crate) async fn prompts(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<PromptQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .prompts(viewer, query.worker, query.since)
            .await?
    )))
}

pub(crate) async fn take_prompt(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .take_prompt(viewer, id, Timestamp::now())
            .await?
    )))
}

pub(crate) async fn dismiss_prompt(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .dismiss_prompt(viewer, id, Timestamp::now())
            .await?
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorkerQuery {
    #[serde(default)]
    worker: Option<i64>,
}

/// `GET /v1/wellbeing/notifications`: a worker sees what they were told (nothing before their
/// shift); supervisors and admins also see what waits, for their team.
pub(crate) async fn notifications(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<WorkerQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .notifications(viewer, query.worker, viewer.role == Role::Worker)
            .await?
    )))
}

pub(crate) async fn absences(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<WorkerQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state.store.absences(viewer, query.worker).await?
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAbsence {
    worker: i64,
    first_day: Date,
    #[serde(default)]
    last_day: Option<Date>,
    #[serde(default = "absence")]
    kind: AbsenceKind,
}

fn absence() -> AbsenceKind {
    AbsenceKind::Absence
}

pub(crate) async fn add_absence(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<NewAbsence>,
) -> Result<Json<Value>, ApiError> {
    let Json(absence) = body?;
    let id = state
        .store
        .add_absence(
            viewer,
            absence.worker,
            absence.first_day,
            absence.last_day.unwrap_or(absence.first_day),
            absence.kind,
        )
        .await?;
    Ok(Json(json!({ "id": id })))
}

pub(crate) async fn delete_absence(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    state.store.delete_absence(viewer, id).await?;
    Ok(Json(json!({ "deleted": id })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RotaQuery {
    #[serde(default)]
    from: Option<Timestamp>,
    #[serde(default)]
    until: Option<Timestamp>,
}

/// `GET /v1/wellbeing/on-call`: the slots the viewer may see, from now for a week by default.
pub(crate) async fn on_call(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<RotaQuery>,
) -> Result<Json<Value>, ApiError> {
    let from = query.from.unwrap_or_else(Timestamp::now);
    let until = query
        .until
        .unwrap_or(from + SignedDuration::from_hours(24 * 7));
    Ok(Json(json!(state.store.on_call(viewer, from, until).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSlot {
    worker: i64,
    from: Timestamp,
    until: Timestamp,
}

pub(crate) async fn add_on_call(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<NewSlot>,
) -> Result<Json<Value>, ApiError> {
    let Json(slot) = body?;
    let id = state
        .store
        .add_on_call(viewer, slot.worker, slot.from, slot.until)
        .await?;
    Ok(Json(json!({ "id": id })))
}

pub(crate) async fn delete_on_call(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    state.store.delete_on_call(viewer, id).await?;
    Ok(Json(json!({ "deleted": id })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SupervisorBody {
    supervisor: Option<i64>,
}

/// `PUT /v1/workers/{id}/supervisor`: admins build the teams.
pub(crate) async fn set_supervisor(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(worker): Path<i64>,
    body: JsonBody<SupervisorBody>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body?;
    state
        .store
        .set_supervisor(viewer, worker, body.supervisor)
        .await?;
    Ok(Json(
        json!({ "worker": worker, "supervisor": body.supervisor }),
    ))
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Format {
    #[default]
    Json,
    Html,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportQuery {
    #[serde(default)]
    week: Option<Date>,
    #[serde(default)]
    team: Option<i64>,
    #[serde(default)]
    format: Format,
}

/// `GET /v1/reports/weekly`: a team's week for its supervisor (admins: any team, or all).
pub(crate) async fn weekly(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    if viewer.role == Role::Worker {
        return Err(tact_store::Error::Forbidden.into());
    }
    let now = Timestamp::now();
    let week = match query.week {
        Some(week) => week,
        None => {
            let me = state.store.worker(viewer.worker).await?;
            last_week(&me.time_zone, now)?
        }
    };
    let report = weekly_report(
        &state.store,
        viewer,
        query.team,
        week,
        now,
        &state.wellbeing.rules,
    )
    .await?;
    Ok(match query.format {
        Format::Json => Json(report.to_json()).into_response(),
        Format::Html => Html(report.to_html()).into_response(),
    })
}
