//! Referrals as ingest records them (P4): a client's message that calls for a service in the
//! directory records a *suggested* referral; the worker's reply that names the service (or its
//! contact) turns it into an *offered* one. Which service fits is the engine's advice; this
//! module only ties the advice back to directory ids and reads replies for the names.

use crate::ApiError;
use tact_core::Lang;
use tact_core::advice::{Advice, DirectoryEntry};
use tact_store::{Store, Viewer};

/// The directory as the engine's advice reads it, with the store's id of each entry.
pub struct Directory {
    /// The store's ids, in the order of `entries`.
    pub ids: Vec<i64>,
    /// The entries, as the engine reads them.
    pub entries: Vec<DirectoryEntry>,
    /// What a reply may name to offer each entry: its name and its contact.
    names: Vec<(String, String)>,
}

impl Directory {
    /// The whole directory; an unreadable store is "unavailable", not an empty directory.
    pub async fn load(store: &Store) -> Result<Directory, ApiError> {
        let resources = store
            .resources()
            .await
            .map_err(|_| ApiError::unavailable())?;
        let mut directory = Directory {
            ids: Vec::with_capacity(resources.len()),
            entries: Vec::with_capacity(resources.len()),
            names: Vec::with_capacity(resources.len()),
        };
        for r in resources {
            directory.ids.push(r.id);
            directory.names.push((r.name.clone(), r.contact.clone()));
            directory.entries.push(DirectoryEntry {
                name: r.name,
                categories: r.categories,
                languages: r.languages.iter().filter_map(|l| Lang::parse(l)).collect(),
                regions: r.regions,
                contact: r.contact,
                hours: r.opening_hours,
            });
        }
        Ok(directory)
    }

    /// The store's id of an entry the advice offers.
    fn id_of(&self, entry: &DirectoryEntry) -> Option<i64> {
        self.entries
            .iter()
            .position(|e| e == entry)
            .map(|i| self.ids[i])
    }

    /// Whether `reply` names entry `id`: its name, or its contact (digits compared without
    /// spaces or dashes, so "0800 150 150" matches "0800150150").
    pub(crate) fn named_in(&self, id: i64, reply: &str) -> bool {
        let Some(i) = self.ids.iter().position(|&x| x == id) else {
            return false;
        };
        let (name, contact) = &self.names[i];
        contains_words(reply, name) || contact_in(reply, contact)
    }
}

/// Records, for the client's `message`, a suggested referral for every directory entry the
/// advice offers; returns the ids of the new suggestions.
pub(crate) async fn suggest(
    store: &Store,
    viewer: Viewer,
    message: i64,
    advice: &Advice,
    directory: &Directory,
) -> Result<Vec<i64>, ApiError> {
    let mut suggested = Vec::new();
    for action in &advice.actions {
        let (Some(entry), Some(need)) = (&action.resource, action.need()) else {
            continue;
        };
        let Some(resource) = directory.id_of(entry) else {
            continue;
        };
        if let Some(id) = store
            .suggest_referral(viewer, message, resource, need)
            .await?
        {
            suggested.push(id);
        }
    }
    Ok(suggested)
}

/// Marks as offered, at `at`, every referral suggested in `conversation` whose service the
/// worker's `reply` names; returns their ids.
pub(crate) async fn offered_in_reply(
    store: &Store,
    viewer: Viewer,
    conversation: i64,
    reply: &str,
    at: jiff::Timestamp,
) -> Result<Vec<i64>, ApiError> {
    let pending: Vec<_> = store
        .conversation_referrals(viewer, conversation)
        .await?
        .into_iter()
        .filter(|r| r.status == tact_store::ReferralStatus::Suggested)
        .collect();
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let directory = Directory::load(store).await?;
    let mut offered = Vec::new();
    for referral in pending {
        if directory.named_in(referral.resource, reply) {
            offered.push(
                store
                    .add_referral(
                        viewer,
                        conversation,
                        referral.resource,
                        &referral.category,
                        at,
                    )
                    .await?,
            );
        }
    }
    Ok(offered)
}

/// Whether `needle` occurs in `text` as whole words, ignoring case.
fn contains_words(text: &str, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    if needle.chars().count() < 3 {
        return false;
    }
    let text = text.to_lowercase();
    text.match_indices(&needle).any(|(start, found)| {
        let before = text[..start].chars().next_back();
        let after = text[start + found.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether the contact appears in `text`: a phone number by its digits (at least five), an
/// address or e-mail as written.
fn contact_in(text: &str, contact: &str) -> bool {
    let digits: String = contact.chars().filter(char::is_ascii_digit).collect();
    let looks_like_number = contact
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if looks_like_number {
        if digits.len() < 5 {
            return false;
        }
        let text_digits: String = text
            .chars()
            .filter(|c| !" -.()".contains(*c))
            .map(|c| if c.is_ascii_digit() { c } else { '|' })
            .collect();
        return text_digits.contains(&digits);
    }
    contains_words(text, contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_names_a_service_by_its_name_or_contact() {
        assert!(contains_words("Call the Safe House today.", "safe house"));
        assert!(!contains_words("the safe houses nearby", "safe house"));
        assert!(!contains_words("an SOS", "SO"));
        assert!(contact_in("ring 0800 150 150 any time", "0800150150"));
        assert!(contact_in("ring 0800-150-150", "0800 150 150"));
        assert!(!contact_in("ring 0800 150 151", "0800 150 150"));
        assert!(!contact_in("ring 112", "112"), "too short to tell apart");
        assert!(contact_in("write to help@shelter.org.", "help@shelter.org"));
    }
}
