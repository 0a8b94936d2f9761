//! Role play through the API, as the browser training page uses it: the scenarios to choose
//! from, a scenario played to its good end with the coach's feedback on each turn, progress
//! over time; another worker cannot reach the session or the progress, a supervisor sees the
//! team's, and a reply after the end or an unknown scenario gets a clean error.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, LazyLock};
use tact_core::Engine;
use tact_core::resources::Source;
use tact_server::{AppState, app};
use tact_store::{Role, Store};
use tower::ServiceExt;

static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Arc::new(Engine::from_sources(&sources).expect("built-in resources load"))
});

/// Sends one request to the app; `key` goes in the Authorization header.
async fn send(
    state: &AppState,
    method: &str,
    path: &str,
    key: &str,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(body.into())
        .unwrap();
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

async fn get(state: &AppState, path: &str, key: &str) -> (StatusCode, Value) {
    send(state, "GET", path, key, Body::empty()).await
}

async fn post(state: &AppState, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
    send(state, "POST", path, key, body.to_string()).await
}

/// A worker and their key.
async fn member(store: &Store, name: &str, role: Role) -> (i64, String) {
    let id = store.add_worker(name, role, "UTC", None).await.unwrap();
    (id, store.create_api_key(id).await.unwrap())
}

/// The replies that lead `money-request` in English to its good end (the trainer's own script).
const GOOD_PATH: [&str; 2] = [
    "I can see how stressful this is, and thank you for telling me. I can't lend money myself, but the food bank on Church Street is open today and the hardship fund can help until Monday.",
    "I'm glad it helps. Is there anything else I can do for you today? Thank you for coming in.",
];

#[tokio::test]
async fn a_worker_plays_to_the_good_end_and_progress_is_theirs_and_their_supervisors() {
    let store = Store::open_memory().await.unwrap();
    store.bootstrap_admin().await.unwrap().unwrap();
    let (anna, anna_key) = member(&store, "Anna", Role::Worker).await;
    let (ben, ben_key) = member(&store, "Ben", Role::Worker).await;
    let (_, lerato_key) = member(&store, "Lerato", Role::Supervisor).await;
    let state = AppState::new(ENGINE.clone(), store);

    // The choice of scenarios.
    let (status, list) = get(&state, "/v1/training/scenarios?language=en", &anna_key).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let scenarios = list["scenarios"].as_array().unwrap();
    assert!(scenarios.iter().all(|s| s["language"] == "en"));
    let money = scenarios
        .iter()
        .find(|s| s["id"] == "money-request")
        .expect("money-request listed");
    assert_eq!(money["title"], "A client asks to borrow money");
    assert!(
        money["persona"]["who"]
            .as_str()
            .unwrap()
            .contains("Mr Daniels")
    );
    assert!(
        money["practices"]
            .as_array()
            .unwrap()
            .contains(&json!("P18"))
    );
    for language in ["en", "es", "af"] {
        assert!(
            money["languages"]
                .as_array()
                .unwrap()
                .contains(&json!(language)),
            "{money}"
        );
    }
    assert!(list["languages"].as_array().unwrap().contains(&json!("de")));
    let (_, all) = get(&state, "/v1/training/scenarios", &anna_key).await;
    assert!(all["scenarios"].as_array().unwrap().len() > scenarios.len());

    // Start, then play the good path.
    let (status, started) = post(
        &state,
        "/v1/training/sessions",
        &anna_key,
        json!({"scenario": "money-request", "language": "en"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let id = started["id"].as_i64().unwrap();
    assert!(
        started["persona"]["mood"]
            .as_str()
            .unwrap()
            .contains("Embarrassed")
    );
    assert!(
        started["client"]
            .as_str()
            .unwrap()
            .starts_with("Sorry, this is embarrassing.")
    );
    assert!(
        started["hint"]
            .as_str()
            .unwrap()
            .starts_with("Show you understand")
    );
    assert_eq!(started["over"], false);
    let replies = format!("/v1/training/sessions/{id}/replies");

    let (status, first) = post(&state, &replies, &anna_key, json!({"text": GOOD_PATH[0]})).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["number"], 1);
    assert_eq!(first["over"], false);
    assert_eq!(first["turn"]["to"], json!({"node": "relieved"}));
    assert!(first["turn"]["score"].as_u64().unwrap() <= 100);
    assert!(
        first["turn"]["debrief"]
            .as_str()
            .unwrap()
            .starts_with("P18")
    );
    let criteria = first["turn"]["criteria"].as_array().unwrap();
    assert!(
        criteria
            .iter()
            .any(|c| c["criterion"] == "validation" && c["met"] == true),
        "{criteria:?}"
    );
    assert!(
        first["client"]
            .as_str()
            .unwrap()
            .starts_with("The food bank?")
    );
    assert_eq!(
        first["hint"],
        "Ask if there is anything else and thank him."
    );

    // Resuming shows where it stands.
    let (status, midway) = get(&state, &format!("/v1/training/sessions/{id}"), &anna_key).await;
    assert_eq!(status, StatusCode::OK, "{midway}");
    assert_eq!(midway["turns"].as_array().unwrap().len(), 1);
    assert_eq!(midway["over"], false);
    assert_eq!(midway["client"], first["client"]);

    let (status, last) = post(&state, &replies, &anna_key, json!({"text": GOOD_PATH[1]})).await;
    assert_eq!(status, StatusCode::OK, "{last}");
    assert_eq!(last["over"], true);
    assert_eq!(last["client"], Value::Null);
    assert_eq!(last["end"]["id"], "referred");
    assert_eq!(last["end"]["outcome"], "good");
    assert_eq!(last["turn"]["to"], json!({"end": "referred"}));
    let report = &last["report"];
    assert_eq!(report["turns"].as_array().unwrap().len(), 2);
    let average = report["average_score"].as_u64().unwrap();
    assert!(
        report["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["criterion"] == "thanks_closing")
    );

    // A reply after the end: a clean 409, and nothing changes.
    let (status, refused) = post(
        &state,
        &replies,
        &anna_key,
        json!({"text": "One more thing."}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"]["code"], "training_over");
    let (_, ended) = get(&state, &format!("/v1/training/sessions/{id}"), &anna_key).await;
    assert_eq!(ended["over"], true);
    assert_eq!(ended["report"]["average_score"], average);
    assert!(ended["report"].get("turns").is_none(), "turns listed once");
    assert_eq!(ended["turns"].as_array().unwrap().len(), 2);

    // Anna's progress shows it.
    let (status, progress) = get(&state, "/v1/training/progress", &anna_key).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    let summary = &progress["workers"][0];
    assert_eq!(summary["worker"], anna);
    assert_eq!(summary["sessions_finished"], 1);
    assert_eq!(summary["outcomes"]["good"], 1);
    assert_eq!(summary["scenarios"][0]["scenario"], "money-request");
    assert_eq!(summary["scenarios"][0]["best_score"], average);
    assert_eq!(summary["trend"]["direction"], "new");
    assert_eq!(progress["sessions"][0]["id"], id);
    assert_eq!(progress["sessions"][0]["outcome"], "good");
    assert_eq!(progress["sessions"][0]["turns"], 2);
    assert_eq!(progress["workers"].as_array().unwrap().len(), 1);

    // Ben: Anna's session and progress are not there for him.
    for (method, path) in [
        ("GET", format!("/v1/training/sessions/{id}")),
        ("POST", replies.clone()),
        ("GET", format!("/v1/training/progress?worker={anna}")),
    ] {
        let (status, body) = send(
            &state,
            method,
            &path,
            &ben_key,
            json!({"text": "hello"}).to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let (_, own) = get(&state, "/v1/training/progress", &ben_key).await;
    assert_eq!(own["sessions"], json!([]));
    assert_eq!(own["workers"][0]["worker"], ben);
    assert_eq!(own["workers"][0]["sessions_started"], 0);

    // Ben lends money: a poor end, with the flag in the feedback.
    let (_, bens) = post(
        &state,
        "/v1/training/sessions",
        &ben_key,
        json!({"scenario": "money-request", "language": "en"}),
    )
    .await;
    let (status, lent) = post(
        &state,
        &format!("/v1/training/sessions/{}/replies", bens["id"]),
        &ben_key,
        json!({"text": "Of course, I can lend you twenty pounds, just don't tell anyone."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{lent}");
    assert_eq!(lent["end"]["id"], "lent-money");
    assert!(
        lent["turn"]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["flag"] == "money_offer")
    );

    // The supervisor sees the team, and one worker's on request, but plays nobody's session.
    let (status, team) = get(&state, "/v1/training/progress", &lerato_key).await;
    assert_eq!(status, StatusCode::OK, "{team}");
    let by_name = |name: &str| {
        team["workers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing in {team}"))
    };
    assert_eq!(by_name("Anna")["outcomes"]["good"], 1);
    assert_eq!(by_name("Ben")["outcomes"]["poor"], 1);
    assert_eq!(team["sessions"].as_array().unwrap().len(), 2);
    let (_, annas) = get(
        &state,
        &format!("/v1/training/progress?worker={anna}"),
        &lerato_key,
    )
    .await;
    assert_eq!(annas["workers"].as_array().unwrap().len(), 1);
    assert_eq!(annas["sessions"].as_array().unwrap().len(), 1);
    let (status, _) = get(&state, &format!("/v1/training/sessions/{id}"), &lerato_key).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post(
        &state,
        &format!("/v1/training/sessions/{}/replies", bens["id"]),
        &lerato_key,
        json!({"text": "hello"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_scenarios_languages_and_empty_replies_get_clean_errors() {
    let store = Store::open_memory().await.unwrap();
    let admin = store.bootstrap_admin().await.unwrap().unwrap();
    let (_, key) = member(&store, "Anna", Role::Worker).await;
    let state = AppState::new(ENGINE.clone(), store);

    let (status, body) = post(
        &state,
        "/v1/training/sessions",
        &key,
        json!({"scenario": "no-such-scenario", "language": "en"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "unknown_scenario");
    // A scenario that exists, but not in this language.
    let (status, body) = post(
        &state,
        "/v1/training/sessions",
        &key,
        json!({"scenario": "self-harm", "language": "nl"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = post(
        &state,
        "/v1/training/sessions",
        &key,
        json!({"scenario": "money-request", "language": "xx"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "unknown_language");
    let (status, _) = get(&state, "/v1/training/scenarios?language=xx", &key).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get(&state, "/v1/training/sessions/424242", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, started) = post(
        &state,
        "/v1/training/sessions",
        &key,
        json!({"scenario": "money-request", "language": "en"}),
    )
    .await;
    let replies = format!("/v1/training/sessions/{}/replies", started["id"]);
    let (status, body) = post(&state, &replies, &key, json!({"text": "   "})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = post(&state, &replies, &key, json!({"reply": "hi"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "malformed_json");
    // Nothing was played: the session still waits at its opening.
    let (_, still) = get(
        &state,
        &format!("/v1/training/sessions/{}", started["id"]),
        &key,
    )
    .await;
    assert_eq!(still["turns"], json!([]));

    // Without a key, nothing.
    let response = app(state.clone())
        .oneshot(
            Request::get("/v1/training/scenarios")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_organisations_catalog_replaces_the_built_in_one() {
    let store = Store::open_memory().await.unwrap();
    let key = store.bootstrap_admin().await.unwrap().unwrap();
    let only_money = tact_training::Catalog::embedded()
        .unwrap()
        .iter()
        .filter(|s| s.id == "money-request")
        .cloned()
        .fold(tact_training::Catalog::default(), |mut c, s| {
            c.insert(s);
            c
        });
    let state = AppState::new(ENGINE.clone(), store).with_training_catalog(only_money);
    let (_, list) = get(&state, "/v1/training/scenarios", &key).await;
    let scenarios = list["scenarios"].as_array().unwrap();
    assert!(
        scenarios.iter().all(|s| s["id"] == "money-request"),
        "{list}"
    );
    assert_eq!(scenarios.len(), 3, "en, es, af");
}
