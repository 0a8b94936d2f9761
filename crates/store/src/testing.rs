//! Scratch databases for tests of this crate and the ones built on it; not for callers.
//!
//! PostgreSQL tests run when `TACT_TEST_POSTGRES_URL` names a server where the user may create
//! databases (`.ci/run` starts one and sets it); without it they say they are skipped.

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};
use std::str::FromStr;

/// The variable naming the PostgreSQL server tests may use.
pub const POSTGRES_URL_VAR: &str = "TACT_TEST_POSTGRES_URL";

/// A fresh, empty PostgreSQL database named after the test, or `None` (with a note on stderr)
/// when no test server is configured. Panics when one is configured but cannot be used, so a
/// broken CI set-up fails instead of silently skipping.
pub async fn postgres_scratch(test: &str) -> Option<String> {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
        eprintln!("skipped: PostgreSQL test `{test}` ({POSTGRES_URL_VAR} is not set)");
        return None;
    };
    let name: String = format!("tact_test_{test}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let admin = PgConnectOptions::from_str(&admin_url)
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR} is not a PostgreSQL URL: {e}"));
    let mut connection = sqlx::PgConnection::connect_with(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server: {e}"));
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        connection
            .execute(sqlx::AssertSqlSafe(statement))
            .await
            .unwrap_or_else(|e| panic!("preparing the test database {name}: {e}"));
    }
    let _ = connection.close().await;
    Some(admin.database(&name).to_url_lossy().to_string())
}
