//! Chatwoot webhooks end to end through the router, with payloads in Chatwoot's own shapes (a new
//! polymorphic sender, an older agent `sender` without a type, a private note): the secret path,
//! signatures, deduplicated retries, and what is ingested; then guidance posted back as private
//! notes to a stand-in for Chatwoot's API that checks each request as Chatwoot would receive it,
//! through a Chatwoot that first fails and one that refuses.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::sync::{Arc, LazyLock};
use tact_core::Engine;
use tact_core::resources::Source;
use tact_server::{AppState, ChatwootAccount, ChatwootApi, ChatwootConfig, NoteKinds, app};
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
    connected_with(secret, None).await
}

async fn connected_with(secret: Option<&str>, api: Option<ChatwootApi>) -> (AppState, i64) {
    let store = Store::open_memory().await.unwrap();
    let worker = store
        .add_worker("chatwoot", Role::Worker, "Africa/Johannesburg", None)
        .await
        .unwrap();
    let account = ChatwootAccount {
        signing_secret: secret.map(str::to_owned),
        worker,
        agents: Default::default(),
        inboxes: Vec::new(),
        api,
        notes: NoteKinds::default(),
    };
    let state = AppState::new(ENGINE.clone(), store).with_chatwoot(ChatwootConfig {
        path_token: "path-secret-9f2c".into(),
        accounts: [("1".to_string(), account.clone())].into(),
        any_account: account,
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
    let sign = |secret: &[u8], timestamp: i64| signed(secret, timestamp, &body);
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

/// The headers of a delivery signed as Chatwoot signs it.
fn signed(secret: &[u8], timestamp: i64, body: &str) -> Vec<(&'static str, String)> {
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
}

/// One request as the stand-in Chatwoot received it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    token: Option<String>,
    content_type: Option<String>,
    body: Value,
}

/// A stand-in for Chatwoot's messages API on loopback: answers each request with the next status
/// of `answers` (200 once they run out) and records what it received.
async fn stand_in_chatwoot(answers: Vec<u16>) -> (String, Arc<std::sync::Mutex<Vec<Received>>>) {
    use axum::extract::{Path, State};
    use axum::http::HeaderMap;
    type Log = Arc<std::sync::Mutex<Vec<Received>>>;
    let log: Log = Arc::default();
    let answers = Arc::new(std::sync::Mutex::new(
        answers
            .into_iter()
            .collect::<std::collections::VecDeque<u16>>(),
    ));
    let handler = {
        let answers = answers.clone();
        move |State(log): State<Log>,
              Path((account, conversation)): Path<(String, String)>,
              headers: HeaderMap,
              body: String| {
            let answers = answers.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                log.lock().unwrap().push(Received {
                    path: format!(
                        "/api/v1/accounts/{account}/conversations/{conversation}/messages"
                    ),
                    token: header("api_access_token"),
                    content_type: header("content-type"),
                    body: serde_json::from_str(&body).unwrap_or(Value::Null),
                });
                let status = answers.lock().unwrap().pop_front().unwrap_or(200);
                (
                    StatusCode::from_u16(status).unwrap(),
                    // What Chatwoot answers for a created message, trimmed.
                    axum::Json(serde_json::json!({"id": 9001, "private": true, "message_type": 1})),
                )
            }
        }
    };
    let router = axum::Router::new()
        .route(
            "/api/v1/accounts/{account}/conversations/{conversation}/messages",
            axum::routing::post(handler),
        )
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}"), log)
}

fn api(base_url: String) -> ChatwootApi {
    api_with_token(base_url, "agent-token-7c1e")
}

fn api_with_token(base_url: String, token: &str) -> ChatwootApi {
    ChatwootApi {
        base_url,
        token: token.into(),
        retry_base: std::time::Duration::from_millis(100),
    }
}

#[tokio::test]
async fn guidance_reaches_the_agent_as_a_private_note_even_through_an_outage() {
    // Chatwoot is down for the first attempt.
    let (base_url, received) = stand_in_chatwoot(vec![503]).await;
    let (state, _) = connected_with(None, Some(api(base_url))).await;
    tact_server::start_background_tasks(&state).await.unwrap();

    let (status, client) =
        deliver(&state, "path-secret-9f2c", &fixture("incoming.json"), &[]).await;
    assert_eq!(status, StatusCode::OK, "{client}");
    assert!(
        client["note"].is_i64(),
        "a disclosure calls for guidance: {client}"
    );
    let (_, reply) = deliver(
        &state,
        "path-secret-9f2c",
        &fixture("agent_reply_old_shape.json"),
        &[],
    )
    .await;
    assert!(reply["note"].is_i64(), "a promise is worth a note: {reply}");
    let (_, note) = deliver(
        &state,
        "path-secret-9f2c",
        &fixture("private_note.json"),
        &[],
    )
    .await;
    assert_eq!(
        note["reason"], "private note",
        "tact's own notes are not read"
    );

    // Two notes delivered, the first after one retry.
    let counts = settled(&state).await;
    assert_eq!((counts.sent, counts.pending, counts.failed), (2, 0, 0));
    let received = received.lock().unwrap().clone();
    assert_eq!(
        received.len(),
        3,
        "one failed attempt and two deliveries: {received:?}"
    );
    for request in &received {
        assert_eq!(request.path, "/api/v1/accounts/1/conversations/19/messages");
        assert_eq!(request.token.as_deref(), Some("agent-token-7c1e"));
        assert_eq!(request.content_type.as_deref(), Some("application/json"));
        assert_eq!(
            request.body["private"], true,
            "never a message the client sees"
        );
        assert_eq!(request.body["message_type"], "outgoing");
        let content = request.body["content"].as_str().unwrap();
        assert!(content.starts_with("**tact**"), "{content}");
        assert!(
            !content.contains("thandi@") && !content.contains("husband"),
            "a note holds tact's words, not the client's: {content}"
        );
    }
    let contents: Vec<&str> = received
        .iter()
        .map(|r| r.body["content"].as_str().unwrap())
        .collect();
    assert!(
        contents.iter().any(|c| c.contains("Promise tracked")),
        "{contents:?}"
    );
}

/// The outbox once nothing is pending any more (at most ten seconds).
async fn settled(state: &AppState) -> tact_store::OutboxCounts {
    for _ in 0..200 {
        let counts = state.store.outbox_counts().await.unwrap();
        if counts.pending == 0 {
            return counts;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("notes still pending after ten seconds");
}

#[tokio::test]
async fn a_refused_note_is_kept_as_failed_and_not_retried() {
    let (base_url, received) = stand_in_chatwoot(vec![401, 401, 401]).await;
    let (state, _) = connected_with(None, Some(api(base_url))).await;
    tact_server::start_background_tasks(&state).await.unwrap();
    let (_, client) = deliver(&state, "path-secret-9f2c", &fixture("incoming.json"), &[]).await;
    let id = client["note"].as_i64().unwrap();
    assert_eq!(settled(&state).await.failed, 1);
    let note = state.store.outbox_note(id).await.unwrap();
    assert_eq!(note.status, "failed");
    assert_eq!(note.last_error.as_deref(), Some("401 Unauthorized"));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        received.lock().unwrap().len(),
        1,
        "a refusal is not retried"
    );
}

#[tokio::test]
async fn deliveries_from_unknown_accounts_are_refused() {
    let (state, _) = connected(None).await;
    let other =
        fixture("incoming.json").replace(r#""account": {"id": 1,"#, r#""account": {"id": 2,"#);
    let (status, _) = deliver(&state, "path-secret-9f2c", &other, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn conversations_go_to_the_tact_worker_of_their_chatwoot_agent() {
    let (mut state, default_worker) = connected(None).await;
    let anele = state
        .store
        .add_worker("Anele", Role::Worker, "Africa/Johannesburg", None)
        .await
        .unwrap();
    let mut config = (*state.chatwoot.clone().unwrap()).clone();
    config
        .accounts
        .get_mut("1")
        .unwrap()
        .agents
        .insert("9".into(), anele);
    state.chatwoot = Some(Arc::new(config));
    let (_, body) = deliver(&state, "path-secret-9f2c", &fixture("incoming.json"), &[]).await;
    let conversation = body["ingested"]["conversation"].as_i64().unwrap();
    let (_, reply) = deliver(
        &state,
        "path-secret-9f2c",
        &fixture("agent_reply_old_shape.json"),
        &[],
    )
    .await;
    assert_eq!(reply["ingested"]["conversation"], conversation, "{reply}");
    let anele = Viewer {
        worker: anele,
        role: Role::Worker,
    };
    assert_eq!(
        state
            .store
            .messages(anele, conversation)
            .await
            .unwrap()
            .len(),
        2
    );
    let other = Viewer {
        worker: default_worker,
        role: Role::Worker,
    };
    assert!(
        state.store.messages(other, conversation).await.is_err(),
        "the integration's default worker does not see Anele's conversation"
    );
}

#[tokio::test]
async fn each_account_has_its_own_secret_inboxes_token_and_notes() {
    let (base_url, received) = stand_in_chatwoot(vec![]).await;
    let store = Store::open_memory().await.unwrap();
    let worker = store
        .add_worker("chatwoot", Role::Worker, "Africa/Johannesburg", None)
        .await
        .unwrap();
    // Account 1 reads inbox 3 only and wants advice, not coaching; account 2 signs its
    // deliveries, posts with its own token and wants coaching only.
    let first = ChatwootAccount {
        signing_secret: None,
        worker,
        agents: Default::default(),
        inboxes: vec!["3".into()],
        api: Some(api_with_token(base_url.clone(), "token-of-account-1")),
        notes: NoteKinds {
            advice: true,
            coaching: false,
        },
    };
    let second = ChatwootAccount {
        signing_secret: Some("secret-of-account-2".into()),
        inboxes: Vec::new(),
        api: Some(api_with_token(base_url, "token-of-account-2")),
        notes: NoteKinds {
            advice: false,
            coaching: true,
        },
        ..first.clone()
    };
    let state = AppState::new(ENGINE.clone(), store).with_chatwoot(ChatwootConfig {
        path_token: "path-secret-9f2c".into(),
        accounts: [("1".to_string(), first.clone()), ("2".to_string(), second)].into(),
        any_account: first,
    });
    tact_server::start_background_tasks(&state).await.unwrap();
    let token = "path-secret-9f2c";
    let in_account_2 = |body: String| {
        body.replace(r#""account": {"id": 1,"#, r#""account": {"id": 2,"#)
            .replace(r#""account_id": 1,"#, r#""account_id": 2,"#)
    };

    let (_, advice) = deliver(&state, token, &fixture("incoming.json"), &[]).await;
    assert!(advice["note"].is_i64(), "account 1 wants advice: {advice}");
    let other_inbox = fixture("incoming.json")
        .replace(r#""inbox": {"id": 3,"#, r#""inbox": {"id": 4,"#)
        .replace(r#""inbox_id": 3,"#, r#""inbox_id": 4,"#)
        .replace(r#""id": 5012,"#, r#""id": 5013,"#);
    let (status, ignored) = deliver(&state, token, &other_inbox, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        ignored["reason"], "inbox not connected to tact",
        "{ignored}"
    );
    let (_, reply) = deliver(&state, token, &fixture("agent_reply_old_shape.json"), &[]).await;
    assert_eq!(reply["accepted"], true, "{reply}");
    assert!(
        reply["note"].is_null(),
        "account 1 wants no coaching: {reply}"
    );

    let incoming_2 = in_account_2(fixture("incoming.json"));
    let (status, _) = deliver(&state, token, &incoming_2, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "account 2 signs");
    let (status, wrong) = deliver(
        &state,
        token,
        &incoming_2,
        &signed(
            b"secret-of-account-1",
            jiff::Timestamp::now().as_second(),
            &incoming_2,
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "another account's secret: {wrong}"
    );
    let now = jiff::Timestamp::now().as_second();
    let (_, client_2) = deliver(
        &state,
        token,
        &incoming_2,
        &signed(b"secret-of-account-2", now, &incoming_2),
    )
    .await;
    assert_eq!(client_2["accepted"], true, "{client_2}");
    assert!(client_2["note"].is_null(), "account 2 wants no advice");
    let reply_2 = in_account_2(fixture("agent_reply_old_shape.json"));
    let (_, coached) = deliver(
        &state,
        token,
        &reply_2,
        &signed(b"secret-of-account-2", now, &reply_2),
    )
    .await;
    assert!(
        coached["note"].is_i64(),
        "account 2 wants coaching: {coached}"
    );
    assert_ne!(
        coached["ingested"]["conversation"], advice["ingested"]["conversation"],
        "conversation 19 of account 2 is not conversation 19 of account 1"
    );

    let counts = settled(&state).await;
    assert_eq!((counts.sent, counts.failed), (2, 0));
    let mut seen: Vec<(String, Option<String>)> = received
        .lock()
        .unwrap()
        .iter()
        .map(|r| (r.path.clone(), r.token.clone()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            (
                "/api/v1/accounts/1/conversations/19/messages".to_string(),
                Some("token-of-account-1".to_string())
            ),
            (
                "/api/v1/accounts/2/conversations/19/messages".to_string(),
                Some("token-of-account-2".to_string())
            ),
        ]
    );
}

#[tokio::test]
async fn a_flood_of_deliveries_is_slowed_down_not_ingested() {
    let (state, _) = connected(None).await;
    let one = std::num::NonZeroU32::new(1).unwrap();
    let state = state.with_webhook_rate(one, std::num::NonZeroU32::new(2).unwrap());
    let incoming = fixture("incoming.json");
    let mut statuses = Vec::new();
    for delivery in 0..4 {
        let request = Request::post("/v1/integrations/chatwoot/path-secret-9f2c")
            .header("content-type", "application/json")
            .header("x-chatwoot-delivery", format!("flood-{delivery}"))
            .body(Body::from(incoming.clone()))
            .unwrap();
        let response = app(state.clone()).oneshot(request).await.unwrap();
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(response.headers()["retry-after"], "1");
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let (status, _) = deliver(&state, "wrong-token", &incoming, &[]).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a wrong path learns nothing of the limit"
    );
}
