//! What every store test file shares: a scratch SQLite file per scenario, and the macro that
//! runs each scenario on both back-ends.

use tact_store::Location;

/// A fresh SQLite file for one scenario of one test file (`file` keeps files' names apart).
pub fn sqlite_scratch(file: &str, name: &str) -> Location {
    let dir = std::env::temp_dir().join(format!("tact-{file}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Location::SqliteFile(dir.join("tact.sqlite"))
}

/// Runs each scenario (an `async fn(Location)`) once on a SQLite file and once on a fresh
/// PostgreSQL database, skipped and saying so when no test server is configured. `$file` names
/// the test file, so scratch files and databases of different files never collide.
macro_rules! on_both_backends {
    ($file:literal: $($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $scenario() {
                super::$scenario(super::support::sqlite_scratch($file, stringify!($scenario))).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $scenario() {
                let name = concat!($file, "_", stringify!($scenario));
                if let Some(url) = tact_store::testing::postgres_scratch(name).await {
                    super::$scenario(tact_store::Location::Postgres(url)).await
                }
            })*
        }
    };
}
