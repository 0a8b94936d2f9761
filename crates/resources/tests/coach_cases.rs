//! The hand-written coaching cases of every language that has them (`data/<lang>/coach_cases.toml`):
//! drafts that meet or miss each criterion, drafts that must or must not raise each flag, and
//! promises whose due time must resolve (or must not be invented). Like `cases.rs`, the test
//! prints every failure and each language's pass rate and fails below the language's floor.

use jiff::civil::DateTime;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use tact_core::coach::{CoachOptions, Verdict};
use tact_core::resources::Source;
use tact_core::{AnalyseOptions, Engine, Lang};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

/// Wednesday 18 November 2026, 14:00: when drafts without their own reference are written.
const REFERENCE: &str = "2026-11-18T14:00";

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    case: Vec<Case>,
    #[serde(default)]
    commitment: Vec<CommitmentCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    client: Option<String>,
    draft: String,
    stage: Option<tact_core::coach::Stage>,
    #[serde(default)]
    met: Vec<String>,
    #[serde(default)]
    missed: Vec<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    no_flags: Vec<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitmentCase {
    text: String,
    reference: String,
    due: Option<String>,
    #[serde(default)]
    ambiguous: bool,
    #[serde(default)]
    none: bool,
    #[allow(dead_code)]
    note: Option<String>,
}

fn coach_problems(lang: Lang, case: &Case) -> Vec<String> {
    let client = case.client.as_ref().map(|text| {
        ENGINE
            .analyse(
                text,
                &AnalyseOptions {
                    language: Some(lang),
                    ..Default::default()
                },
            )
            .expect("client analysis")
    });
    let report = ENGINE
        .coach(
            &case.draft,
            &CoachOptions {
                language: Some(lang),
                client: client.as_ref(),
                stage: case.stage,
                reference: REFERENCE.parse().ok(),
            },
        )
        .expect("coaching");
    let verdict = |name: &str| {
        report
            .criteria
            .iter()
            .find(|c| c.criterion.as_str() == name)
            .map(|c| c.verdict)
    };
    let mut out = Vec::new();
    for name in &case.met {
        if verdict(name) != Some(Verdict::Met) {
            out.push(format!("{name}: expected met, got {:?}", verdict(name)));
        }
    }
    for name in &case.missed {
        if verdict(name) != Some(Verdict::Missed) {
            out.push(format!("{name}: expected missed, got {:?}", verdict(name)));
        }
    }
    let raised = |name: &str| report.flags.iter().any(|f| f.flag.as_str() == name);
    for name in &case.flags {
        if !raised(name) {
            out.push(format!("flag {name} expected"));
        }
    }
    for name in &case.no_flags {
        if raised(name) {
            out.push(format!("flag {name} must not be raised"));
        }
    }
    if !out.is_empty() {
        let flags: Vec<&str> = report.flags.iter().map(|f| f.text.as_str()).collect();
        out.push(format!("flags raised on: {flags:?}"));
    }
    out
}

fn commitment_problems(lang: Lang, case: &CommitmentCase) -> Vec<String> {
    let reference: DateTime = match case.reference.parse() {
        Ok(r) => r,
        Err(e) => return vec![format!("reference {:?}: {e}", case.reference)],
    };
    let report = ENGINE
        .coach(
            &case.text,
            &CoachOptions {
                language: Some(lang),
                reference: Some(reference),
                ..Default::default()
            },
        )
        .expect("coaching");
    let got = report.commitments.first();
    match (case.none, &case.due, got) {
        (true, _, None) => vec![],
        (true, _, Some(c)) => vec![format!("no commitment expected, found one due {}", c.due)],
        (false, Some(due), Some(c)) => {
            let mut out = Vec::new();
            let want: Result<DateTime, _> = due.parse();
            if want.ok() != Some(c.due) {
                out.push(format!("due {} (from {:?}), expected {due}", c.due, c.when));
            }
            if c.ambiguous != case.ambiguous {
                out.push(format!(
                    "ambiguous {}, expected {}",
                    c.ambiguous, case.ambiguous
                ));
            }
            out
        }
        (false, _, None) => vec!["expected a commitment, found none".into()],
        (false, None, Some(_)) => vec!["a case needs `due` or `none = true`".into()],
    }
}

/// Share of cases each language must pass: what the engine reaches today, raised as it improves.
const FLOORS: &[(&str, f64)] = &[
    ("af", 1.0),
    ("ar", 1.0),
    ("de", 0.92),
    ("en", 1.0),
    ("es", 0.94),
    ("fr", 1.0),
    ("it", 0.95),
    ("ja", 0.96),
    ("nl", 1.0),
    ("pl", 1.0),
    ("pt", 0.95),
    ("ru", 1.0),
    ("tr", 1.0),
    ("zh", 0.95),
];

/// The floor of a language whose cases are new, until its first measurement is recorded above.
const NEW_LANGUAGE_FLOOR: f64 = 0.8;

#[test]
fn every_language_passes_its_coaching_cases() {
    let mut rates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (path, text) in tact_resources::files().filter(|(p, _)| p.ends_with("/coach_cases.toml")) {
        let code = path.split('/').next().unwrap_or_default();
        let lang = Lang::parse(code).expect("language folder");
        let file: File = toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let slot = rates.entry(code.to_string()).or_default();
        for case in &file.case {
            let problems = coach_problems(lang, case);
            slot.1 += 1;
            if problems.is_empty() {
                slot.0 += 1;
            } else {
                eprintln!("[{code}] {:?}\n    {}", case.draft, problems.join("\n    "));
            }
        }
        for case in &file.commitment {
            let problems = commitment_problems(lang, case);
            slot.1 += 1;
            if problems.is_empty() {
                slot.0 += 1;
            } else {
                eprintln!(
                    "[{code}] commitment {:?}\n    {}",
                    case.text,
                    problems.join("\n    ")
                );
            }
        }
    }
    let mut below = Vec::new();
    for (code, (passed, total)) in &rates {
        let rate = *passed as f64 / *total as f64;
        eprintln!(
            "{code}: {passed}/{total} coaching cases pass ({:.0}%)",
            rate * 100.0
        );
        let floor = FLOORS
            .iter()
            .find(|(c, _)| c == code)
            .map_or(NEW_LANGUAGE_FLOOR, |f| f.1);
        if rate + 1e-9 < floor {
            below.push(format!("{code} {rate:.2} < {floor:.2}"));
        }
    }
    assert!(below.is_empty(), "languages below their floor: {below:?}");
}
