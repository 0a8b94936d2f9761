//! `tact serve`: the JSON API on localhost with the case store in a SQLite file, with no
//! configuration needed.

use crate::input::Outcome;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Options of `tact serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; localhost only by default.
    #[arg(
        long,
        default_value = "127.0.0.1:7878",
        env = "TACT_BIND",
        value_name = "ADDR"
    )]
    bind: SocketAddr,
    /// The SQLite file of the case store, created and migrated on first start.
    #[arg(
        long,
        default_value = "tact.sqlite",
        env = "TACT_DB",
        value_name = "FILE"
    )]
    db: PathBuf,
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    // Structured logs on stderr, JSON lines; `RUST_LOG=warn` quiets them.
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let engine = Arc::new(crate::resources::load_engine(resources)?);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = tact_store::Store::open_sqlite(&args.db)
            .await
            .with_context(|| format!("cannot open the case store {}", args.db.display()))?;
        if let Some(key) = store.bootstrap_admin().await? {
            eprintln!(
                "tact: first start: the admin's API key, shown this once (only its digest is kept):\n{key}"
            );
        }
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        eprintln!(
            "tact: serving on http://{} (case store {}); Ctrl-C stops",
            listener.local_addr()?,
            args.db.display()
        );
        tact_server::serve(listener, tact_server::AppState::new(engine, store)).await?;
        Ok(Outcome::default())
    })
}
