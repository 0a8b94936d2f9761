//! Loading scenarios from files: a malformed file is rejected with its file and line, and an
//! organisation's directory overrides and extends the built-in packs.

use std::path::Path;
use tact_core::Lang;
use tact_training::{Catalog, Error};

fn fixtures(dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
}

#[test]
fn every_malformed_file_is_reported_with_its_file_and_line() {
    let err = Catalog::load_dir(&fixtures("bad")).expect_err("bad files");
    let Error::Invalid(problems) = &err else {
        panic!("expected invalid scenarios, got {err}");
    };
    let text = err.to_string();
    let line_of = |file: &str| {
        problems
            .iter()
            .find(|p| p.location.path.ends_with(file))
            .map(|p| p.location.line)
    };
    assert_eq!(line_of("missing-otherwise.toml"), Some(16), "{text}");
    assert_eq!(line_of("syntax.toml"), Some(7), "{text}");
    assert_eq!(line_of("unknown-names.toml"), Some(16), "{text}");
    assert!(text.contains("missing-otherwise.toml:16:"), "{text}");
    assert!(text.contains("must be `otherwise = true`"), "{text}");
    assert!(text.contains("unknown criterion \"empathy\""), "{text}");
    assert!(
        text.contains("`end` names no end state: \"gone\""),
        "{text}"
    );
}

#[test]
fn an_organisation_directory_overrides_and_adds_scenarios() {
    let en = Lang::parse("en").expect("en");
    let fr = Lang::parse("fr").expect("fr");
    let builtin = Catalog::embedded().expect("built-in scenarios");
    let catalog = Catalog::embedded_with_dir(&fixtures("org")).expect("org scenarios");
    let money = catalog.get("money-request", en).expect("money-request");
    assert!(money.title.ends_with("(our version)"));
    assert!(money.source.ends_with("org/en/money-request.toml"));
    assert!(catalog.get("bus-fare", fr).is_some());
    assert_eq!(catalog.len(), builtin.len() + 1);
}

#[test]
fn a_missing_directory_is_a_read_error_naming_it() {
    let err = Catalog::load_dir(&fixtures("does-not-exist")).expect_err("missing");
    assert!(matches!(err, Error::Read { .. }));
    assert!(err.to_string().contains("does-not-exist"), "{err}");
}
