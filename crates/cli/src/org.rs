//! The organisation's profile for advice: the values its reply templates use (its name, the
//! crisis line and emergency number of its region, opening hours) and its resource directory.
//! Read from a TOML file given with `--org`; see `examples/org.toml`.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;
use tact_core::advice::DirectoryEntry;
use tact_core::replies::{PLACEHOLDERS, ReplyValues};

/// What `--org FILE` holds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgProfile {
    /// Placeholder values shared by every reply: `organisation`, `worker_name`, `crisis_line`,
    /// `emergency_number`, `opening_hours`, `colleague_name`, `time_frame`.
    #[serde(default)]
    pub values: ReplyValues,
    /// The clients' region (ISO 3166), for choosing referrals.
    #[serde(default)]
    pub region: Option<String>,
    /// The resource directory.
    #[serde(default, rename = "resource")]
    pub directory: Vec<DirectoryEntry>,
}

impl OrgProfile {
    /// Reads and checks a profile; unknown placeholder names are errors, not silently ignored.
    pub fn load(path: Option<&Path>) -> Result<OrgProfile> {
        let Some(path) = path else {
            return Ok(OrgProfile::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let profile: OrgProfile = toml::from_str(&text)
            .with_context(|| format!("{} is not a valid profile", path.display()))?;
        if let Some(bad) = profile
            .values
            .values
            .keys()
            .find(|k| !PLACEHOLDERS.contains(&k.as_str()))
        {
            anyhow::bail!(
                "{}: unknown value {bad:?}; known: {}",
                path.display(),
                PLACEHOLDERS.join(", ")
            );
        }
        Ok(profile)
    }
}
