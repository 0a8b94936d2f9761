//! Errors of the analysis engine.
//!
//! Loading resources is the only step that can fail on data the engine does not control, so most
//! variants say *which file* and *which line* is wrong: an organisation editing its overlay must be
//! able to fix the file from the message alone.

use std::fmt;

/// Where in a resource file something was found: the file's path as given to the loader and a
/// 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file's path as the caller named it (for example `fr/disclosure.toml`).
    pub path: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
}

impl Location {
    /// Locates byte `offset` of `text`, the content of the file at `path`.
    pub fn in_text(path: &str, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Location {
            path: path.to_string(),
            line,
            column,
        }
    }

    /// A location naming only the file.
    pub fn file(path: &str) -> Location {
        Location {
            path: path.to_string(),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path)
        } else {
            write!(f, "{}:{}:{}", self.path, self.line, self.column)
        }
    }
}

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A resource file is not valid TOML or does not follow the schema.
    #[error("{location}: {message}")]
    Resource {
        /// Where the problem is.
        location: Location,
        /// What is wrong, in words a person editing the file understands.
        message: String,
    },
    /// A regular expression in a resource file does not compile, or would compile too large.
    #[error("{location}: pattern {pattern:?} rejected: {reason}")]
    Pattern {
        /// Where the pattern is.
        location: Location,
        /// The pattern as written.
        pattern: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A message is larger than the engine can address (4 GiB).
    #[error("input of {0} bytes is larger than the 4 GiB the engine can analyse")]
    InputTooLarge(usize),
    /// A redaction key is missing or malformed.
    #[error("redaction key: {0}")]
    Key(String),
    /// An encrypted token could not be decrypted: wrong key or tampered text.
    #[error("cannot decrypt token at byte {offset}: wrong key or altered text")]
    Decrypt {
        /// Byte offset of the token in the text given to `unredact`.
        offset: usize,
    },
    /// A conversation transcript (tact JSON, WebVTT, Amazon Transcribe) cannot be read.
    #[error("transcript: {0}")]
    Transcript(String),
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
