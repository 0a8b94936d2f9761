//! Running `tact serve` as a real process for end-to-end tests: start it, find its address and
//! first-start admin key on stderr, speak plain HTTP/1.1 to it, stop it gently or with SIGKILL.

#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A fresh PostgreSQL database for a test that runs the server as a process, or `None` (said on
/// stderr) when no test server is configured: `tact_store::testing::postgres_scratch` for
/// synchronous tests.
pub fn postgres_scratch(test: &str) -> Option<String> {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(tact_store::testing::postgres_scratch(test))
}

/// A `tact serve` process.
pub struct Server {
    child: Child,
    /// What it logs, read continuously: a full pipe would block the server.
    logs: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// `127.0.0.1:port`.
    pub address: String,
    /// The admin key printed at first start, if this process printed one.
    pub admin_key: Option<String>,
}

impl Server {
    /// Starts `tact serve` on a free loopback port over `db` (a file or a URL) and waits until it
    /// says where it listens.
    pub fn start(db: &str) -> Server {
        Server::start_with(&["--db", db])
    }

    /// Starts `tact serve` on a free loopback port with these further arguments.
    pub fn start_with(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tact"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .env_remove("TACT_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tact serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let mut admin_key = None;
        while !line.contains("http://") {
            line.clear();
            if stderr.read_line(&mut line).unwrap() == 0 {
                let status = child.wait().unwrap();
                panic!("tact serve ended before listening: {status}");
            }
            if line.trim().starts_with("tact_") {
                admin_key = Some(line.trim().to_string());
            }
        }
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let logs: Arc<Mutex<String>> = Arc::default();
        let reader = {
            let logs = logs.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                while stderr.read_line(&mut line).unwrap_or(0) > 0 {
                    logs.lock().unwrap().push_str(&line);
                    line.clear();
                }
            })
        };
        Server {
            child,
            logs,
            reader: Some(reader),
            address,
            admin_key,
        }
    }

    /// Sends one request and returns the status code and body.
    pub fn request(&self, method: &str, path: &str, key: &str, body: &str) -> (u16, String) {
        request(&self.address, method, path, key, body)
    }

    /// Kills the process without warning (SIGKILL) and returns what it logged.
    pub fn kill(mut self) -> String {
        self.child.kill().ok();
        self.child.wait().ok();
        if let Some(reader) = self.reader.take() {
            reader.join().ok();
        }
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// One HTTP/1.1 request on a fresh connection; `(0, error)` when the server cannot be reached.
pub fn request(address: &str, method: &str, path: &str, key: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return (0, "connection refused".into());
    };
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok();
    let sent = write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if sent.is_err() {
        return (0, "connection lost while sending".into());
    }
    let mut response = String::new();
    if stream.read_to_string(&mut response).is_err() {
        return (0, "connection lost while reading".into());
    }
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string());
    (status, body)
}

/// An open server-sent events stream.
pub struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    /// Opens `path` as an event stream and reads past the response head; panics unless 200.
    pub fn open(address: &str, path: &str, key: &str) -> EventStream {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        while line != "\r\n" {
            line.clear();
            reader.read_line(&mut line).unwrap();
        }
        EventStream { reader }
    }

    /// The next `event:` name and its `data:` line, skipping keep-alive comments and chunk sizes.
    pub fn next_event(&mut self) -> (String, String) {
        let mut event = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            let read = self
                .reader
                .read_line(&mut line)
                .expect("an event before the timeout");
            assert!(read > 0, "the event stream ended");
            let line = line.trim_end();
            if let Some(name) = line.strip_prefix("event:") {
                event = name.trim().to_string();
            } else if let Some(data) = line.strip_prefix("data:") {
                return (event, data.trim().to_string());
            }
        }
    }
}
