//! Scanner tests on the built-in patterns, with small inline cue files so they do not depend on
//! the state of any one language's lexicon.

use crate::engine::{AnalyseOptions, Engine};
use crate::lang::Lang;
use crate::resources::Source;

const CUES: &str = r#"
[[entry]]
id = "name"
category = "pii.cue.name"
phrases = ["my name is", "mr"]
[[entry]]
id = "not"
category = "pii.cue.not_pii"
phrases = ["order", "order no", "pedido"]
[[entry]]
id = "phone"
category = "pii.cue.phone"
phrases = ["call me on"]
[[entry]]
id = "birth"
category = "pii.cue.birth_date"
phrases = ["born on"]
"#;

fn engine() -> Engine {
    let mut sources: Vec<Source> = tact_resources::files()
        .filter(|(p, _)| p.starts_with("_shared/"))
        .map(|(p, t)| Source::new(p, t))
        .collect();
    for (code, regions) in [
        ("en", "\"GB\", \"US\", \"ZA\""),
        ("fr", "\"FR\", \"BE\""),
        ("nl", "\"NL\", \"BE\""),
        ("es", "\"ES\", \"MX\""),
        ("pl", "\"PL\""),
    ] {
        sources.push(Source::new(
            format!("{code}/language.toml"),
            format!("code = \"{code}\"\nname = \"{code}\"\nphone_regions = [{regions}]\n"),
        ));
    }
    sources.push(Source::new("en/pii.toml", CUES));
    Engine::from_sources(&sources).expect("test resources load")
}

fn found(text: &str, lang: &str) -> Vec<(String, String)> {
    let options = AnalyseOptions {
        language: Lang::parse(lang),
        ..Default::default()
    };
    engine()
        .analyse(text, &options)
        .unwrap()
        .pii
        .into_iter()
        .map(|f| (f.kind, f.text))
        .collect()
}

fn pair(kind: &str, text: &str) -> (String, String) {
    (kind.to_string(), text.to_string())
}

#[test]
fn emails_urls_and_ips() {
    assert_eq!(
        found("write to José.Pérez+1@exemple.fr, thanks", "en"),
        vec![pair("EMAIL_ADDRESS", "José.Pérez+1@exemple.fr")]
    );
    assert_eq!(
        found("see https://example.com/a?b=1.", "en"),
        vec![pair("URL", "https://example.com/a?b=1")]
    );
    assert_eq!(
        found("from 192.168.1.20 and 2001:db8::1", "en"),
        vec![
            pair("IP_ADDRESS", "192.168.1.20"),
            pair("IP_ADDRESS", "2001:db8::1")
        ]
    );
    assert!(found("version 1.2.3.4.5 at 10:30:00, score 999.1.1.1", "en").is_empty());
}

#[test]
fn cards_need_luhn_and_a_brand() {
    assert_eq!(
        found("card 4111 1111 1111 1111 please", "en"),
        vec![pair("CREDIT_CARD", "4111 1111 1111 1111")]
    );
    assert!(found("card 4111 1111 1111 1112 please", "en").is_empty());
}

#[test]
fn ibans_are_cut_to_their_country_length() {
    assert_eq!(
        found("IBAN FR76 3000 6000 0112 3456 7890 189 merci", "fr"),
        vec![pair("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189")]
    );
    assert_eq!(
        found("pay to GB82WEST12345698765432", "en"),
        vec![pair("IBAN_CODE", "GB82WEST12345698765432")]
    );
    assert!(found("pay to GB82WEST12345698765433", "en").is_empty());
}

#[test]
fn phones_international_and_national() {
    assert_eq!(
        found("call me on +34 660 508 503 after 5pm", "en"),
        vec![pair("PHONE_NUMBER", "+34 660 508 503")]
    );
    assert_eq!(
        found("mon numéro: 06 12 34 56 78", "fr"),
        vec![pair("PHONE_NUMBER", "06 12 34 56 78")]
    );
    assert_eq!(
        found("bel 06-12345678", "nl"),
        vec![pair("PHONE_NUMBER", "06-12345678")]
    );
}

#[test]
fn order_numbers_amounts_and_dates_are_not_personal_data() {
    assert!(found("order #2785924107 still hasn't arrived", "en").is_empty());
    assert!(found("el pedido 4646325107 costó 322,30 euros", "es").is_empty());
    assert!(found("I paid £535,44 on 11/05/2026", "en").is_empty());
}

#[test]
fn national_identifiers_need_their_checksum() {
    assert_eq!(
        found("my SSN is 536-90-4399", "en"),
        vec![pair("US_SSN", "536-90-4399")]
    );
    assert_eq!(
        found("PESEL 44051401359", "pl"),
        vec![pair("PL_PESEL", "44051401359")]
    );
    assert!(found("PESEL 44051401358", "pl").is_empty());
    assert_eq!(
        found("mijn BSN is 111222333", "nl"),
        vec![pair("NL_BSN", "111222333")]
    );
    assert_eq!(
        found("codice RSSMRA85T10A562S", "en"),
        vec![pair("IT_FISCAL_CODE", "RSSMRA85T10A562S")]
    );
    assert_eq!(
        found("DNI 12345678Z", "es"),
        vec![pair("ES_NIF", "12345678Z")]
    );
    assert!(found("DNI 12345678A", "es").is_empty());
}

#[test]
fn context_cues_reveal_names_and_birth_dates() {
    assert_eq!(
        found(
            "Hello, my name is Thandiwe Nkosi and I was born on 12/03/1985",
            "en"
        ),
        vec![
            pair("PERSON", "Thandiwe Nkosi"),
            pair("DATE_OF_BIRTH", "12/03/1985")
        ]
    );
}

#[test]
fn full_width_and_arabic_indic_digits() {
    assert_eq!(
        found("call me on ＋３３ ６ １２ ３４ ５６ ７８", "en"),
        vec![pair("PHONE_NUMBER", "＋３３ ６ １２ ３４ ５６ ７８")]
    );
    let f = engine()
        .analyse("رقمي +٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", &AnalyseOptions::default())
        .unwrap()
        .pii;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].normalized.as_deref(), Some("+966501234567"));
}

#[test]
fn spans_report_bytes_and_characters() {
    let text = "Zoé: zoe@x.fr";
    let f = &engine()
        .analyse(text, &AnalyseOptions::default())
        .unwrap()
        .pii[0];
    assert_eq!((f.span.start, f.span.end), (6, 14));
    assert_eq!((f.span.char_start, f.span.char_end), (5, 13));
}

#[test]
fn after_hours_contact_comes_from_the_time_context() {
    use crate::context::{TimeContext, WorkingHours};
    let hours = WorkingHours::weekdays(9 * 60, 17 * 60);
    let late = TimeContext {
        weekday: 2,
        minute: 22 * 60 + 30,
        hours: hours.clone(),
        day_off: false,
    };
    let options = AnalyseOptions {
        language: Lang::parse("en"),
        time: Some(late),
    };
    let analysis = engine()
        .analyse("hello, any news about my refund?", &options)
        .unwrap();
    assert!(
        analysis
            .signals
            .iter()
            .any(|s| s.category == "crossing.after_hours")
    );
    let noon = TimeContext {
        weekday: 2,
        minute: 12 * 60,
        hours,
        day_off: false,
    };
    let options = AnalyseOptions {
        language: Lang::parse("en"),
        time: Some(noon),
    };
    let analysis = engine()
        .analyse("hello, any news about my refund?", &options)
        .unwrap();
    assert!(
        !analysis
            .signals
            .iter()
            .any(|s| s.category == "crossing.after_hours")
    );
}
