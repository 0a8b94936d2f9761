//! The store against a real SQLite file and a real PostgreSQL database, the same scenarios on
//! both: one story of a conversation with its incident and
//! promise, the rule that a worker sees only their own cases (ids guessed included), the
//! append-only audit log, retention of originals, the directory's review cycle, and a reopen that
//! finds everything where it was.

use jiff::{Timestamp, ToSpan};
use tact_store::*;

#[macro_use]
mod support;

on_both_backends!(
    "store":
    a_conversation_its_incident_and_its_promise_survive_a_reopen,
    a_worker_sees_only_their_own_cases_whatever_the_id,
    the_audit_log_records_reads_and_refuses_to_be_rewritten,
    originals_are_erased_after_their_retention,
    the_directory_keeps_its_review_cycle,
    keys_are_kept_as_digests_and_name_their_holder,
    alerts_reach_every_listener,
    notes_wait_in_the_outbox_until_delivered,
    escalations_and_referrals_stay_with_their_conversation,
    web_sessions_end_on_sign_out_expiry_and_revocation,
    overviews_keep_to_what_the_viewer_may_see,
);

fn message(author: Author, text: &str) -> NewMessage {
    NewMessage {
        author,
        redacted_text: text.into(),
        original_ciphertext: None,
        erase_original_after: None,
        analysis: None,
        sent_at: Timestamp::now(),
    }
}

fn commitment(kind: CommitmentKind, due_at: Timestamp) -> NewCommitment {
    NewCommitment {
        kind,
        message: None,
        what: "call back".into(),
        due_at,
        ambiguous: false,
    }
}

async fn a_conversation_its_incident_and_its_promise_survive_a_reopen(location: Location) {
    let (anna, lerato, conversation, promise) = {
        let store = Store::open(location.clone()).await.unwrap();
        if store.backend() == Backend::Sqlite {
            assert_eq!(store.journal_mode().await.unwrap().as_deref(), Some("wal"));
        }
        let anna = store
            .add_worker(
                "Anna",
                Role::Worker,
                "Africa/Johannesburg",
                Some("mon-fri 08:00-16:30"),
            )
            .await
            .unwrap();
        let lerato = store
            .add_worker("Lerato", Role::Supervisor, "Africa/Johannesburg", None)
            .await
            .unwrap();
        let client = store.client("chatwoot:contact:881").await.unwrap();
        assert_eq!(
            store.client("chatwoot:contact:881").await.unwrap(),
            client,
            "one client per pseudonym"
        );
        let conversation = store
            .conversation("chatwoot:42", anna, client, Some("en"))
            .await
            .unwrap();
        let me = Viewer {
            worker: anna,
            role: Role::Worker,
        };
        let first = store
            .add_message(
                me,
                conversation,
                &message(
                    Author::Client,
                    "My name is <PERSON_1> and my husband hits me",
                ),
            )
            .await
            .unwrap();
        store
            .add_message(
                me,
                conversation,
                &message(Author::Worker, "I'll call you back by Friday."),
            )
            .await
            .unwrap();
        store
            .add_incident(
                me,
                conversation,
                Some(first),
                IncidentKind::UrgentDisclosure,
                "high",
                "disclosure.domestic_violence",
            )
            .await
            .unwrap();
        let promise = store
            .add_commitment(
                me,
                conversation,
                &commitment(CommitmentKind::Promise, Timestamp::now() + 2.hours()),
            )
            .await
            .unwrap();
        (anna, lerato, conversation, promise)
    };
    // Reopen: migrations are idempotent and everything is there.
    let store = Store::open(location).await.unwrap();
    let anna_view = Viewer {
        worker: anna,
        role: Role::Worker,
    };
    let messages = store.messages(anna_view, conversation).await.unwrap();
    assert_eq!(messages.len(), 2);
    assert!(messages[0].redacted_text.contains("<PERSON_1>"));
    let supervisor = Viewer {
        worker: lerato,
        role: Role::Supervisor,
    };
    let incidents = store
        .incidents(supervisor, Some(IncidentStatus::Open))
        .await
        .unwrap();
    assert_eq!(incidents.len(), 1);
    let handled = store
        .update_incident(
            supervisor,
            incidents[0].id,
            IncidentStatus::Resolved,
            "called the client",
        )
        .await
        .unwrap();
    assert_eq!(
        (handled.status, handled.handled_by),
        (IncidentStatus::Resolved, Some(lerato))
    );
    // A promise past its due time reads as late until it is closed.
    let later = Timestamp::now() + 3.hours();
    let commitments = store.commitments(anna_view, later).await.unwrap();
    assert_eq!(commitments[0].status, CommitmentStatus::Late);
    store
        .close_commitment(anna_view, promise, CommitmentStatus::Kept)
        .await
        .unwrap();
    assert_eq!(
        store.commitments(anna_view, later).await.unwrap()[0].status,
        CommitmentStatus::Kept
    );
}

async fn a_worker_sees_only_their_own_cases_whatever_the_id(location: Location) {
    let store = Store::open(location).await.unwrap();
    let anna = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let ben = store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let client = store.client("c1").await.unwrap();
    let annas = store
        .conversation("conv-a", anna, client, None)
        .await
        .unwrap();
    let a = Viewer {
        worker: anna,
        role: Role::Worker,
    };
    let b = Viewer {
        worker: ben,
        role: Role::Worker,
    };
    store
        .add_message(a, annas, &message(Author::Client, "hello"))
        .await
        .unwrap();
    let incident = store
        .add_incident(a, annas, None, IncidentKind::Abuse, "high", "abuse.insult")
        .await
        .unwrap();
    let follow_up = store
        .add_commitment(
            a,
            annas,
            &commitment(CommitmentKind::FollowUp, Timestamp::now()),
        )
        .await
        .unwrap();
    // Ben gets the same answer for Anna's records as for records that do not exist.
    assert!(matches!(
        store.messages(b, annas).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store.messages(b, 9_999).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store
            .add_message(b, annas, &message(Author::Worker, "x"))
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store
            .update_incident(b, incident, IncidentStatus::Resolved, "")
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store
            .close_commitment(b, follow_up, CommitmentStatus::Kept)
            .await,
        Err(Error::NotFound)
    ));
    assert!(store.incidents(b, None).await.unwrap().is_empty());
    assert!(
        store
            .commitments(b, Timestamp::now())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.audit_log(b, 10).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(store.incidents(a, None).await.unwrap().len(), 1);
}

async fn the_audit_log_records_reads_and_refuses_to_be_rewritten(location: Location) {
    let store = Store::open(location).await.unwrap();
    let anna = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let admin = store
        .add_worker("Root", Role::Admin, "UTC", None)
        .await
        .unwrap();
    let client = store.client("c1").await.unwrap();
    let conversation = store.conversation("c", anna, client, None).await.unwrap();
    let a = Viewer {
        worker: anna,
        role: Role::Worker,
    };
    store.messages(a, conversation).await.unwrap();
    let log = store
        .audit_log(
            Viewer {
                worker: admin,
                role: Role::Admin,
            },
            50,
        )
        .await
        .unwrap();
    assert!(log.iter().any(|e| e.actor == Some(anna)
        && e.action == "read"
        && e.target == format!("conversation:{conversation}")));
    assert!(
        store
            .execute_raw("UPDATE audit_log SET detail = 'x'")
            .await
            .is_err()
    );
    assert!(store.execute_raw("DELETE FROM audit_log").await.is_err());
}

async fn originals_are_erased_after_their_retention(location: Location) {
    let store = Store::open(location).await.unwrap();
    let anna = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let client = store.client("c1").await.unwrap();
    let conversation = store.conversation("c", anna, client, None).await.unwrap();
    let a = Viewer {
        worker: anna,
        role: Role::Worker,
    };
    let mut kept = message(Author::Client, "my card is <CREDIT_CARD_1>");
    kept.original_ciphertext = Some("ENC:v1:…".into());
    kept.erase_original_after = Some(Timestamp::now() + (30 * 24).hours());
    store.add_message(a, conversation, &kept).await.unwrap();
    assert_eq!(
        store
            .erase_expired_originals(Timestamp::now())
            .await
            .unwrap(),
        0
    );
    assert!(store.messages(a, conversation).await.unwrap()[0].has_original);
    assert_eq!(
        store
            .erase_expired_originals(Timestamp::now() + (31 * 24).hours())
            .await
            .unwrap(),
        1
    );
    assert!(!store.messages(a, conversation).await.unwrap()[0].has_original);
}

async fn the_directory_keeps_its_review_cycle(location: Location) {
    let store = Store::open(location).await.unwrap();
    let admin = store
        .add_worker("Root", Role::Admin, "UTC", None)
        .await
        .unwrap();
    let worker = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let admin = Viewer {
        worker: admin,
        role: Role::Admin,
    };
    // The store keeps moments to the second.
    let now = Timestamp::from_second(Timestamp::now().as_second()).unwrap();
    let mut entry = Resource {
        id: 0,
        name: "Safe Homes Network".into(),
        categories: vec!["domestic_violence".into()],
        languages: vec!["en".into(), "af".into()],
        regions: vec!["ZA".into()],
        contact: "0800 150 150".into(),
        opening_hours: Some("24/7".into()),
        notes: String::new(),
        last_verified: Some(now - (200 * 24).hours()),
        review_days: 180,
    };
    entry.id = store.save_resource(admin, &entry).await.unwrap();
    assert_eq!(store.resources_due_for_review(now).await.unwrap().len(), 1);
    entry.last_verified = Some(now);
    store.save_resource(admin, &entry).await.unwrap();
    assert!(
        store
            .resources_due_for_review(now)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.resources().await.unwrap(), vec![entry.clone()]);
    let worker = Viewer {
        worker,
        role: Role::Worker,
    };
    assert!(matches!(
        store.save_resource(worker, &entry).await,
        Err(Error::Forbidden)
    ));
}

async fn keys_are_kept_as_digests_and_name_their_holder(location: Location) {
    let store = Store::open(location).await.unwrap();
    let admin_key = store
        .bootstrap_admin()
        .await
        .unwrap()
        .expect("the first start makes an admin");
    assert!(
        store.bootstrap_admin().await.unwrap().is_none(),
        "only once"
    );
    // Replicas starting together on an empty store: still one admin.
    let fresh = Store::open_memory().await.unwrap();
    let other = fresh.clone();
    let (first, second) = tokio::join!(fresh.bootstrap_admin(), other.bootstrap_admin());
    assert_eq!(
        [first.unwrap(), second.unwrap()].iter().flatten().count(),
        1
    );
    let admin = store.viewer_for_key(&admin_key).await.unwrap();
    assert_eq!(admin.role, Role::Admin);
    let anna = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let key = store.create_api_key(anna).await.unwrap();
    assert_eq!(
        store.viewer_for_key(&key).await.unwrap(),
        Viewer {
            worker: anna,
            role: Role::Worker
        }
    );
    assert!(matches!(
        store.viewer_for_key("tact_guess").await,
        Err(Error::NotFound)
    ));
    // Only digests are kept: no stored value starts like a key.
    assert_eq!(
        store
            .execute_raw("UPDATE api_keys SET revoked_at = NULL WHERE key_digest LIKE 'tact_%'")
            .await
            .unwrap(),
        0,
        "no key is stored in the clear"
    );
    // A worker opens a conversation by its channel id; another worker cannot reach it.
    let ben = store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let a = Viewer {
        worker: anna,
        role: Role::Worker,
    };
    let b = Viewer {
        worker: ben,
        role: Role::Worker,
    };
    let id = store
        .conversation_for(a, "chat-1", "client-9", Some("en"))
        .await
        .unwrap();
    assert_eq!(
        store
            .conversation_for(a, "chat-1", "client-9", None)
            .await
            .unwrap(),
        id
    );
    assert!(matches!(
        store.conversation_for(b, "chat-1", "client-9", None).await,
        Err(Error::NotFound)
    ));
}

async fn alerts_reach_every_listener(location: Location) {
    let store = Store::open(location).await.unwrap();
    let Some(mut listener) = store.listen_alerts().await.unwrap() else {
        assert!(!store.alerts_cross_replicas(), "SQLite delivers in-process");
        assert!(store.publish_alert("{}").await.is_err());
        return;
    };
    // A second handle on the same database stands for another replica.
    let other = store.clone();
    other.publish_alert(r#"{"kind":"abuse"}"#).await.unwrap();
    let heard = tokio::time::timeout(std::time::Duration::from_secs(10), listener.recv())
        .await
        .expect("the alert arrives")
        .unwrap();
    assert_eq!(heard, r#"{"kind":"abuse"}"#);
    assert!(store.publish_alert(&"x".repeat(10_000)).await.is_err());
}

async fn notes_wait_in_the_outbox_until_delivered(location: Location) {
    use jiff::SignedDuration;
    let store = Store::open(location).await.unwrap();
    let id = store
        .enqueue_note("chatwoot", "accounts/1/conversations/7", "tact: guidance")
        .await
        .unwrap();
    let now = Timestamp::now() + 1.second();
    let lease = SignedDuration::from_secs(60);
    let claimed = store
        .claim_due_notes("chatwoot", now, lease, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].address, "accounts/1/conversations/7");
    // Another replica finds nothing to take while the lease runs.
    assert!(
        store
            .claim_due_notes("chatwoot", now, lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .claim_due_notes("other", now, lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // A failure is retried when due, not before.
    let retry_at = now + 30.seconds();
    store
        .note_failed(id, "503 Service Unavailable", Some(retry_at))
        .await
        .unwrap();
    assert!(
        store
            .claim_due_notes("chatwoot", now, lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store
        .claim_due_notes("chatwoot", retry_at, lease, 10)
        .await
        .unwrap();
    assert_eq!(again[0].attempts, 1);
    store.note_sent(id, retry_at).await.unwrap();
    let note = store.outbox_note(id).await.unwrap();
    assert_eq!((note.status.as_str(), note.attempts), ("sent", 2));
    assert_eq!(
        store.outbox_counts().await.unwrap(),
        OutboxCounts {
            pending: 0,
            sent: 1,
            failed: 0
        }
    );
    // A refusal gives up and says why.
    let refused = store
        .enqueue_note("chatwoot", "accounts/1/conversations/8", "x")
        .await
        .unwrap();
    store
        .note_failed(refused, "401 Unauthorized", None)
        .await
        .unwrap();
    let note = store.outbox_note(refused).await.unwrap();
    assert_eq!(
        (note.status.as_str(), note.last_error.as_deref()),
        ("failed", Some("401 Unauthorized"))
    );
}

async fn escalations_and_referrals_stay_with_their_conversation(location: Location) {
    let store = Store::open(location).await.unwrap();
    let anna = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let ben = store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let lerato = store
        .add_worker("Lerato", Role::Supervisor, "UTC", None)
        .await
        .unwrap();
    let (a, b) = (
        Viewer {
            worker: anna,
            role: Role::Worker,
        },
        Viewer {
            worker: ben,
            role: Role::Worker,
        },
    );
    let supervisor = Viewer {
        worker: lerato,
        role: Role::Supervisor,
    };
    let annas = store
        .conversation_for(a, "esc-a", "c1", None)
        .await
        .unwrap();
    let bens = store
        .conversation_for(b, "esc-b", "c2", None)
        .await
        .unwrap();
    let incident = store
        .add_incident(a, annas, None, IncidentKind::Abuse, "high", "abuse.threat")
        .await
        .unwrap();
    let escalation = store
        .escalate(
            a,
            annas,
            Some(incident),
            Some(lerato),
            "threatened me twice",
        )
        .await
        .unwrap();
    // Another conversation's incident, someone else's conversation, no reason: refused.
    assert!(matches!(
        store.escalate(b, bens, Some(incident), None, "x").await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store.escalate(b, annas, None, None, "x").await,
        Err(Error::NotFound)
    ));
    assert!(store.escalate(a, annas, None, None, " ").await.is_err());
    assert_eq!(store.escalations(a).await.unwrap()[0].id, escalation);
    assert!(store.escalations(b).await.unwrap().is_empty());
    assert_eq!(store.escalations(supervisor).await.unwrap().len(), 1);

    let admin = Viewer {
        worker: lerato,
        role: Role::Admin,
    };
    let shelter = store
        .save_resource(
            admin,
            &Resource {
                id: 0,
                name: "Shelter".into(),
                categories: vec!["domestic_violence".into()],
                languages: vec![],
                regions: vec![],
                contact: "0800 000 000".into(),
                opening_hours: None,
                notes: String::new(),
                last_verified: None,
                review_days: 90,
            },
        )
        .await
        .unwrap();
    // A client's message calls for the shelter: tact suggests it, once per conversation.
    let disclosure = store
        .add_message(a, annas, &message(Author::Client, "he hits me"))
        .await
        .unwrap();
    let suggested = store
        .suggest_referral(a, disclosure, shelter, "disclosure.domestic_violence")
        .await
        .unwrap()
        .expect("a first suggestion");
    assert_eq!(
        store
            .suggest_referral(a, disclosure, shelter, "disclosure.domestic_violence")
            .await
            .unwrap(),
        None,
        "suggested once"
    );
    assert!(matches!(
        store.suggest_referral(b, disclosure, shelter, "x").await,
        Err(Error::NotFound)
    ));
    let pending = store.conversation_referrals(a, annas).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].status, ReferralStatus::Suggested);
    assert_eq!(pending[0].message, Some(disclosure));
    assert_eq!(pending[0].offered_at, None);
    // The worker offers it: the suggestion becomes the offer, not a second referral.
    let offered_at: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
    let offered = store
        .add_referral(
            a,
            annas,
            shelter,
            "disclosure.domestic_violence",
            offered_at,
        )
        .await
        .unwrap();
    assert_eq!(offered, suggested);
    let referrals = store.referrals(a).await.unwrap();
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0].resource, shelter);
    assert_eq!(referrals[0].status, ReferralStatus::Offered);
    assert_eq!(referrals[0].offered_at, Some(offered_at));
    assert!(referrals[0].suggested_at.is_some());
    assert!(
        store
            .add_referral(a, annas, 9_999, "x", offered_at)
            .await
            .is_err()
    );
    assert!(matches!(
        store.add_referral(b, annas, shelter, "x", offered_at).await,
        Err(Error::NotFound)
    ));
    assert!(store.referrals(b).await.unwrap().is_empty());
    assert!(matches!(
        store.conversation_referrals(b, annas).await,
        Err(Error::NotFound)
    ));
}

async fn web_sessions_end_on_sign_out_expiry_and_revocation(location: Location) {
    let store = Store::open(location).await.unwrap();
    let worker = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let key = store.create_api_key(worker).await.unwrap();
    let now = Timestamp::now();
    assert!(matches!(
        store.start_web_session("tact_guess", now).await,
        Err(Error::NotFound)
    ));
    let (cookie, session) = store.start_web_session(&key, now).await.unwrap();
    assert_eq!(session.viewer.worker, worker);
    assert_eq!(session.name, "Anna");
    assert_eq!(session.csrf.len(), 64);
    assert_ne!(cookie, key, "the cookie is not the key");
    let found = store.web_session(&cookie, now).await.unwrap().unwrap();
    assert_eq!(found, session);
    assert_eq!(
        store.web_session(&cookie, now + 13.hours()).await.unwrap(),
        None,
        "expired after a working day"
    );
    store.end_web_session(&cookie).await.unwrap();
    assert_eq!(store.web_session(&cookie, now).await.unwrap(), None);
    store.end_web_session(&cookie).await.unwrap();

    let (cookie, _) = store.start_web_session(&key, now).await.unwrap();
    store.revoke_api_keys(worker).await.unwrap();
    assert_eq!(
        store.web_session(&cookie, now).await.unwrap(),
        None,
        "revoking the keys ends the sessions"
    );
}

async fn overviews_keep_to_what_the_viewer_may_see(location: Location) {
    let store = Store::open(location).await.unwrap();
    let anna = store
        .add_worker("Anna", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let ben = store
        .add_worker("Ben", Role::Worker, "UTC", None)
        .await
        .unwrap();
    let (a, b) = (
        Viewer {
            worker: anna,
            role: Role::Worker,
        },
        Viewer {
            worker: ben,
            role: Role::Worker,
        },
    );
    let supervisor = Viewer {
        worker: anna,
        role: Role::Supervisor,
    };
    let annas = store
        .conversation_for(a, "o-1", "p-1", Some("en"))
        .await
        .unwrap();
    let quiet = store.conversation_for(a, "o-2", "p-2", None).await.unwrap();
    let bens = store.conversation_for(b, "o-3", "p-3", None).await.unwrap();
    store
        .add_message(a, annas, &message(Author::Client, "hello"))
        .await
        .unwrap();
    store
        .add_message(b, bens, &message(Author::Client, "hi"))
        .await
        .unwrap();
    store
        .add_incident(a, annas, None, IncidentKind::Abuse, "high", "abuse.insult")
        .await
        .unwrap();
    let mine = store.conversation_summaries(a).await.unwrap();
    assert_eq!(
        mine.iter().map(|c| c.id).collect::<Vec<_>>(),
        [annas, quiet],
        "active first, silent last"
    );
    assert_eq!((mine[0].messages, mine[0].open_incidents), (1, 1));
    assert_eq!(mine[0].worker_name, "Anna");
    assert_eq!(mine[0].language.as_deref(), Some("en"));
    assert!(mine[1].last_message_at.is_none());
    assert_eq!(
        store
            .conversation_summaries(supervisor)
            .await
            .unwrap()
            .len(),
        3
    );

    let now = Timestamp::now();
    for (viewer, conversation, due) in [
        (a, annas, now - 1.hour()),
        (a, annas, now + 1.hour()),
        (b, bens, now + 1.hour()),
    ] {
        store
            .add_commitment(
                viewer,
                conversation,
                &NewCommitment {
                    kind: CommitmentKind::Promise,
                    message: None,
                    what: "call back".into(),
                    due_at: due,
                    ambiguous: false,
                },
            )
            .await
            .unwrap();
    }
    let annas_promises = store.promises_by_worker(a, now).await.unwrap();
    assert_eq!(annas_promises.len(), 1);
    assert_eq!((annas_promises[0].open, annas_promises[0].overdue), (1, 1));
    let team = store.promises_by_worker(supervisor, now).await.unwrap();
    assert_eq!(
        team.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Anna", "Ben"]
    );
}
