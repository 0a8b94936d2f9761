//! Looking after workers through the API: a client's message after hours waits for the worker's
//! next shift (across time zones, daylight-saving changes and holidays) and is delivered by the
//! sweep; an urgent one reaches whoever is on call at once, or every supervisor when nobody is
//! there; exposure prompts fire exactly at their thresholds, once, and are seen by the worker
//! and their own supervisor only; the weekly report adds up to the stored records.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde_json::{Value, json};
use std::sync::{Arc, LazyLock};
use tact_core::Engine;
use tact_core::replies::ReplyValues;
use tact_core::resources::Source;
use tact_server::{AppState, Audience, WellbeingSettings, app};
use tact_store::{Role, Store, Viewer};
use tower::ServiceExt;

static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Arc::new(Engine::from_sources(&sources).expect("built-in resources load"))
});

/// Someone in the organisation: their id, role and key.
#[derive(Clone)]
struct Person {
    id: i64,
    role: Role,
    key: String,
}

impl Person {
    fn viewer(&self) -> Viewer {
        Viewer {
            worker: self.id,
            role: self.role,
        }
    }
}

/// Two teams in Paris office hours: Sofia leads Anna and Ben; Tom leads Chloé and Nate (New
/// York). The organisation sends the after-hours reply.
struct Org {
    state: AppState,
    admin: Person,
    sofia: Person,
    tom: Person,
    anna: Person,
    ben: Person,
    chloe: Person,
    nate: Person,
}

async fn org() -> Org {
    let store = Store::open_memory().await.unwrap();
    let admin_key = store.bootstrap_admin().await.unwrap().unwrap();
    let admin = Person {
        id: store.viewer_for_key(&admin_key).await.unwrap().worker,
        role: Role::Admin,
        key: admin_key,
    };
    let mut values = ReplyValues::default();
    values
        .set("crisis_line", "3114")
        .set("emergency_number", "112");
    let state = AppState::new(ENGINE.clone(), store.clone()).with_wellbeing(WellbeingSettings {
        after_hours_reply: true,
        reply_values: values,
        ..WellbeingSettings::default()
    });
    let add = |name: &'static str, role: Role, zone: &'static str| {
        let store = store.clone();
        async move {
            let id = store
                .add_worker(name, role, zone, Some("mon-fri 09:00-17:00"))
                .await
                .unwrap();
            Person {
                id,
                role,
                key: store.create_api_key(id).await.unwrap(),
            }
        }
    };
    let sofia = add("Sofia", Role::Supervisor, "Europe/Paris").await;
    let tom = add("Tom", Role::Supervisor, "Europe/Paris").await;
    let anna = add("Anna", Role::Worker, "Europe/Paris").await;
    let ben = add("Ben", Role::Worker, "Europe/Paris").await;
    let chloe = add("Chloé", Role::Worker, "Europe/Paris").await;
    let nate = add("Nate", Role::Worker, "America/New_York").await;
    let o = Org {
        state,
        admin,
        sofia,
        tom,
        anna,
        ben,
        chloe,
        nate,
    };
    for (worker, lead) in [
        (&o.anna, &o.sofia),
        (&o.ben, &o.sofia),
        (&o.chloe, &o.tom),
        (&o.nate, &o.tom),
    ] {
        let (status, body) = o
            .send(
                &o.admin,
                "PUT",
                &format!("/v1/workers/{}/supervisor", worker.id),
                json!({ "supervisor": lead.id }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    o
}

impl Org {
    async fn send(
        &self,
        who: &Person,
        method: &str,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let body = if body.is_null() {
            Body::empty()
        } else {
            Body::from(body.to_string())
        };
        let response = app(self.state.clone())
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {}", who.key))
                    .body(body)
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
        )
    }

    async fn get(&self, who: &Person, path: &str) -> (StatusCode, Value) {
        self.send(who, "GET", path, Value::Null).await
    }

    /// A client's message in `conversation` of `worker`, sent at `sent_at`.
    async fn client_says(
        &self,
        worker: &Person,
        conversation: &str,
        text: &str,
        sent_at: &str,
    ) -> Value {
        let (status, body) = self
            .send(
                worker,
                "POST",
                "/v1/ingest",
                json!({"conversation": conversation, "client": format!("client-{conversation}"),
                       "author": "client", "language": "en", "text": text, "sent_at": sent_at}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

const CALM: &str = "Hello, could you send me the form again please?";
const URGENT: &str = "I have the pills ready and I want to kill myself tonight";

/// A civil time in a zone, as an RFC 3339 instant.
fn local(civil: &str, zone: &str) -> String {
    let civil: jiff::civil::DateTime = civil.parse().unwrap();
    civil.in_tz(zone).unwrap().timestamp().to_string()
}

#[tokio::test]
async fn a_message_at_2230_waits_for_the_next_shift_and_the_sweep_delivers_it() {
    let o = org().await;
    // Monday 23 November 2026, 22:30 in Paris.
    let sent = local("2026-11-23T22:30", "Europe/Paris");
    let body = o.client_says(&o.anna, "late-1", CALM, &sent).await;
    let routing = &body["routing"];
    assert_eq!(routing["route"], "defer", "{body}");
    let shift = local("2026-11-24T09:00", "Europe/Paris");
    assert_eq!(routing["until"], shift.as_str());
    assert_eq!(routing["worker"], o.anna.id);
    let reply = routing["after_hours_reply"]["reply"]["text"]
        .as_str()
        .unwrap();
    assert!(
        reply.contains("mon-fri 09:00-17:00") && reply.contains("3114"),
        "the after-hours reply says when Anna is back and where urgent help is: {reply}"
    );

    // Anna is not told tonight; her supervisor sees it waiting.
    let (_, told) = o.get(&o.anna, "/v1/wellbeing/notifications").await;
    assert_eq!(told, json!([]));
    let (_, waiting) = o.get(&o.sofia, "/v1/wellbeing/notifications").await;
    assert_eq!(waiting[0]["delivered_at"], Value::Null);
    let shift: Timestamp = shift.parse().unwrap();
    let just_before = shift - SignedDuration::from_secs(1);
    assert_eq!(
        tact_server::sweep_notifications(&o.state, just_before)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        tact_server::sweep_notifications(&o.state, shift)
            .await
            .unwrap(),
        1
    );
    let (_, told) = o.get(&o.anna, "/v1/wellbeing/notifications").await;
    assert_eq!(told.as_array().unwrap().len(), 1, "{told}");
    assert_eq!(told[0]["message"], body["message"]);
    assert_eq!(told[0]["reason"], "deferred");
    assert_eq!(told[0]["delivered_at"], shift.to_string());
    assert_eq!(
        tact_server::sweep_notifications(&o.state, shift + 1.hour())
            .await
            .unwrap(),
        0,
        "delivered once"
    );
    // Nobody else hears of it.
    let (_, others) = o.get(&o.ben, "/v1/wellbeing/notifications").await;
    assert_eq!(others, json!([]));
    let (_, others) = o.get(&o.tom, "/v1/wellbeing/notifications").await;
    assert_eq!(others, json!([]));

    // In hours, the worker is notified now, and nothing waits.
    let body = o
        .client_says(
            &o.anna,
            "day-1",
            CALM,
            &local("2026-11-24T10:00", "Europe/Paris"),
        )
        .await;
    assert_eq!(body["routing"]["route"], "notify_now", "{body}");
    assert!(body["routing"].get("after_hours_reply").is_none());
}

#[tokio::test]
async fn deferral_follows_each_workers_zone_across_daylight_saving_and_holidays() {
    let o = org().await;
    // Friday 27 March 2026, 22:30 in Paris (CET); Europe moves to CEST on Sunday the 29th, so
    // Monday's 09:00 is 07:00 UTC, not 08:00.
    let body = o
        .client_says(
            &o.anna,
            "dst-paris",
            CALM,
            &local("2026-03-27T22:30", "Europe/Paris"),
        )
        .await;
    assert_eq!(body["routing"]["until"], "2026-03-30T07:00:00Z", "{body}");
    // Saturday 31 October 2026, 22:30 in New York (EDT); the US moves to EST on 1 November, so
    // Monday's 09:00 is 14:00 UTC, not 13:00.
    let body = o
        .client_says(
            &o.nate,
            "dst-ny",
            CALM,
            &local("2026-10-31T22:30", "America/New_York"),
        )
        .await;
    assert_eq!(body["routing"]["until"], "2026-11-02T14:00:00Z", "{body}");
    // The same moment is 03:30 on Sunday in Paris and 21:30 on Saturday in New York: each worker's
    // own zone decides.
    assert_eq!(
        local("2026-10-31T22:30", "America/New_York"),
        local("2026-11-01T03:30", "Europe/Paris")
    );

    // A holiday moves the next shift on a day; only Anna's supervisor (or an admin) plans it.
    let holiday = json!({"worker": o.anna.id, "first_day": "2026-11-24", "kind": "holiday"});
    let (status, _) = o
        .send(&o.anna, "POST", "/v1/wellbeing/absences", holiday.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = o
        .send(&o.tom, "POST", "/v1/wellbeing/absences", holiday.clone())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, created) = o
        .send(&o.sofia, "POST", "/v1/wellbeing/absences", holiday)
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let body = o
        .client_says(
            &o.anna,
            "holiday",
            CALM,
            &local("2026-11-23T22:30", "Europe/Paris"),
        )
        .await;
    assert_eq!(
        body["routing"]["until"],
        local("2026-11-25T09:00", "Europe/Paris"),
        "{body}"
    );
    let (_, listed) = o.get(&o.anna, "/v1/wellbeing/absences").await;
    assert_eq!(listed[0]["first_day"], "2026-11-24");
    let (_, hidden) = o.get(&o.tom, "/v1/wellbeing/absences").await;
    assert_eq!(hidden, json!([]));
    let (status, _) = o
        .send(
            &o.sofia,
            "DELETE",
            &format!("/v1/wellbeing/absences/{}", created["id"]),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Reads the supervisor's alert stream until an event of `kind` arrives (5 s at most).
async fn next_event(
    events: &mut (impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin),
    kind: &str,
) -> String {
    let wanted = format!("event: {kind}");
    let mut seen = String::new();
    while !seen.contains(&wanted) {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), events.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} alert within 5 s; saw {seen}"))
            .expect("the stream is open")
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

async fn alert_stream(
    o: &Org,
    who: &Person,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin {
    let response = app(o.state.clone())
        .oneshot(
            Request::get("/v1/alerts")
                .header("authorization", format!("Bearer {}", who.key))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.into_body().into_data_stream()
}

#[tokio::test]
async fn an_urgent_message_at_2230_reaches_the_worker_on_call_at_once() {
    let o = org().await;
    let slot = json!({"worker": o.ben.id, "from": local("2026-11-23T17:00", "Europe/Paris"),
                      "until": local("2026-11-24T09:00", "Europe/Paris")});
    let (status, _) = o
        .send(&o.tom, "POST", "/v1/wellbeing/on-call", slot.clone())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Ben is not in Tom's team");
    let (status, created) = o
        .send(&o.sofia, "POST", "/v1/wellbeing/on-call", slot)
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let mut events = alert_stream(&o, &o.sofia).await;

    let body = o
        .client_says(
            &o.anna,
            "urgent-1",
            URGENT,
            &local("2026-11-23T22:30", "Europe/Paris"),
        )
        .await;
    assert_eq!(body["urgent"], true);
    assert_eq!(body["routing"]["route"], "on_call", "{body}");
    assert_eq!(body["routing"]["worker"], o.ben.id);
    let seen = next_event(&mut events, "urgent_on_call").await;
    assert!(seen.contains(&format!("\"to\":{}", o.ben.id)), "{seen}");
    assert!(
        !seen.contains("pills"),
        "no client's words in alerts: {seen}"
    );
    // Ben is told now, not at his next shift.
    let (_, told) = o.get(&o.ben, "/v1/wellbeing/notifications").await;
    assert_eq!(told[0]["reason"], "on_call", "{told}");
    assert_eq!(told[0]["message"], body["message"]);
    assert!(told[0]["delivered_at"].is_string());
    // Nothing waits for Anna: an urgent message is never held back.
    let (_, anna) = o.get(&o.anna, "/v1/wellbeing/notifications").await;
    assert_eq!(anna, json!([]));
}

#[tokio::test]
async fn an_urgent_message_with_nobody_there_alerts_every_supervisor() {
    let o = org().await;
    let mut tom = alert_stream(&o, &o.tom).await;
    let body = o
        .client_says(
            &o.anna,
            "urgent-2",
            URGENT,
            &local("2026-11-23T22:30", "Europe/Paris"),
        )
        .await;
    assert_eq!(body["routing"]["route"], "unstaffed", "{body}");
    // Even another team's supervisor hears it: someone must take it now.
    let seen = next_event(&mut tom, "unstaffed_urgent").await;
    assert!(!seen.contains("pills"), "{seen}");
}

#[tokio::test]
async fn exposure_prompts_fire_at_their_thresholds_once_and_stay_in_the_team() {
    let o = org().await;
    let mut alerts = o.state.alerts.subscribe();
    let insult = "You stupid idiot, you are useless.";
    let at = |minutes: i64| {
        (local("2026-11-24T10:00", "Europe/Paris")
            .parse::<Timestamp>()
            .unwrap()
            + SignedDuration::from_mins(minutes))
        .to_string()
    };
    // Anna: three abusive conversations, the first and the third exactly 60 minutes apart.
    let first = o.client_says(&o.anna, "a1", insult, &at(0)).await;
    assert_eq!(first["wellbeing_prompts"], json!([]), "{first}");
    let second = o.client_says(&o.anna, "a2", insult, &at(30)).await;
    assert_eq!(second["wellbeing_prompts"], json!([]));
    let third = o.client_says(&o.anna, "a3", insult, &at(60)).await;
    let raised = third["wellbeing_prompts"].as_array().unwrap();
    assert_eq!(raised.len(), 1, "{third}");
    assert_eq!(raised[0]["kind"], "break");
    assert_eq!(raised[0]["at"], at(60).as_str());
    // Ben: the same, but 61 minutes apart: no break.
    for (n, minutes) in [(1, 0), (2, 30), (3, 61)] {
        let body = o
            .client_says(&o.ben, &format!("b{n}"), insult, &at(minutes))
            .await;
        assert_eq!(body["wellbeing_prompts"], json!([]), "{body}");
    }
    // A threat calls for a debrief, once per conversation.
    let threat = "If you close my file I will kill you.";
    let body = o.client_says(&o.anna, "a4", threat, &at(90)).await;
    assert_eq!(body["wellbeing_prompts"][0]["kind"], "debrief", "{body}");
    let again = o.client_says(&o.anna, "a4", threat, &at(95)).await;
    assert_eq!(again["wellbeing_prompts"], json!([]), "recorded once");

    // Anna and Sofia see Anna's prompts; Ben, Chloé and Tom see none of them.
    let (_, mine) = o.get(&o.anna, "/v1/wellbeing/prompts").await;
    assert_eq!(mine.as_array().unwrap().len(), 2, "{mine}");
    let (_, team) = o
        .get(
            &o.sofia,
            &format!("/v1/wellbeing/prompts?worker={}", o.anna.id),
        )
        .await;
    assert_eq!(team.as_array().unwrap().len(), 2);
    for other in [&o.ben, &o.chloe, &o.tom] {
        let (_, listed) = o.get(other, "/v1/wellbeing/prompts").await;
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["worker"] != o.anna.id),
            "{listed}"
        );
        for path in [
            format!("/v1/wellbeing/prompts?worker={}", o.anna.id),
            format!("/v1/wellbeing/exposure?worker={}", o.anna.id),
            format!("/v1/wellbeing/notifications?worker={}", o.anna.id),
        ] {
            let (status, _) = o.get(other, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (status, _) = o
            .send(
                other,
                "POST",
                &format!("/v1/wellbeing/prompts/{}/taken", mine[0]["id"]),
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, everyone) = o
            .get(other, &format!("/v1/wellbeing/exposure?at={}", at(120)))
            .await;
        assert!(
            everyone
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["worker"] != o.anna.id),
            "{everyone}"
        );
    }
    // The worker marks her break taken.
    let break_id = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "break")
        .unwrap()["id"]
        .clone();
    let (status, taken) = o
        .send(
            &o.anna,
            "POST",
            &format!("/v1/wellbeing/prompts/{break_id}/taken"),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(taken["taken_at"].is_string());

    // Exposure: Sofia sees Anna's load (3 abusive conversations and a threat, once each).
    let (status, exposure) = o
        .get(
            &o.sofia,
            &format!(
                "/v1/wellbeing/exposure?worker={}&days=7&at={}",
                o.anna.id,
                at(120)
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{exposure}");
    let rolling = &exposure[0]["rolling"];
    assert_eq!(rolling["by_kind"]["abuse_at_worker"], 3, "{exposure}");
    assert_eq!(rolling["by_kind"]["threat_to_worker"], 1);
    assert_eq!(exposure[0]["on_duty"], true);
    let (_, own) = o
        .get(&o.anna, &format!("/v1/wellbeing/exposure?at={}", at(120)))
        .await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    assert_eq!(own[0]["rolling"], *rolling);

    // The debrief alert reaches Sofia and admins, not Tom.
    let mut prompt_alerts = Vec::new();
    while let Ok(alert) = alerts.try_recv() {
        if alert.kind == "wellbeing_prompt" {
            prompt_alerts.push(alert);
        }
    }
    assert_eq!(prompt_alerts.len(), 1, "{prompt_alerts:?}");
    let alert = &prompt_alerts[0];
    assert_eq!(alert.audience, Audience::Supervisor(o.sofia.id));
    assert!(alert.audience.reaches(o.sofia.viewer()));
    assert!(alert.audience.reaches(o.admin.viewer()));
    assert!(!alert.audience.reaches(o.tom.viewer()));
    assert!(!alert.summary.contains("kill"), "{}", alert.summary);

    // Reports: workers may not; Tom may not read Sofia's team.
    let (status, _) = o.get(&o.anna, "/v1/reports/weekly?week=2026-11-23").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = o
        .get(
            &o.tom,
            &format!("/v1/reports/weekly?week=2026-11-23&team={}", o.sofia.id),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, toms) = o.get(&o.tom, "/v1/reports/weekly?week=2026-11-23").await;
    let names: Vec<&str> = toms["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Chloé", "Nate"]);
}

#[tokio::test]
async fn the_weekly_report_adds_up_to_the_stored_records() {
    let o = org().await;
    let now = Timestamp::now();
    let week = tact_server::last_week("Europe/Paris", now).unwrap();
    let week = week.checked_add(7.days()).unwrap(); // this week
    let (from, until) = tact_wellbeing::report::week_bounds("Europe/Paris", week).unwrap();
    let in_week = |hours: i64| (from + SignedDuration::from_hours(hours)).to_string();
    // Anna: an abusive conversation, an urgent one (a follow-up planned), and a promise; Ben:
    // a promise kept and one broken.
    o.client_says(
        &o.anna,
        "r1",
        "You stupid idiot, you are useless.",
        &in_week(10),
    )
    .await;
    o.client_says(&o.anna, "r2", URGENT, &in_week(11)).await;
    for (who, conversation, due) in [(&o.anna, "r1", 30), (&o.ben, "r3", 40), (&o.ben, "r4", 50)] {
        let (status, body) = o
            .send(
                who,
                "POST",
                "/v1/ingest",
                json!({"conversation": conversation, "client": "p", "author": "worker",
                       "language": "en", "text": "I'll call you back tomorrow.",
                       "sent_at": in_week(due - 24)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let store = &o.state.store;
    let bens = store.commitments(o.ben.viewer(), now).await.unwrap();
    assert_eq!(bens.len(), 2, "{bens:?}");
    store
        .close_commitment(
            o.ben.viewer(),
            bens[0].id,
            tact_store::CommitmentStatus::Kept,
        )
        .await
        .unwrap();
    store
        .close_commitment(
            o.ben.viewer(),
            bens[1].id,
            tact_store::CommitmentStatus::Broken,
        )
        .await
        .unwrap();
    let incidents = store.incidents(o.sofia.viewer(), None).await.unwrap();
    store
        .update_incident(
            o.sofia.viewer(),
            incidents[0].id,
            tact_store::IncidentStatus::Resolved,
            "",
        )
        .await
        .unwrap();

    let (status, report) = o
        .get(
            &o.sofia,
            &format!("/v1/reports/weekly?week={week}&format=json"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    // The totals are the stored records of the week, counted from the store directly.
    let mut stored = (0, 0, 0, 0, 0, 0, 0);
    for worker in [&o.anna, &o.ben] {
        let r = store
            .care_records(o.sofia.viewer(), worker.id, from, until)
            .await
            .unwrap();
        let promises = r
            .commitments
            .iter()
            .filter(|c| c.kind == tact_store::CommitmentKind::Promise);
        stored.0 += promises.clone().count();
        stored.1 += promises
            .filter(|c| c.status == tact_store::CommitmentStatus::Kept)
            .count();
        stored.2 += r
            .commitments
            .iter()
            .filter(|c| c.kind == tact_store::CommitmentKind::FollowUp)
            .count();
        stored.3 += r.incidents.len();
        stored.4 += r
            .incidents
            .iter()
            .filter(|i| i.status == tact_store::IncidentStatus::Resolved)
            .count();
        stored.5 += r.prompts.len();
        stored.6 += r.commitments.len();
    }
    let t = &report["totals"];
    let counted = (
        t["promises"]["due"].as_u64().unwrap() as usize,
        t["promises"]["kept"].as_u64().unwrap() as usize,
        t["follow_ups"]["due"].as_u64().unwrap() as usize,
        t["incidents"]["reported"].as_u64().unwrap() as usize,
        t["incidents"]["resolved"].as_u64().unwrap() as usize,
        (t["exposure"]["breaks"]["suggested"].as_u64().unwrap()
            + t["exposure"]["debriefs"]["suggested"].as_u64().unwrap()
            + t["exposure"]["notices"]["suggested"].as_u64().unwrap()) as usize,
        (t["promises"]["due"].as_u64().unwrap() + t["follow_ups"]["due"].as_u64().unwrap())
            as usize,
    );
    assert_eq!(counted, stored, "{report}");
    assert_eq!(stored.0, 3, "three promises due this week");
    assert_eq!(stored.1, 1);
    assert_eq!(stored.2, 1, "the follow-up after the urgent disclosure");
    assert!(stored.3 >= 2 && stored.4 == 1, "{stored:?}");
    assert_eq!(stored.5, 1, "the debrief after the urgent disclosure");
    // Each total is the sum of the workers' lines.
    let workers = report["workers"].as_array().unwrap();
    assert_eq!(workers.len(), 2);
    let sum = |path: &[&str]| -> u64 {
        workers
            .iter()
            .map(|w| path.iter().fold(w, |v, k| &v[k]).as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        sum(&["promises", "due"]),
        t["promises"]["due"].as_u64().unwrap()
    );
    assert_eq!(
        sum(&["incidents", "reported"]),
        t["incidents"]["reported"].as_u64().unwrap()
    );
    assert_eq!(
        sum(&["exposure", "score"]),
        t["exposure"]["score"].as_u64().unwrap()
    );

    // The same report as a page, with no client's words in it.
    let (status, page) = o
        .get(
            &o.sofia,
            &format!("/v1/reports/weekly?week={week}&format=html"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(
        page.contains("Sofia&#39;s team") && page.contains("Anna"),
        "{page}"
    );
    assert!(!page.contains("pills") && !page.contains("idiot"));
    // An admin may read any team, or everyone.
    let (status, all) = o
        .get(&o.admin, &format!("/v1/reports/weekly?week={week}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["workers"].as_array().unwrap().len(), 4);
    let (status, _) = o.get(&o.admin, "/v1/reports/weekly?week=2026-11-25").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "weeks start on Monday");
}

#[tokio::test]
async fn with_nobody_on_call_an_urgent_message_goes_to_a_teammate_on_duty() {
    let o = org().await;
    let store = &o.state.store;
    let nora = store
        .add_worker(
            "Nora",
            Role::Worker,
            "Europe/Paris",
            Some("mon-sun 18:00-02:00"),
        )
        .await
        .unwrap();
    store
        .set_supervisor(o.admin.viewer(), nora, Some(o.sofia.id))
        .await
        .unwrap();
    let nora = Person {
        id: nora,
        role: Role::Worker,
        key: store.create_api_key(nora).await.unwrap(),
    };
    let body = o
        .client_says(
            &o.anna,
            "urgent-3",
            URGENT,
            &local("2026-11-23T22:30", "Europe/Paris"),
        )
        .await;
    assert_eq!(body["routing"]["route"], "colleague", "{body}");
    assert_eq!(body["routing"]["worker"], nora.id);
    let (_, told) = o.get(&nora, "/v1/wellbeing/notifications").await;
    assert_eq!(told[0]["reason"], "colleague", "{told}");
    // Only the worker's own team is asked.
    let (_, chloe) = o.get(&o.chloe, "/v1/wellbeing/notifications").await;
    assert_eq!(chloe, json!([]));
}
