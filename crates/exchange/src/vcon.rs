//! One conversation as an IETF vCon, the JSON conversation container of the IETF vCon working
//! group (draft-ietf-vcon-vcon-core, formerly draft-ietf-vcon-vcon-container), unsigned form.
//!
//! # What goes in
//!
//! * `vcon`: [`VCON_VERSION`] (the syntax version of the current draft); `uuid`: see
//!   [`vcon_uuid`]; `created_at`: the `now` passed in; `subject`: organisation and conversation id;
//! * `extensions`: `["CC"]`, for the contact-center extension's party `role`;
//! * `redacted`: `{"type": "pii_masked"}` without a `uuid`, the draft's way of saying that the
//!   text is redacted and that no less-redacted version is available;
//! * `parties`: 0 is the client, `role` `"customer"`, never a real name: when a pseudonym (the
//!   channel's opaque id) is given it is the `name`, with `validation` `"pseudonym"`; 1 is the
//!   worker, `role` `"agent"`, `org` the organisation;
//! * `dialog`: one `"text"` entry per message, in the order sent, with `start` (sent at),
//!   `parties` `[0, 1]`, `originator` `1` for a worker's message (the draft leaves `originator` out
//!   when the first party sent it), `mediatype` `"text/plain"`, `encoding` `"none"`, `body` the
//!   **redacted** text, and `message_id` tact's message id;
//! * `analysis`, all with `vendor` `"tact"`, `encoding` `"json"` and the JSON itself as `body`:
//!   each message's stored analysis (`type` `"report"`, `dialog` its index, `schema`
//!   `"tact-message-analysis"`); each incident (`type` `"incident"`) and commitment (`type`
//!   `"commitment"`), with `dialog` listing every dialog index, as they concern the whole
//!   conversation.
//!
//! # What stays out
//!
//! A vCon leaves the organisation, so only text that went through tact's redaction goes in.
//! [`Message`] holds only the redacted text (its `has_original` flag says an encrypted original is
//! kept elsewhere, and is not exported), so no unredacted original can reach a vCon from here;
//! keep it that way. An incident's `notes` and `handled_by` are left out too: the notes are free
//! text typed by staff that never went through redaction, and `handled_by` is an internal staff id.

use jiff::Timestamp;
use serde_json::{Value, json};
use tact_store::{Author, Commitment, CommitmentStatus, Incident, Message};

use crate::uuid_v8;

/// The `vcon` syntax version written (draft-ietf-vcon-vcon-core).
pub const VCON_VERSION: &str = "0.4.0";

/// The `vendor` of every analysis entry.
pub const VENDOR: &str = "tact";

/// Index of the client in `parties`.
const CLIENT: usize = 0;
/// Index of the worker in `parties`.
const WORKER: usize = 1;

/// A conversation to export, as the store returns it.
#[derive(Debug, Clone, Copy)]
pub struct Conversation<'a> {
    /// The conversation's id.
    pub id: i64,
    /// The organisation's name; with `id`, it determines the vCon's uuid.
    pub organisation: &'a str,
    /// The client's pseudonym (the channel's opaque id), if it is to be included.
    pub client_pseudonym: Option<&'a str>,
    /// Its messages (redacted), in any order.
    pub messages: &'a [Message],
    /// Its incidents.
    pub incidents: &'a [Incident],
    /// Its commitments.
    pub commitments: &'a [Commitment],
}

/// Why a conversation could not be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The organisation name is blank, so the uuid would not be scoped to it.
    #[error("organisation: the name is blank; it is needed to make the vCon's uuid unique")]
    NoOrganisation,
    /// A record belongs to another conversation.
    #[error("{record} {id} belongs to conversation {found}, not to conversation {expected}")]
    ForeignRecord {
        /// `message`, `incident` or `commitment`.
        record: &'static str,
        /// Its id.
        id: i64,
        /// The conversation it belongs to.
        found: i64,
        /// The conversation being exported.
        expected: i64,
    },
}

/// The uuid of a conversation's vCon: a version-8 UUID from the SHA-256 digest of the
/// organisation and the conversation id (RFC 9562 §5.8, built like its Appendix B.2 example), so
/// exporting the same conversation again gives the same uuid, and two organisations never share
/// one. (The draft suggests a time-based version 8 layout; a name-based one is used instead so
/// that the uuid does not depend on when the export ran.)
pub fn vcon_uuid(organisation: &str, conversation: i64) -> String {
    uuid_v8(&["tact/vcon", organisation.trim(), &conversation.to_string()])
}

/// Builds the vCon of a conversation (see the [module documentation](self)). `now` is its
/// `created_at`, and decides whether an open commitment past its due time reads as late.
pub fn export(conversation: &Conversation<'_>, now: Timestamp) -> Result<Value, ExportError> {
    let organisation = conversation.organisation.trim();
    if organisation.is_empty() {
        return Err(ExportError::NoOrganisation);
    }
    let expected = conversation.id;
    let check = |record, id, found| {
        if found == expected {
            Ok(())
        } else {
            Err(ExportError::ForeignRecord {
                record,
                id,
                found,
                expected,
            })
        }
    };
    for m in conversation.messages {
        check("message", m.id, m.conversation)?;
    }
    for i in conversation.incidents {
        check("incident", i.id, i.conversation)?;
    }
    for c in conversation.commitments {
        check("commitment", c.id, c.conversation)?;
    }

    let mut messages: Vec<&Message> = conversation.messages.iter().collect();
    messages.sort_by_key(|m| (m.sent_at, m.id));
    let dialog_of = |message: i64| messages.iter().position(|m| m.id == message);
    let whole: Vec<usize> = (0..messages.len()).collect();

    let mut client = json!({ "role": "customer" });
    if let Some(pseudonym) = conversation.client_pseudonym.map(str::trim)
        && !pseudonym.is_empty()
    {
        client["name"] = json!(pseudonym);
        client["validation"] = json!("pseudonym");
    }
    let worker = json!({ "role": "agent", "org": organisation });

    let dialog: Vec<Value> = messages
        .iter()
        .map(|m| {
            let mut entry = json!({
                "type": "text",
                "start": m.sent_at.to_string(),
                "parties": [CLIENT, WORKER],
                "mediatype": "text/plain",
                "encoding": "none",
                "body": m.redacted_text,
                "message_id": m.id.to_string(),
            });
            if m.author == Author::Worker {
                entry["originator"] = json!(WORKER);
            }
            entry
        })
        .collect();

    let mut analysis = Vec::new();
    for (index, m) in messages.iter().enumerate() {
        if let Some(report) = &m.analysis {
            analysis.push(analysis_entry(
                "report",
                json!(index),
                "tact-message-analysis",
                report.clone(),
            ));
        }
    }
    let mut incidents: Vec<&Incident> = conversation.incidents.iter().collect();
    incidents.sort_by_key(|i| (i.created_at, i.id));
    for i in incidents {
        let body = json!({
            "id": i.id,
            "kind": i.kind.as_str(),
            "severity": i.severity,
            "status": i.status.as_str(),
            "summary": i.summary,
            "raised_by_dialog": i.message.and_then(dialog_of),
            "created_at": i.created_at.to_string(),
        });
        analysis.push(analysis_entry(
            "incident",
            json!(whole),
            "tact-incident",
            body,
        ));
    }
    let mut commitments: Vec<&Commitment> = conversation.commitments.iter().collect();
    commitments.sort_by_key(|c| (c.due_at, c.id));
    for c in commitments {
        let status = match c.status {
            CommitmentStatus::Open if c.due_at < now => CommitmentStatus::Late,
            status => status,
        };
        let body = json!({
            "id": c.id,
            "kind": c.kind.as_str(),
            "what": c.what,
            "due_at": c.due_at.to_string(),
            "ambiguous": c.ambiguous,
            "status": status.as_str(),
        });
        analysis.push(analysis_entry(
            "commitment",
            json!(whole),
            "tact-commitment",
            body,
        ));
    }

    let mut vcon = json!({
        "vcon": VCON_VERSION,
        "uuid": vcon_uuid(organisation, conversation.id),
        "created_at": now.to_string(),
        "subject": format!("{organisation}: conversation {}", conversation.id),
        "extensions": ["CC"],
        "redacted": { "type": "pii_masked" },
        "parties": [client, worker],
        "dialog": dialog,
        "analysis": analysis,
    });
    if messages.is_empty() {
        // "Objects or arrays with no or null values MAY be excluded from the vCon."
        if let Some(object) = vcon.as_object_mut() {
            object.remove("dialog");
        }
    }
    Ok(vcon)
}

/// An analysis entry by tact, its JSON inline.
fn analysis_entry(kind: &str, dialog: Value, schema: &str, body: Value) -> Value {
    let mut entry = json!({
        "type": kind,
        "vendor": VENDOR,
        "schema": schema,
        "mediatype": "application/json",
        "encoding": "json",
        "body": body,
    });
    // An entry about no dialog at all (a conversation without messages) has no `dialog`.
    if dialog.as_array().is_none_or(|indices| !indices.is_empty()) {
        entry["dialog"] = dialog;
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use tact_store::{CommitmentKind, IncidentKind, IncidentStatus};

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn message(id: i64, author: Author, text: &str, sent: &str) -> Message {
        Message {
            id,
            conversation: 5,
            author,
            redacted_text: text.into(),
            has_original: true,
            analysis: None,
            sent_at: at(sent),
        }
    }

    fn incident() -> Incident {
        Incident {
            id: 3,
            conversation: 5,
            message: Some(10),
            kind: IncidentKind::Abuse,
            severity: "high".into(),
            status: IncidentStatus::Open,
            summary: "abuse.insult".into(),
            notes: "Spoke to Jane Doe on 555-0100".into(),
            handled_by: Some(2),
            created_at: at("2026-03-02T09:01:00Z"),
        }
    }

    fn commitment(status: CommitmentStatus, due: &str) -> Commitment {
        Commitment {
            id: 4,
            conversation: 5,
            kind: CommitmentKind::Promise,
            what: "call back tomorrow".into(),
            due_at: at(due),
            ambiguous: false,
            status,
        }
    }

    fn export_of(
        messages: &[Message],
        incidents: &[Incident],
        commitments: &[Commitment],
        pseudonym: Option<&str>,
    ) -> Result<Value, ExportError> {
        export(
            &Conversation {
                id: 5,
                organisation: "Example Org",
                client_pseudonym: pseudonym,
                messages,
                incidents,
                commitments,
            },
            at("2026-03-03T00:00:00Z"),
        )
    }

    #[test]
    fn uuid_is_stable_and_scoped() {
        let a = vcon_uuid("Example Org", 5);
        assert_eq!(a, vcon_uuid(" Example Org ", 5));
        assert_ne!(a, vcon_uuid("Example Org", 6));
        assert_ne!(a, vcon_uuid("Other Org", 5));
        assert_eq!(&a[14..15], "8");
    }

    #[test]
    fn messages_become_text_dialog_in_time_order() {
        let messages = [
            message(
                11,
                Author::Worker,
                "Sorry to hear that, [NAME].",
                "2026-03-02T09:02:00Z",
            ),
            message(
                10,
                Author::Client,
                "My landlord [NAME] shouts at me",
                "2026-03-02T09:00:00Z",
            ),
        ];
        let v = export_of(&messages, &[], &[], None).unwrap();
        let dialog = v["dialog"].as_array().unwrap();
        assert_eq!(dialog.len(), 2);
        assert_eq!(dialog[0]["body"], "My landlord [NAME] shouts at me");
        assert_eq!(dialog[0]["start"], "2026-03-02T09:00:00Z");
        assert_eq!(dialog[0]["parties"], json!([0, 1]));
        assert!(dialog[0].get("originator").is_none());
        assert_eq!(dialog[1]["originator"], 1);
        assert_eq!(dialog[1]["type"], "text");
        assert_eq!(dialog[1]["mediatype"], "text/plain");
        assert_eq!(dialog[1]["encoding"], "none");
        assert_eq!(dialog[1]["message_id"], "11");
        assert_eq!(v["vcon"], VCON_VERSION);
        assert_eq!(v["created_at"], "2026-03-03T00:00:00Z");
    }

    #[test]
    fn parties_are_pseudonymous() {
        let v = export_of(&[], &[], &[], None).unwrap();
        assert_eq!(v["parties"][0], json!({"role": "customer"}));
        assert_eq!(
            v["parties"][1],
            json!({"role": "agent", "org": "Example Org"})
        );
        let v = export_of(&[], &[], &[], Some("chatwoot:4821")).unwrap();
        assert_eq!(
            v["parties"][0],
            json!({"role": "customer", "name": "chatwoot:4821", "validation": "pseudonym"})
        );
        assert!(v.get("dialog").is_none(), "no messages, no dialog array");
    }

    #[test]
    fn stored_analysis_points_at_its_dialog() {
        let mut first = message(10, Author::Client, "a", "2026-03-02T09:00:00Z");
        first.analysis = Some(json!({"signals": ["abuse.insult"]}));
        let second = message(11, Author::Worker, "b", "2026-03-02T09:01:00Z");
        let mut third = message(12, Author::Client, "c", "2026-03-02T09:02:00Z");
        third.analysis = Some(json!({"signals": []}));
        let v = export_of(&[first, second, third], &[], &[], None).unwrap();
        let analysis = v["analysis"].as_array().unwrap();
        assert_eq!(analysis.len(), 2);
        assert_eq!(analysis[0]["dialog"], 0);
        assert_eq!(analysis[1]["dialog"], 2);
        assert_eq!(analysis[0]["type"], "report");
        assert_eq!(analysis[0]["vendor"], "tact");
        assert_eq!(analysis[0]["encoding"], "json");
        assert_eq!(analysis[0]["body"], json!({"signals": ["abuse.insult"]}));
    }

    #[test]
    fn incidents_cover_the_whole_conversation_without_staff_notes() {
        let messages = [
            message(10, Author::Client, "a", "2026-03-02T09:00:00Z"),
            message(11, Author::Worker, "b", "2026-03-02T09:01:00Z"),
        ];
        let v = export_of(&messages, &[incident()], &[], None).unwrap();
        let entry = &v["analysis"][0];
        assert_eq!(entry["type"], "incident");
        assert_eq!(entry["dialog"], json!([0, 1]));
        assert_eq!(entry["body"]["kind"], "abuse");
        assert_eq!(entry["body"]["raised_by_dialog"], 0);
        let text = v.to_string();
        assert!(
            !text.contains("Jane Doe") && !text.contains("555-0100"),
            "{text}"
        );
        assert!(entry["body"].get("handled_by").is_none());
    }

    #[test]
    fn open_commitments_past_due_read_as_late() {
        let late = export_of(
            &[],
            &[],
            &[commitment(CommitmentStatus::Open, "2026-03-02T12:00:00Z")],
            None,
        )
        .unwrap();
        assert_eq!(late["analysis"][0]["body"]["status"], "late");
        assert!(late["analysis"][0].get("dialog").is_none());
        let open = export_of(
            &[],
            &[],
            &[commitment(CommitmentStatus::Open, "2026-03-04T12:00:00Z")],
            None,
        )
        .unwrap();
        assert_eq!(open["analysis"][0]["body"]["status"], "open");
        let kept = export_of(
            &[],
            &[],
            &[commitment(CommitmentStatus::Kept, "2026-03-02T12:00:00Z")],
            None,
        )
        .unwrap();
        assert_eq!(kept["analysis"][0]["body"]["status"], "kept");
    }

    #[test]
    fn records_of_other_conversations_are_refused() {
        let mut stray = message(10, Author::Client, "a", "2026-03-02T09:00:00Z");
        stray.conversation = 6;
        let err = export_of(&[stray], &[], &[], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "message 10 belongs to conversation 6, not to conversation 5"
        );
        let mut stray = commitment(CommitmentStatus::Open, "2026-03-02T12:00:00Z");
        stray.conversation = 7;
        assert!(matches!(
            export_of(&[], &[], &[stray], None),
            Err(ExportError::ForeignRecord {
                record: "commitment",
                ..
            })
        ));
    }

    #[test]
    fn blank_organisation_is_refused() {
        let err = export(
            &Conversation {
                id: 5,
                organisation: "  ",
                client_pseudonym: None,
                messages: &[],
                incidents: &[],
                commitments: &[],
            },
            at("2026-03-03T00:00:00Z"),
        )
        .unwrap_err();
        assert_eq!(err, ExportError::NoOrganisation);
    }

    #[test]
    fn reexport_is_identical_apart_from_created_at() {
        let messages = [message(10, Author::Client, "a", "2026-03-02T09:00:00Z")];
        let a = export_of(&messages, &[incident()], &[], Some("p")).unwrap();
        let b = export_of(&messages, &[incident()], &[], Some("p")).unwrap();
        assert_eq!(a, b);
        assert_eq!(a["uuid"], vcon_uuid("Example Org", 5));
    }
}
