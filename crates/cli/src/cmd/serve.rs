//! `tact serve`: the JSON API on localhost with the case store in a SQLite file, with no
//! configuration needed; a PostgreSQL URL instead for several replicas.

use crate::input::Outcome;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::Path;
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
    /// The case store, created and migrated on first start: a SQLite file, or a PostgreSQL URL
    /// (`postgres://tact@db/tact`) for several replicas sharing one store and its alerts. Give
    /// a URL with a password through the environment, not the command line.
    #[arg(
        long,
        default_value = "tact.sqlite",
        env = "TACT_DATABASE_URL",
        value_name = "FILE|URL"
    )]
    db: String,
    /// The organisation's name: it scopes the ids of exported records (HSDS services, vCons),
    /// so two organisations' exports never collide.
    #[arg(
        long,
        default_value = "tact",
        env = "TACT_ORGANISATION",
        value_name = "NAME"
    )]
    organisation: String,
    /// The tact worker the Chatwoot integration acts as (default: the first admin). Chatwoot is
    /// connected by the environment only, so secrets stay out of process listings:
    /// `TACT_CHATWOOT_PATH_TOKEN` (the secret part of `/v1/integrations/chatwoot/<token>`, 16
    /// characters or more), `TACT_CHATWOOT_SIGNING_SECRET` (when Chatwoot signs),
    /// `TACT_CHATWOOT_ACCOUNTS` (the account ids taken, comma-separated; default any), and, to
    /// post guidance back as private notes, `TACT_CHATWOOT_URL` and `TACT_CHATWOOT_API_TOKEN`.
    /// Originals are kept only when `TACT_ORIGINALS_KEY` (64 hex digits) is set: sealed under it
    /// and erased after `TACT_RETENTION_DAYS` (default 30).
    #[arg(
        long,
        default_value_t = 1,
        env = "TACT_CHATWOOT_WORKER",
        value_name = "ID"
    )]
    chatwoot_worker: i64,
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
        let location = tact_store::Location::parse(&args.db);
        let store = tact_store::Store::open(location.clone())
            .await
            .with_context(|| format!("cannot open the case store {}", location.redacted()))?;
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
            store.describe()
        );
        let mut state = tact_server::AppState::new(engine, store);
        state.organisation = Arc::from(args.organisation.as_str());
        if let Ok(hex) = std::env::var("TACT_ORIGINALS_KEY") {
            let key = tact_core::redact::RedactionKey::from_hex(&hex)
                .context("TACT_ORIGINALS_KEY must be 64 hexadecimal digits")?;
            let days: i64 = std::env::var("TACT_RETENTION_DAYS")
                .unwrap_or_else(|_| "30".into())
                .parse()
                .ok()
                .filter(|d| *d > 0)
                .context("TACT_RETENTION_DAYS must be a positive number of days")?;
            eprintln!("tact: originals kept sealed for {days} days, then erased");
            state.originals = Some(Arc::new(tact_server::KeptOriginals {
                key,
                retention: jiff::SignedDuration::from_hours(days * 24),
            }));
        }
        if let Some(path_token) = std::env::var("TACT_CHATWOOT_PATH_TOKEN").ok().filter(|t| t.len() >= 16) {
            eprintln!("tact: Chatwoot webhooks accepted on /v1/integrations/chatwoot/<token>");
            let api = match (
                std::env::var("TACT_CHATWOOT_URL").ok().filter(|u| !u.is_empty()),
                std::env::var("TACT_CHATWOOT_API_TOKEN").ok().filter(|t| !t.is_empty()),
            ) {
                (Some(base_url), Some(token)) => {
                    eprintln!("tact: guidance posted to {base_url} as private notes");
                    Some(tact_server::ChatwootApi {
                        base_url,
                        token,
                        retry_base: std::time::Duration::from_secs(30),
                    })
                }
                _ => None,
            };
            state = state.with_chatwoot(tact_server::ChatwootConfig {
                path_token,
                signing_secret: std::env::var("TACT_CHATWOOT_SIGNING_SECRET").ok(),
                worker: args.chatwoot_worker,
                accounts: std::env::var("TACT_CHATWOOT_ACCOUNTS")
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
                api,
            });
        }
        tact_server::serve(listener, state).await?;
        Ok(Outcome::default())
    })
}
