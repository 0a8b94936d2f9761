//! Faults against the real `tact serve` process: SIGKILL in the middle of a burst of ingests
//! loses no message that was acknowledged (SQLite and PostgreSQL), a database that goes away
//! gives 503 with a clear body and is recovered from without a restart, and a 50 MB body is
//! refused before it is read.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Server, postgres_scratch, request};

fn scratch_sqlite(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("tact-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("cases.sqlite").display().to_string()
}

fn ingest_body(writer: usize, n: usize) -> String {
    serde_json::json!({
        "conversation": format!("burst-{writer}"),
        "client": format!("client-{writer}"),
        "author": "client",
        "language": "en",
        "text": format!("note number {n} of writer {writer}: I cannot pay the rent this month"),
    })
    .to_string()
}

/// Four writers ingest as fast as they can; the server is killed with SIGKILL mid-burst; after a
/// restart on the same database every acknowledged message is there.
fn no_acknowledged_message_is_lost(db: &str) {
    let server = Server::start(db);
    let key = server.admin_key.clone().expect("first start");
    let acknowledged: Arc<Mutex<Vec<(usize, usize, i64)>>> = Arc::default();
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let address = server.address.clone();
            let key = key.clone();
            let acknowledged = acknowledged.clone();
            std::thread::spawn(move || {
                for n in 0.. {
                    let (status, body) = request(
                        &address,
                        "POST",
                        "/v1/ingest",
                        &key,
                        &ingest_body(writer, n),
                    );
                    if status != 200 {
                        return;
                    }
                    let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
                    let conversation = reply["conversation"].as_i64().unwrap();
                    acknowledged.lock().unwrap().push((writer, n, conversation));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    server.kill();
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 20,
        "a real burst: {} acknowledged",
        acknowledged.len()
    );
    eprintln!(
        "{db}: {} ingests acknowledged before SIGKILL",
        acknowledged.len()
    );

    let restarted = Server::start(db);
    assert!(restarted.admin_key.is_none());
    for writer in 0..4 {
        let mine: Vec<_> = acknowledged.iter().filter(|a| a.0 == writer).collect();
        let Some(conversation) = mine.first().map(|a| a.2) else {
            continue;
        };
        let (status, body) = restarted.request(
            "GET",
            &format!("/v1/conversations/{conversation}/messages"),
            &key,
            "",
        );
        assert_eq!(status, 200, "{body}");
        for (_, n, _) in mine {
            assert!(
                body.contains(&format!("note number {n} of writer {writer}:")),
                "acknowledged message {n} of writer {writer} lost"
            );
        }
    }
}

#[test]
fn sigkill_during_a_burst_loses_no_acknowledged_message_on_sqlite() {
    no_acknowledged_message_is_lost(&scratch_sqlite("sigkill"));
}

#[test]
fn sigkill_during_a_burst_loses_no_acknowledged_message_on_postgres() {
    if let Some(url) = postgres_scratch("cli_sigkill") {
        no_acknowledged_message_is_lost(&url);
    }
}

/// A TCP relay to the database that the test can cut and restore: the network between tact and
/// PostgreSQL failing, without touching the server other tests share.
struct Cable {
    port: u16,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Cable {
    fn to(target: String) -> Cable {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (flag, streams) = (up.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let mut list = streams.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let mut buffer = [0u8; 16 * 1024];
                        while let Ok(n) = from.read(&mut buffer) {
                            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Cable { port, up, open }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// Polls until `request` answers `status`, for at most `limit`.
fn until_status(
    limit: Duration,
    status: u16,
    mut request: impl FnMut() -> (u16, String),
) -> String {
    let started = Instant::now();
    loop {
        let (got, body) = request();
        if got == status {
            return body;
        }
        assert!(
            started.elapsed() < limit,
            "still {got} after {limit:?}: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_database_that_goes_away_gives_503_and_is_recovered_from() {
    let Some(url) = postgres_scratch("cli_db_down") else {
        return;
    };
    // postgres://user@host:port/db → the same through the cable.
    let (head, rest) = url.split_once('@').unwrap();
    let (host, tail) = rest.split_once('/').unwrap();
    let cable = Cable::to(host.to_string());
    let proxied = format!("{head}@127.0.0.1:{}/{tail}", cable.port);
    let server = Server::start(&proxied);
    let key = server.admin_key.clone().unwrap();
    let (status, body) = server.request("POST", "/v1/ingest", &key, &ingest_body(0, 0));
    assert_eq!(status, 200, "{body}");

    cable.cut();
    let body = until_status(Duration::from_secs(20), 503, || {
        server.request("POST", "/v1/ingest", &key, &ingest_body(0, 1))
    });
    assert!(body.contains("\"code\":\"unavailable\""), "{body}");
    assert!(body.contains("database"), "a clear reason: {body}");
    until_status(Duration::from_secs(20), 503, || {
        server.request("GET", "/readyz", "", "")
    });
    // Stateless endpoints need no database: a key seen in the last half minute goes on working.
    let (status, _) = server.request("POST", "/v1/analyse", &key, r#"{"text": "hello"}"#);
    assert_eq!(status, 200, "analysis does not need the database");

    cable.restore();
    until_status(Duration::from_secs(30), 200, || {
        server.request("GET", "/readyz", "", "")
    });
    let (status, body) = server.request("POST", "/v1/ingest", &key, &ingest_body(0, 2));
    assert_eq!(status, 200, "recovered without a restart: {body}");
}

#[test]
fn a_fifty_megabyte_body_is_refused_before_it_is_read() {
    let server = Server::start(&scratch_sqlite("huge"));
    let key = server.admin_key.clone().unwrap();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let length = 50 << 20;
    write!(
        stream,
        "POST /v1/analyse HTTP/1.1\r\nHost: tact\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{\"text\": \""
    )
    .unwrap();
    // Write and read at once: the server answers 413 and closes long before 50 MB, and the
    // answer must be read before the connection is reset.
    let mut writer = stream.try_clone().unwrap();
    let sending = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..50 {
            if writer.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let mut response = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buffer[..n]);
    }
    let _ = stream.shutdown(Shutdown::Both);
    sending.join().unwrap();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("body_too_large"), "{response}");
    let (status, _) = server.request("GET", "/healthz", "", "");
    assert_eq!(status, 200, "the server is unharmed");
}
