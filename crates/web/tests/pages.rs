//! The web interface through its router: who may see which page, sign-in and CSRF, the console's
//! marks, coaching and two-click records, and the limits a person notices (page weight, both
//! languages). Browser-level checks (scripts, accessibility, screenshots) are in
//! `crates/cli/tests/browser.rs`.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use std::sync::{Arc, LazyLock};
use tact_core::Engine;
use tact_core::resources::Source;
use tact_server::{AppState, IngestRequest, app_with};
use tact_store::{Author, Role, Store, Viewer};
use tower::ServiceExt;

static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Arc::new(Engine::from_sources(&sources).expect("built-in resources load"))
});

/// A response as the tests read it.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(state: &AppState, request: Request<Body>) -> Answer {
    let response = app_with(state.clone(), tact_web::router())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

fn post_form(path: &str, cookie: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap()
}

fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with its token")
        + 19;
    page[at..at + 64].to_string()
}

/// Signs in with `key` through the form, as a browser does; returns the session cookie.
async fn sign_in(state: &AppState, key: &str) -> String {
    let form = send(state, get("/sign-in", "")).await;
    let pre = form.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let signed = send(
        state,
        post_form(
            "/sign-in",
            &pre,
            &format!("key={key}&csrf={}", csrf_of(&form.body)),
        ),
    )
    .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let cookie = signed
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap())
        .find(|c| c.starts_with("tact_session=") && !c.starts_with("tact_session=;"))
        .expect("a session cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap().to_string()
}

/// A team: an admin, two workers with a conversation each (Anna's client discloses violence).
async fn team() -> (AppState, String, String, String, i64, i64) {
    let store = Store::open_memory().await.unwrap();
    let admin = store.bootstrap_admin().await.unwrap().unwrap();
    let state = AppState::new(ENGINE.clone(), store);
    let mut keys = Vec::new();
    let mut conversations = Vec::new();
    for (name, text) in [
        (
            "Anna",
            "My husband hits me and I am scared to go home. Call me on 0612345678.",
        ),
        ("Ben", "I need to change the date of my appointment."),
    ] {
        let id = state
            .store
            .add_worker(name, Role::Worker, "Europe/Paris", None)
            .await
            .unwrap();
        keys.push(state.store.create_api_key(id).await.unwrap());
        let body = tact_server::ingest_for(
            &state,
            Viewer {
                worker: id,
                role: Role::Worker,
            },
            IngestRequest {
                conversation: format!("web-{name}"),
                client: format!("client-of-{name}"),
                author: Author::Client,
                text: text.into(),
                language: Some("en".into()),
                sent_at: None,
            },
        )
        .await
        .unwrap();
        conversations.push(body["conversation"].as_i64().unwrap());
    }
    (
        state,
        admin,
        keys[0].clone(),
        keys[1].clone(),
        conversations[0],
        conversations[1],
    )
}

#[tokio::test]
async fn nothing_is_shown_without_signing_in() {
    let (state, ..) = team().await;
    for path in [
        "/",
        "/console",
        "/console/conversations/1",
        "/dashboard",
        "/directory",
    ] {
        let answer = send(&state, get(path, "")).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(answer.headers[header::LOCATION], "/sign-in", "{path}");
        let forged = send(&state, get(path, "tact_session=0123")).await;
        assert_eq!(forged.headers[header::LOCATION], "/sign-in", "{path}");
    }
}

#[tokio::test]
async fn sign_in_needs_the_forms_token_and_a_valid_key() {
    let (state, _, anna, ..) = team().await;
    let form = send(&state, get("/sign-in", "")).await;
    let token = csrf_of(&form.body);
    let refused = send(
        &state,
        post_form(
            "/sign-in",
            "tact_sign_in=other",
            &format!("key={anna}&csrf={token}"),
        ),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a token from elsewhere"
    );
    let wrong = send(
        &state,
        post_form(
            "/sign-in",
            &format!("tact_sign_in={token}"),
            &format!("key=tact_wrong&csrf={token}"),
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("not valid"));
    let cookie = sign_in(&state, &anna).await;
    let home = send(&state, get("/", &cookie)).await;
    assert_eq!(home.headers[header::LOCATION], "/console");

    let console = send(&state, get("/console", &cookie)).await;
    let out = send(
        &state,
        post_form(
            "/sign-out",
            &cookie,
            &format!("csrf={}", csrf_of(&console.body)),
        ),
    )
    .await;
    assert_eq!(out.headers[header::LOCATION], "/sign-in");
    assert_eq!(
        send(&state, get("/console", &cookie)).await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
}

#[tokio::test]
async fn a_worker_sees_their_conversation_marked_and_nobody_elses() {
    let (state, _, anna, _, annas, bens) = team().await;
    let cookie = sign_in(&state, &anna).await;
    let list = send(&state, get("/console", &cookie)).await;
    assert!(list.body.contains("client-of-Anna") && !list.body.contains("client-of-Ben"));
    let page = send(
        &state,
        get(&format!("/console/conversations/{annas}"), &cookie),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<mark class=\"f f-disclosure\"")
            && page.body.contains("disclosure domestic violence"),
        "the disclosure is marked with its evidence"
    );
    assert!(
        page.body.contains("f f-pii"),
        "the phone number's placeholder"
    );
    assert!(
        !page.body.contains("0612345678"),
        "only the redacted text is shown"
    );
    assert!(page.body.contains("use-reply"), "a reply to take");
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());
    assert_eq!(page.headers["cache-control"], "no-store");

    for other in [bens, 9_999] {
        let answer = send(
            &state,
            get(&format!("/console/conversations/{other}"), &cookie),
        )
        .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{other}");
        assert!(!answer.body.contains("client-of-Ben"));
    }
    assert_eq!(
        send(&state, get("/dashboard", &cookie)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_draft_is_coached_and_records_take_two_clicks_with_the_token() {
    let (state, _, anna, _, annas, bens) = team().await;
    let cookie = sign_in(&state, &anna).await;
    let page = send(
        &state,
        get(&format!("/console/conversations/{annas}"), &cookie),
    )
    .await;
    let csrf = csrf_of(&page.body);
    let coach = |token: &str| {
        Request::post(format!("/console/conversations/{annas}/coach"))
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", token)
            .body(Body::from(
                r#"{"draft":"Thank you for telling me. I will call you back tomorrow at 10."}"#,
            ))
            .unwrap()
    };
    assert_eq!(
        send(&state, coach("nope")).await.status,
        StatusCode::FORBIDDEN
    );
    let coached = send(&state, coach(&csrf)).await;
    assert_eq!(coached.status, StatusCode::OK);
    assert!(coached.body.contains("criterion met"), "{}", coached.body);
    assert!(
        coached.body.contains("Promises in this draft"),
        "{}",
        coached.body
    );

    let path = format!("/console/conversations/{annas}/follow-up");
    let form = "what=Check+in&due=2026-12-01T10%3A00";
    assert_eq!(
        send(&state, post_form(&path, &cookie, form)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no token, no record"
    );
    let saved = send(
        &state,
        post_form(&path, &cookie, &format!("{form}&csrf={csrf}")),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let viewer = state.store.viewer_for_key(&anna).await.unwrap();
    let commitments = state
        .store
        .commitments(viewer, jiff::Timestamp::now())
        .await
        .unwrap();
    let planned = commitments.iter().find(|c| c.what == "Check in").unwrap();
    assert_eq!(
        planned.due_at.to_string(),
        "2026-12-01T09:00:00Z",
        "10:00 in Paris"
    );
    let elsewhere = send(
        &state,
        post_form(
            &format!("/console/conversations/{bens}/follow-up"),
            &cookie,
            &format!("{form}&csrf={csrf}"),
        ),
    )
    .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "not on Ben's conversation"
    );

    let sent = send(
        &state,
        post_form(
            &format!("/console/conversations/{annas}/send"),
            &cookie,
            &format!("csrf={csrf}&draft=Thank+you.+I+will+call+you+tomorrow+at+10."),
        ),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(state.store.messages(viewer, annas).await.unwrap().len(), 2);
}

#[tokio::test]
async fn supervisors_get_the_dashboard_and_french_on_request() {
    let (state, admin, ..) = team().await;
    let cookie = sign_in(&state, &admin).await;
    let home = send(&state, get("/", &cookie)).await;
    assert_eq!(home.headers[header::LOCATION], "/dashboard");
    let dashboard = send(&state, get("/dashboard", &cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains("<svg role=\"img\""),
        "charts drawn on the server"
    );
    assert!(dashboard.body.contains("id=\"alerts\""));
    assert!(
        dashboard.body.len() < 100_000,
        "{} bytes",
        dashboard.body.len()
    );
    let french = send(
        &state,
        get("/dashboard", &format!("{cookie}; tact_lang=fr")),
    )
    .await;
    assert!(french.body.contains("lang=\"fr\"") && french.body.contains("Tableau de bord"));
    assert!(dashboard.body.contains("Looking after the team"));
    assert!(
        dashboard.body.contains("Load per week, by worker"),
        "the exposure chart"
    );
    let weekly = send(&state, get("/dashboard/weekly", &cookie)).await;
    assert_eq!(weekly.status, StatusCode::OK, "{}", weekly.body);
    assert!(weekly.body.contains("<html"), "the team's weekly report");
    let directory = send(&state, get("/directory", &cookie)).await;
    assert_eq!(directory.status, StatusCode::OK);
    for asset in ["tact.css", "console.js", "dashboard.js", "directory.js"] {
        let answer = send(&state, get(&format!("/assets/{asset}"), "")).await;
        assert_eq!(answer.status, StatusCode::OK, "{asset}");
    }
}

#[tokio::test]
async fn a_worker_plays_a_scenario_in_the_browser_and_sees_their_progress() {
    let (state, admin, anna, ben, ..) = team().await;
    let cookie = sign_in(&state, &anna).await;
    let list = send(&state, get("/training?language=en", &cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("A client asks to borrow money"));
    let csrf = csrf_of(&list.body);
    let started = send(
        &state,
        post_form(
            "/training/start",
            &cookie,
            &format!("csrf={csrf}&scenario=money-request&language=en"),
        ),
    )
    .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let session = started.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let page = send(&state, get(&session, &cookie)).await;
    assert!(
        page.body.contains("lend me twenty pounds"),
        "the opening message"
    );
    for reply in [
        "I understand this is hard. I cannot lend you money myself, but the food bank can help you today.",
        "Is there anything else I can help with? Thank you for coming in.",
    ] {
        let form = format!(
            "csrf={csrf}&text={}",
            reply
                .replace(' ', "+")
                .replace('?', "%3F")
                .replace(',', "%2C")
        );
        let answered = send(
            &state,
            post_form(&format!("{session}/reply"), &cookie, &form),
        )
        .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    }
    let ended = send(&state, get(&session, &cookie)).await;
    assert!(ended.body.contains("Report: good"), "the report at the end");
    assert!(ended.body.contains("What to practise next"));
    let again = send(
        &state,
        post_form(
            &format!("{session}/reply"),
            &cookie,
            &format!("csrf={csrf}&text=more"),
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "the session has ended");

    let bens = sign_in(&state, &ben).await;
    assert_eq!(
        send(&state, get(&session, &bens)).await.status,
        StatusCode::NOT_FOUND
    );
    let his = send(&state, get("/training", &bens)).await;
    assert!(
        his.body.contains("No sessions yet"),
        "Ben sees only his own progress"
    );
    let supervisor = sign_in(&state, &admin).await;
    let team = send(&state, get("/training", &supervisor)).await;
    assert!(
        team.body.contains("Anna"),
        "supervisors see the team's training"
    );
}

#[tokio::test]
async fn a_worker_sees_their_own_prompts_in_the_console_and_marks_them_taken() {
    let (state, _, anna, ben, annas, _) = team().await;
    let annas_id = state.store.viewer_for_key(&anna).await.unwrap().worker;
    state
        .store
        .record_prompt(&tact_store::NewPrompt {
            worker: annas_id,
            kind: tact_store::PromptKind::Debrief,
            key: format!("debrief:{annas_id}:{annas}:threat"),
            conversation: Some(annas),
            reason: "a threat in one conversation".into(),
            raised_at: jiff::Timestamp::now(),
        })
        .await
        .unwrap()
        .expect("a new prompt");
    let cookie = sign_in(&state, &anna).await;
    let console = send(&state, get("/console", &cookie)).await;
    assert!(
        console.body.contains("Debrief with your supervisor"),
        "{}",
        console.body
    );
    assert!(console.body.contains("a threat in one conversation"));
    let bens = sign_in(&state, &ben).await;
    let his = send(&state, get("/console", &bens)).await;
    assert!(
        !his.body.contains("Debrief with your supervisor"),
        "not Ben's prompt"
    );

    let at = console.body.find("/console/prompts/").unwrap();
    let path: String = console.body[at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let stolen = send(
        &state,
        post_form(&path, &bens, &format!("csrf={}", csrf_of(&his.body))),
    )
    .await;
    assert_eq!(
        stolen.status,
        StatusCode::NOT_FOUND,
        "Ben cannot take Anna's prompt"
    );
    let taken = send(
        &state,
        post_form(&path, &cookie, &format!("csrf={}", csrf_of(&console.body))),
    )
    .await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER);
    let after = send(&state, get("/console", &cookie)).await;
    assert!(
        !after.body.contains("Debrief with your supervisor"),
        "taken prompts leave the console"
    );
}
