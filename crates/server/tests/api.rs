//! The API through its router, without a socket: each endpoint answers JSON, and bad requests
//! (malformed JSON, invalid UTF-8, a body over the limit, an unknown language) get a clean error
//! with a stable code.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, LazyLock};
use tact_core::Engine;
use tact_core::resources::Source;
use tact_server::{AppState, BODY_LIMIT, app};
use tact_store::{Role, Store};
use tower::ServiceExt;

static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Arc::new(Engine::from_sources(&sources).expect("built-in resources load"))
});

/// A fresh store with its first admin, and the admin's key.
async fn state() -> (AppState, String) {
    let store = Store::open_memory().await.unwrap();
    let key = store.bootstrap_admin().await.unwrap().unwrap();
    (AppState::new(ENGINE.clone(), store), key)
}

/// Sends one request to the app; `key` goes in the Authorization header.
async fn send(
    state: &AppState,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let response = app(state.clone())
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (
        status,
        // JSON when it is JSON, else the text (CSV, metrics).
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
    )
}

async fn call(path: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let (state, key) = state().await;
    send(&state, "POST", path, Some(&key), body).await
}

#[tokio::test]
async fn analyse_advise_coach_redact_and_conversation_answer_json() {
    let (status, analysis) = call(
        "/v1/analyse",
        json!({"text": "My husband hits me, my email is zoe@example.fr", "language": "en"})
            .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(analysis["pii"][0]["kind"], "EMAIL_ADDRESS");
    assert!(
        analysis["signals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["category"] == "disclosure.domestic_violence")
    );

    let (status, advice) = call(
        "/v1/advise",
        json!({"text": "I want to die", "language": "en", "values": {"client_name": "Sam", "crisis_line": "0800 567 567", "emergency_number": "112"}}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(advice["advice"]["actions"][0]["kind"], "urgent_safety");

    let (status, report) = call(
        "/v1/coach",
        json!({"draft": "Calm down. I'll call you back on Friday.", "client": "You charged me twice!", "language": "en", "reference": "2026-11-18T14:00"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["commitments"][0]["due"], "2026-11-20T17:00:00");
    assert!(
        report["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["flag"] == "defensive")
    );

    let (status, first) = call(
        "/v1/redact",
        json!({"text": "write to zoe@example.fr"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["text"], "write to <EMAIL_1>");
    let (_, second) = call(
        "/v1/redact",
        json!({"text": "not ann@example.fr but zoe@example.fr", "state": first["state"]})
            .to_string(),
    )
    .await;
    assert_eq!(
        second["text"], "not <EMAIL_2> but <EMAIL_1>",
        "numbering carried by the state"
    );

    let (status, conversation) = call(
        "/v1/conversation",
        json!({"language": "en", "turns": [
            {"speaker": "client", "text": "You lost my parcel AGAIN!!!"},
            {"speaker": "agent", "text": "I'm so sorry. I'm checking with the courier now."}
        ]})
        .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(conversation["turns"][1]["role"], "worker");
}

#[tokio::test]
async fn bad_requests_get_clean_errors_with_codes() {
    let (status, body) = call("/v1/analyse", "{\"text\": ").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "malformed_json");

    let (status, body) = call(
        "/v1/analyse",
        vec![b'{', b'"', b't', 0xff, 0xfe, b'"', b'}'],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "malformed_json");

    let huge = format!("{{\"text\": \"{}\"}}", "a".repeat(BODY_LIMIT + 1));
    let (status, body) = call("/v1/analyse", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "body_too_large");

    let (status, body) = call(
        "/v1/analyse",
        json!({"text": "hi", "language": "xx"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "unknown_language");

    let (status, _) = call(
        "/v1/analyse",
        json!({"text": "hi", "surprise": 1}).to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused, not ignored"
    );
}

#[tokio::test]
async fn ingest_stores_redacted_text_and_raises_incidents_and_promises() {
    let (state, admin) = state().await;
    let anna = state
        .store
        .add_worker("Anna", Role::Worker, "Europe/Paris", None)
        .await
        .unwrap();
    let anna_key = state.store.create_api_key(anna).await.unwrap();
    let ben = state
        .store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let ben_key = state.store.create_api_key(ben).await.unwrap();

    let (status, first) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna_key),
        json!({"conversation": "chat-7", "client": "contact-3", "author": "client", "language": "en",
               "text": "My husband hits me and I want to die. Write to me at zoe@example.fr"})
        .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["urgent"], true);
    assert_eq!(first["incidents"].as_array().unwrap().len(), 1, "{first}");
    let (_, reply) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna_key),
        json!({"conversation": "chat-7", "client": "contact-3", "author": "worker", "language": "en",
               "sent_at": "2026-11-18T13:00:00Z",
               "text": "I'm so sorry. I'll call you back tomorrow before noon."})
        .to_string(),
    )
    .await;
    assert_eq!(reply["commitments"].as_array().unwrap().len(), 1, "{reply}");
    let conversation = first["conversation"].as_i64().unwrap();
    let path = format!("/v1/conversations/{conversation}/messages");
    let (status, messages) = send(&state, "GET", &path, Some(&anna_key), Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    let stored = messages[0]["redacted_text"].as_str().unwrap();
    assert!(
        stored.contains("<EMAIL_1>") && !stored.contains("zoe@"),
        "{stored}"
    );
    assert!(
        !messages.to_string().contains("zoe@"),
        "no personal data in the stored analysis"
    );
    // Noon tomorrow in Paris is 11:00 UTC.
    let (_, commitments) = send(
        &state,
        "GET",
        "/v1/commitments",
        Some(&anna_key),
        Body::empty(),
    )
    .await;
    assert_eq!(commitments[0]["due_at"], "2026-11-19T11:00:00Z");

    // Ben cannot reach Anna's conversation by any way in; nobody without a key gets anything.
    let (status, _) = send(&state, "GET", &path, Some(&ben_key), Body::empty()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &state,
        "GET",
        "/v1/conversations/999/messages",
        Some(&ben_key),
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&ben_key),
        json!({"conversation": "chat-7", "client": "contact-3", "author": "worker", "text": "hi"})
            .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, bens) = send(
        &state,
        "GET",
        "/v1/incidents",
        Some(&ben_key),
        Body::empty(),
    )
    .await;
    assert_eq!(bens, json!([]));
    let (_, all) = send(&state, "GET", "/v1/incidents", Some(&admin), Body::empty()).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    for path in ["/v1/incidents", "/v1/commitments", path.as_str()] {
        let (status, body) = send(&state, "GET", path, None, Body::empty()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthorized");
        let (status, _) = send(&state, "GET", path, Some("tact_guessed"), Body::empty()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = send(
        &state,
        "POST",
        "/v1/analyse",
        None,
        json!({"text": "hi"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn health_and_readiness() {
    let (state, _) = state().await;
    let response = app(state)
        .oneshot(Request::get("/readyz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn records_change_only_for_those_allowed() {
    let (state, admin) = state().await;
    let anna = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna = state.store.create_api_key(anna).await.unwrap();
    let ben = state
        .store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let ben = state.store.create_api_key(ben).await.unwrap();
    let (_, first) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        json!({"conversation": "c1", "client": "p1", "author": "client", "language": "en",
               "text": "you stupid idiot, give me your personal number"})
        .to_string(),
    )
    .await;
    let incident = first["incidents"][0].as_i64().expect("an incident");
    let (_, reply) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        json!({"conversation": "c1", "client": "p1", "author": "worker", "language": "en",
               "text": "I'll email you by Friday."})
        .to_string(),
    )
    .await;
    let commitment = reply["commitments"][0].as_i64().expect("a promise");

    let incident_path = format!("/v1/incidents/{incident}");
    let update = json!({"status": "resolved", "notes": "spoke with the client"}).to_string();
    let (status, _) = send(&state, "PATCH", &incident_path, Some(&ben), update.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, updated) = send(&state, "PATCH", &incident_path, Some(&admin), update).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["status"], "resolved");

    let close_path = format!("/v1/commitments/{commitment}/close");
    let kept = json!({"status": "kept"}).to_string();
    let (status, _) = send(&state, "POST", &close_path, Some(&ben), kept.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&state, "POST", &close_path, Some(&anna), kept).await;
    assert_eq!(status, StatusCode::OK);

    let resource = json!({"name": "Debt Help Desk", "categories": ["money_trouble"], "contact": "021 555 0100"}).to_string();
    let (status, body) = send(
        &state,
        "POST",
        "/v1/resources",
        Some(&anna),
        resource.clone(),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("forbidden"))
    );
    let (status, _) = send(&state, "POST", "/v1/resources", Some(&admin), resource).await;
    assert_eq!(status, StatusCode::OK);
    let (_, due) = send(
        &state,
        "GET",
        "/v1/resources/due-for-review",
        Some(&anna),
        Body::empty(),
    )
    .await;
    assert_eq!(
        due[0]["name"], "Debt Help Desk",
        "never verified: due for review"
    );

    let (status, _) = send(&state, "GET", "/v1/audit", Some(&anna), Body::empty()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, log) = send(
        &state,
        "GET",
        "/v1/audit?limit=500",
        Some(&admin),
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["target"] == format!("incident:{incident}") && e["action"] == "update")
    );
}

#[tokio::test]
async fn supervisors_hear_alerts_as_they_happen() {
    use futures_util::StreamExt;
    let (state, admin) = state().await;
    let anna = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna = state.store.create_api_key(anna).await.unwrap();
    let (status, _) = send(&state, "GET", "/v1/alerts", Some(&anna), Body::empty()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "alerts are for supervisors");

    let response = app(state.clone())
        .oneshot(
            Request::get("/v1/alerts")
                .header("authorization", format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut events = response.into_body().into_data_stream();
    let (_, ingested) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        json!({"conversation": "c9", "client": "p9", "author": "client", "language": "en",
               "text": "I have the pills ready and I want to kill myself tonight"})
        .to_string(),
    )
    .await;
    assert_eq!(ingested["urgent"], true, "{ingested}");
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), events.next())
        .await
        .expect("an alert within 5 s")
        .expect("the stream is open")
        .unwrap();
    let text = String::from_utf8_lossy(&chunk);
    assert!(text.contains("event: urgent_disclosure"), "{text}");
    assert!(text.contains("disclosure.self_harm"), "{text}");
    assert!(
        !text.contains("pills"),
        "an alert carries no words of the client: {text}"
    );
}

#[tokio::test]
async fn every_documented_path_is_served() {
    let (state, admin) = state().await;
    let (status, document) = send(&state, "GET", "/openapi.json", None, Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["openapi"], "3.1.0");
    for (path, methods) in document["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "1").replace("{token}", "t");
        for method in methods.as_object().unwrap().keys() {
            if path == "/v1/alerts" {
                continue; // a stream that never ends; served, tested above
            }
            let response = app(state.clone())
                .oneshot(
                    Request::builder()
                        .method(method.to_uppercase().as_str())
                        .uri(&concrete)
                        .header("authorization", format!("Bearer {admin}"))
                        .header("content-type", "application/json")
                        .body(Body::from("{}"))
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = response.status();
            let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
            // The router's own 404 for an unknown route has an empty body; ours are JSON.
            assert!(
                !(status == StatusCode::NOT_FOUND && body.is_empty())
                    && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not served ({status})"
            );
        }
    }
}

#[tokio::test]
async fn metrics_count_requests_and_ingests_without_content() {
    let (state, admin) = state().await;
    send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&admin),
        json!({"conversation": "m1", "client": "p1", "author": "client", "language": "en",
               "text": "I want to kill myself tonight, my email is zoe@example.fr"})
        .to_string(),
    )
    .await;
    let response = app(state.clone())
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = String::from_utf8(
        to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        text.contains(
            "tact_http_requests_total{method=\"POST\",route=\"/v1/ingest\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("tact_ingested_messages_total{kind=\"client\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("tact_incidents_total{kind=\"urgent_disclosure\"} 1"),
        "{text}"
    );
    assert!(!text.contains("zoe@"), "counts only");
}

fn directory_fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/directory/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[tokio::test]
async fn the_directory_travels_as_csv_and_hsds_and_conversations_as_vcon() {
    let (state, admin) = state().await;
    // A bad row refuses the whole file and says where.
    let (status, body) = send(
        &state,
        "POST",
        "/v1/resources/import?format=csv",
        Some(&admin),
        directory_fixture("bad_row.csv"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 3"),
        "{body}"
    );
    assert!(
        state.store.resources().await.unwrap().is_empty(),
        "nothing half-imported"
    );

    let (status, body) = send(
        &state,
        "POST",
        "/v1/resources/import?format=csv",
        Some(&admin),
        directory_fixture("entries.csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 2);

    // HSDS out, HSDS in: the same entries again.
    let (status, hsds) = send(
        &state,
        "GET",
        "/v1/resources/export?format=hsds",
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{hsds}");
    let text = hsds.to_string();
    assert!(
        text.contains("assured_date") && text.contains("2026-10-01"),
        "{text}"
    );
    let (status, body) = send(
        &state,
        "POST",
        "/v1/resources/import?format=hsds",
        Some(&admin),
        text,
    )
    .await;
    assert_eq!(
        (status, body["imported"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{body}"
    );
    let resources = state.store.resources().await.unwrap();
    assert_eq!(resources.len(), 4);
    assert_eq!(
        (resources[0].name.as_str(), resources[1].name.as_str()),
        ("Hillview Debt Clinic", "Hillview Debt Clinic")
    );
    assert_eq!(resources[0].review_days, resources[1].review_days);

    // CSV out names every column.
    let (_, csv) = send(
        &state,
        "GET",
        "/v1/resources/export?format=csv",
        Some(&admin),
        "",
    )
    .await;
    assert!(
        csv.as_str().unwrap().starts_with("name,categories,"),
        "{csv}"
    );

    // A worker reads the directory but does not change it.
    let worker = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna = state.store.create_api_key(worker).await.unwrap();
    let (status, _) = send(
        &state,
        "POST",
        "/v1/resources/import?format=csv",
        Some(&anna),
        directory_fixture("entries.csv"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A conversation as a vCon, redacted; another worker gets 404.
    let (_, ingested) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&admin),
        json!({"conversation": "v1", "client": "p1", "author": "client", "language": "en",
               "text": "My husband hits me. Write to zoe@example.fr"})
        .to_string(),
    )
    .await;
    let id = ingested["conversation"].as_i64().unwrap();
    let (status, vcon) = send(
        &state,
        "GET",
        &format!("/v1/conversations/{id}/vcon"),
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{vcon}");
    assert!(
        vcon["uuid"].is_string() && vcon["dialog"].as_array().unwrap().len() == 1,
        "{vcon}"
    );
    assert!(!vcon.to_string().contains("zoe@"), "redacted: {vcon}");
    let (status, _) = send(
        &state,
        "GET",
        &format!("/v1/conversations/{id}/vcon"),
        Some(&anna),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn originals_are_kept_sealed_only_when_enabled_and_erased_after_retention() {
    let (mut state, admin) = state().await;
    let ingest = |conversation: &str| {
        json!({"conversation": conversation, "client": "p1", "author": "client", "language": "en",
               "text": "Write to zoe@example.fr, my husband hits me"})
        .to_string()
    };
    let (_, plain) = send(&state, "POST", "/v1/ingest", Some(&admin), ingest("o1")).await;
    let key = tact_core::redact::RedactionKey::from_secret(&[9u8; 32]).unwrap();
    state.originals = Some(Arc::new(tact_server::KeptOriginals {
        key: key.clone(),
        retention: jiff::SignedDuration::from_hours(24),
    }));
    let (_, kept) = send(&state, "POST", "/v1/ingest", Some(&admin), ingest("o2")).await;
    let (_, messages) = send(
        &state,
        "GET",
        &format!("/v1/conversations/{}/messages", plain["conversation"]),
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(
        messages[0]["has_original"], false,
        "not kept unless enabled"
    );
    let path = format!("/v1/conversations/{}/messages", kept["conversation"]);
    let (_, messages) = send(&state, "GET", &path, Some(&admin), "").await;
    assert_eq!(messages[0]["has_original"], true);
    assert!(!messages.to_string().contains("zoe@"), "{messages}");
    let id = messages[0]["id"].as_i64().unwrap();
    let (status, original) = send(
        &state,
        "GET",
        &format!("/v1/messages/{id}/original"),
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{original}");
    assert_eq!(
        original["text"],
        "Write to zoe@example.fr, my husband hits me"
    );
    let worker = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna = state.store.create_api_key(worker).await.unwrap();
    let (status, _) = send(
        &state,
        "GET",
        &format!("/v1/messages/{id}/original"),
        Some(&anna),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "supervisors and admins only");
    let erased = state
        .store
        .erase_expired_originals(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(25))
        .await
        .unwrap();
    assert_eq!(erased, 1);
    let (_, messages) = send(&state, "GET", &path, Some(&admin), "").await;
    assert_eq!(messages[0]["has_original"], false);
    let (status, _) = send(
        &state,
        "GET",
        &format!("/v1/messages/{id}/original"),
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "erased");
}

#[tokio::test]
async fn overdue_follow_ups_and_broken_promises_alert_supervisors_once() {
    let (state, admin) = state().await;
    let mut alerts = state.alerts.subscribe();
    let anna = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna_key = state.store.create_api_key(anna).await.unwrap();
    let (_, ingested) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna_key),
        json!({"conversation": "f1", "client": "p1", "author": "worker", "language": "en",
               "text": "I will call you back tomorrow at 10:00.",
               "sent_at": "2026-01-05T08:00:00Z"})
        .to_string(),
    )
    .await;
    let promise = ingested["commitments"][0]
        .as_i64()
        .expect("a promise is tracked");
    let now = jiff::Timestamp::now();
    assert_eq!(tact_server::sweep_overdue(&state, now).await.unwrap(), 1);
    let alert = alerts.try_recv().expect("an overdue alert");
    assert_eq!(
        (alert.kind.as_str(), alert.commitment, alert.worker),
        ("overdue_promise", Some(promise), anna)
    );
    assert_eq!(
        tact_server::sweep_overdue(&state, now).await.unwrap(),
        0,
        "once per commitment"
    );

    let (status, _) = send(
        &state,
        "POST",
        &format!("/v1/commitments/{promise}/close"),
        Some(&admin),
        json!({"status": "broken"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let alert = alerts.try_recv().expect("a broken promise alert");
    assert_eq!(
        (alert.kind.as_str(), alert.worker),
        ("broken_promise", anna)
    );
}

#[tokio::test]
async fn escalations_alert_supervisors_and_referrals_are_recorded() {
    let (state, admin) = state().await;
    let mut alerts = state.alerts.subscribe();
    let anna = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna = state.store.create_api_key(anna).await.unwrap();
    let ben = state
        .store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let ben = state.store.create_api_key(ben).await.unwrap();
    let (_, ingested) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        json!({"conversation": "e1", "client": "p1", "author": "client", "language": "en",
               "text": "My husband hits me"})
        .to_string(),
    )
    .await;
    let conversation = ingested["conversation"].as_i64().unwrap();
    let escalation =
        json!({"conversation": conversation, "reason": "needs a safety plan"}).to_string();
    let (status, _) = send(
        &state,
        "POST",
        "/v1/escalations",
        Some(&ben),
        escalation.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not Ben's conversation");
    let (status, body) = send(&state, "POST", "/v1/escalations", Some(&anna), escalation).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let alert = alerts.try_recv().expect("supervisors hear it");
    assert_eq!(alert.kind, "escalation");
    assert!(
        !alert.summary.contains("safety plan"),
        "free text stays out of alerts"
    );
    let (_, listed) = send(&state, "GET", "/v1/escalations", Some(&admin), "").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let (_, saved) = send(
        &state,
        "POST",
        "/v1/resources",
        Some(&admin),
        json!({"name": "Shelter", "categories": ["domestic_violence"], "contact": "0800 000 000"})
            .to_string(),
    )
    .await;
    let referral = json!({"conversation": conversation, "resource": saved["id"], "category": "disclosure.domestic_violence"}).to_string();
    let (status, body) = send(&state, "POST", "/v1/referrals", Some(&anna), referral).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = send(&state, "GET", "/v1/referrals", Some(&anna), "").await;
    let (_, his) = send(&state, "GET", "/v1/referrals", Some(&ben), "").await;
    assert_eq!(
        (
            mine.as_array().unwrap().len(),
            his.as_array().unwrap().len()
        ),
        (1, 0)
    );
}

#[tokio::test]
async fn admins_build_the_team_and_its_keys() {
    let (state, admin) = state().await;
    let (status, body) = send(
        &state,
        "POST",
        "/v1/workers",
        Some(&admin),
        json!({"name": "Anna", "role": "worker", "time_zone": "Africa/Johannesburg",
               "working_hours": "mon-fri 08:00-16:30"})
        .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (anna, anna_key) = (
        body["id"].as_i64().unwrap(),
        body["key"].as_str().unwrap().to_string(),
    );
    let (status, _) = send(&state, "GET", "/v1/commitments", Some(&anna_key), "").await;
    assert_eq!(status, StatusCode::OK, "the new key works");
    let (status, _) = send(
        &state,
        "POST",
        "/v1/workers",
        Some(&anna_key),
        json!({"name": "Eve", "role": "admin"}).to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a worker does not make admins"
    );
    let (status, body) = send(
        &state,
        "POST",
        "/v1/workers",
        Some(&admin),
        json!({"name": "Ben", "role": "worker", "time_zone": "Mars/Olympus"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, team) = send(&state, "GET", "/v1/workers", Some(&admin), "").await;
    assert_eq!(team.as_array().unwrap().len(), 2, "{team}");
    let (status, body) = send(
        &state,
        "DELETE",
        &format!("/v1/workers/{anna}/keys"),
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(
        (status, body["revoked"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{body}"
    );
    assert!(matches!(
        state.store.viewer_for_key(&anna_key).await,
        Err(tact_store::Error::NotFound)
    ));
    let (status, _) = send(&state, "DELETE", "/v1/workers/999/keys", Some(&admin), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_urgent_disclosure_plans_a_follow_up_the_next_day() {
    let (state, admin) = state().await;
    let (_, ingested) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&admin),
        json!({"conversation": "u1", "client": "p1", "author": "client", "language": "en",
               "text": "I have the pills ready and I want to kill myself tonight",
               "sent_at": "2026-11-23T20:00:00Z"})
        .to_string(),
    )
    .await;
    assert_eq!(
        ingested["commitments"].as_array().unwrap().len(),
        1,
        "{ingested}"
    );
    let (_, commitments) = send(&state, "GET", "/v1/commitments", Some(&admin), "").await;
    assert_eq!(commitments[0]["kind"], "follow_up", "{commitments}");
    assert_eq!(commitments[0]["due_at"], "2026-11-24T20:00:00Z");
    assert!(!commitments.to_string().contains("pills"), "{commitments}");
}

#[tokio::test]
async fn ingest_suggests_the_directorys_service_and_records_it_offered_when_the_reply_names_it() {
    let (state, admin) = state().await;
    let anna = state
        .store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let anna = state.store.create_api_key(anna).await.unwrap();
    let (_, saved) = send(
        &state,
        "POST",
        "/v1/resources",
        Some(&admin),
        json!({"name": "Harbour House", "categories": ["domestic_violence"],
               "languages": ["en"], "contact": "0800 150 150"})
        .to_string(),
    )
    .await;
    let resource = saved["id"].as_i64().unwrap();
    let ingest = |author: &str, text: &str| {
        json!({"conversation": "r1", "client": "p1", "author": author, "language": "en",
               "text": text})
        .to_string()
    };
    let (_, first) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        ingest("client", "My partner hits me and I am scared to go home."),
    )
    .await;
    let suggested = first["referrals"]["suggested"].as_array().unwrap().clone();
    assert_eq!(suggested.len(), 1, "{first}");
    let (_, again) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        ingest("client", "He hit me again last night."),
    )
    .await;
    assert_eq!(
        again["referrals"]["suggested"],
        json!([]),
        "one need, one suggestion per conversation"
    );
    let (_, unrelated) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        ingest("worker", "Thank you for telling me. I am here to listen."),
    )
    .await;
    assert_eq!(unrelated["referrals"]["offered"], json!([]), "{unrelated}");
    let (_, reply) = send(
        &state,
        "POST",
        "/v1/ingest",
        Some(&anna),
        ingest(
            "worker",
            "Thank you for telling me. Harbour House can help you stay safe: call 0800-150-150.",
        ),
    )
    .await;
    assert_eq!(reply["referrals"]["offered"], json!(suggested), "{reply}");
    let (_, listed) = send(&state, "GET", "/v1/referrals", Some(&anna), "").await;
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["resource"], resource);
    assert_eq!(listed[0]["status"], "offered");
    assert_eq!(listed[0]["category"], "disclosure.domestic_violence");
    assert_eq!(listed[0]["message"], first["message"]);
}
