//! End to end: the fixture files through each format's import and export.

use jiff::Timestamp;
use serde_json::{Value, json};
use tact_exchange::{directory_csv, hsds, vcon};
use tact_store::{
    Author, Commitment, CommitmentKind, CommitmentStatus, Incident, IncidentKind, IncidentStatus,
    Message, Resource,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

// --------------------------------------------------------------------------------------- HSDS

#[test]
fn hsds_fixture_in_hsds_shape_imports() {
    let imported = hsds::import(include_str!("fixtures/hsds_services.json")).unwrap();
    assert_eq!(imported.len(), 2);

    let refuge = &imported[0];
    assert_eq!(
        refuge.hsds_id.as_deref(),
        Some("3d0c6f52-8a51-4c8e-9d7a-51c1e1b0a001")
    );
    assert_eq!(refuge.status.as_deref(), Some("active"));
    assert_eq!(refuge.taxonomy_terms, ["Emergency Shelter"]);
    assert_eq!(
        refuge.resource,
        Resource {
            id: 0,
            name: "Lantern Bay Refuge Helpline".into(),
            categories: vec!["domestic_violence".into(), "housing".into()],
            languages: vec!["en".into(), "pl".into()],
            regions: vec!["Lantern Bay".into(), "North Coast District".into()],
            contact: "0808 157 0001; 0808 157 0002 ext. 4; helpline@lanternbay.example; \
                      https://lanternbay.example/help; Outreach team: outreach@lanternbay.example"
                .into(),
            opening_hours: Some("Weekdays 09:00-21:00; SA,SU 10:00-16:00".into()),
            notes: "Confidential support and emergency accommodation for women leaving an abusive \
                    home.\n\nAlert: The text line is closed on Sundays until further notice."
                .into(),
            last_verified: Some(at("2026-01-12T00:00:00Z")),
            review_days: 180,
        }
    );

    let debt = &imported[1];
    assert_eq!(debt.status.as_deref(), Some("temporarily closed"));
    assert!(debt.taxonomy_terms.is_empty());
    assert_eq!(
        debt.resource,
        Resource {
            id: 0,
            name: "Debt Advice Drop-in (Northfield Money Help)".into(),
            categories: vec!["money_trouble".into()],
            languages: vec!["ur".into()],
            regions: vec![],
            contact: "0113 496 0000".into(),
            opening_hours: Some("TU,TH 10:00-13:00".into()),
            notes: String::new(),
            last_verified: None,
            review_days: 90,
        }
    );
}

#[test]
fn hsds_single_full_service_imports() {
    let imported = hsds::import(include_str!("fixtures/hsds_full_service.json")).unwrap();
    assert_eq!(imported.len(), 1);
    let r = &imported[0].resource;
    assert_eq!(r.name, "Harbour Street Food Bank");
    assert_eq!(r.categories, ["food"]);
    assert_eq!(r.regions, ["Harbour Ward"]);
    // No phones, email or URL on the service: the organization's email is the way to reach it.
    assert_eq!(r.contact, "hello@harbourfood.example");
    assert_eq!(
        r.opening_hours.as_deref(),
        Some("Wednesdays 12:00-15:00 and Saturdays 10:00-12:00")
    );
    assert_eq!(r.last_verified, Some(at("2025-12-01T00:00:00Z")));
}

#[test]
fn hsds_export_then_import_gives_back_the_directory() {
    // What the fixture imports as, plus ids and exact verification times, as the store has them.
    let mut directory: Vec<Resource> = hsds::import(include_str!("fixtures/hsds_services.json"))
        .unwrap()
        .into_iter()
        .chain(hsds::import(include_str!("fixtures/hsds_full_service.json")).unwrap())
        .map(|imported| imported.resource)
        .collect();
    for (i, r) in directory.iter_mut().enumerate() {
        r.id = i as i64 + 1;
        r.last_verified = r
            .last_verified
            .map(|t| t + jiff::SignedDuration::from_secs(37_000));
    }

    let text =
        serde_json::to_string_pretty(&hsds::export(&directory, "Lantern Bay Refuge")).unwrap();
    let back = hsds::import(&text).unwrap();
    assert_eq!(back.len(), directory.len());
    for (original, imported) in directory.iter().zip(&back) {
        assert_eq!(
            imported.resource,
            Resource {
                id: 0,
                ..original.clone()
            }
        );
        assert_eq!(
            imported.hsds_id,
            Some(hsds::service_id(original, "Lantern Bay Refuge"))
        );
    }
}

#[test]
fn hsds_rejects_a_nameless_service_by_index() {
    let mut doc: Value = serde_json::from_str(include_str!("fixtures/hsds_services.json")).unwrap();
    doc[1].as_object_mut().unwrap().remove("name");
    let err = hsds::import_value(&doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        "1 problem in the HSDS document; nothing was imported\n  service at index 1 \
         (id \"3d0c6f52-8a51-4c8e-9d7a-51c1e1b0a002\"): name: the service has no name"
    );
}

// ---------------------------------------------------------------------------------------- CSV

#[test]
fn csv_fixture_round_trips_byte_for_byte() {
    let text = include_str!("fixtures/directory.csv");
    let directory = directory_csv::import(text).unwrap();
    assert_eq!(directory.len(), 3);
    assert_eq!(directory[0].contact, "+44 808 157 0001");
    assert_eq!(
        directory[0].notes,
        "Ask for the duty worker.\nCall-backs within a day, usually by 10:00."
    );
    assert_eq!(directory[1].notes, "- bring any letters you have");
    assert_eq!(directory[1].last_verified, Some(at("2025-11-03T00:00:00Z")));
    assert_eq!(directory[1].review_days, 90);
    assert_eq!(
        directory[2].name,
        "=HYPERLINK(\"https://northfield.example\")"
    );
    assert_eq!(directory_csv::export(&directory).unwrap(), text);
}

#[test]
fn csv_resources_round_trip() {
    let directory = vec![Resource {
        id: 9,
        name: "@Night Line".into(),
        categories: vec!["urgent".into(), "loneliness".into()],
        languages: vec!["en".into()],
        regions: vec![],
        contact: "+44 113 496 0999".into(),
        opening_hours: None,
        notes: "Quote \"night\" when calling; 'quiet' line.".into(),
        last_verified: Some(at("2026-02-20T00:00:00Z")),
        review_days: 30,
    }];
    let text = directory_csv::export(&directory).unwrap();
    let back = directory_csv::import(&text).unwrap();
    assert_eq!(
        back,
        vec![Resource {
            id: 0,
            ..directory[0].clone()
        }]
    );
}

#[test]
fn csv_bad_rows_name_their_lines_and_nothing_is_imported() {
    let err = directory_csv::import(include_str!("fixtures/directory_bad_row.csv")).unwrap_err();
    let directory_csv::ImportError::InvalidRows(rows) = &err else {
        panic!("{err:?}");
    };
    let got: Vec<(u64, usize, &str)> = rows.iter().map(|e| (e.line, e.column, e.field)).collect();
    // The quoted note spans lines 3 and 4, so the food bank's row is line 5.
    assert_eq!(got, [(3, 8, "last_verified"), (5, 2, "categories")]);
    assert_eq!(
        err.to_string(),
        "2 bad cells in the file; nothing was imported\n  \
         line 3, column 8 (last_verified): \"2025-11-31\" is not a date; write it as YYYY-MM-DD\n  \
         line 5, column 2 (categories): at least one category is needed (separate several with ';')"
    );
}

// --------------------------------------------------------------------------------------- vCon

fn conversation_records() -> (Vec<Message>, Vec<Incident>, Vec<Commitment>) {
    let messages = vec![
        Message {
            id: 101,
            conversation: 42,
            author: Author::Client,
            redacted_text: "Hi, I'm [PERSON]. My partner took my phone again and I can't pay the rent."
                .into(),
            has_original: true,
            analysis: Some(json!({
                "language": "en",
                "signals": [
                    {"category": "disclosure.domestic_violence", "rule": "controlling_behaviour"},
                    {"category": "disclosure.money_trouble", "rule": "rent_arrears"}
                ]
            })),
            sent_at: at("2026-03-09T18:02:11Z"),
        },
        Message {
            id: 102,
            conversation: 42,
            author: Author::Worker,
            redacted_text: "Thank you for telling me. I'll send you the number of a refuge helpline by tomorrow morning."
                .into(),
            has_original: false,
            analysis: None,
            sent_at: at("2026-03-09T18:05:40Z"),
        },
        Message {
            id: 103,
            conversation: 42,
            author: Author::Client,
            redacted_text: "ok thanks, you can text me on [PHONE]".into(),
            has_original: true,
            analysis: Some(json!({"language": "en", "signals": []})),
            sent_at: at("2026-03-09T18:06:02Z"),
        },
    ];
    let incidents = vec![Incident {
        id: 7,
        conversation: 42,
        message: Some(101),
        kind: IncidentKind::UrgentDisclosure,
        severity: "high".into(),
        status: IncidentStatus::InProgress,
        summary: "disclosure.domestic_violence (controlling_behaviour)".into(),
        notes: "Supervisor note that must not leave the organisation".into(),
        handled_by: Some(3),
        created_at: at("2026-03-09T18:02:12Z"),
    }];
    let commitments = vec![Commitment {
        id: 12,
        conversation: 42,
        kind: CommitmentKind::Promise,
        what: "send the number of a refuge helpline".into(),
        due_at: at("2026-03-10T09:00:00Z"),
        ambiguous: true,
        status: CommitmentStatus::Open,
    }];
    (messages, incidents, commitments)
}

#[test]
fn vcon_export_matches_the_expected_document() {
    let (messages, incidents, commitments) = conversation_records();
    let got = vcon::export(
        &vcon::Conversation {
            id: 42,
            organisation: "Lantern Bay Refuge",
            client_pseudonym: Some("chatwoot:contact:9071"),
            messages: &messages,
            incidents: &incidents,
            commitments: &commitments,
        },
        at("2026-03-10T12:00:00Z"),
    )
    .unwrap();
    let expected: Value =
        serde_json::from_str(include_str!("fixtures/vcon_expected.json")).unwrap();
    assert_eq!(got, expected);
    assert!(!got.to_string().contains("Supervisor note"));
}
