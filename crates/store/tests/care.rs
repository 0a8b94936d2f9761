//! Looking after workers, on both back-ends: teams bound who sees a worker's wellbeing records
//! (the worker, their own supervisor, admins; never another worker or another team's
//! supervisor), prompts are recorded once and taken once, absences and on-call slots are planned
//! by the team's supervisor, held-back notifications are delivered once when due, and the
//! records a report reads are exactly the stored rows of the period.

use jiff::civil::date;
use jiff::{Timestamp, ToSpan};
use tact_store::*;

#[macro_use]
mod support;

on_both_backends!(
    "care":
    teams_bound_who_sees_a_workers_wellbeing,
    prompts_are_recorded_once_and_taken_once,
    absences_and_on_call_are_planned_by_the_team_lead,
    notifications_wait_until_due_and_are_delivered_once,
    care_records_are_the_stored_rows_of_the_period,
);

/// An organisation of two teams: Sofia leads Anna and Ben, Tom leads Chloé.
struct Org {
    store: Store,
    admin: Viewer,
    sofia: Viewer,
    tom: Viewer,
    anna: Viewer,
    ben: Viewer,
    chloe: Viewer,
}

async fn org(location: Location) -> Org {
    let store = Store::open(location).await.unwrap();
    let viewer = |worker, role| Viewer { worker, role };
    let add = |name: &'static str, role: Role| {
        let store = store.clone();
        async move {
            let id = store
                .add_worker(name, role, "Europe/Paris", Some("mon-fri 09:00-17:00"))
                .await
                .unwrap();
            viewer(id, role)
        }
    };
    let admin = add("Admin", Role::Admin).await;
    let sofia = add("Sofia", Role::Supervisor).await;
    let tom = add("Tom", Role::Supervisor).await;
    let anna = add("Anna", Role::Worker).await;
    let ben = add("Ben", Role::Worker).await;
    let chloe = add("Chloé", Role::Worker).await;
    for (worker, lead) in [(anna, sofia), (ben, sofia), (chloe, tom)] {
        store
            .set_supervisor(admin, worker.worker, Some(lead.worker))
            .await
            .unwrap();
    }
    Org {
        store,
        admin,
        sofia,
        tom,
        anna,
        ben,
        chloe,
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn prompt(worker: i64, key: &str, raised_at: Timestamp) -> NewPrompt {
    NewPrompt {
        worker,
        kind: PromptKind::Break,
        key: key.into(),
        conversation: None,
        reason: "3 intense interactions within 60 minutes (abuse)".into(),
        raised_at,
    }
}

async fn teams_bound_who_sees_a_workers_wellbeing(location: Location) {
    let o = org(location).await;
    let s = &o.store;
    let raised = at("2026-11-23T10:00:00Z");
    let id = s
        .record_prompt(&prompt(o.anna.worker, "break:anna:1", raised))
        .await
        .unwrap()
        .unwrap();
    let (from, until) = (raised - 1.hour(), raised + 1.hour());

    // Anna, her supervisor and the admin see it.
    for viewer in [o.anna, o.sofia, o.admin] {
        assert_eq!(s.prompt(viewer, id).await.unwrap().worker, o.anna.worker);
        let listed = s.prompts(viewer, None, None).await.unwrap();
        assert_eq!(listed.len(), 1, "{viewer:?}");
        s.care_records(viewer, o.anna.worker, from, until)
            .await
            .unwrap();
    }
    // Her teammate, a worker of another team and another team's supervisor see nothing, and
    // asking by id gets the answer a record that does not exist gets.
    for viewer in [o.ben, o.chloe, o.tom] {
        assert!(matches!(s.prompt(viewer, id).await, Err(Error::NotFound)));
        assert!(matches!(
            s.prompt(viewer, 9_999).await,
            Err(Error::NotFound)
        ));
        assert!(s.prompts(viewer, None, None).await.unwrap().is_empty());
        assert!(matches!(
            s.prompts(viewer, Some(o.anna.worker), None).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            s.care_records(viewer, o.anna.worker, from, until).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            s.take_prompt(viewer, id, raised).await,
            Err(Error::NotFound)
        ));
    }

    // Teams: each supervisor reads their own; admins any; workers none.
    let names = |team: Vec<Worker>| team.into_iter().map(|w| w.name).collect::<Vec<_>>();
    assert_eq!(
        names(s.team(o.sofia, o.sofia.worker).await.unwrap()),
        ["Anna", "Ben"]
    );
    assert_eq!(
        names(s.team(o.admin, o.tom.worker).await.unwrap()),
        ["Chloé"]
    );
    assert!(matches!(
        s.team(o.sofia, o.tom.worker).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        s.team(o.anna, o.sofia.worker).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(
        names(s.visible_workers(o.sofia).await.unwrap()),
        ["Sofia", "Anna", "Ben"]
    );
    assert_eq!(names(s.visible_workers(o.ben).await.unwrap()), ["Ben"]);
    assert_eq!(names(s.teammates(o.anna.worker).await.unwrap()), ["Ben"]);
    assert_eq!(names(s.supervisors().await.unwrap()), ["Sofia", "Tom"]);

    // Only admins build teams, and a team is led by a supervisor or an admin.
    assert!(matches!(
        s.set_supervisor(o.sofia, o.chloe.worker, Some(o.sofia.worker))
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        s.set_supervisor(o.admin, o.chloe.worker, Some(o.anna.worker))
            .await,
        Err(Error::Invalid { .. })
    ));
    // Moving Anna to Tom's team moves who sees her records.
    s.set_supervisor(o.admin, o.anna.worker, Some(o.tom.worker))
        .await
        .unwrap();
    assert!(s.prompt(o.tom, id).await.is_ok());
    assert!(matches!(s.prompt(o.sofia, id).await, Err(Error::NotFound)));
}

async fn prompts_are_recorded_once_and_taken_once(location: Location) {
    let o = org(location).await;
    let s = &o.store;
    let raised = at("2026-11-23T10:00:00Z");
    let first = s
        .record_prompt(&prompt(o.anna.worker, "break:1:1790000000", raised))
        .await
        .unwrap();
    assert!(first.is_some());
    let again = s
        .record_prompt(&prompt(
            o.anna.worker,
            "break:1:1790000000",
            raised + 1.minute(),
        ))
        .await
        .unwrap();
    assert_eq!(again, None, "the same key is recorded once");
    assert_eq!(s.prompts(o.anna, None, None).await.unwrap().len(), 1);
    let id = first.unwrap();

    let taken = s
        .take_prompt(o.anna, id, raised + 10.minutes())
        .await
        .unwrap();
    assert_eq!(taken.taken_at, Some(raised + 10.minutes()));
    let still = s
        .take_prompt(o.sofia, id, raised + 20.minutes())
        .await
        .unwrap();
    assert_eq!(
        still.taken_at,
        Some(raised + 10.minutes()),
        "first time kept"
    );
    let not_dismissed = s
        .dismiss_prompt(o.anna, id, raised + 30.minutes())
        .await
        .unwrap();
    assert_eq!(
        not_dismissed.dismissed_at, None,
        "a taken prompt stays taken"
    );

    let other = s
        .record_prompt(&NewPrompt {
            kind: PromptKind::Debrief,
            key: "debrief:1:7:threat_to_worker".into(),
            ..prompt(o.anna.worker, "", raised + 1.hour())
        })
        .await
        .unwrap()
        .unwrap();
    let dismissed = s
        .dismiss_prompt(o.anna, other, raised + 2.hours())
        .await
        .unwrap();
    assert_eq!(dismissed.dismissed_at, Some(raised + 2.hours()));
    let recent = s
        .prompts(o.anna, Some(o.anna.worker), Some(raised + 30.minutes()))
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].kind, PromptKind::Debrief);
}

async fn absences_and_on_call_are_planned_by_the_team_lead(location: Location) {
    let o = org(location).await;
    let s = &o.store;
    let (first, last) = (date(2026, 12, 24), date(2026, 12, 26));
    let holiday = s
        .add_absence(o.sofia, o.anna.worker, first, last, AbsenceKind::Holiday)
        .await
        .unwrap();
    assert!(matches!(
        s.add_absence(o.anna, o.anna.worker, first, last, AbsenceKind::Absence)
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        s.add_absence(o.tom, o.anna.worker, first, last, AbsenceKind::Absence)
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        s.add_absence(o.sofia, o.anna.worker, last, first, AbsenceKind::Absence)
            .await,
        Err(Error::Invalid { .. })
    ));
    let mine = s.worker_absences(o.anna.worker).await.unwrap();
    assert_eq!(
        (mine.len(), mine[0].first_day, mine[0].last_day),
        (1, first, last)
    );
    assert_eq!(s.absences(o.anna, None).await.unwrap().len(), 1);
    assert!(s.absences(o.ben, None).await.unwrap().is_empty());
    assert!(s.absences(o.tom, None).await.unwrap().is_empty());
    assert!(matches!(
        s.delete_absence(o.tom, holiday).await,
        Err(Error::NotFound)
    ));
    s.delete_absence(o.admin, holiday).await.unwrap();
    assert!(s.worker_absences(o.anna.worker).await.unwrap().is_empty());

    // On call: Chloé (Tom's team) tonight, Ben (Sofia's team) overlapping.
    let (evening, morning) = (at("2026-11-23T16:00:00Z"), at("2026-11-24T08:00:00Z"));
    let chloe = s
        .add_on_call(o.tom, o.chloe.worker, evening, morning)
        .await
        .unwrap();
    s.add_on_call(o.sofia, o.ben.worker, evening, morning)
        .await
        .unwrap();
    assert!(matches!(
        s.add_on_call(o.sofia, o.chloe.worker, evening, morning)
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        s.add_on_call(o.tom, o.chloe.worker, morning, evening).await,
        Err(Error::Invalid { .. })
    ));
    let night = at("2026-11-23T21:30:00Z");
    let for_anna = s.on_call_at(night, Some(o.sofia.worker)).await.unwrap();
    assert_eq!(
        for_anna.iter().map(|s| s.worker).collect::<Vec<_>>(),
        [o.ben.worker, o.chloe.worker],
        "Anna's own team first"
    );
    assert!(
        s.on_call_at(morning, None).await.unwrap().is_empty(),
        "end excluded"
    );
    assert_eq!(
        s.on_call_at(evening, None).await.unwrap().len(),
        2,
        "start included"
    );
    assert_eq!(s.on_call(o.tom, evening, morning).await.unwrap().len(), 1);
    assert_eq!(s.on_call(o.admin, evening, morning).await.unwrap().len(), 2);
    assert!(matches!(
        s.delete_on_call(o.chloe, chloe).await,
        Err(Error::Forbidden)
    ));
    s.delete_on_call(o.tom, chloe).await.unwrap();
    assert_eq!(s.on_call_at(night, None).await.unwrap().len(), 1);
}

fn message(author: Author, sent_at: Timestamp, analysis: Option<serde_json::Value>) -> NewMessage {
    NewMessage {
        author,
        redacted_text: "…".into(),
        original_ciphertext: None,
        erase_original_after: None,
        analysis,
        sent_at,
    }
}

async fn notifications_wait_until_due_and_are_delivered_once(location: Location) {
    let o = org(location).await;
    let s = &o.store;
    let client = s.client("p1").await.unwrap();
    let conversation = s
        .conversation("c1", o.anna.worker, client, None)
        .await
        .unwrap();
    let sent = at("2026-11-23T21:30:00Z");
    let message = s
        .add_message(o.anna, conversation, &message(Author::Client, sent, None))
        .await
        .unwrap();
    let shift = at("2026-11-24T08:00:00Z");
    s.add_notification(
        o.anna,
        message,
        o.anna.worker,
        NotificationReason::Deferred,
        shift,
        false,
    )
    .await
    .unwrap();
    assert!(matches!(
        s.add_notification(
            o.ben,
            message,
            o.ben.worker,
            NotificationReason::Deferred,
            shift,
            false
        )
        .await,
        Err(Error::NotFound)
    ));
    assert!(s.claim_due_notifications(sent).await.unwrap().is_empty());
    assert!(
        s.notifications(o.anna, None, true)
            .await
            .unwrap()
            .is_empty(),
        "not told before the shift"
    );
    assert_eq!(
        s.notifications(o.sofia, None, false).await.unwrap().len(),
        1
    );
    let delivered = s.claim_due_notifications(shift).await.unwrap();
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        (
            delivered[0].worker,
            delivered[0].message,
            delivered[0].delivered_at
        ),
        (o.anna.worker, message, Some(shift))
    );
    assert!(
        s.claim_due_notifications(shift + 1.hour())
            .await
            .unwrap()
            .is_empty(),
        "delivered once"
    );
    assert_eq!(s.notifications(o.anna, None, true).await.unwrap().len(), 1);
    assert!(
        s.notifications(o.ben, None, false)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.notifications(o.tom, None, false)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        s.notifications(o.chloe, Some(o.anna.worker), false).await,
        Err(Error::NotFound)
    ));
}

async fn care_records_are_the_stored_rows_of_the_period(location: Location) {
    let o = org(location).await;
    let s = &o.store;
    let (from, until) = (at("2025-11-23T00:00:00Z"), at("2025-11-30T00:00:00Z"));
    let client = s.client("p1").await.unwrap();
    let annas = s
        .conversation("c-anna", o.anna.worker, client, None)
        .await
        .unwrap();
    let bens = s
        .conversation("c-ben", o.ben.worker, client, None)
        .await
        .unwrap();
    let threat =
        serde_json::json!({"signals": [{"category": "abuse.threat", "modality": "asserted"}]});
    // Two of Anna's client messages in the week, one before it, one of Ben's; a reply of hers.
    for (viewer, conversation, author, sent) in [
        (o.anna, annas, Author::Client, "2025-11-23T00:00:00Z"),
        (o.anna, annas, Author::Client, "2025-11-29T23:59:59Z"),
        (o.anna, annas, Author::Client, "2025-11-22T23:59:59Z"),
        (o.anna, annas, Author::Worker, "2025-11-24T19:00:00Z"),
        (o.ben, bens, Author::Client, "2025-11-24T10:00:00Z"),
    ] {
        s.add_message(
            viewer,
            conversation,
            &message(author, at(sent), Some(threat.clone())),
        )
        .await
        .unwrap();
    }
    for (due, kind) in [
        ("2025-11-24T10:00:00Z", CommitmentKind::Promise),
        ("2025-11-30T00:00:00Z", CommitmentKind::Promise),
        ("2025-11-25T10:00:00Z", CommitmentKind::FollowUp),
    ] {
        s.add_commitment(
            o.anna,
            annas,
            &NewCommitment {
                kind,
                message: None,
                what: "call back".into(),
                due_at: at(due),
                ambiguous: false,
            },
        )
        .await
        .unwrap();
    }
    let kept = s.commitments(o.anna, from).await.unwrap()[0].id;
    s.close_commitment(o.anna, kept, CommitmentStatus::Kept)
        .await
        .unwrap();
    let incident = s
        .add_incident(
            o.anna,
            annas,
            None,
            IncidentKind::Abuse,
            "high",
            "abuse.threat",
        )
        .await
        .unwrap();
    s.update_incident(
        o.sofia,
        incident,
        IncidentStatus::Resolved,
        "talked it through",
    )
    .await
    .unwrap();
    s.record_prompt(&prompt(
        o.anna.worker,
        "break:a",
        at("2025-11-25T10:00:00Z"),
    ))
    .await
    .unwrap();
    s.record_prompt(&prompt(
        o.anna.worker,
        "break:b",
        at("2025-12-01T10:00:00Z"),
    ))
    .await
    .unwrap();

    let records = s
        .care_records(o.sofia, o.anna.worker, from, until)
        .await
        .unwrap();
    assert_eq!(
        records.client_messages.len(),
        2,
        "start included, end excluded"
    );
    assert!(
        records
            .client_messages
            .iter()
            .all(|m| m.conversation == annas && m.analysis.as_ref() == Some(&threat))
    );
    assert_eq!(records.actions, [at("2025-11-24T19:00:00Z")]);
    assert_eq!(records.commitments.len(), 2);
    assert_eq!(records.commitments[0].status, CommitmentStatus::Kept);
    assert!(records.commitments[0].closed_at.is_some());
    assert_eq!(records.commitments[1].kind, CommitmentKind::FollowUp);
    // The incident was raised now, long after this week, so it is not in it.
    assert!(records.incidents.is_empty());
    let now = s
        .care_records(
            o.anna,
            o.anna.worker,
            Timestamp::now() - 1.hour(),
            Timestamp::now() + 1.hour(),
        )
        .await
        .unwrap();
    assert_eq!(now.incidents.len(), 1);
    assert_eq!(now.incidents[0].status, IncidentStatus::Resolved);
    assert!(now.incidents[0].resolved_at.is_some());
    assert_eq!(records.prompts.len(), 1);
    assert_eq!(records.prompts[0].key, "break:a");
}
