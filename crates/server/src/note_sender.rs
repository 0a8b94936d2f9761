//! Posts the notes waiting in the store's outbox to Chatwoot, as private notes through its API
//! (`api_access_token` header), and retries what fails with exponential back-off: a Chatwoot
//! that is down, slow or restarting delays guidance, it never loses it. A refusal (a wrong token,
//! a conversation that is gone) is not retried: it is kept as failed, with Chatwoot's answer,
//! for an admin to see, and counted in `/metrics`.

use crate::{AppState, ChatwootConfig};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tact_store::OutboxNote;

/// The outbox target for Chatwoot notes.
pub(crate) const TARGET: &str = "chatwoot";
/// After this many attempts a note is given up on (about nine hours with the default back-off).
pub(crate) const MAX_ATTEMPTS: i64 = 10;
/// How long one claimed note is reserved for this sender.
const LEASE: SignedDuration = SignedDuration::from_secs(60);
/// How long one request to Chatwoot may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the outbox is looked at when nothing wakes the sender.
const POLL: Duration = Duration::from_secs(5);

/// Where a Chatwoot installation's API is and the token tact posts with.
#[derive(Debug, Clone)]
pub struct ChatwootApi {
    /// `https://chat.example.org` (no trailing path).
    pub base_url: String,
    /// An agent's or agent bot's access token. Never logged.
    pub token: String,
    /// The first retry waits this long, each next one twice as long (capped at an hour).
    pub retry_base: Duration,
}

/// What became of one attempt.
#[derive(Debug, PartialEq, Eq)]
enum Attempt {
    Sent,
    /// Worth trying again (a network error, 429, 5xx).
    Retry(String),
    /// Chatwoot refused it; trying again would not help.
    Refused(String),
}

/// The address of a conversation in the outbox: `accounts/{account}/conversations/{display id}`.
pub(crate) fn address(account: &str, conversation: &str) -> String {
    format!("accounts/{account}/conversations/{conversation}")
}

/// The account a note's address belongs to.
fn account_of(address: &str) -> Option<&str> {
    address.strip_prefix("accounts/")?.split('/').next()
}

/// The HTTP client notes are posted with: made once per sender, so connections to Chatwoot are
/// reused between notes.
fn http_client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into()
}

/// Posts one note; blocking, so it runs on the blocking pool.
fn post(agent: &ureq::Agent, api: &ChatwootApi, note: &OutboxNote) -> Attempt {
    let url = format!(
        "{}/api/v1/{}/messages",
        api.base_url.trim_end_matches('/'),
        note.address
    );
    let body = serde_json::json!({
        "content": note.content,
        "message_type": "outgoing",
        // Only agents see it: guidance must never reach the client.
        "private": true,
    })
    .to_string();
    match agent
        .post(&url)
        .header("api_access_token", &api.token)
        .content_type("application/json")
        .send(body.as_bytes())
    {
        Ok(response) => {
            let status = response.status();
            let answer = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            );
            if status.is_success() {
                Attempt::Sent
            } else if status.as_u16() == 429 || status.is_server_error() || status.as_u16() == 408 {
                Attempt::Retry(answer)
            } else {
                Attempt::Refused(answer)
            }
        }
        Err(error) => Attempt::Retry(error.to_string()),
    }
}

/// The wait before the next attempt after `attempts` failed ones.
fn backoff(base: Duration, attempts: i64) -> SignedDuration {
    let factor = 1u32 << attempts.clamp(0, 20) as u32;
    let wait = base.saturating_mul(factor).min(Duration::from_secs(3600));
    SignedDuration::try_from(wait).unwrap_or(SignedDuration::from_secs(3600))
}

/// Sends every note that is due now, each through its own account's API; returns how many
/// were sent.
pub(crate) async fn deliver_due(
    state: &AppState,
    config: &ChatwootConfig,
    agent: &ureq::Agent,
) -> usize {
    let now = Timestamp::now();
    let notes = match state.store.claim_due_notes(TARGET, now, LEASE, 20).await {
        Ok(notes) => notes,
        Err(error) => {
            tracing::warn!(%error, "outbox not readable; will retry");
            return 0;
        }
    };
    let mut sent = 0;
    for note in notes {
        let Some(api) = account_of(&note.address)
            .and_then(|a| config.account(a))
            .and_then(|a| a.api.as_ref())
        else {
            // The account was disconnected since the note was queued: keep it, as failed, for
            // an admin to see, rather than post it with another account's token.
            state.metrics.event("tact_notes_total", "failed");
            if let Err(error) = state
                .store
                .note_failed(note.id, "no Chatwoot API configured for this account", None)
                .await
            {
                tracing::warn!(%error, note = note.id, "outcome of a note not recorded");
            }
            continue;
        };
        let attempt = {
            let (agent, api, note) = (agent.clone(), api.clone(), note.clone());
            tokio::task::spawn_blocking(move || post(&agent, &api, &note))
                .await
                .unwrap_or_else(|e| Attempt::Retry(e.to_string()))
        };
        let recorded = match &attempt {
            Attempt::Sent => {
                sent += 1;
                state.metrics.event("tact_notes_total", "sent");
                state.store.note_sent(note.id, Timestamp::now()).await
            }
            Attempt::Retry(why) if note.attempts + 1 < MAX_ATTEMPTS => {
                state.metrics.event("tact_notes_total", "retried");
                tracing::warn!(note = note.id, answer = %why, "note not delivered; will retry");
                let at = Timestamp::now()
                    .saturating_add(backoff(api.retry_base, note.attempts))
                    .unwrap_or(now);
                state.store.note_failed(note.id, why, Some(at)).await
            }
            Attempt::Retry(why) | Attempt::Refused(why) => {
                state.metrics.event("tact_notes_total", "failed");
                tracing::error!(note = note.id, answer = %why, "note given up on");
                state.store.note_failed(note.id, why, None).await
            }
        };
        if let Err(error) = recorded {
            // The lease runs out and the note is tried again: at worst sent twice, never lost.
            tracing::warn!(%error, note = note.id, "outcome of a note not recorded");
        }
    }
    sent
}

/// Runs the sender until the process ends: woken when a note is queued, and every few seconds
/// for retries that come due.
pub(crate) fn spawn(state: AppState, config: Arc<ChatwootConfig>) {
    let agent = http_client();
    let next_retry = std::iter::once(&config.any_account)
        .chain(config.accounts.values())
        .filter_map(|a| a.api.as_ref())
        .map(|api| api.retry_base)
        .min()
        .unwrap_or(POLL)
        .min(POLL);
    tokio::spawn(async move {
        loop {
            deliver_due(&state, &config, &agent).await;
            tokio::select! {
                () = state.outbox_wakeup.notified() => {}
                () = tokio::time::sleep(next_retry) => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_and_is_capped() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 0), SignedDuration::from_secs(30));
        assert_eq!(backoff(base, 3), SignedDuration::from_secs(240));
        assert_eq!(backoff(base, 50), SignedDuration::from_secs(3600));
        assert_eq!(address("3", "42"), "accounts/3/conversations/42");
        assert_eq!(account_of(&address("3", "42")), Some("3"));
        assert_eq!(account_of("elsewhere"), None);
    }
}
