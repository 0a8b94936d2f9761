//! The terminal driver with scripted input: persona, messages, feedback after each reply and the
//! report, wrapped to the width; `/hint`, `/quit` and the list of scenarios.

use std::sync::LazyLock;
use tact_core::resources::Source;
use tact_core::{Engine, Lang};
use tact_training::terminal::{list, play};
use tact_training::{Catalog, Outcome};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

fn money_request() -> tact_training::Scenario {
    let catalog = Catalog::embedded().expect("built-in scenarios");
    catalog
        .get("money-request", Lang::parse("en").expect("en"))
        .expect("money-request in en")
        .clone()
}

#[test]
fn plays_a_scenario_to_its_end_with_feedback_and_report() {
    let input = "/hint\n\
        I can see how stressful this is. I can't lend money myself, but the food bank on Church Street is open today.\n\
        Is there anything else I can do for you? Thank you for coming in.\n";
    let mut out = Vec::new();
    let report = play(&ENGINE, &money_request(), input.as_bytes(), &mut out, 80).expect("play");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(report.end.as_ref().map(|e| e.outcome), Some(Outcome::Good));
    assert_eq!(report.turns.len(), 2);
    for expected in [
        "Client: Mr Daniels",
        "Hint: Show you understand",
        "Client: Sorry, this is embarrassing.",
        "Coach: ",
        "\u{2713} validation",
        "End: referred (good)",
        "Criteria met over the session:",
        "Average score:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "a line is wider than 80:\n{text}"
    );
}

#[test]
fn a_poor_reply_shows_the_flag_and_what_to_practise() {
    let input = "Sure, I can lend you twenty pounds.\n";
    let mut out = Vec::new();
    let report = play(&ENGINE, &money_request(), input.as_bytes(), &mut out, 60).expect("play");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(
        report.end.as_ref().map(|e| e.id.as_str()),
        Some("lent-money")
    );
    assert!(text.contains("! money_offer (P18)"), "{text}");
    assert!(text.contains("What to practise next:"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
}

#[test]
fn quitting_early_gives_a_report_without_an_end() {
    for input in ["/quit\n", "\n", ""] {
        let mut out = Vec::new();
        let report = play(&ENGINE, &money_request(), input.as_bytes(), &mut out, 80).expect("play");
        assert!(report.end.is_none());
        assert!(report.turns.is_empty());
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("Stopped before an end"), "{text}");
    }
}

#[test]
fn lists_scenarios_per_language() {
    let catalog = Catalog::embedded().expect("built-in scenarios");
    let mut out = Vec::new();
    list(&catalog, &mut out, 80).expect("list");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("== en =="), "{text}");
    assert!(
        text.contains("money-request \u{2014} A client asks to borrow money"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}
