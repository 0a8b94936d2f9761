//! Every language's reply templates cover every finding tact can report, fill every placeholder,
//! and read as the language they are filed under.

use std::sync::LazyLock;
use tact_core::advice::{ActionKind, AdviseOptions, DirectoryEntry};
use tact_core::category::{Abuse, Crossing, Disclosure, Emotion};
use tact_core::replies::{PLACEHOLDERS, ReplyValues};
use tact_core::resources::Source;
use tact_core::{AnalyseOptions, Engine, Lang};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

/// Every template id advice can ask for.
fn wanted_ids() -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for d in [Disclosure::SelfHarm, Disclosure::ThreatToLife] {
        ids.push(format!("urgent.{d}"));
    }
    ids.extend(Disclosure::ALL.iter().map(|d| format!("referral.{d}")));
    ids.extend(Crossing::ALL.iter().map(|c| format!("boundary.{c}")));
    ids.extend(
        Abuse::ALL
            .iter()
            .filter(|a| **a != Abuse::ComplaintLeverage)
            .map(|a| format!("abuse.{a}")),
    );
    for side in ["i", "you"] {
        ids.extend(Emotion::ALL.iter().map(|e| format!("opening.{side}.{e}")));
        ids.push(format!("opening.{side}.neutral"));
    }
    ids.extend(["first_contact", "handover", "follow_up", "closing"].map(String::from));
    ids
}

fn every_value() -> ReplyValues {
    let mut values = ReplyValues::default();
    for name in PLACEHOLDERS {
        values.set(name, format!("[{name}]"));
    }
    values
}

/// Languages that have reply templates.
fn languages() -> Vec<Lang> {
    tact_resources::files()
        .filter(|(p, _)| p.ends_with("/replies.toml"))
        .filter_map(|(p, _)| Lang::parse(p.split('/').next()?))
        .collect()
}

#[test]
fn every_finding_has_a_reply_in_every_language_and_every_placeholder_fills() {
    let values = every_value();
    let mut problems = Vec::new();
    for lang in languages() {
        for id in wanted_ids() {
            match ENGINE.resources().replies.fill(lang, &id, &values) {
                Ok(reply) => {
                    if reply.text.contains(['{', '}']) {
                        problems.push(format!("{lang} {id}: braces left in {:?}", reply.text));
                    }
                }
                Err(missing) => problems.push(format!(
                    "{lang} {id}: missing template or values {missing:?}"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn replies_read_as_their_language() {
    let values = every_value();
    let mut wrong = Vec::new();
    let mut total = 0;
    for lang in languages() {
        for id in wanted_ids() {
            let Ok(reply) = ENGINE.resources().replies.fill(lang, &id, &values) else {
                continue;
            };
            // Placeholders are not words of any language.
            let text: String = reply
                .text
                .split(['[', ']'])
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, t)| t)
                .collect();
            total += 1;
            let guess = ENGINE.detect_language(&text);
            if guess.lang.is_some_and(|l| l != lang) || guess.best_guess.is_some_and(|l| l != lang)
            {
                wrong.push(format!(
                    "{lang} {id}: read as {:?}: {text}",
                    guess.best_guess
                ));
            }
        }
    }
    // Short replies in related languages (af/nl, es/pt/it) can lean the wrong way; the detector
    // must place nearly all of them.
    assert!(
        wrong.len() * 50 <= total,
        "{} of {total} replies read as another language:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn advice_puts_safety_first_and_offers_the_directorys_service() {
    let en = Lang::parse("en").unwrap();
    let analysis = ENGINE
        .analyse(
            "My husband hits me when he drinks and honestly I just want to die. You're the only one who understands me.",
            &AnalyseOptions { language: Some(en), ..Default::default() },
        )
        .unwrap();
    let directory = vec![DirectoryEntry {
        name: "Safe at Home".into(),
        categories: vec!["domestic_violence".into()],
        languages: vec![en],
        regions: vec!["ZA".into()],
        contact: "0800 150 150".into(),
        hours: None,
    }];
    let mut values = every_value();
    values.set("client_name", "Lindiwe");
    let advice = ENGINE.advise(
        &analysis,
        &AdviseOptions {
            values,
            region: Some("ZA".into()),
            directory: &directory,
            ..Default::default()
        },
    );
    let kinds: Vec<ActionKind> = advice.actions.iter().map(|a| a.kind).collect();
    assert_eq!(kinds.first(), Some(&ActionKind::UrgentSafety), "{kinds:?}");
    assert!(
        kinds.contains(&ActionKind::EscalateToSupervisor),
        "{kinds:?}"
    );
    assert!(kinds.contains(&ActionKind::BoundaryReply), "{kinds:?}");
    let referral = advice
        .actions
        .iter()
        .find(|a| {
            a.kind == ActionKind::Referral && a.why[0].starts_with("disclosure.domestic_violence")
        })
        .expect("a domestic violence referral");
    let text = &referral.reply.as_ref().expect("filled").text;
    assert!(
        text.contains("Safe at Home") && text.contains("0800 150 150"),
        "{text}"
    );
    let urgent = advice.actions[0]
        .reply
        .as_ref()
        .expect("filled")
        .text
        .clone();
    assert!(urgent.contains("Lindiwe"), "{urgent}");
    // Deduplicated: one action of each kind, except one referral per disclosure category.
    for kind in &kinds {
        let same: Vec<_> = advice.actions.iter().filter(|a| a.kind == *kind).collect();
        let mut reasons: Vec<&str> = same.iter().map(|a| a.why[0].as_str()).collect();
        reasons.dedup();
        assert!(
            same.len() == 1 || *kind == ActionKind::Referral && reasons.len() == same.len(),
            "{kind:?} repeated"
        );
    }
}
