//! Any bytes, as a worker's draft, coached in every language, and as a transcript in every format
//! read and analysed as a conversation: no panic, spans on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tact_core::coach::CoachOptions;
use tact_core::conversation::ConversationOptions;
use tact_core::resources::Source;
use tact_core::transcript::{Format, assign_roles, parse};
use tact_core::Engine;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files().map(|(p, t)| Source::new(p, t)).collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lang = ENGINE.languages()[data.first().copied().unwrap_or(0) as usize % ENGINE.languages().len()];
    let report = ENGINE
        .coach(
            &text,
            &CoachOptions {
                language: Some(lang),
                reference: Some(jiff::civil::date(2026, 11, 20).at(16, 59, 0, 0)),
                ..Default::default()
            },
        )
        .expect("coaching");
    for f in &report.flags {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    for format in [Format::Tact, Format::WebVtt, Format::AmazonTranscribe] {
        if let Ok(mut turns) = parse(&text, format) {
            assign_roles(&mut turns, &[]);
            ENGINE.conversation(&turns, &ConversationOptions::default()).expect("conversation");
        }
    }
});
