//! # tact-server
//!
//! `tact serve`: the JSON API around the analysis engine and the case store: the stateless
//! endpoints (analyse, advise, coach, redact, conversation), ingest into the store with the
//! incidents and promises it raises, the records a caller may see, and health checks. Every
//! `/v1` request needs an API key; a worker reaches only their own conversations. Alerts, the
//! directory API, OpenAPI and the Chatwoot integration build on it. Handlers are thin: they read the request, call the engine, and answer JSON; state is passed
//! explicitly in [`AppState`].

mod alerts;
pub mod auth;
mod care;
mod cases;
mod chatwoot;
mod error;
mod exchange;
mod guidance_note;
mod handoffs;
mod metrics;
mod note_sender;
pub mod referrals;
pub mod training;
mod workers;

pub use alerts::{Alert, Audience, alert_events, relay, sweep_overdue};
pub use care::{
    CareError, WellbeingSettings, exposure_of, last_week, sweep_notifications, weekly_report,
};
pub use cases::{IngestRequest, ingest_for};
pub use chatwoot::{ChatwootAccount, ChatwootConfig, NoteKinds};
pub use error::ApiError;
pub use handoffs::raise_escalation;
pub use metrics::Metrics;
pub use note_sender::ChatwootApi;

use auth::Caller;
use referrals::Directory;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tact_core::advice::AdviseOptions;
use tact_core::coach::{CoachOptions, Stage};
use tact_core::context::TimeContext;
use tact_core::conversation::ConversationOptions;
use tact_core::redact::{Policy, Redactor};
use tact_core::replies::ReplyValues;
use tact_core::transcript::{Turn, assign_roles};
use tact_core::{AnalyseOptions, Engine, Lang};
use tact_store::Store;

/// Requests larger than this are refused with 413 before they are read whole.
pub const BODY_LIMIT: usize = 2 << 20;
/// A request taking longer than this is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    /// The compiled resources.
    pub engine: Arc<Engine>,
    /// The case store.
    pub store: Store,
    /// Alerts for supervisors, from ingest to `/v1/alerts`.
    pub alerts: tokio::sync::broadcast::Sender<Alert>,
    /// The Chatwoot installation, when one is connected.
    pub chatwoot: Option<Arc<ChatwootConfig>>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Wakes the note sender when a note is queued.
    pub outbox_wakeup: Arc<tokio::sync::Notify>,
    /// The organisation's name: it scopes the ids of exported records (HSDS, vCon).
    pub organisation: Arc<str>,
    /// API keys found valid recently.
    pub keys: Arc<auth::KeyCache>,
    /// Whether and how originals are kept beside the redacted text.
    pub originals: Option<Arc<KeptOriginals>>,
    /// Bounds the rate of webhook deliveries, so a flood (a leaked path token, a loop between
    /// systems) cannot starve the people using tact.
    pub webhook_limiter: Arc<governor::DefaultDirectRateLimiter>,
    /// The role-play scenarios offered at `/v1/training`: the built-in packs unless the
    /// organisation adds its own ([`AppState::with_training_catalog`]).
    pub training: Arc<tact_training::Catalog>,
    /// Exposure rules, and whether clients writing after hours get the after-hours reply.
    pub wellbeing: Arc<WellbeingSettings>,
}

/// An organisation that keeps the original of each message (it must enable it): sealed under its
/// key, erased once `retention` has passed. Without it only the redacted text is stored.
pub struct KeptOriginals {
    /// The organisation's key.
    pub key: tact_core::redact::RedactionKey,
    /// How long an original is kept.
    pub retention: jiff::SignedDuration,
}

/// The built-in scenarios, read once per process. They are checked by the trainer's tests, so a
/// failure is a bug in the build: logged, and training then offers nothing rather than the
/// server refusing to start.
static EMBEDDED_SCENARIOS: std::sync::LazyLock<Arc<tact_training::Catalog>> =
    std::sync::LazyLock::new(|| {
        Arc::new(tact_training::Catalog::embedded().unwrap_or_else(|error| {
            tracing::error!(%error, "the built-in training scenarios do not load");
            tact_training::Catalog::default()
        }))
    });

/// How often originals past their retention are looked for and erased.
const RETENTION_SWEEP: Duration = Duration::from_secs(600);

impl AppState {
    /// The state of a server over `engine` and `store`.
    pub fn new(engine: Arc<Engine>, store: Store) -> AppState {
        AppState {
            engine,
            store,
            alerts: tokio::sync::broadcast::channel(alerts::BACKLOG).0,
            chatwoot: None,
            metrics: Arc::new(Metrics::default()),
            outbox_wakeup: Arc::new(tokio::sync::Notify::new()),
            organisation: Arc::from("tact"),
            keys: Arc::default(),
            originals: None,
            webhook_limiter: Arc::new(governor::RateLimiter::direct(chatwoot::WEBHOOK_QUOTA)),
            training: EMBEDDED_SCENARIOS.clone(),
            wellbeing: Arc::default(),
        }
    }

    /// Offers these scenarios for training instead of the built-in ones (an organisation's
    /// overlay, `Catalog::embedded_with_dir`).
    pub fn with_training_catalog(mut self, catalog: tact_training::Catalog) -> AppState {
        self.training = Arc::new(catalog);
        self
    }

    /// Sets how many webhook deliveries are taken per second, and how many at once after a
    /// quiet spell; beyond that a delivery gets 429 with `Retry-After`.
    pub fn with_webhook_rate(
        mut self,
        per_second: std::num::NonZeroU32,
        burst: std::num::NonZeroU32,
    ) -> AppState {
        self.webhook_limiter = Arc::new(governor::RateLimiter::direct(
            governor::Quota::per_second(per_second).allow_burst(burst),
        ));
        self
    }

    /// Sets the organisation's wellbeing choices: exposure rules and the after-hours reply.
    pub fn with_wellbeing(mut self, settings: WellbeingSettings) -> AppState {
        self.wellbeing = Arc::new(settings);
        self
    }

    /// Connects a Chatwoot installation.
    pub fn with_chatwoot(mut self, config: ChatwootConfig) -> AppState {
        self.chatwoot = Some(Arc::new(config));
        self
    }
}

/// The API as a router, ready to serve or to test with `oneshot`.
pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// The API with `extra` routes beside it (the web interface), under the same limits, timeouts
/// and request logging.
pub fn app_with(state: AppState, extra: Router<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/openapi.json", get(openapi))
        .route("/metrics", get(metrics_text))
        .route("/readyz", get(ready))
        .route("/v1/analyse", post(analyse))
        .route("/v1/advise", post(advise))
        .route("/v1/coach", post(coach))
        .route("/v1/redact", post(redact))
        .route("/v1/conversation", post(conversation))
        .route("/v1/ingest", post(cases::ingest))
        .route("/v1/conversations/{id}/messages", get(cases::messages))
        .route("/v1/messages/{id}/original", get(cases::original))
        .route("/v1/incidents", get(cases::incidents))
        .route("/v1/incidents/{id}", patch(cases::update_incident))
        .route("/v1/commitments", get(cases::commitments))
        .route("/v1/commitments/{id}/close", post(cases::close_commitment))
        .route(
            "/v1/resources",
            get(cases::resources).post(cases::save_resource),
        )
        .route("/v1/resources/due-for-review", get(cases::resources_due))
        .route("/v1/resources/export", get(exchange::export_resources))
        .route("/v1/resources/import", post(exchange::import_resources))
        .route("/v1/conversations/{id}/vcon", get(exchange::export_vcon))
        .route(
            "/v1/escalations",
            get(handoffs::escalations).post(handoffs::escalate),
        )
        .route(
            "/v1/referrals",
            get(handoffs::referrals).post(handoffs::refer),
        )
        .route("/v1/workers", get(workers::list).post(workers::add))
        .route(
            "/v1/workers/{id}/keys",
            post(workers::new_key).delete(workers::revoke_keys),
        )
        .route("/v1/training/scenarios", get(training::scenarios))
        .route("/v1/training/sessions", post(training::start))
        .route("/v1/training/sessions/{id}", get(training::session))
        .route("/v1/training/sessions/{id}/replies", post(training::reply))
        .route("/v1/training/progress", get(training::progress))
        .route("/v1/workers/{id}/supervisor", put(care::set_supervisor))
        .route("/v1/wellbeing/exposure", get(care::exposure))
        .route("/v1/wellbeing/prompts", get(care::prompts))
        .route("/v1/wellbeing/prompts/{id}/taken", post(care::take_prompt))
        .route(
            "/v1/wellbeing/prompts/{id}/dismissed",
            post(care::dismiss_prompt),
        )
        .route("/v1/wellbeing/notifications", get(care::notifications))
        .route(
            "/v1/wellbeing/absences",
            get(care::absences).post(care::add_absence),
        )
        .route("/v1/wellbeing/absences/{id}", delete(care::delete_absence))
        .route(
            "/v1/wellbeing/on-call",
            get(care::on_call).post(care::add_on_call),
        )
        .route("/v1/wellbeing/on-call/{id}", delete(care::delete_on_call))
        .route("/v1/reports/weekly", get(care::weekly))
        .route("/v1/audit", get(cases::audit))
        .route("/v1/alerts", get(alerts::stream))
        .route("/v1/integrations/chatwoot/{token}", post(chatwoot::webhook))
        .merge(extra)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log_request,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Starts what runs beside the handlers: the relay that brings other replicas' alerts to this
/// one's supervisors, the sender of notes to Chatwoot when its API is configured, the sweep that
/// alerts on commitments past due (every minute), the sweep that delivers notifications held
/// back until a worker's shift (every minute) and the retention sweep that erases originals
/// past their time (every ten minutes).
pub async fn start_background_tasks(state: &AppState) -> std::io::Result<()> {
    alerts::relay(state.store.clone(), state.alerts.clone())
        .await
        .map_err(std::io::Error::other)?;
    if let Some(config) = state.chatwoot.clone().filter(|c| c.posts_notes()) {
        note_sender::spawn(state.clone(), config);
    }
    let overdue = state.clone();
    tokio::spawn(async move {
        loop {
            if let Err(error) = alerts::sweep_overdue(&overdue, jiff::Timestamp::now()).await {
                tracing::warn!(%error, "overdue sweep failed; will retry");
            }
            tokio::time::sleep(alerts::OVERDUE_SWEEP).await;
        }
    });
    let notifications = state.clone();
    tokio::spawn(async move {
        loop {
            match care::sweep_notifications(&notifications, jiff::Timestamp::now()).await {
                Ok(0) => {}
                Ok(delivered) => tracing::info!(delivered, "held-back notifications delivered"),
                Err(error) => tracing::warn!(%error, "notification sweep failed; will retry"),
            }
            tokio::time::sleep(care::NOTIFICATION_SWEEP).await;
        }
    });
    // Retention: originals past their time are erased, whether or not they are still kept.
    let store = state.store.clone();
    tokio::spawn(async move {
        loop {
            match store.erase_expired_originals(jiff::Timestamp::now()).await {
                Ok(0) => {}
                Ok(erased) => tracing::info!(erased, "originals erased after their retention"),
                Err(error) => tracing::warn!(%error, "retention sweep failed; will retry"),
            }
            tokio::time::sleep(RETENTION_SWEEP).await;
        }
    });
    Ok(())
}

/// Serves `app` on `listener` until the process is asked to stop (Ctrl-C), with its background
/// tasks.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with(listener, state, Router::new()).await
}

/// Like [`serve`], with `extra` routes beside the API (see [`app_with`]).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    extra: Router<AppState>,
) -> std::io::Result<()> {
    start_background_tasks(&state).await?;
    axum::serve(listener, app_with(state, extra))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// The API's description, kept by hand beside the handlers (`api/openapi.json`); a test checks
/// that every path it lists is served.
pub const OPENAPI: &str = include_str!("../api/openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
}

/// One structured log line per request: method, route template (`/v1/incidents/{id}`, never the
/// ids or the query), status and time taken. Bodies, keys and query strings are never logged:
/// they carry personal data and secrets.
async fn log_request(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .request(method.as_str(), &route, status, elapsed.as_secs_f64());
    tracing::info!(
        method = %method,
        route = %route,
        status,
        micros = elapsed.as_micros() as u64,
        "request"
    );
    response
}

async fn metrics_text(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(),
    )
}

async fn ready(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state
        .store
        .ping()
        .await
        .map(|_| "ready")
        .map_err(|_| ApiError::unavailable())
}

pub(crate) type JsonBody<T> = Result<Json<T>, JsonRejection>;

/// A language the caller gives: one with resources, or an error naming the ones there are.
pub(crate) fn language(engine: &Engine, code: Option<&str>) -> Result<Option<Lang>, ApiError> {
    code.map(|c| {
        Lang::parse(c)
            .filter(|l| engine.languages().contains(l))
            .ok_or_else(|| {
                let known: Vec<&str> = engine.languages().iter().map(|l| l.as_str()).collect();
                ApiError::bad_request(
                    "unknown_language",
                    format!(
                        "{c:?} is not a language tact has resources for ({})",
                        known.join(", ")
                    ),
                )
            })
    })
    .transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyseRequest {
    text: String,
    #[serde(default)]
    language: Option<String>,
    /// The moment in the worker's local time and their hours (see `TimeContext`).
    #[serde(default)]
    time: Option<TimeContext>,
}

async fn analyse(
    State(state): State<AppState>,
    _caller: Caller,
    body: JsonBody<AnalyseRequest>,
) -> Result<Json<tact_core::Analysis>, ApiError> {
    let Json(request) = body?;
    let analysis = state.engine.analyse(
        &request.text,
        &AnalyseOptions {
            language: language(&state.engine, request.language.as_deref())?,
            time: request.time,
        },
    )?;
    // Serialised straight from the struct: building a `Value` first cost a tree of
    // allocations per request on the busiest endpoint.
    Ok(Json(analysis))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdviseRequest {
    text: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    time: Option<TimeContext>,
    /// Values for the reply templates (client_name, organisation, crisis_line …).
    #[serde(default)]
    values: ReplyValues,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    first_contact: bool,
}

async fn advise(
    State(state): State<AppState>,
    _caller: Caller,
    body: JsonBody<AdviseRequest>,
) -> Result<axum::response::Response, ApiError> {
    let Json(request) = body?;
    let lang = language(&state.engine, request.language.as_deref())?;
    let analysis = state.engine.analyse(
        &request.text,
        &AnalyseOptions {
            language: lang,
            time: request.time,
        },
    )?;
    let directory = Directory::load(&state.store).await?;
    let advice = state.engine.advise(
        &analysis,
        &AdviseOptions {
            language: lang,
            values: request.values,
            region: request.region,
            directory: &directory.entries,
            history: &[],
            first_contact: request.first_contact,
        },
    );
    #[derive(serde::Serialize)]
    struct Advised {
        analysis: tact_core::Analysis,
        advice: tact_core::advice::Advice,
    }
    Ok(axum::response::IntoResponse::into_response(Json(Advised {
        analysis,
        advice,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoachRequest {
    draft: String,
    #[serde(default)]
    client: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    stage: Option<Stage>,
    /// When the draft is written, in the worker's time zone (`2026-11-23T14:00`).
    #[serde(default)]
    reference: Option<jiff::civil::DateTime>,
}

async fn coach(
    State(state): State<AppState>,
    _caller: Caller,
    body: JsonBody<CoachRequest>,
) -> Result<Json<tact_core::coach::CoachReport>, ApiError> {
    let Json(request) = body?;
    let lang = language(&state.engine, request.language.as_deref())?;
    let client = request
        .client
        .as_deref()
        .map(|text| {
            state.engine.analyse(
                text,
                &AnalyseOptions {
                    language: lang,
                    ..Default::default()
                },
            )
        })
        .transpose()?;
    let report = state.engine.coach(
        &request.draft,
        &CoachOptions {
            language: lang,
            client: client.as_ref(),
            stage: request.stage,
            reference: request.reference,
        },
    )?;
    Ok(Json(report))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactRequest {
    text: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    policy: Policy,
    /// The numbering state returned by the previous call of the same conversation, so
    /// `<EMAIL_1>` stays the same address across messages.
    #[serde(default)]
    state: Option<Redactor>,
}

async fn redact(
    State(state): State<AppState>,
    _caller: Caller,
    body: JsonBody<RedactRequest>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body?;
    let analysis = state.engine.analyse(
        &request.text,
        &AnalyseOptions {
            language: language(&state.engine, request.language.as_deref())?,
            ..Default::default()
        },
    )?;
    let mut redactor = request.state.unwrap_or_default();
    // Keyed operators need the organisation's key, which this slice does not hold yet.
    let redacted = redactor
        .redact(&request.text, &analysis.pii, &request.policy, None)
        .map_err(|e| ApiError::bad_request("needs_key", e.to_string()))?;
    Ok(Json(
        json!({ "text": redacted.text, "replacements": redacted.replacements, "state": redactor }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConversationRequest {
    turns: Vec<Turn>,
    #[serde(default)]
    language: Option<String>,
    /// Speaker names of the worker, when the turns do not say their role.
    #[serde(default)]
    workers: Vec<String>,
    #[serde(default)]
    started: Option<jiff::civil::DateTime>,
}

async fn conversation(
    State(state): State<AppState>,
    _caller: Caller,
    body: JsonBody<ConversationRequest>,
) -> Result<Json<tact_core::conversation::ConversationReport>, ApiError> {
    let Json(mut request) = body?;
    assign_roles(&mut request.turns, &request.workers);
    let report = state.engine.conversation(
        &request.turns,
        &ConversationOptions {
            language: language(&state.engine, request.language.as_deref())?,
            started: request.started,
            silence_seconds: None,
        },
    )?;
    Ok(Json(report))
}
