//! Ingest and the records it feeds: a message is analysed (a client's) or coached (a worker's),
//! redacted with its conversation's numbering, stored, and turned into incidents and tracked
//! promises as the findings call for. Only redacted text and a summary without personal data are
//! stored.

use crate::auth::Caller;
use crate::{ApiError, AppState, JsonBody, language};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tact_core::AnalyseOptions;
use tact_core::advice::AdviseOptions;
use tact_core::coach::CoachOptions;
use tact_core::redact::{Policy, Redactor};
use tact_core::replies::ReplyValues;
use tact_store::{Author, CommitmentKind, IncidentKind, IncidentStatus, NewCommitment, NewMessage};

/// One message to ingest: the body of `POST /v1/ingest`, and what the web console sends.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestRequest {
    /// The channel's conversation id.
    pub conversation: String,
    /// The client's pseudonymous id in the channel.
    pub client: String,
    /// `client` or `worker`.
    pub author: Author,
    /// The message as written; it is redacted before it is stored.
    pub text: String,
    /// Its language, when the caller knows it.
    #[serde(default)]
    pub language: Option<String>,
    /// When it was sent (RFC 3339); now by default.
    #[serde(default)]
    pub sent_at: Option<jiff::Timestamp>,
}

pub(crate) async fn ingest(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<IngestRequest>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body?;
    Ok(Json(ingest_message(&state, viewer, request).await?.body))
}

/// When the follow-up after an urgent disclosure is due.
const FOLLOW_UP_AFTER_URGENT: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// What ingesting one message produced.
pub(crate) struct Ingested {
    /// The answer of `POST /v1/ingest`.
    pub(crate) body: Value,
    /// The reading of the message.
    pub(crate) analysis: tact_core::Analysis,
    /// For a worker's reply: its coaching.
    pub(crate) report: Option<tact_core::coach::CoachReport>,
    /// For a worker's reply: the promises tracked, when due and whether the time is ambiguous.
    pub(crate) promises: Vec<(jiff::Timestamp, bool)>,
    /// For a client's message: the advice, read against the directory.
    pub(crate) advice: Option<tact_core::advice::Advice>,
}

/// Ingests one message for `viewer` and answers what `POST /v1/ingest` answers: for the web
/// console, which sends a worker's reply the same way the API does.
pub async fn ingest_for(
    state: &AppState,
    viewer: tact_store::Viewer,
    request: IngestRequest,
) -> Result<Value, ApiError> {
    Ok(ingest_message(state, viewer, request).await?.body)
}

/// Ingests one message for `viewer`: the work behind `POST /v1/ingest`, shared with the
/// integrations that receive messages from other systems.
pub(crate) async fn ingest_message(
    state: &AppState,
    viewer: tact_store::Viewer,
    request: IngestRequest,
) -> Result<Ingested, ApiError> {
    let lang = language(&state.engine, request.language.as_deref())?;
    let sent_at = request.sent_at.unwrap_or_else(jiff::Timestamp::now);
    let code = lang.map(|l| l.as_str().to_string());
    let conversation = state
        .store
        .conversation_for(
            viewer,
            &request.conversation,
            &request.client,
            code.as_deref(),
        )
        .await?;
    let analysis = state.engine.analyse(
        &request.text,
        &AnalyseOptions {
            language: lang,
            ..Default::default()
        },
    )?;
    let mut redactor: Redactor = state
        .store
        .redaction_state(conversation)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let redacted = redactor.redact(&request.text, &analysis.pii, &Policy::default(), None)?;
    state
        .store
        .set_redaction_state(
            conversation,
            &serde_json::to_string(&redactor).unwrap_or_default(),
        )
        .await?;

    // What is kept of the reading: categories and levels, never the words.
    let mut summary = json!({
        "language": analysis.language.lang,
        "urgent": analysis.urgent,
        "heat": analysis.heat,
        "personal_data": analysis.pii.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(),
        "signals": analysis.signals.iter().map(|s| json!({
            "category": s.category, "severity": s.severity, "modality": s.modality,
            "subject": s.subject, "rule": s.rule,
        })).collect::<Vec<_>>(),
        "emotions": analysis.emotions,
    });
    let mut promises = Vec::new();
    let mut coaching = None;
    if request.author == Author::Worker {
        let worker = state.store.worker(viewer.worker).await?;
        let zone = jiff::tz::TimeZone::get(&worker.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let report = state.engine.coach(
            &request.text,
            &CoachOptions {
                language: lang.or(analysis.language.lang),
                reference: Some(sent_at.to_zoned(zone.clone()).datetime()),
                ..Default::default()
            },
        )?;
        summary["coach"] = json!({
            "score": report.score,
            "criteria": report.criteria.iter().map(|c| json!({"criterion": c.criterion, "verdict": c.verdict})).collect::<Vec<_>>(),
            "flags": report.flags.iter().map(|f| f.flag).collect::<Vec<_>>(),
        });
        promises = report
            .commitments
            .iter()
            .filter_map(|c| {
                let due = c.due.to_zoned(zone.clone()).ok()?.timestamp();
                // The promise as the worker put it, with the conversation's placeholders.
                let what = redacted_sentence(&redacted.text, &c.sentence);
                Some((what, due, c.ambiguous))
            })
            .collect();
        coaching = Some(report);
    }
    let (original_ciphertext, erase_original_after) = match &state.originals {
        Some(kept) => (
            Some(
                kept.key
                    .seal(&request.text, &format!("conversation:{conversation}"))?,
            ),
            jiff::Timestamp::now().checked_add(kept.retention).ok(),
        ),
        None => (None, None),
    };
    let message = state
        .store
        .add_message(
            viewer,
            conversation,
            &NewMessage {
                author: request.author,
                redacted_text: redacted.text.clone(),
                original_ciphertext,
                erase_original_after,
                analysis: Some(summary),
                sent_at,
            },
        )
        .await?;

    let mut incidents = Vec::new();
    let mut urgent_summary = None;
    if request.author == Author::Client {
        let asserted: Vec<_> = analysis.signals.iter().filter(|s| s.asserted()).collect();
        let of = |wanted: &dyn Fn(&tact_core::signals::Signal) -> bool| -> Vec<&str> {
            asserted
                .iter()
                .filter(|s| wanted(s))
                .map(|s| s.category.as_str())
                .collect()
        };
        let kinds = [
            (
                IncidentKind::UrgentDisclosure,
                "urgent",
                of(&|s| {
                    s.category.starts_with("disclosure.")
                        && s.severity == Some(tact_core::category::Severity::Urgent)
                }),
            ),
            (
                IncidentKind::Abuse,
                "high",
                of(&|s| s.targeted == Some(true) && s.category != "abuse.complaint_leverage"),
            ),
            (
                IncidentKind::BoundaryCrossing,
                "moderate",
                of(&|s| {
                    s.category.starts_with("crossing.") && s.category != "crossing.after_hours"
                }),
            ),
        ];
        for (kind, severity, mut categories) in kinds {
            if categories.is_empty() {
                continue;
            }
            categories.dedup();
            let summary = categories.join(", ");
            let incident = state
                .store
                .add_incident(
                    viewer,
                    conversation,
                    Some(message),
                    kind,
                    severity,
                    &summary,
                )
                .await?;
            incidents.push(incident);
            state.metrics.event("tact_incidents_total", kind.as_str());
            if kind == IncidentKind::UrgentDisclosure {
                urgent_summary = Some(summary.clone());
            }
            if matches!(kind, IncidentKind::UrgentDisclosure | IncidentKind::Abuse) {
                crate::alerts::raise(
                    state,
                    crate::Alert {
                        kind: kind.as_str().to_string(),
                        conversation,
                        incident: Some(incident),
                        commitment: None,
                        worker: viewer.worker,
                        summary,
                        at: jiff::Timestamp::now(),
                        to: None,
                        audience: crate::alerts::Audience::Supervisors,
                    },
                )
                .await;
            }
        }
    }
    // Referrals (P4): a client's message that calls for a service records it as suggested; a
    // reply that names a suggested service records it as offered.
    let mut advice = None;
    let referrals = match request.author {
        Author::Client => {
            let directory = crate::referrals::Directory::load(&state.store).await?;
            let advised = state.engine.advise(
                &analysis,
                &AdviseOptions {
                    language: analysis.language.lang,
                    values: ReplyValues::default(),
                    region: None,
                    directory: &directory.entries,
                    history: &[],
                    first_contact: false,
                },
            );
            let suggested =
                crate::referrals::suggest(&state.store, viewer, message, &advised, &directory)
                    .await?;
            advice = Some(advised);
            json!({ "suggested": suggested })
        }
        Author::Worker => {
            let offered = crate::referrals::offered_in_reply(
                &state.store,
                viewer,
                conversation,
                &request.text,
                sent_at,
            )
            .await?;
            json!({ "offered": offered })
        }
    };
    let tracked = promises
        .iter()
        .map(|(_, due, ambiguous)| (*due, *ambiguous))
        .collect();
    let mut planned: Vec<NewCommitment> = promises
        .into_iter()
        .map(|(what, due_at, ambiguous)| NewCommitment {
            kind: CommitmentKind::Promise,
            message: Some(message),
            what,
            due_at,
            ambiguous,
        })
        .collect();
    // An urgent disclosure calls for checking on the client the next day (P5): planned at
    // once, so it cannot be forgotten, and alerted on if it is not done in time.
    if let Some(summary) = urgent_summary {
        planned.push(NewCommitment {
            kind: CommitmentKind::FollowUp,
            message: Some(message),
            what: format!("check on the client after the urgent disclosure ({summary})"),
            due_at: sent_at
                .checked_add(FOLLOW_UP_AFTER_URGENT)
                .unwrap_or(sent_at),
            ambiguous: false,
        });
    }
    let mut commitments = Vec::new();
    for commitment in &planned {
        commitments.push(
            state
                .store
                .add_commitment(viewer, conversation, commitment)
                .await?,
        );
    }
    // Looking after the worker (P14, P16): where the message goes given their hours, and what
    // their exposure now calls for. The message is stored whatever these decide.
    let mut care = serde_json::Map::new();
    if request.author == Author::Client {
        let owner = state
            .store
            .conversation_owner(&request.conversation)
            .await?
            .unwrap_or(viewer.worker);
        let arrival = crate::care::Arrival {
            viewer,
            owner,
            conversation,
            message,
            sent_at,
            urgent: analysis.urgent,
            text: &request.text,
            language: lang,
        };
        care.insert(
            "routing".into(),
            crate::care::route_message(state, &arrival).await,
        );
        // Prompts fire only when an intense contact comes in (a break after several, a
        // debrief after a threat, a notice when the load stays high), so a calm message skips
        // reading the worker's recent history.
        let rules = &state.wellbeing.rules;
        let intense = rules.is_intense(&tact_wellbeing::exposure::Interaction::from_core(
            owner,
            conversation,
            sent_at,
            &analysis,
            rules,
        ));
        let prompts = if intense {
            crate::care::raise_prompts(state, owner, conversation, sent_at).await
        } else {
            Vec::new()
        };
        care.insert("wellbeing_prompts".into(), json!(prompts));
    }
    state
        .metrics
        .event("tact_ingested_messages_total", request.author.as_str());
    for _ in &commitments {
        state.metrics.event("tact_promises_total", "tracked");
    }
    let mut body = json!({
        "conversation": conversation,
        "message": message,
        "redacted_text": redacted.text,
        "urgent": analysis.urgent,
        "incidents": incidents,
        "commitments": commitments,
        "referrals": referrals,
    });
    if let Some(fields) = body.as_object_mut() {
        fields.extend(care);
    }
    Ok(Ingested {
        body,
        analysis,
        report: coaching,
        promises: tracked,
        advice,
    })
}

/// The promise's sentence as stored: located in the redacted text when it has no personal data,
/// else the whole redacted message (never the original words).
fn redacted_sentence(redacted: &str, sentence: &str) -> String {
    if redacted.contains(sentence) {
        sentence.to_string()
    } else {
        redacted.to_string()
    }
}

pub(crate) async fn messages(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(conversation): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state.store.messages(viewer, conversation).await?
    )))
}

#[derive(Deserialize)]
pub(crate) struct IncidentFilter {
    status: Option<IncidentStatus>,
}

pub(crate) async fn incidents(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(filter): Query<IncidentFilter>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state.store.incidents(viewer, filter.status).await?
    )))
}

pub(crate) async fn commitments(
    State(state): State<AppState>,
    Caller(viewer): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .commitments(viewer, jiff::Timestamp::now())
            .await?
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IncidentUpdate {
    status: IncidentStatus,
    #[serde(default)]
    notes: String,
}

pub(crate) async fn update_incident(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    body: JsonBody<IncidentUpdate>,
) -> Result<Json<Value>, ApiError> {
    let Json(update) = body?;
    Ok(Json(json!(
        state
            .store
            .update_incident(viewer, id, update.status, &update.notes)
            .await?
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CommitmentClose {
    status: tact_store::CommitmentStatus,
}

pub(crate) async fn close_commitment(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    body: JsonBody<CommitmentClose>,
) -> Result<Json<Value>, ApiError> {
    let Json(close) = body?;
    if close.status == tact_store::CommitmentStatus::Open {
        return Err(ApiError::bad_request(
            "invalid",
            "a commitment is closed as kept, late or broken",
        ));
    }
    let (conversation, worker) = state
        .store
        .close_commitment(viewer, id, close.status)
        .await?;
    if close.status == tact_store::CommitmentStatus::Broken {
        crate::alerts::raise(
            &state,
            crate::Alert {
                kind: "broken_promise".into(),
                conversation,
                incident: None,
                commitment: Some(id),
                worker,
                summary: "a commitment was closed as broken".into(),
                at: jiff::Timestamp::now(),
                to: None,
                audience: crate::alerts::Audience::Supervisors,
            },
        )
        .await;
    }
    Ok(Json(json!({ "id": id, "status": close.status })))
}

#[derive(Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default = "default_limit")]
    limit: i64,
}

fn default_limit() -> i64 {
    200
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .audit_log(viewer, query.limit.clamp(1, 5_000))
            .await?
    )))
}

pub(crate) async fn resources(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(state.store.resources().await?)))
}

pub(crate) async fn save_resource(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    body: JsonBody<tact_store::Resource>,
) -> Result<Json<Value>, ApiError> {
    let Json(resource) = body?;
    let id = state.store.save_resource(viewer, &resource).await?;
    Ok(Json(json!({ "id": id })))
}

pub(crate) async fn resources_due(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        state
            .store
            .resources_due_for_review(jiff::Timestamp::now())
            .await?
    )))
}

/// `GET /v1/messages/{id}/original`: the words as the client wrote them, for a supervisor or an
/// admin handling an incident, when the organisation keeps originals and the retention has not
/// yet passed. Audited.
pub(crate) async fn original(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(message): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (conversation, sealed) = state.store.sealed_original(viewer, message).await?;
    let (Some(kept), Some(sealed)) = (&state.originals, sealed) else {
        return Err(ApiError::not_found());
    };
    let text = kept
        .key
        .open(&sealed, &format!("conversation:{conversation}"))
        .map_err(|_| {
            ApiError::bad_request(
                "unreadable",
                "the original does not open with this organisation's key",
            )
        })?;
    Ok(Json(
        json!({ "message": message, "conversation": conversation, "text": text }),
    ))
}
