//! `tact serve`: the JSON API on localhost with the case store in a SQLite file, with no
//! configuration needed; a PostgreSQL URL instead for several replicas.

use crate::cmd::serve_config::{ConfigFile, secret};
use crate::input::Outcome;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Options of `tact serve`. Each wins over the configuration file, which wins over the default.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A TOML configuration file (see `examples/tact.toml`): database, address, organisation,
    /// originals and Chatwoot, with secrets in files it names.
    #[arg(long, env = "TACT_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:7878, localhost only].
    #[arg(long, env = "TACT_BIND", value_name = "ADDR")]
    bind: Option<SocketAddr>,
    /// The case store, created and migrated on first start: a SQLite file, or a PostgreSQL URL
    /// (`postgres://tact@db/tact`) for several replicas sharing one store and its alerts. Give
    /// a URL with a password through the environment, not the command line [default:
    /// tact.sqlite].
    #[arg(long, env = "TACT_DATABASE_URL", value_name = "FILE|URL")]
    db: Option<String>,
    /// The organisation's name: it scopes the ids of exported records (HSDS services, vCons),
    /// so two organisations' exports never collide [default: tact].
    #[arg(long, env = "TACT_ORGANISATION", value_name = "NAME")]
    organisation: Option<String>,
    /// The tact worker the Chatwoot integration acts as [default: 1, the first admin]. Chatwoot
    /// secrets come from the environment or from files the configuration names, never from
    /// flags, so they stay out of process listings: `TACT_CHATWOOT_PATH_TOKEN` (the secret part
    /// of `/v1/integrations/chatwoot/<token>`, 16 characters or more),
    /// `TACT_CHATWOOT_SIGNING_SECRET` (when Chatwoot signs), `TACT_CHATWOOT_ACCOUNTS` (the
    /// account ids taken, comma-separated; default any), `TACT_CHATWOOT_AGENTS` (Chatwoot user
    /// id = tact worker id, comma-separated: `9=3,12=4`), and, to post guidance back as private
    /// notes, `TACT_CHATWOOT_URL` and `TACT_CHATWOOT_API_TOKEN`. Originals are kept only when
    /// `TACT_ORIGINALS_KEY` (64 hex digits) is set: sealed under it and erased after
    /// `TACT_RETENTION_DAYS` (default 30).
    #[arg(long, env = "TACT_CHATWOOT_WORKER", value_name = "ID")]
    chatwoot_worker: Option<i64>,
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
    let config = match &args.config {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    let bind = args
        .bind
        .or(config.bind)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 7878)));
    let database = args
        .db
        .clone()
        .or(config.database.clone())
        .unwrap_or_else(|| "tact.sqlite".into());
    let organisation = args
        .organisation
        .clone()
        .or(config.organisation.clone())
        .unwrap_or_else(|| "tact".into());
    let engine = Arc::new(crate::resources::load_engine(resources)?);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let location = tact_store::Location::parse(&database);
        let store = tact_store::Store::open(location.clone())
            .await
            .with_context(|| format!("cannot open the case store {}", location.redacted()))?;
        if let Some(key) = store.bootstrap_admin().await? {
            eprintln!(
                "tact: first start: the admin's API key, shown this once (only its digest is kept):\n{key}"
            );
        }
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        eprintln!(
            "tact: serving on http://{} (case store {}); Ctrl-C stops",
            listener.local_addr()?,
            store.describe()
        );
        let mut state = tact_server::AppState::new(engine, store);
        state.organisation = Arc::from(organisation.as_str());
        let originals = config.originals.as_ref();
        if let Some(hex) = secret("TACT_ORIGINALS_KEY", originals.map(|o| o.key_file.as_path()))? {
            let key = tact_core::redact::RedactionKey::from_hex(&hex)
                .context("the originals' key must be 64 hexadecimal digits")?;
            let days: i64 = match std::env::var("TACT_RETENTION_DAYS") {
                Ok(days) => days.parse().ok(),
                Err(_) => Some(originals.and_then(|o| o.retention_days).unwrap_or(30)),
            }
            .filter(|d| *d > 0)
            .context("the retention must be a positive number of days")?;
            eprintln!("tact: originals kept sealed for {days} days, then erased");
            state.originals = Some(Arc::new(tact_server::KeptOriginals {
                key,
                retention: jiff::SignedDuration::from_hours(days * 24),
            }));
        }
        let chatwoot = config.chatwoot.as_ref();
        let path_token = secret(
            "TACT_CHATWOOT_PATH_TOKEN",
            chatwoot.map(|c| c.path_token_file.as_path()),
        )?;
        if path_token.as_ref().is_some_and(|t| t.len() < 16) {
            anyhow::bail!("the Chatwoot path token must be 16 characters or more");
        }
        if let Some(path_token) = path_token {
            eprintln!("tact: Chatwoot webhooks accepted on /v1/integrations/chatwoot/<token>");
            let api = match (
                std::env::var("TACT_CHATWOOT_URL")
                    .ok()
                    .filter(|u| !u.is_empty())
                    .or(chatwoot.and_then(|c| c.url.clone())),
                secret(
                    "TACT_CHATWOOT_API_TOKEN",
                    chatwoot.and_then(|c| c.api_token_file.as_deref()),
                )?,
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
                signing_secret: secret(
                    "TACT_CHATWOOT_SIGNING_SECRET",
                    chatwoot.and_then(|c| c.signing_secret_file.as_deref()),
                )?,
                worker: args
                    .chatwoot_worker
                    .or(chatwoot.and_then(|c| c.worker))
                    .unwrap_or(1),
                agents: match std::env::var("TACT_CHATWOOT_AGENTS") {
                    Ok(list) => parse_agents(&list)?,
                    Err(_) => chatwoot.map(|c| c.agents.clone()).unwrap_or_default(),
                },
                accounts: match std::env::var("TACT_CHATWOOT_ACCOUNTS") {
                    Ok(list) => list
                        .split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    Err(_) => chatwoot.map(|c| c.accounts.clone()).unwrap_or_default(),
                },
                api,
            });
        }
        tact_server::serve(listener, state).await?;
        Ok(Outcome::default())
    })
}

/// Reads `9=3,12=4`: Chatwoot user ids and the tact workers they are.
fn parse_agents(list: &str) -> Result<std::collections::HashMap<String, i64>> {
    list.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (agent, worker) = pair
                .split_once('=')
                .with_context(|| format!("TACT_CHATWOOT_AGENTS: {pair:?} is not agent=worker"))?;
            let worker = worker
                .trim()
                .parse()
                .with_context(|| format!("TACT_CHATWOOT_AGENTS: {worker:?} is not a worker id"))?;
            Ok((agent.trim().to_string(), worker))
        })
        .collect()
}
