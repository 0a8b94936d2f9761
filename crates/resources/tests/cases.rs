//! The hand-written cases of every language (`data/<lang>/cases.toml`) run through the engine.
//!
//! Each case states what must be found as asserted (`expect`), found only as negated, reported,
//! hypothetical or a question (`mentioned`), not found as asserted (`absent`), whether the message
//! is urgent, its I/you orientation and the personal data in it. The test prints every failure
//! and each language's pass rate, and fails when a language falls below its floor: the floors
//! record what the engine reaches today, so a change that breaks cases is caught, and they are
//! raised as the engine improves.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use tact_core::resources::Source;
use tact_core::signals::{Modality, Orientation};
use tact_core::{AnalyseOptions, Engine, Lang};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    mentioned: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    urgent: Option<bool>,
    orientation: Option<String>,
    #[serde(default)]
    pii: Vec<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

/// What is wrong with the engine's reading of one case (empty when it passes).
fn problems(lang: Lang, case: &Case) -> Vec<String> {
    let analysis = ENGINE
        .analyse(
            &case.text,
            &AnalyseOptions {
                language: Some(lang),
                ..Default::default()
            },
        )
        .expect("analysis");
    let mut out = Vec::new();
    let asserted = |cat: &str| {
        analysis
            .signals
            .iter()
            .any(|s| s.category == cat && s.asserted())
    };
    let mentioned = |cat: &str| {
        analysis
            .signals
            .iter()
            .any(|s| s.category == cat && !s.asserted())
    };
    for cat in &case.expect {
        if !asserted(cat) {
            out.push(format!("expected {cat}"));
        }
    }
    for cat in &case.mentioned {
        if !mentioned(cat) && !asserted(cat) {
            out.push(format!("expected a mention of {cat}"));
        }
    }
    for cat in &case.absent {
        if asserted(cat) {
            out.push(format!("{cat} must not be asserted"));
        }
    }
    if let Some(urgent) = case.urgent
        && analysis.urgent != urgent
    {
        out.push(format!("urgent should be {urgent}"));
    }
    if let Some(want) = &case.orientation {
        let got = match analysis.orientation.as_ref().map(|o| o.orientation) {
            Some(Orientation::I) => "i",
            Some(Orientation::You) => "you",
            _ => "neutral",
        };
        if got != want {
            out.push(format!("orientation {got}, expected {want}"));
        }
    }
    for kind in &case.pii {
        if !analysis.pii.iter().any(|f| &f.kind == kind) {
            out.push(format!("expected personal data {kind}"));
        }
    }
    if !out.is_empty() {
        let found: Vec<String> = analysis
            .signals
            .iter()
            .map(|s| {
                format!(
                    "{}{}({})",
                    s.category,
                    if s.modality == Modality::Asserted {
                        ""
                    } else {
                        "~"
                    },
                    s.text
                )
            })
            .collect();
        out.push(format!("found: {}", found.join(", ")));
    }
    out
}

/// Share of cases each language must pass (what the engine reaches today; raise, never lower).
const FLOORS: &[(&str, f64)] = &[
    ("af", 0.98),
    ("ar", 1.0),
    ("de", 1.0),
    ("en", 0.98),
    ("es", 1.0),
    ("fr", 1.0),
    ("it", 1.0),
    ("ja", 0.94),
    ("nl", 0.98),
    ("pl", 1.0),
    ("pt", 1.0),
    ("ru", 1.0),
    ("tr", 1.0),
    ("zh", 1.0),
];

#[test]
fn every_language_passes_its_cases() {
    let mut rates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (path, text) in tact_resources::files().filter(|(p, _)| p.ends_with("/cases.toml")) {
        let code = path.split('/').next().unwrap_or_default();
        let lang = Lang::parse(code).expect("language folder");
        let file: File = toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            file.case.len() >= 30,
            "{path} has {} cases, at least 30 are required",
            file.case.len()
        );
        let slot = rates.entry(code.to_string()).or_default();
        for case in &file.case {
            let problems = problems(lang, case);
            slot.1 += 1;
            if problems.is_empty() {
                slot.0 += 1;
            } else {
                eprintln!("[{code}] {:?}\n    {}", case.text, problems.join("\n    "));
            }
        }
    }
    let mut below = Vec::new();
    for (code, (passed, total)) in &rates {
        let rate = *passed as f64 / *total as f64;
        eprintln!("{code}: {passed}/{total} cases pass ({:.0}%)", rate * 100.0);
        let floor = FLOORS.iter().find(|(c, _)| c == code).map_or(1.0, |f| f.1);
        if rate + 1e-9 < floor {
            below.push(format!("{code} {rate:.2} < {floor:.2}"));
        }
    }
    assert_eq!(rates.len(), 14, "every language has cases");
    assert!(below.is_empty(), "languages below their floor: {below:?}");
}
