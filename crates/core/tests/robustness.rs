//! Any input, however hostile, is analysed without a panic, and every span slices the original
//! text on character boundaries; redaction never touches text outside the spans. Drafts are
//! coached and transcripts read or refused, never a panic.

use proptest::prelude::*;
use std::sync::LazyLock;
use tact_core::coach::CoachOptions;
use tact_core::conversation::ConversationOptions;
use tact_core::redact::{Operator, Policy, RedactionKey, Redactor, unredact};
use tact_core::resources::Source;
use tact_core::transcript::{Format, assign_roles, parse};
use tact_core::{AnalyseOptions, Engine, Lang};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files()
        .map(|(p, t)| Source::new(p, t))
        .collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

fn check(text: &str, language: Option<Lang>) {
    let analysis = ENGINE
        .analyse(
            text,
            &AnalyseOptions {
                language,
                ..Default::default()
            },
        )
        .expect("analysis");
    let chars: Vec<char> = text.chars().collect();
    for f in &analysis.pii {
        assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "{f:?}"
        );
        assert!(f.span.start < f.span.end && f.span.end <= text.len());
        assert_eq!(&text[f.span.start..f.span.end], f.text);
        let by_chars: String = chars[f.span.char_start..f.span.char_end].iter().collect();
        assert_eq!(by_chars, f.text);
    }
    let key = RedactionKey::from_secret(b"0123456789abcdef0123456789abcdef").unwrap();
    let redacted = Redactor::new()
        .redact(
            text,
            &analysis.pii,
            &Policy::uniform(Operator::Encrypt),
            Some(&key),
        )
        .unwrap();
    // Text between replacements is untouched, and decryption restores the original exactly.
    assert_eq!(unredact(&redacted.text, &key).unwrap(), text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes), None);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        check(&text, None);
        check(&text, Lang::parse("ar"));
    }

    #[test]
    fn digit_and_separator_soup_never_panics(text in "[0-9 +()./@:a-zA-Z\\-٠-٩０-９]{0,120}") {
        check(&text, Lang::parse("fr"));
    }

    #[test]
    fn any_draft_is_coached_with_spans_on_boundaries(
        text in "\\PC{0,200}",
        lang in proptest::sample::select(vec!["en", "fr", "ja", "ar", "de"]),
    ) {
        coach(&text, Lang::parse(lang));
    }

    #[test]
    fn time_soup_in_promises_never_panics(text in "(I'll call you |je vous rappelle |[0-9]{1,4}|[./:h-]| |by |within |next |tomorrow|uur|Uhr|月|日|december|friday){0,14}") {
        coach(&text, Lang::parse("en"));
        coach(&text, Lang::parse("fr"));
    }

    #[test]
    fn any_transcript_text_is_read_or_refused(text in "(WEBVTT\n\n)?([0-9:.]{0,12}( --> )?[0-9:.]{0,12}\n(<v [A-Za-z ]{0,8}>)?\\PC{0,20}\n\n){0,4}") {
        for format in [Format::Tact, Format::WebVtt, Format::AmazonTranscribe] {
            if let Ok(mut turns) = parse(&text, format) {
                assign_roles(&mut turns, &[]);
                ENGINE.conversation(&turns, &ConversationOptions::default()).expect("conversation");
            }
        }
    }
}

/// Coaches `text`; every reported span slices it on character boundaries.
fn coach(text: &str, language: Option<Lang>) {
    let report = ENGINE
        .coach(
            text,
            &CoachOptions {
                language,
                reference: Some(jiff::civil::date(2026, 11, 20).at(16, 59, 0, 0)),
                ..Default::default()
            },
        )
        .expect("coaching");
    let spans = report
        .criteria
        .iter()
        .filter_map(|c| c.sentence.as_ref())
        .chain(report.flags.iter().flat_map(|f| [&f.span, &f.sentence]));
    for span in spans {
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    for c in &report.commitments {
        assert_eq!(&text[c.start..c.end], c.sentence);
    }
}

#[test]
fn pathological_repetition_stays_linear() {
    for unit in [
        "1",
        "1 ",
        "a@",
        "+3",
        "https://",
        "x",
        "é",
        "死",
        "ـ",
        "0-",
        "0.",
        "1.1.",
        "(1",
        "fr76",
        "www.",
        "I want to ",
        "\u{200B}",
    ] {
        let text = unit.repeat(100_000 / unit.len());
        let started = std::time::Instant::now();
        check(&text, None);
        // Not a speed assertion: a generous bound that only a quadratic blow-up would cross.
        assert!(
            started.elapsed().as_secs() < 20,
            "{unit:?} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_large_message_is_analysed() {
    let block =
        "Bonjour, mon numéro est le 06 12 34 56 78 et mon IBAN FR76 3000 6000 0112 3456 7890 189. ";
    let text = block.repeat((5 << 20) / block.len());
    let analysis = ENGINE.analyse(&text, &AnalyseOptions::default()).unwrap();
    assert!(analysis.pii.len() >= 2 * ((5 << 20) / block.len()) - 2);
}
