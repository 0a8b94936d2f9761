//! Training sessions on both back-ends: a session started, saved turn by turn and finished
//! survives a reopen and shows in progress and its summary; a finished session or a stale save
//! is refused; a worker sees and plays only their own sessions, supervisors see everyone's but
//! play only their own.

use tact_store::*;

#[macro_use]
mod support;

on_both_backends!(
    "training":
    a_session_is_saved_finished_and_summarised_across_a_reopen,
    a_worker_sees_only_their_own_training_and_supervisors_see_all,
);

fn viewer(worker: i64, role: Role) -> Viewer {
    Viewer { worker, role }
}

fn good(score: u8) -> Finished {
    Finished {
        end_state: "referred".into(),
        outcome: TrainingOutcome::Good,
        average_score: score,
    }
}

async fn a_session_is_saved_finished_and_summarised_across_a_reopen(location: Location) {
    let (anna, session) = {
        let store = Store::open(location.clone()).await.unwrap();
        let anna = store
            .add_worker("Anna", Role::Worker, "UTC", None)
            .await
            .unwrap();
        let me = viewer(anna, Role::Worker);
        let session = store
            .start_training(me, "money-request", "en", r#"{"turns":[]}"#)
            .await
            .unwrap();
        let started = store.training_session(me, session).await.unwrap();
        assert_eq!(started.state_json, r#"{"turns":[]}"#);
        assert_eq!(started.record.scenario, "money-request");
        assert_eq!(started.record.language, "en");
        assert_eq!(started.record.turns, 0);
        assert_eq!(started.record.finished_at, None);

        store
            .save_training(me, session, r#"{"turns":[1]}"#, 1, None)
            .await
            .unwrap();
        // A save with no more turns than the last one lost a race: refused, not overwritten.
        assert!(matches!(
            store
                .save_training(me, session, r#"{"stale":true}"#, 1, None)
                .await,
            Err(Error::Invalid {
                field: "training_session",
                ..
            })
        ));
        store
            .save_training(me, session, r#"{"turns":[1,2]}"#, 2, Some(&good(84)))
            .await
            .unwrap();
        // Once finished, nothing more is saved.
        assert!(matches!(
            store
                .save_training(me, session, r#"{"turns":[1,2,3]}"#, 3, None)
                .await,
            Err(Error::Invalid { .. })
        ));
        // A score over 100 is not a score.
        let other = store
            .start_training(me, "self-harm", "de", "{}")
            .await
            .unwrap();
        assert!(matches!(
            store
                .save_training(me, other, "{}", 1, Some(&good(101)))
                .await,
            Err(Error::Invalid { .. })
        ));
        (anna, session)
    };

    let store = Store::open(location).await.unwrap();
    let me = viewer(anna, Role::Worker);
    let read = store.training_session(me, session).await.unwrap();
    assert_eq!(read.state_json, r#"{"turns":[1,2]}"#);
    assert_eq!(read.record.turns, 2);
    assert_eq!(read.record.end_state.as_deref(), Some("referred"));
    assert_eq!(read.record.outcome, Some(TrainingOutcome::Good));
    assert_eq!(read.record.average_score, Some(84));
    assert!(read.record.finished_at.unwrap() >= read.record.started_at);

    // A second, poorer round of the same scenario.
    let again = store
        .start_training(me, "money-request", "en", "{}")
        .await
        .unwrap();
    store
        .save_training(
            me,
            again,
            "{}",
            1,
            Some(&Finished {
                end_state: "lent-money".into(),
                outcome: TrainingOutcome::Poor,
                average_score: 30,
            }),
        )
        .await
        .unwrap();

    let progress = store.training_progress(me, None).await.unwrap();
    assert_eq!(progress.len(), 3, "two finished and one in progress");
    assert_eq!(progress[0].id, again, "newest first");
    assert!(progress.iter().any(|r| r.finished_at.is_none()));

    let summaries = store.training_summary(me, None).await.unwrap();
    assert_eq!(summaries.len(), 1);
    let summary = &summaries[0];
    assert_eq!((summary.worker, summary.name.as_str()), (anna, "Anna"));
    assert_eq!(summary.sessions_started, 3);
    assert_eq!(summary.sessions_finished, 2);
    assert_eq!((summary.outcomes.good, summary.outcomes.poor), (1, 1));
    assert_eq!(summary.average_score, Some(57.0));
    assert_eq!(summary.scenarios.len(), 1);
    let money = &summary.scenarios[0];
    assert_eq!(money.scenario, "money-request");
    assert_eq!((money.best_score, money.latest_score), (84, 30));
    assert_eq!(money.latest_outcome, TrainingOutcome::Poor);
    let trend = summary.trend.as_ref().unwrap();
    assert_eq!(trend.direction, TrendDirection::New);
    assert_eq!(trend.recent_sessions, 2);
}

async fn a_worker_sees_only_their_own_training_and_supervisors_see_all(location: Location) {
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
    let (anna_v, ben_v, lerato_v) = (
        viewer(anna, Role::Worker),
        viewer(ben, Role::Worker),
        viewer(lerato, Role::Supervisor),
    );
    let annas = store
        .start_training(anna_v, "money-request", "en", "{}")
        .await
        .unwrap();
    store
        .save_training(anna_v, annas, "{}", 2, Some(&good(90)))
        .await
        .unwrap();
    let bens = store
        .start_training(ben_v, "self-harm", "en", "{}")
        .await
        .unwrap();

    // Ben: Anna's session, her progress and her summary are not there for him, and he cannot
    // play her session; an id that does not exist reads the same.
    assert!(matches!(
        store.training_session(ben_v, annas).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store.training_session(ben_v, 999_999).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store.save_training(ben_v, annas, "{}", 3, None).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store.training_progress(ben_v, Some(anna)).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        store.training_summary(ben_v, Some(anna)).await,
        Err(Error::NotFound)
    ));
    let own = store.training_progress(ben_v, None).await.unwrap();
    assert_eq!(own.iter().map(|r| r.id).collect::<Vec<_>>(), [bens]);
    assert_eq!(
        store.training_progress(ben_v, Some(ben)).await.unwrap(),
        own
    );

    // The supervisor: anyone's session, one worker's progress, or everyone's summary (those
    // without training too), but not playing someone else's session.
    let read = store.training_session(lerato_v, annas).await.unwrap();
    assert_eq!(read.record.worker, anna);
    assert!(matches!(
        store.save_training(lerato_v, bens, "{}", 1, None).await,
        Err(Error::NotFound)
    ));
    let annas_progress = store.training_progress(lerato_v, Some(anna)).await.unwrap();
    assert_eq!(
        annas_progress.iter().map(|r| r.id).collect::<Vec<_>>(),
        [annas]
    );
    assert_eq!(
        store.training_progress(lerato_v, None).await.unwrap().len(),
        2
    );
    let team = store.training_summary(lerato_v, None).await.unwrap();
    assert_eq!(
        team.iter()
            .map(|s| (s.name.as_str(), s.sessions_started, s.sessions_finished))
            .collect::<Vec<_>>(),
        [("Anna", 1, 1), ("Ben", 1, 0), ("Lerato", 0, 0)]
    );
    assert!(matches!(
        store.training_summary(lerato_v, Some(999_999)).await,
        Err(Error::NotFound)
    ));

    // Reads of training are audited like every other read.
    let audit = store.audit_log(lerato_v, 100).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "read" && e.target == format!("training_session:{annas}")),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == "create" && e.target == format!("training_session:{annas}"))
    );
}
