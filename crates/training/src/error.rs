//! Errors of the trainer: a scenario file that is malformed or inconsistent (each problem with
//! its file, line and column), a directory that cannot be read, the coach failing, or a reply
//! sent to a session that has already ended.

use std::fmt;
use tact_core::Location;

/// One thing wrong in a scenario file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, line and column (line 0 when only the file is known).
    pub location: Location,
    /// What is wrong, for the person who wrote the file.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Everything that can go wrong in the trainer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more scenario files are malformed or inconsistent; every problem is listed.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    /// A scenario file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The engine failed to analyse the client message or coach the reply.
    #[error("coaching failed: {0}")]
    Coach(#[from] tact_core::Error),
    /// A reply was given after the scenario reached an end state.
    #[error("the scenario {0:?} has already ended")]
    Ended(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The trainer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
