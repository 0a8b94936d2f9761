//! `tact report weekly` and `tact exposure`: the wellbeing records of the case store, read from
//! the command line (P6, P14, P16, P20, P22). The command line has the database itself, so it
//! reads it as the store's administrator (the first admin), and says so; `--team` narrows a
//! report to one supervisor's team, as that supervisor would see it.

use crate::input::Outcome;
use crate::output::Output;
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use tact_store::{Role, Store, Viewer};
use tact_wellbeing::exposure::ExposureRules;

/// The default case store, as for `tact serve`.
const DEFAULT_DB: &str = "tact.sqlite";

/// `tact report …`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    report: Report,
}

#[derive(Debug, clap::Subcommand)]
enum Report {
    /// A team's week for its supervisor: promises kept on time, follow-ups done and overdue,
    /// incidents reported and resolved, each worker's load and the prompts they took, time
    /// outside hours; what went well first, challenges as support needs.
    Weekly(WeeklyArgs),
}

/// Page or document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A self-contained HTML page.
    Html,
    /// The report as JSON.
    Json,
}

/// Options of `tact report weekly`.
#[derive(Debug, clap::Args)]
struct WeeklyArgs {
    /// The case store: a SQLite file or a PostgreSQL URL [default: tact.sqlite].
    #[arg(long, env = "TACT_DATABASE_URL", value_name = "FILE|URL")]
    db: Option<String>,
    /// The Monday the week starts, in the team's time zone [default: the last complete week].
    #[arg(long, value_name = "DATE")]
    week: Option<jiff::civil::Date>,
    /// The supervisor whose team to report on [default: every worker].
    #[arg(long, value_name = "SUPERVISOR ID")]
    team: Option<i64>,
    /// HTML for people, JSON for programs.
    #[arg(long, value_enum, default_value = "html")]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The seeded demo organisation (two time zones, a daylight-saving change); no database.
    #[arg(long, conflicts_with_all = ["db", "week", "team"])]
    demo: bool,
    /// Exposure rules (TOML, see crates/wellbeing/EXPOSURE.md) [default: the documented ones].
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
}

/// Options of `tact exposure`.
#[derive(Debug, clap::Args)]
pub struct ExposureArgs {
    /// The case store: a SQLite file or a PostgreSQL URL [default: tact.sqlite].
    #[arg(long, env = "TACT_DATABASE_URL", value_name = "FILE|URL")]
    db: Option<String>,
    /// One worker [default: every worker with the worker role].
    #[arg(long, value_name = "ID")]
    worker: Option<i64>,
    /// The rolling window, in days (1–60).
    #[arg(long, default_value_t = 7)]
    days: u32,
    /// Exposure rules (TOML) [default: the documented ones].
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Indented JSON, for people.
    #[arg(long)]
    pretty: bool,
}

fn rules(path: Option<&std::path::Path>) -> Result<ExposureRules> {
    match path {
        None => Ok(ExposureRules::default()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            ExposureRules::from_toml(&text).with_context(|| path.display().to_string())
        }
    }
}

/// Opens an existing store and the administrator it is read as.
async fn open(db: Option<&str>) -> Result<(Store, Viewer)> {
    let database = db.unwrap_or(DEFAULT_DB);
    let location = tact_store::Location::parse(database);
    if let tact_store::Location::SqliteFile(path) = &location
        && !path.exists()
    {
        bail!(
            "no case store at {} (start `tact serve` first, or give --db)",
            path.display()
        );
    }
    let store = Store::open(location.clone())
        .await
        .with_context(|| format!("cannot open the case store {}", location.redacted()))?;
    let admin = store
        .workers()
        .await?
        .into_iter()
        .find(|w| w.role == Role::Admin)
        .context("the case store has no admin yet")?;
    Ok((
        store,
        Viewer {
            worker: admin.id,
            role: Role::Admin,
        },
    ))
}

fn write(out: Option<&std::path::Path>, text: &str) -> Result<()> {
    match out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut output = Output::new();
            output.write(|o| std::io::Write::write_all(o, text.as_bytes()));
            output.finish()
        }
    }
}

/// Runs `tact report …`.
pub fn run_report(args: ReportArgs) -> Result<Outcome> {
    let Report::Weekly(args) = args.report;
    let rules = rules(args.rules.as_deref())?;
    let report = if args.demo {
        let mut demo = tact_wellbeing::demo::organisation();
        demo.rules = rules;
        demo.report()?
    } else {
        let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
        runtime.block_on(async {
            let (store, admin) = open(args.db.as_deref()).await?;
            let now = jiff::Timestamp::now();
            let week = match args.week {
                Some(week) => week,
                None => {
                    let lead = store.worker(args.team.unwrap_or(admin.worker)).await?;
                    tact_server::last_week(&lead.time_zone, now)?
                }
            };
            tact_server::weekly_report(&store, admin, args.team, week, now, &rules)
                .await
                .context("cannot build the report")
        })?
    };
    let text = match args.format {
        Format::Html => report.to_html(),
        Format::Json => format!("{:#}\n", report.to_json()),
    };
    write(args.out.as_deref(), &text)?;
    Ok(Outcome::default())
}

/// Runs `tact exposure`: one JSON line per worker.
pub fn run_exposure(args: ExposureArgs) -> Result<Outcome> {
    let rules = rules(args.rules.as_deref())?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let (store, admin) = open(args.db.as_deref()).await?;
        let workers = match args.worker {
            Some(id) => vec![
                store
                    .worker(id)
                    .await
                    .with_context(|| format!("no worker {id}"))?,
            ],
            None => store
                .workers()
                .await?
                .into_iter()
                .filter(|w| w.role == Role::Worker)
                .collect(),
        };
        let now = jiff::Timestamp::now();
        let mut output = Output::new();
        for worker in &workers {
            let exposure =
                tact_server::exposure_of(&store, admin, worker, args.days, now, &rules).await?;
            if args.pretty {
                output.write(|o| std::io::Write::write_fmt(o, format_args!("{exposure:#}\n")));
            } else {
                output.json(&exposure);
            }
        }
        output.finish()?;
        Ok(Outcome::default())
    })
}
