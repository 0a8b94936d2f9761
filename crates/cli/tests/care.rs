//! `tact report weekly` and `tact exposure` end to end: the seeded demo organisation's week as
//! a page and as JSON (no database), and a real store read as its administrator.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn tact(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(args)
        .env_remove("TACT_DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("tact runs")
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tact-care-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_demo_week_is_a_page_and_a_document_that_agree() {
    let dir = scratch_dir("demo");
    let page = dir.join("week.html");
    let o = tact(&[
        "report",
        "weekly",
        "--demo",
        "--format",
        "html",
        "--out",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        !html.contains("<script"),
        "a self-contained page without scripts"
    );

    let o = tact(&["report", "weekly", "--demo", "--format", "json"]);
    assert!(o.status.success(), "{o:?}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let expected = tact_wellbeing::demo::organisation().report().unwrap();
    assert_eq!(
        report,
        expected.to_json(),
        "the same seeded week every time"
    );
    assert_eq!(report["workers"].as_array().unwrap().len(), 4);
    assert_eq!(report["week_start"], "2026-03-23");
    for worker in report["workers"].as_array().unwrap() {
        let name = worker["name"].as_str().unwrap();
        assert!(html.contains(name), "{name} is on the page");
    }
    // The page shows the document's team totals.
    let due = report["totals"]["promises"]["due"].as_u64().unwrap();
    assert!(html.contains(&due.to_string()));

    let o = tact(&["report", "weekly", "--demo", "--team", "3"]);
    assert!(!o.status.success(), "the demo has no database to narrow");
}

#[test]
fn a_store_is_read_as_its_administrator() {
    let dir = scratch_dir("store");
    let db = dir.join("cases.sqlite");
    let (sofia, anna) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use tact_store::*;
        let store = Store::open_sqlite(&db).await.unwrap();
        store.bootstrap_admin().await.unwrap();
        let admin = store.workers().await.unwrap()[0].id;
        let admin = Viewer {
            worker: admin,
            role: Role::Admin,
        };
        let sofia = store
            .add_worker("Sofia", Role::Supervisor, "Europe/Paris", None)
            .await
            .unwrap();
        let anna = store
            .add_worker(
                "Anna",
                Role::Worker,
                "Europe/Paris",
                Some("mon-fri 09:00-17:00"),
            )
            .await
            .unwrap();
        store
            .add_worker("Ben", Role::Worker, "Europe/Paris", None)
            .await
            .unwrap();
        store
            .set_supervisor(admin, anna, Some(sofia))
            .await
            .unwrap();
        (sofia, anna)
    });
    let db = db.to_str().unwrap();

    let o = tact(&["exposure", "--db", db, "--days", "14"]);
    assert!(o.status.success(), "{o:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "every worker with the worker role");
    assert_eq!(lines[0]["worker"], anna);
    assert_eq!(lines[0]["days"], 14);
    assert_eq!(lines[0]["rolling"]["score"], 0);

    let o = tact(&[
        "report",
        "weekly",
        "--db",
        db,
        "--team",
        &sofia.to_string(),
        "--week",
        "2026-11-16",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{o:?}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["team"], "Sofia's team");
    assert_eq!(report["workers"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["from"], "2026-11-15T23:00:00Z",
        "Monday 00:00 in Paris"
    );

    let o = tact(&["report", "weekly", "--db", db, "--week", "2026-11-18"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("Monday"),
        "{o:?}"
    );
    let missing = scratch_dir("missing").join("none.sqlite");
    let o = tact(&["exposure", "--db", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no case store"));
    assert!(!missing.exists(), "reading does not create a store");
}
