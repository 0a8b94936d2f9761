//! `tact serve`: the JSON API on localhost with the case store in a SQLite file, with no
//! configuration needed; a PostgreSQL URL instead for several replicas.

use crate::cmd::serve_config::{self, ChatwootFile, ConfigFile, NoteKind, secret};
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
    /// A folder of the organisation's own role-play scenarios (`<lang>/<id>.toml`), added to
    /// the built-in ones for training in the browser and the API; a malformed one stops the
    /// start with its file and line.
    #[arg(long, env = "TACT_SCENARIOS", value_name = "DIR")]
    scenarios: Option<PathBuf>,
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
        if let Some(dir) = args.scenarios.as_ref().or(config.scenarios.as_ref()) {
            let catalog = tact_training::Catalog::embedded_with_dir(dir)
                .with_context(|| format!("the scenarios in {} do not load", dir.display()))?;
            eprintln!("tact: {} role-play scenarios, with {}", catalog.len(), dir.display());
            state = state.with_training_catalog(catalog);
        }
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
        if let Some(wellbeing) = &config.wellbeing {
            state = state.with_wellbeing(wellbeing_settings(wellbeing, &organisation)?);
            if wellbeing.after_hours_reply {
                eprintln!("tact: clients writing after hours are offered the after-hours reply");
            }
        }
        if let Some(chatwoot) = chatwoot_config(config.chatwoot.as_ref(), args.chatwoot_worker)? {
            eprintln!("tact: Chatwoot webhooks accepted on /v1/integrations/chatwoot/<token>");
            if chatwoot.posts_notes() {
                eprintln!("tact: guidance posted back to Chatwoot as private notes");
            }
            state = state.with_chatwoot(chatwoot);
        }
        tact_server::serve_with(listener, state, tact_web::router()).await?;
        Ok(Outcome::default())
    })
}

/// The organisation's wellbeing choices from `[wellbeing]`.
fn wellbeing_settings(
    file: &serve_config::WellbeingFile,
    organisation: &str,
) -> Result<tact_server::WellbeingSettings> {
    let rules = match &file.rules_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            tact_wellbeing::exposure::ExposureRules::from_toml(&text)
                .with_context(|| path.display().to_string())?
        }
        None => Default::default(),
    };
    let mut reply_values = tact_core::replies::ReplyValues::default();
    reply_values.set("organisation", organisation);
    if let Some(line) = &file.crisis_line {
        reply_values.set("crisis_line", line.as_str());
    }
    if let Some(number) = &file.emergency_number {
        reply_values.set("emergency_number", number.as_str());
    }
    Ok(tact_server::WellbeingSettings {
        rules,
        after_hours_reply: file.after_hours_reply,
        reply_values,
    })
}

/// The Chatwoot connection: the installation's settings from the environment or `[chatwoot]`,
/// and each `[[chatwoot.account]]` on top of them. `None` when no path token is set.
fn chatwoot_config(
    file: Option<&ChatwootFile>,
    worker_flag: Option<i64>,
) -> Result<Option<tact_server::ChatwootConfig>> {
    let Some(path_token) = secret(
        "TACT_CHATWOOT_PATH_TOKEN",
        file.map(|c| c.path_token_file.as_path()),
    )?
    else {
        return Ok(None);
    };
    if path_token.len() < 16 {
        anyhow::bail!("the Chatwoot path token must be 16 characters or more");
    }
    let url = std::env::var("TACT_CHATWOOT_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .or(file.and_then(|c| c.url.clone()));
    let api = |url: Option<String>, token: Option<String>| {
        Some(tact_server::ChatwootApi {
            base_url: url?,
            token: token?,
            retry_base: std::time::Duration::from_secs(30),
        })
    };
    let installation = tact_server::ChatwootAccount {
        signing_secret: secret(
            "TACT_CHATWOOT_SIGNING_SECRET",
            file.and_then(|c| c.signing_secret_file.as_deref()),
        )?,
        worker: worker_flag.or(file.and_then(|c| c.worker)).unwrap_or(1),
        agents: match std::env::var("TACT_CHATWOOT_AGENTS") {
            Ok(list) => parse_agents(&list)?,
            Err(_) => file.map(|c| c.agents.clone()).unwrap_or_default(),
        },
        inboxes: Vec::new(),
        api: api(
            url.clone(),
            secret(
                "TACT_CHATWOOT_API_TOKEN",
                file.and_then(|c| c.api_token_file.as_deref()),
            )?,
        ),
        notes: tact_server::NoteKinds::default(),
    };
    let listed: Vec<String> = match std::env::var("TACT_CHATWOOT_ACCOUNTS") {
        Ok(list) => list
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        Err(_) => file.map(|c| c.accounts.clone()).unwrap_or_default(),
    };
    let mut accounts: std::collections::HashMap<String, tact_server::ChatwootAccount> = listed
        .into_iter()
        .map(|id| (id, installation.clone()))
        .collect();
    for section in file.map(|c| c.account_sections.as_slice()).unwrap_or(&[]) {
        let mut account = installation.clone();
        account.inboxes = section.inboxes.clone();
        if let Some(secret_file) = &section.signing_secret_file {
            account.signing_secret = Some(serve_config::secret_file(secret_file)?);
        }
        if section.url.is_some() || section.api_token_file.is_some() {
            let token = match &section.api_token_file {
                Some(token_file) => Some(serve_config::secret_file(token_file)?),
                None => account.api.as_ref().map(|a| a.token.clone()),
            };
            account.api = api(section.url.clone().or(url.clone()), token);
        }
        if let Some(worker) = section.worker {
            account.worker = worker;
        }
        account.agents.extend(section.agents.clone());
        if let Some(kinds) = &section.notes {
            account.notes = tact_server::NoteKinds {
                advice: kinds.contains(&NoteKind::Advice),
                coaching: kinds.contains(&NoteKind::Coaching),
            };
        }
        if accounts.insert(section.id.clone(), account).is_some() {
            anyhow::bail!(
                "Chatwoot account {} is configured twice: in `accounts` or TACT_CHATWOOT_ACCOUNTS and in [[chatwoot.account]], or in two sections",
                section.id
            );
        }
    }
    Ok(Some(tact_server::ChatwootConfig {
        path_token,
        accounts,
        any_account: installation,
    }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_chatwoot_account_takes_its_own_settings_over_the_installations() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/config/chatwoot_accounts.toml");
        let file = ConfigFile::load(&path).unwrap();
        let config = chatwoot_config(file.chatwoot.as_ref(), None)
            .unwrap()
            .unwrap();
        assert_eq!(config.path_token, "path-token-of-the-installation");
        assert!(config.account("3").is_none(), "only the accounts listed");
        let first = config.account("1").unwrap();
        assert_eq!(first.inboxes, ["3"]);
        assert_eq!((first.notes.advice, first.notes.coaching), (true, false));
        assert_eq!(first.api.as_ref().unwrap().token, "installation-token");
        assert_eq!(
            first.api.as_ref().unwrap().base_url,
            "https://chat.example.org"
        );
        assert_eq!((first.worker, first.agents.get("9")), (1, Some(&3)));
        assert_eq!(first.signing_secret, None);
        let second = config.account("2").unwrap();
        assert_eq!(second.api.as_ref().unwrap().token, "account-2-token");
        assert_eq!(
            second.api.as_ref().unwrap().base_url,
            "https://chat2.example.org"
        );
        assert_eq!(second.signing_secret.as_deref(), Some("account-2-signing"));
        assert_eq!(second.worker, 2);
        assert_eq!(
            (second.agents.get("9"), second.agents.get("12")),
            (Some(&3), Some(&4)),
            "the installation's agents, and the account's own"
        );
        assert!(second.inboxes.is_empty() && second.notes.coaching);
    }
}
