//! End-to-end tests of the `tact` binary on fixture files.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn tact(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("tact runs")
}

/// A fresh folder for one test's files.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tact-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn analyze_writes_one_json_line_per_message() {
    let o = tact(&[
        "analyze",
        "my email is zoe@example.fr",
        "call me on +34 660 508 503",
    ]);
    assert!(o.status.success(), "{o:?}");
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["pii"][0]["kind"], "EMAIL_ADDRESS");
    assert_eq!(lines[0]["pii"][0]["span"]["char_start"], 12);
    assert_eq!(lines[1]["pii"][0]["normalized"], "+34660508503");
}

#[test]
fn bad_lines_are_reported_and_the_rest_processed() {
    let file = fixture("messages.jsonl");
    let o = tact(&["analyze", "-f", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert_eq!(stdout(&o).lines().count(), 3);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("messages.jsonl:4: malformed JSON"), "{err}");
    assert!(
        err.contains("messages.jsonl:5: no string field \"text\""),
        "{err}"
    );

    let file = fixture("invalid_utf8.txt");
    let o = tact(&["analyze", "-f", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).lines().count(), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid_utf8.txt:2: not valid UTF-8"));
}

#[test]
fn redact_keeps_json_structure_and_conversation_numbering() {
    let file = fixture("messages.jsonl");
    let o = tact(&["redact", "-f", file.to_str().unwrap()]);
    let lines: Vec<String> = stdout(&o).lines().map(String::from).collect();
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(
        first["text"],
        "Hi, my name is <PERSON_1>, write to <EMAIL_1>"
    );
    assert_eq!(first["meta"]["channel"], "chat");
    assert_eq!(first["id"], "a");
    let second: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(second["text"], "Again, it is <EMAIL_1>, card <CARD_1>");
    assert_eq!(
        lines[2],
        "not json but a plain message with <PHONE_1> in it"
    );
}

#[test]
fn encrypt_and_unredact_round_trip_with_a_key_file() {
    let dir = scratch_dir("key");
    let key = dir.join("key");
    std::fs::write(
        &key,
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    )
    .unwrap();
    let text = "écrivez-moi à zoé@exemple.fr";
    let o = tact(&[
        "redact",
        "--operator",
        "encrypt",
        "--key-file",
        key.to_str().unwrap(),
        text,
    ]);
    let redacted = stdout(&o).trim().to_string();
    assert!(
        redacted.contains("{{tact:EMAIL_ADDRESS:") && !redacted.contains("zoé@"),
        "{redacted}"
    );
    let o = tact(&["unredact", "--key-file", key.to_str().unwrap(), &redacted]);
    assert_eq!(stdout(&o).trim(), text);
    let o = tact(&["redact", "--operator", "hash", text]);
    assert_eq!(o.status.code(), Some(2), "hash without a key must refuse");
}

#[test]
fn hostile_or_broken_resource_files_are_refused_with_file_and_line() {
    let dir = fixture("hostile");
    let o = tact(&["--resources", dir.to_str().unwrap(), "analyze", "hello"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("hostile/en/org.toml:5:"), "{err}");
    assert!(err.contains("limit"), "{err}");

    let dir = fixture("broken");
    let o = tact(&["resources", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken/en/org.toml:8:") && err.contains("unknown category \"emotion.angr\""),
        "{err}"
    );
}

#[test]
fn eval_scores_a_span_file() {
    let dir = scratch_dir("eval");
    let file = dir.join("gold.jsonl");
    std::fs::write(&file, "{\"id\":\"1\",\"lang\":\"en\",\"text\":\"mail a@b.fr now\",\"spans\":[{\"start\":5,\"end\":11,\"label\":\"EMAIL_ADDRESS\"}]}\n{\"id\":\"2\",\"lang\":\"en\",\"text\":\"order 4111111111111112\",\"spans\":[]}\n").unwrap();
    let out = dir.join("report.json");
    let o = tact(&[
        "eval",
        file.to_str().unwrap(),
        "--json",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(report["labels"]["EMAIL_ADDRESS"]["exact"]["f1"], 1.0);
    assert_eq!(report["messages"], 2);
}

#[test]
fn eval_scores_a_file_labelled_per_message_through_the_mapping() {
    let file = fixture("labelled.jsonl");
    let out = scratch_dir("eval-labels").join("report.json");
    let o = tact(&[
        "eval",
        file.to_str().unwrap(),
        "--set",
        "goemotions",
        "--given-lang",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(report["labels"]["gratitude"]["tp"], 1);
    assert_eq!(report["labels"]["gratitude"]["fp"], 0);
    assert_eq!(report["labels"]["anger"]["tp"], 1);
    assert_eq!(report["labels"]["anger"]["fn"], 1);
    let o = tact(&["eval", file.to_str().unwrap(), "--set", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no label mapping for \"nope\""));
}

#[test]
fn analyze_follows_a_conversation_and_the_workers_hours() {
    let file = fixture("conversation.jsonl");
    let o = tact(&[
        "analyze",
        "-f",
        file.to_str().unwrap(),
        "--hours",
        "mon-fri 09:00-17:00",
        "--tz",
        "Europe/Paris",
    ]);
    // The last line's sent_at is not a time: reported, the rest processed.
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("conversation.jsonl:7"));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    let trend = |i: usize| lines[i]["escalation"]["trend"].as_str().map(str::to_owned);
    assert_eq!(trend(0).as_deref(), Some("steady"));
    assert_eq!(
        trend(1),
        None,
        "a worker's line does not count toward escalation"
    );
    assert_eq!(trend(2).as_deref(), Some("rising"));
    assert_eq!(
        lines[3]["escalation"]["client_turns"], 1,
        "another conversation"
    );
    assert_eq!(trend(4).as_deref(), Some("rising"));
    assert_eq!(trend(5).as_deref(), Some("calming"));
    let after_hours = |i: usize| {
        lines[i]["signals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["category"] == "crossing.after_hours")
    };
    assert!(!after_hours(0));
    assert!(after_hours(3), "22:40 is outside 09:00-17:00");
}

#[test]
fn advise_offers_replies_from_the_organisations_profile() {
    let org = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/org.toml");
    let o = tact(&[
        "advise",
        "--org",
        org.to_str().unwrap(),
        "My boyfriend hits me and I'm scared to go home",
    ]);
    assert!(o.status.success(), "{o:?}");
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let actions = line["advice"]["actions"].as_array().unwrap();
    let referral = actions
        .iter()
        .find(|a| a["kind"] == "referral")
        .expect("a referral");
    assert_eq!(referral["resource"]["name"], "Safe Homes Network");
    assert!(
        referral["reply"]["text"]
            .as_str()
            .unwrap()
            .contains("0800 150 150")
    );
    assert!(actions.iter().any(|a| a["kind"] == "redact_before_storing"));
}

#[test]
fn coach_scores_a_draft_and_resolves_its_promise_in_the_workers_zone() {
    let o = tact(&[
        "coach",
        "--tz",
        "Europe/Paris",
        "--at",
        "2026-11-18T14:00",
        "--client",
        "You charged me twice, this is a disgrace!",
        "Calm down. I'll call you back on Friday.",
    ]);
    assert!(o.status.success(), "{o:?}");
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let coach = &line["coach"];
    let verdict = |name: &str| {
        coach["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["criterion"] == name)
            .map(|c| c["verdict"].as_str().unwrap().to_owned())
    };
    assert_eq!(verdict("apology").as_deref(), Some("missed"));
    assert!(
        coach["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["flag"] == "defensive")
    );
    let promise = &coach["commitments"][0];
    assert_eq!(promise["due"], "2026-11-20T17:00:00");
    assert_eq!(promise["due_utc"], "2026-11-20T16:00:00Z");
    assert!(coach["score"].as_u64().unwrap() < 50);
}

/// Reads `tact conversation` JSON for one fixture.
fn conversation(file: &str, extra: &[&str]) -> serde_json::Value {
    let path = fixture(file);
    let mut args = vec![
        "conversation",
        "--lang",
        "en",
        "--tz",
        "Africa/Johannesburg",
        "--started",
        "2026-11-18T14:00",
    ];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let o = tact(&args);
    assert!(o.status.success(), "{o:?}");
    serde_json::from_str::<serde_json::Value>(stdout(&o).trim()).unwrap()["conversation"].clone()
}

#[test]
fn timed_calls_read_the_same_from_webvtt_and_amazon_transcribe() {
    let vtt = conversation("call.vtt", &[]);
    let aws = conversation("call.transcribe.json", &[]);
    for c in [&vtt, &aws] {
        let timing = &c["timing"];
        // The worker's "mm-hmm" is a back-channel; starting 0.2 s before the client finished is
        // turn-taking; cutting in 3 s early over the client is the one interruption.
        assert_eq!(timing["backchannels"], 1, "{timing}");
        let interruptions = timing["interruptions"].as_array().unwrap();
        assert_eq!(interruptions.len(), 1, "{timing}");
        assert_eq!(interruptions[0]["at"], 19.0);
        assert_eq!(timing["overtalk_seconds"], 3.0);
        assert_eq!(timing["silences"].as_array().unwrap().len(), 1);
        assert_eq!(c["turns"][0]["role"], "worker");
        assert!(
            c["turns"][2]["coach"].is_null(),
            "a back-channel is not coached"
        );
        assert_eq!(c["commitments"][0]["due"], "2026-11-18T16:00:00");
    }
    assert_eq!(vtt["criteria_met"], aws["criteria_met"]);
}

#[test]
fn a_chat_conversation_tracks_escalation_and_what_the_worker_met() {
    let c = conversation("chat.json", &[]);
    assert!(c["timing"].is_null(), "untimed chat has no timing");
    assert_eq!(c["turns"][2]["escalation"], "rising");
    let met: Vec<&str> = c["criteria_met"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for criterion in [
        "thanks_opening",
        "apology",
        "present_action",
        "time_frame",
        "anything_else",
        "thanks_closing",
    ] {
        assert!(met.contains(&criterion), "{criterion} not in {met:?}");
    }
    assert_eq!(c["commitments"][0]["due"], "2026-11-20T17:00:00");
}

#[test]
fn advise_defers_after_hours_messages_first() {
    let org = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/org.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["advise", "--org", org.to_str().unwrap(), "--hours", "mon-fri 08:00-16:30", "--tz", "Africa/Johannesburg"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(
                b"{\"text\": \"Can you help me with my rent arrears?\", \"sent_at\": \"2026-11-23T22:40\"}\n",
            )?;
            child.wait_with_output()
        })
        .expect("tact runs");
    assert!(o.status.success(), "{o:?}");
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let first = &line["advice"]["actions"][0];
    assert_eq!(first["kind"], "after_hours_reply");
    assert!(
        first["reply"]["text"]
            .as_str()
            .unwrap()
            .contains("weekdays from 8:00 to 16:30")
    );
}

#[test]
fn serve_answers_on_localhost_with_a_fresh_sqlite_store() {
    let dir = scratch_dir("serve");
    let db = dir.join("cases.sqlite");
    let server = support::Server::start(db.to_str().unwrap());
    let key = server
        .admin_key
        .clone()
        .expect("the admin key is printed at first start");
    let (status, body) = server.request(
        "POST",
        "/v1/analyse",
        &key,
        r#"{"text": "my email is zoe@example.fr", "language": "en"}"#,
    );
    let logs = server.kill();
    assert!(
        logs.contains("\"route\":\"/v1/analyse\""),
        "one structured line per request: {logs}"
    );
    assert!(
        !logs.contains("zoe@") && !logs.contains(&key),
        "no personal data or key in the logs"
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("EMAIL_ADDRESS"), "{body}");
    assert!(db.exists(), "the store file is created on first start");
}

#[test]
fn serve_reads_a_configuration_file_and_refuses_a_wrong_one() {
    let dir = scratch_dir("serve-config");
    let db = dir.join("from-config.sqlite");
    std::fs::write(dir.join("path-token"), "a-path-token-of-20-chars\n").unwrap();
    let config = dir.join("tact.toml");
    std::fs::write(
        &config,
        format!(
            "database = {:?}\norganisation = \"Thusa\"\n[chatwoot]\npath_token_file = \"path-token\"\n",
            db.display().to_string()
        ),
    )
    .unwrap();
    let server = support::Server::start_with(&["--config", config.to_str().unwrap()]);
    let key = server.admin_key.clone().unwrap();
    let (status, _) = server.request(
        "POST",
        "/v1/integrations/chatwoot/a-path-token-of-20-chars",
        &key,
        "{}",
    );
    assert_ne!(status, 404, "the webhook path comes from the secret file");
    let logs = server.kill();
    assert!(db.exists(), "the database comes from the file");
    assert!(!logs.contains("a-path-token"), "secrets are not logged");

    std::fs::write(&config, "bind = \"127.0.0.1:0\"\nrentention_days = 3\n").unwrap();
    let o = tact(&["serve", "--config", config.to_str().unwrap()]);
    assert!(!o.status.success());
    let error = String::from_utf8_lossy(&o.stderr);
    assert!(
        error.contains("tact.toml") && error.contains("rentention_days"),
        "{error}"
    );
}
