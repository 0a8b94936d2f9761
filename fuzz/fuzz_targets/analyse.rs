//! Any bytes, as text, analysed with the built-in resources and redacted: no panic, spans on
//! character boundaries, redaction reversible.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tact_core::redact::{Operator, Policy, RedactionKey, Redactor, unredact};
use tact_core::resources::Source;
use tact_core::{AnalyseOptions, Engine};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let sources: Vec<Source> = tact_resources::files().map(|(p, t)| Source::new(p, t)).collect();
    Engine::from_sources(&sources).expect("built-in resources load")
});
static KEY: LazyLock<RedactionKey> = LazyLock::new(|| RedactionKey::from_secret(&[7u8; 32]).expect("key"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = ENGINE.analyse(&text, &AnalyseOptions::default()).expect("analysis");
    for f in &analysis.pii {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    let redacted = Redactor::new().redact(&text, &analysis.pii, &Policy::uniform(Operator::Encrypt), Some(&KEY)).expect("redact");
    assert_eq!(unredact(&redacted.text, &KEY).expect("unredact"), text);
});
