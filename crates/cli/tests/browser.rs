//! The web interface end to end in a real browser: `tact serve` as a process, seeded through the
//! API from `browser/seed.json`, then `browser/run.mjs` drives Debian's headless Chromium through
//! it with Playwright (sign-in, console, coaching, follow-up, live alert, access, keyboard,
//! right-to-left, page weight, axe-core). Screenshots go to `target/browser-artifacts/`.
//!
//! It needs node, a Chromium and `npm ci --prefix crates/cli/tests/browser`; `.ci/run` provides
//! all three. Without them the test says so and passes, as the PostgreSQL tests do without a
//! database.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use support::Server;

/// Where the script, its npm packages and the seed live.
fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tools(chromium: &Path) -> Option<String> {
    let Ok(node) = Command::new("node").arg("--version").output() else {
        return Some("node is not installed".into());
    };
    // playwright-core (package-lock.json) needs Node.js 20 or later.
    let version = String::from_utf8_lossy(&node.stdout);
    let major: u32 = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Some(format!("node {} is older than 20", version.trim()));
    }
    if !chromium.exists() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    if !browser_dir().join("node_modules/playwright-core").is_dir() {
        return Some("crates/cli/tests/browser/node_modules is missing (npm ci)".into());
    }
    None
}

/// A JSON API call that must succeed; its answer.
fn call(server: &Server, path: &str, key: &str, body: &Value) -> Value {
    let (status, answer) = server.request("POST", path, key, &body.to_string());
    assert_eq!(status, 200, "POST {path} {body}: {answer}");
    serde_json::from_str(&answer).unwrap_or_else(|_| panic!("POST {path}: not JSON: {answer}"))
}

#[test]
fn the_web_interface_works_in_a_real_browser() {
    let chromium = PathBuf::from(
        std::env::var("TACT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    if let Some(why) = missing_tools(&chromium) {
        println!("skipped: {why} (.ci/run installs what the browser test needs)");
        return;
    }

    let dir = std::env::temp_dir().join(format!("tact-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::start(&dir.join("cases.sqlite").display().to_string());
    let admin = server
        .admin_key
        .clone()
        .expect("a fresh store prints the admin key");

    // The people, the directory and the conversations the script expects (see seed.json).
    let seed: Value =
        serde_json::from_str(&std::fs::read_to_string(browser_dir().join("seed.json")).unwrap())
            .unwrap();
    let mut keys = std::collections::HashMap::new();
    for (who, worker) in seed["workers"].as_object().unwrap() {
        let made = call(&server, "/v1/workers", &admin, worker);
        keys.insert(who.clone(), made["key"].as_str().unwrap().to_string());
    }
    for resource in seed["resources"].as_array().unwrap() {
        call(&server, "/v1/resources", &admin, resource);
    }
    let mut conversations = std::collections::HashMap::new();
    for message in seed["messages"].as_array().unwrap() {
        let key = &keys[message["worker"].as_str().unwrap()];
        let body = json!({
            "conversation": message["conversation"], "client": message["client"],
            "author": message["author"], "language": message["language"], "text": message["text"],
        });
        let ingested = call(&server, "/v1/ingest", key, &body);
        conversations.insert(
            message["name"].as_str().unwrap().to_string(),
            ingested["conversation"].to_string(),
        );
    }

    // Screenshots are artifacts of the run, kept under target/ (never committed).
    let artifacts = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("browser-artifacts");
    // The seeded demo organisation's weekly report (issue 7), as `tact report weekly --demo`
    // writes it, for the browser to show, screenshot and check.
    std::fs::create_dir_all(&artifacts).unwrap();
    let weekly = artifacts.join("weekly-demo.html");
    let demo = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["report", "weekly", "--demo", "--out"])
        .arg(&weekly)
        .output()
        .expect("tact runs");
    assert!(demo.status.success(), "{demo:?}");
    let started = Instant::now();
    let run = Command::new("node")
        .arg(browser_dir().join("run.mjs"))
        .current_dir(browser_dir())
        .env("TACT_URL", format!("http://{}", server.address))
        .env("TACT_WORKER_KEY", &keys["anna"])
        .env("TACT_SUPERVISOR_KEY", &keys["sam"])
        .env("TACT_CONVERSATION", &conversations["disclosure"])
        .env("TACT_ARABIC_CONVERSATION", &conversations["arabic"])
        .env("TACT_OTHER_CONVERSATION", &conversations["other"])
        .env("TACT_ARTIFACTS", &artifacts)
        .env("TACT_WEEKLY_DEMO", &weekly)
        .env("TACT_CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    println!("{}", String::from_utf8_lossy(&run.stdout));
    eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    println!("browser run took {:.1} s", started.elapsed().as_secs_f64());
    let logs = server.kill();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        run.status.success(),
        "the browser checks failed ({}); server log:\n{logs}",
        run.status
    );
}
