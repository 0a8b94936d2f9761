//! Two `tact serve` processes on one PostgreSQL database: an alert raised through one reaches a
//! supervisor listening on the other (LISTEN/NOTIFY), as it must for an organisation running
//! several replicas behind a load balancer.

mod support;

use support::{EventStream, Server, postgres_scratch};

#[test]
fn an_alert_raised_on_one_replica_reaches_a_supervisor_on_the_other() {
    let Some(url) = postgres_scratch("cli_replicas") else {
        return;
    };
    // Both replicas start at once on the empty database: exactly one makes the admin.
    let other = {
        let url = url.clone();
        std::thread::spawn(move || Server::start(&url))
    };
    let mut first = Server::start(&url);
    let mut second = other.join().unwrap();
    if first.admin_key.is_none() {
        std::mem::swap(&mut first, &mut second);
    }
    let admin = first
        .admin_key
        .clone()
        .expect("one start prints the admin key");
    assert!(
        second.admin_key.is_none(),
        "the admin is made once per store"
    );

    let mut alerts = EventStream::open(&second.address, "/v1/alerts", &admin);
    let (status, body) = first.request(
        "POST",
        "/v1/ingest",
        &admin,
        r#"{"conversation": "chat-77", "client": "client-5", "author": "client", "language": "en",
            "text": "I can't go on, I want to kill myself tonight"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let (event, data) = alerts.next_event();
    assert_eq!(event, "urgent_disclosure", "{data}");
    let alert: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert!(
        alert["summary"].as_str().unwrap().contains("self_harm"),
        "{alert}"
    );
    assert!(
        !data.contains("kill myself"),
        "alerts carry no message text"
    );
}
