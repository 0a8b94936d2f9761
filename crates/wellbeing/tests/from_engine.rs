//! Interactions read from real analyses: the engine's own output, and the summary the server
//! stores from it, give the same intense kinds.

use jiff::Timestamp;
use serde_json::json;
use std::sync::LazyLock;
use tact_core::resources::Source;
use tact_core::{AnalyseOptions, Analysis, Engine, Lang};
use tact_wellbeing::exposure::{ExposureRules, IntenseKind, Interaction};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(path, text)| Source::new(path, text))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

fn analyse(text: &str) -> Analysis {
    ENGINE
        .analyse(
            text,
            &AnalyseOptions {
                language: Some(Lang::parse("en").unwrap()),
                ..Default::default()
            },
        )
        .unwrap()
}

/// What `tact serve` keeps in `messages.analysis` (see `crates/server/src/cases.rs`).
fn stored_summary(analysis: &Analysis) -> serde_json::Value {
    json!({
        "language": analysis.language.lang,
        "urgent": analysis.urgent,
        "heat": analysis.heat,
        "signals": analysis.signals.iter().map(|s| json!({
            "category": s.category, "severity": s.severity, "modality": s.modality,
            "subject": s.subject, "rule": s.rule,
        })).collect::<Vec<_>>(),
        "emotions": analysis.emotions,
    })
}

fn kinds(text: &str) -> (Vec<IntenseKind>, Vec<IntenseKind>) {
    let rules = ExposureRules::default();
    let at = Timestamp::UNIX_EPOCH;
    let analysis = analyse(text);
    let full = Interaction::from_core(1, 1, at, &analysis, &rules).kinds;
    let stored = Interaction::from_analysis(1, 1, at, &stored_summary(&analysis), &rules).kinds;
    (full, stored)
}

#[test]
fn a_threat_to_the_worker() {
    let (full, stored) = kinds("If you close my file I will kill you.");
    assert!(full.contains(&IntenseKind::ThreatToWorker), "{full:?}");
    assert_eq!(full, stored);
}

#[test]
fn an_urgent_disclosure() {
    let (full, stored) = kinds("I want to kill myself, I can't go on.");
    assert!(full.contains(&IntenseKind::UrgentDisclosure), "{full:?}");
    assert_eq!(full, stored);
}

#[test]
fn negated_and_reported_disclosures_are_not_intense() {
    for text in [
        "I'm not suicidal, just tired.",
        "My neighbour says he wants to kill himself.",
    ] {
        let (full, stored) = kinds(text);
        assert!(
            !full.contains(&IntenseKind::UrgentDisclosure),
            "{text}: {full:?}"
        );
        assert!(
            !stored.contains(&IntenseKind::UrgentDisclosure),
            "{text}: {stored:?}"
        );
    }
}

#[test]
fn a_calm_question_is_not_intense() {
    let (full, stored) = kinds("Could you tell me when my appointment is, please?");
    assert!(full.is_empty() && stored.is_empty(), "{full:?} {stored:?}");
}
