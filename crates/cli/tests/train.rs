//! `tact train` as a trainee meets it: in a real terminal (tmux), keys sent one reply at a time
//! and the screen read back, through a whole scenario to its end and report. Skipped, saying
//! so, where tmux is not installed (`.ci/run` installs it).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> Output {
    Command::new("tmux").args(args).output().expect("tmux runs")
}

/// Everything the pane shows, its scroll-back included.
fn screen(session: &str) -> String {
    String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", session]).stdout)
        .into_owned()
}

/// Waits until the screen shows `text` (at most 30 seconds), and returns it.
fn wait_for(session: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let shown = screen(session);
        if shown.contains(text) {
            return shown;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the screen never showed {text:?}:\n{shown}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Ends the tmux session when the test ends, passed or not.
struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

#[test]
fn a_trainee_plays_a_scenario_to_its_end_in_a_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let session = Session(format!("tact-train-{}", std::process::id()));
    let binary = env!("CARGO_BIN_EXE_tact");
    let report = std::env::temp_dir().join(format!("tact-train-{}.json", std::process::id()));
    let command = format!(
        "{binary} train money-request --lang en --report {}; echo TRAINING-OVER; sleep 60",
        report.display()
    );
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &session.0,
        "-x",
        "80",
        "-y",
        "40",
        &command,
    ]);
    assert!(started.status.success(), "{started:?}");

    let shown = wait_for(&session.0, "You:");
    assert!(shown.contains("Mr Daniels"), "the persona first:\n{shown}");
    assert!(shown.contains("lend me twenty pounds"), "{shown}");
    let replies = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/train/money-request.good.txt"),
    )
    .unwrap();
    let replies_typed = replies.clone();
    let mut replies = replies.lines();
    let hint = replies.next().unwrap();
    tmux(&["send-keys", "-t", &session.0, "-l", hint]);
    tmux(&["send-keys", "-t", &session.0, "Enter"]);
    wait_for(&session.0, "Hint: ");
    tmux(&["send-keys", "-t", &session.0, "-l", replies.next().unwrap()]);
    tmux(&["send-keys", "-t", &session.0, "Enter"]);
    let shown = wait_for(&session.0, "I didn't know I could just go there");
    assert!(
        shown.contains("Coach: "),
        "feedback after the reply:\n{shown}"
    );
    tmux(&["send-keys", "-t", &session.0, "-l", replies.next().unwrap()]);
    tmux(&["send-keys", "-t", &session.0, "Enter"]);
    let shown = wait_for(&session.0, "TRAINING-OVER");

    assert!(shown.contains("== End: referred (good) =="), "{shown}");
    assert!(shown.contains("What to practise next"), "{shown}");
    // What tact prints fits 80 columns (the trainee's own typing wraps as the terminal likes).
    let typed: Vec<&str> = replies_typed.lines().collect();
    for line in shown.lines().filter(|l| !typed.contains(&l.trim())) {
        assert!(
            line.chars().count() <= 80,
            "wider than the terminal: {line:?}"
        );
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("the report is written")).unwrap();
    assert_eq!(report["end"]["id"], "referred", "{report}");
    assert_eq!(report["turns"].as_array().unwrap().len(), 2);
}
