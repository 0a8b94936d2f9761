//! Receiving Chatwoot's `message_created` webhooks (account or inbox webhooks: tact observes, it
//! never binds itself to an inbox as its bot). Shapes and rules are in
//! `../shared/integrations/chatwoot.md`: a client's incoming message is ingested and analysed, an
//! agent's public reply is ingested and coached, private notes and anything else are ignored.
//!
//! Every delivery must come on the path with the installation's secret token (compared in
//! constant time, 404 otherwise) and, when a signing secret is configured, carry a valid
//! `X-Chatwoot-Signature` over `{timestamp}.{body}` no older than five minutes. A delivery seen
//! before (its `X-Chatwoot-Delivery` id, else the message id) is acknowledged and not ingested
//! again. Guidance goes back to the agent as a private note: queued in the store's outbox before
//! the delivery is acknowledged, then posted by [`crate::note_sender`], retried until Chatwoot
//! takes it. tact's own notes come back as private messages and are ignored like any note, so it
//! never answers itself.

use crate::cases::{IngestRequest, ingest_message};
use crate::{ApiError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tact_store::{Author, Viewer};

/// How an installation of Chatwoot is connected: one webhook path for the installation, and
/// the settings of each account (and of its inboxes) tact takes deliveries from.
#[derive(Debug, Clone)]
pub struct ChatwootConfig {
    /// The secret part of the webhook path: `/v1/integrations/chatwoot/{token}`.
    pub path_token: String,
    /// The accounts taken, by Chatwoot account id; any other gets 404. When empty, every
    /// account is taken with `any_account`.
    pub accounts: std::collections::HashMap<String, ChatwootAccount>,
    /// The settings for every account when `accounts` is empty (a single-team installation).
    pub any_account: ChatwootAccount,
}

/// The settings of one Chatwoot account: teams sharing an installation keep their own secrets,
/// their own tact workers and their own choice of notes.
#[derive(Debug, Clone)]
pub struct ChatwootAccount {
    /// The webhook's signing secret, when Chatwoot signs (recent versions; one per webhook).
    pub signing_secret: Option<String>,
    /// The tact worker a conversation belongs to when its Chatwoot agent is not mapped.
    pub worker: i64,
    /// Chatwoot agents (user ids) and the tact workers they are: a conversation is opened for
    /// the agent assigned to it (or who replies first), so each worker sees their own.
    pub agents: std::collections::HashMap<String, i64>,
    /// The inboxes whose messages are read; empty reads every inbox of the account. Messages
    /// from another inbox are acknowledged and left alone.
    pub inboxes: Vec<String>,
    /// Where to post guidance as private notes; without it, nothing is posted back.
    pub api: Option<crate::ChatwootApi>,
    /// Which notes are posted back.
    pub notes: NoteKinds,
}

/// Which guidance is posted back to the agents of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoteKinds {
    /// Advice on a client's message (referrals, boundaries, replies).
    pub advice: bool,
    /// Coaching on an agent's reply.
    pub coaching: bool,
}

impl Default for NoteKinds {
    fn default() -> NoteKinds {
        NoteKinds {
            advice: true,
            coaching: true,
        }
    }
}

impl ChatwootConfig {
    /// The settings of `account`, or `None` when its deliveries are not taken.
    pub fn account(&self, account: &str) -> Option<&ChatwootAccount> {
        if self.accounts.is_empty() {
            Some(&self.any_account)
        } else {
            self.accounts.get(account)
        }
    }

    /// Whether any account posts notes back, so the note sender is worth starting.
    pub fn posts_notes(&self) -> bool {
        self.any_account.api.is_some() || self.accounts.values().any(|a| a.api.is_some())
    }
}

/// Deliveries taken by default: far above what a helpdesk sends (Chatwoot sends one per
/// message), low enough that a flood cannot take the server from its users.
pub(crate) const WEBHOOK_QUOTA: governor::Quota =
    governor::Quota::per_second(std::num::NonZeroU32::new(100).unwrap())
        .allow_burst(std::num::NonZeroU32::new(500).unwrap());

/// Signatures older than this are refused, so a captured delivery cannot be replayed later.
const MAX_AGE_SECONDS: i64 = 300;

/// Equality that takes the same time whatever the inputs share.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks `X-Chatwoot-Signature: sha256=<hex>` over `{timestamp}.{body}`.
fn signature_ok(secret: &str, headers: &HeaderMap, body: &[u8], now: i64) -> bool {
    let (Some(signature), Some(timestamp)) = (
        header(headers, "x-chatwoot-signature"),
        header(headers, "x-chatwoot-timestamp"),
    ) else {
        return false;
    };
    let Ok(sent) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    if (now - sent).abs() > MAX_AGE_SECONDS {
        return false;
    }
    let Some(hex) = signature.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Some(expected) = decode_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.trim().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Why a delivery is acknowledged without being ingested.
fn ignored(reason: &str) -> Json<Value> {
    Json(json!({ "accepted": false, "reason": reason }))
}

/// A number or a string id as text.
fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

pub(crate) async fn webhook(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Some(config) = state.chatwoot.clone() else {
        return Err(ApiError::not_found());
    };
    if !same(token.as_bytes(), config.path_token.as_bytes()) {
        return Err(ApiError::not_found());
    }
    if state.webhook_limiter.check().is_err() {
        return Err(ApiError::too_many_requests(1));
    }
    let event: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("malformed_json", e.to_string()))?;
    // The account decides which secret signs the delivery, so it is read first; an account not
    // taken gets the same 404 as a wrong path.
    let conversation = &event["conversation"];
    let Some(account_id) =
        id_of(&event["account"]["id"]).or_else(|| id_of(&conversation["account_id"]))
    else {
        return Err(ApiError::bad_request("invalid", "no account id"));
    };
    let Some(account) = config.account(&account_id) else {
        return Err(ApiError::not_found());
    };
    if let Some(secret) = &account.signing_secret
        && !signature_ok(secret, &headers, &body, jiff::Timestamp::now().as_second())
    {
        return Err(ApiError::unauthorized());
    }
    let inbox = id_of(&event["inbox"]["id"]).or_else(|| id_of(&conversation["inbox_id"]));
    if !account.inboxes.is_empty() && !inbox.is_some_and(|i| account.inboxes.contains(&i)) {
        return Ok((StatusCode::OK, ignored("inbox not connected to tact")));
    }
    if event["event"] != "message_created" {
        return Ok((StatusCode::OK, ignored("not a new message")));
    }
    if event["private"] == true {
        return Ok((StatusCode::OK, ignored("private note")));
    }
    // Newer versions: a polymorphic `sender` with its `type`; older ones: `contact` for the
    // client, and `sender` as the agent's data without a type.
    let sender_type = event["sender"]["type"].as_str();
    let author = match (event["message_type"].as_str(), sender_type) {
        (Some("incoming"), Some("contact") | None) => Author::Client,
        (Some("outgoing"), Some("user")) => Author::Worker,
        (Some("outgoing"), None) if event["sender"].is_object() => Author::Worker,
        _ => {
            return Ok((
                StatusCode::OK,
                ignored("neither a client's message nor an agent's reply"),
            ));
        }
    };
    let Some(content) = event["content"].as_str().filter(|c| !c.trim().is_empty()) else {
        return Ok((StatusCode::OK, ignored("no text")));
    };
    let text = if content.contains('<') && content.contains('>') {
        tact_core::transcript::strip_tags(content)
    } else {
        content.to_string()
    };
    let Some(conversation_id) =
        id_of(&conversation["display_id"]).or_else(|| id_of(&conversation["id"]))
    else {
        return Err(ApiError::bad_request("invalid", "no conversation id"));
    };
    let contact = id_of(&conversation["meta"]["sender"]["id"])
        .or_else(|| id_of(&event["contact"]["id"]))
        .or_else(|| {
            (author == Author::Client)
                .then(|| id_of(&event["sender"]["id"]))
                .flatten()
        })
        .unwrap_or_else(|| "unknown".into());
    let delivery = header(&headers, "x-chatwoot-delivery")
        .map(str::to_owned)
        // Without a delivery id, the message id within its account.
        .or_else(|| id_of(&event["id"]).map(|id| format!("{account_id}:message:{id}")))
        .ok_or_else(|| ApiError::bad_request("invalid", "no delivery or message id"))?;
    if !state.store.first_delivery("chatwoot", &delivery).await? {
        return Ok((
            StatusCode::OK,
            Json(json!({ "accepted": true, "duplicate": true })),
        ));
    }
    // The conversation stays with whoever it was opened for; a new one goes to the mapped
    // agent (the assignee of a client's message, the sender of a reply), else the default.
    let external = format!("chatwoot:{account_id}:{conversation_id}");
    let agent = match author {
        Author::Worker => id_of(&event["sender"]["id"]),
        Author::Client => id_of(&conversation["meta"]["assignee"]["id"]),
    };
    let owner = match state.store.conversation_owner(&external).await? {
        Some(owner) => owner,
        None => agent
            .and_then(|a| account.agents.get(&a).copied())
            .unwrap_or(account.worker),
    };
    let worker = state.store.worker(owner).await?;
    let viewer = Viewer {
        worker: worker.id,
        role: worker.role,
    };
    let ingested = ingest_message(
        &state,
        viewer,
        IngestRequest {
            conversation: external,
            client: format!("chatwoot:{account_id}:contact:{contact}"),
            author,
            text,
            language: None,
            sent_at: event["created_at"].as_str().and_then(|t| t.parse().ok()),
        },
    )
    .await?;
    let mut noted = None;
    let wanted = match author {
        Author::Client => account.notes.advice,
        Author::Worker => account.notes.coaching,
    };
    if account.api.is_some()
        && wanted
        && let Some(note) = guidance(author, &ingested)
    {
        let address = crate::note_sender::address(&account_id, &conversation_id);
        noted = Some(
            state
                .store
                .enqueue_note(crate::note_sender::TARGET, &address, &note)
                .await?,
        );
        state.outbox_wakeup.notify_one();
    }
    Ok((
        StatusCode::OK,
        Json(json!({ "accepted": true, "ingested": ingested.body, "note": noted })),
    ))
}

/// The note for the agent: advice on a client's message, coaching on an agent's reply.
fn guidance(author: Author, ingested: &crate::cases::Ingested) -> Option<String> {
    match (author, &ingested.report, &ingested.advice) {
        (Author::Worker, Some(report), _) => {
            crate::guidance_note::for_reply(report, &ingested.promises)
        }
        (Author::Client, _, Some(advice)) => {
            crate::guidance_note::for_client_message(advice, ingested.analysis.urgent)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_timestamp_and_body_and_expire() {
        let body = br#"{"event":"message_created"}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cret").unwrap();
        mac.update(b"1700000000.");
        mac.update(body);
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-chatwoot-signature",
            format!("sha256={hex}").parse().unwrap(),
        );
        headers.insert("x-chatwoot-timestamp", "1700000000".parse().unwrap());
        assert!(signature_ok("s3cret", &headers, body, 1_700_000_100));
        assert!(
            !signature_ok("s3cret", &headers, body, 1_700_000_000 + 301),
            "too old"
        );
        assert!(!signature_ok("other", &headers, body, 1_700_000_100));
        assert!(!signature_ok("s3cret", &headers, b"{}", 1_700_000_100));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
