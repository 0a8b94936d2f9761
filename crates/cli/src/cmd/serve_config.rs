//! `tact serve --config tact.toml`: the settings of a team's server in one file, for what is too
//! long for flags. A flag or an environment variable wins over the file, the file over the
//! built-in default. Secrets are never written in the file itself: it names files that hold
//! them (readable by tact's user only), so the configuration can be shared and versioned.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The file as written. Unknown keys are refused, so a misspelt setting is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Address to listen on.
    pub bind: Option<SocketAddr>,
    /// A SQLite file or a PostgreSQL URL (a URL's password belongs in `TACT_DATABASE_URL`).
    pub database: Option<String>,
    /// The organisation's name, for exported ids.
    pub organisation: Option<String>,
    /// Keeping originals, sealed, for a while.
    pub originals: Option<OriginalsFile>,
    /// The Chatwoot installation.
    pub chatwoot: Option<ChatwootFile>,
    /// A folder of the organisation's own role-play scenarios.
    pub scenarios: Option<PathBuf>,
    /// Looking after workers: the after-hours reply and the exposure rules.
    pub wellbeing: Option<WellbeingFile>,
}

/// `[wellbeing]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WellbeingFile {
    /// Offer clients who write outside their worker's hours the after-hours reply (off by
    /// default: the organisation chooses to answer automatically).
    #[serde(default)]
    pub after_hours_reply: bool,
    /// The crisis line that reply names.
    pub crisis_line: Option<String>,
    /// The emergency number that reply names.
    pub emergency_number: Option<String>,
    /// Exposure rules (see crates/wellbeing/EXPOSURE.md); the documented defaults without it.
    pub rules_file: Option<PathBuf>,
}

/// `[originals]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginalsFile {
    /// A file holding the key: 64 hexadecimal digits.
    pub key_file: PathBuf,
    /// Days before an original is erased (default 30).
    pub retention_days: Option<i64>,
}

/// `[chatwoot]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatwootFile {
    /// A file holding the secret part of the webhook path.
    pub path_token_file: PathBuf,
    /// A file holding the webhook's signing secret, when Chatwoot signs.
    pub signing_secret_file: Option<PathBuf>,
    /// Chatwoot's address, to post notes back.
    pub url: Option<String>,
    /// A file holding the access token notes are posted with.
    pub api_token_file: Option<PathBuf>,
    /// The account ids taken with the settings above; empty takes any (unless `[[chatwoot.account]]`
    /// sections list them).
    #[serde(default)]
    pub accounts: Vec<String>,
    /// The tact worker a conversation belongs to when its agent is not mapped.
    pub worker: Option<i64>,
    /// Chatwoot user ids and the tact workers they are: `agents = { "9" = 3 }`.
    #[serde(default)]
    pub agents: std::collections::HashMap<String, i64>,
    /// `[[chatwoot.account]]`: accounts with settings of their own. Anything an account leaves
    /// out comes from `[chatwoot]`.
    #[serde(default, rename = "account")]
    pub account_sections: Vec<ChatwootAccountFile>,
}

/// `[[chatwoot.account]]`: one Chatwoot account's own settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatwootAccountFile {
    /// The Chatwoot account id.
    pub id: String,
    /// Only these inboxes are read; empty or left out reads them all.
    #[serde(default)]
    pub inboxes: Vec<String>,
    /// A file holding this account's webhook signing secret.
    pub signing_secret_file: Option<PathBuf>,
    /// A file holding the access token this account's notes are posted with.
    pub api_token_file: Option<PathBuf>,
    /// This account's Chatwoot address, when it is not the installation's `url`.
    pub url: Option<String>,
    /// The tact worker for conversations of unmapped agents.
    pub worker: Option<i64>,
    /// Chatwoot user ids and the tact workers they are.
    #[serde(default)]
    pub agents: std::collections::HashMap<String, i64>,
    /// Which notes are posted back: `advice`, `coaching` (both by default; `[]` posts none).
    pub notes: Option<Vec<NoteKind>>,
}

/// A kind of note posted back to Chatwoot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Advice on a client's message.
    Advice,
    /// Coaching on an agent's reply.
    Coaching,
}

impl ConfigFile {
    /// Reads and checks the file; errors name the file and, for a bad setting, its line.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration {}", path.display()))?;
        let mut config: ConfigFile =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        // Files named in the configuration are relative to it.
        let base = path.parent().unwrap_or(Path::new("."));
        let rebase = |file: &mut PathBuf| {
            if file.is_relative() {
                *file = base.join(&*file);
            }
        };
        if let Some(scenarios) = &mut config.scenarios {
            rebase(scenarios);
        }
        if let Some(originals) = &mut config.originals {
            rebase(&mut originals.key_file);
        }
        if let Some(wellbeing) = &mut config.wellbeing {
            wellbeing.rules_file.as_mut().map(rebase);
        }
        if let Some(chatwoot) = &mut config.chatwoot {
            rebase(&mut chatwoot.path_token_file);
            chatwoot.signing_secret_file.as_mut().map(rebase);
            chatwoot.api_token_file.as_mut().map(rebase);
            for account in &mut chatwoot.account_sections {
                account.signing_secret_file.as_mut().map(rebase);
                account.api_token_file.as_mut().map(rebase);
            }
        }
        Ok(config)
    }
}

/// A secret: from the environment when set there, else from the file the configuration names.
pub fn secret(variable: &str, file: Option<&Path>) -> Result<Option<String>> {
    if let Ok(value) = std::env::var(variable)
        && !value.trim().is_empty()
    {
        return Ok(Some(value.trim().to_string()));
    }
    file.map(secret_file).transpose()
}

/// A secret from the file that holds it, trimmed; an empty file is an error, not "no secret".
pub fn secret_file(file: &Path) -> Result<String> {
    let value = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the secret file {}", file.display()))?;
    if value.trim().is_empty() {
        bail!("the secret file {} is empty", file.display());
    }
    Ok(value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_setting_is_refused_with_its_line() {
        let dir = std::env::temp_dir().join(format!("tact-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tact.toml");
        std::fs::write(&path, "bind = \"127.0.0.1:7878\"\ndatabse = \"x.sqlite\"\n").unwrap();
        let error = ConfigFile::load(&path).unwrap_err().to_string();
        assert!(
            error.contains("tact.toml") && error.contains("line 2"),
            "{error}"
        );
        assert!(error.contains("databse"), "{error}");
        std::fs::write(
            &path,
            "database = \"cases.sqlite\"\n[chatwoot]\npath_token_file = \"secrets/path\"\n",
        )
        .unwrap();
        let config = ConfigFile::load(&path).unwrap();
        assert_eq!(
            config.chatwoot.unwrap().path_token_file,
            dir.join("secrets/path"),
            "relative to the configuration"
        );
        std::fs::write(
            &path,
            "[wellbeing]\nafter_hours_reply = true\ncrisis_line = \"3114\"\nrules_file = \"exposure.toml\"\n",
        )
        .unwrap();
        let wellbeing = ConfigFile::load(&path).unwrap().wellbeing.unwrap();
        assert!(wellbeing.after_hours_reply);
        assert_eq!(wellbeing.crisis_line.as_deref(), Some("3114"));
        assert_eq!(wellbeing.rules_file, Some(dir.join("exposure.toml")));
    }
}
