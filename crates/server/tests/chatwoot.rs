//! Chatwoot webhooks end to end through the router, with payloads in Chatwoot's own shapes (a new
//! polymorphic sender, an older agent `sender` without a type, a private note): the secret path,
//! signatures, deduplicated retries, and what is ingested.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::sync::{Arc, LazyLock};
use tact_core::Engine;
use tact_core::resources::Source;
use tact_server::{AppState, ChatwootConfig, app};
use tact_store::{Role, Store, Viewer};
use tower::ServiceExt;

static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Arc::new(Engine::from_sources(&sources).expect("built-in resources load"))
});

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/chatwoot/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn connected(secret: Option<&str>) -> (AppState, i64) {
    let store = Store::open_memory().await.unwrap();
    let worker = store
        .add_worker("chatwoot", Role::Worker, "Africa/Johannesburg", None)
        .await
        .unwrap();
    let state = AppState::new(ENGINE.clone(), store).with_chatwoot(ChatwootConfig {
        path_token: "path-secret-9f2c".into(),
        signing_secret: secret.map(str::to_owned),
        worker,
    });
    (state, worker)
}

async fn deliver(
    state: &AppState,
    token: &str,
    body: &str,
    headers: &[(&str, String)],
) -> (StatusCode, Value) {
    let mut request = Request::post(format!("/v1/integrations/chatwoot/{token}"))
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = app(state.clone())
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn client_messages_and_agent_replies_are_ingested_once_and_notes_ignored() {
    let (state, worker) = connected(None).await;
    let incoming = fixture("incoming.json");
    let (status, body) = deliver(&state, "wrong-token", &incoming, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let delivery = [("x-chatwoot-delivery", "d-1".to_string())];
    let (status, body) = deliver(&state, "path-secret-9f2c", &incoming, &delivery).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["accepted"], true);
    assert!(
        body["ingested"]["redacted_text"]
            .as_str()
            .unwrap()
            .contains("<EMAIL_1>")
    );
    assert_eq!(
        body["ingested"]["incidents"].as_array().unwrap().len(),
        0,
        "a disclosure is not an incident unless urgent"
    );
    // Chatwoot retries: the same delivery is acknowledged, not stored twice.
    let (_, again) = deliver(&state, "path-secret-9f2c", &incoming, &delivery).await;
    assert_eq!(again["duplicate"], true);

    let (_, reply) = deliver(
        &state,
        "path-secret-9f2c",
        &fixture("agent_reply_old_shape.json"),
        &[],
    )
    .await;
    assert_eq!(reply["accepted"], true, "{reply}");
    assert_eq!(
        reply["ingested"]["commitments"].as_array().unwrap().len(),
        1,
        "{reply}"
    );
    assert_eq!(
        reply["ingested"]["conversation"], body["ingested"]["conversation"],
        "display id 19 either way"
    );

    let (_, note) = deliver(
        &state,
        "path-secret-9f2c",
        &fixture("private_note.json"),
        &[],
    )
    .await;
    assert_eq!(note["accepted"], false);
    assert_eq!(note["reason"], "private note");

    let viewer = Viewer {
        worker,
        role: Role::Worker,
    };
    let conversation = body["ingested"]["conversation"].as_i64().unwrap();
    let messages = state.store.messages(viewer, conversation).await.unwrap();
    assert_eq!(messages.len(), 2);
    assert!(
        !messages[1].redacted_text.contains("<p>"),
        "HTML from e-mail channels is stripped"
    );
}

#[tokio::test]
async fn signed_installations_refuse_unsigned_stale_or_forged_deliveries() {
    let (state, _) = connected(Some("hook-secret")).await;
    let body = fixture("incoming.json");
    let now = jiff::Timestamp::now().as_second();
    let sign = |secret: &[u8], timestamp: i64| {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(body.as_bytes());
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        vec![
            ("x-chatwoot-signature", format!("sha256={hex}")),
            ("x-chatwoot-timestamp", timestamp.to_string()),
        ]
    };
    let (status, _) = deliver(&state, "path-secret-9f2c", &body, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "unsigned");
    let (status, _) = deliver(&state, "path-secret-9f2c", &body, &sign(b"guess", now)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "forged");
    let (status, _) = deliver(
        &state,
        "path-secret-9f2c",
        &body,
        &sign(b"hook-secret", now - 3600),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "replayed an hour later");
    let (status, accepted) = deliver(
        &state,
        "path-secret-9f2c",
        &body,
        &sign(b"hook-secret", now),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["accepted"], true);
}
