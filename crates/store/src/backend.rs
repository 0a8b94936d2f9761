//! Opening the database: which back-end a location names, how each is tuned, and its migrations.
//!
//! Both back-ends are driven through sqlx's `Any` driver, so the store's queries are written once
//! in the SQL both understand (numbered `$1` parameters, `RETURNING`, `ON CONFLICT`) and only the
//! schema migrations differ per back-end.

use crate::Result;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Which database holds the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: one file (or memory), one process.
    Sqlite,
    /// A server shared by several replicas; alerts travel between them by LISTEN/NOTIFY.
    Postgres,
}

/// Where to find the database, as given in configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created on first open.
    SqliteFile(std::path::PathBuf),
    /// A private in-memory SQLite database.
    SqliteMemory,
    /// A PostgreSQL URL (`postgres://user@host/db`).
    Postgres(String),
}

impl Location {
    /// Reads a database setting: a `postgres://` or `postgresql://` URL, `sqlite::memory:`, a
    /// `sqlite://path` URL, or a plain file path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_string())
        } else if text == "sqlite::memory:" || text == ":memory:" {
            Location::SqliteMemory
        } else if let Some(path) = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
        {
            Location::SqliteFile(path.into())
        } else {
            Location::SqliteFile(text.into())
        }
    }

    /// The location with any password hidden, for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            Location::SqliteFile(path) => path.display().to_string(),
            Location::SqliteMemory => "sqlite::memory:".into(),
            Location::Postgres(url) => redact_password(url),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Percent-encodes the characters a SQLite URL would misread in a file path.
fn sqlite_url(path: &Path) -> String {
    let mut url = String::from("sqlite://");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' | ' ' => url.push_str(&format!("%{:02X}", c as u32)),
            c => url.push(c),
        }
    }
    url.push_str("?mode=rwc");
    url
}

/// Opens the pool for `location` and brings its schema up to date.
pub(crate) async fn connect(location: &Location) -> Result<(AnyPool, Backend)> {
    sqlx::any::install_default_drivers();
    let (url, backend) = match location {
        Location::SqliteFile(path) => (sqlite_url(path), Backend::Sqlite),
        Location::SqliteMemory => ("sqlite::memory:".to_string(), Backend::Sqlite),
        Location::Postgres(url) => (url.clone(), Backend::Postgres),
    };
    let options = AnyConnectOptions::from_str(&url)?;
    let pool_options = match location {
        Location::SqliteFile(_) => AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(|connection, _| {
                Box::pin(async move {
                    // Durable on commit, foreign keys enforced, writers wait for each other.
                    connection
                        .execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    Ok(())
                })
            }),
        // Each connection to `:memory:` would be its own database: keep exactly one, forever.
        Location::SqliteMemory => AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(|connection, _| {
                Box::pin(async move {
                    connection.execute("PRAGMA foreign_keys = ON;").await?;
                    Ok(())
                })
            }),
        Location::Postgres(_) => AnyPoolOptions::new()
            .max_connections(16)
            // A database that does not answer is reported quickly, not waited on.
            .acquire_timeout(Duration::from_secs(3)),
    };
    let pool = pool_options.connect_with(options).await?;
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    Ok((pool, backend))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_from_what_people_write() {
        assert_eq!(
            Location::parse("tact.sqlite"),
            Location::SqliteFile("tact.sqlite".into())
        );
        assert_eq!(
            Location::parse("sqlite:///var/lib/tact.db"),
            Location::SqliteFile("/var/lib/tact.db".into())
        );
        assert_eq!(Location::parse("sqlite::memory:"), Location::SqliteMemory);
        assert_eq!(
            Location::parse("postgresql://tact@db/tact"),
            Location::Postgres("postgresql://tact@db/tact".into())
        );
    }

    #[test]
    fn passwords_never_reach_a_log() {
        let location = Location::parse("postgres://tact:s3cret@db:5432/tact");
        assert_eq!(location.redacted(), "postgres://tact:***@db:5432/tact");
        assert!(!location.redacted().contains("s3cret"));
        assert_eq!(
            Location::parse("postgres://tact@db/tact").redacted(),
            "postgres://tact@db/tact"
        );
    }

    #[test]
    fn odd_file_names_survive_the_url() {
        assert_eq!(
            sqlite_url(Path::new("/tmp/a b/c#1.sqlite")),
            "sqlite:///tmp/a%20b/c%231.sqlite?mode=rwc"
        );
    }
}
