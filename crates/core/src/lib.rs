//! # tact-core
//!
//! The analysis engine of tact: it reads a client's message and reports what a worker needs to
//! know — personal data, and (from the language resources) sensitive disclosures, emotions,
//! boundary crossings and abuse — each finding with the span and the rule that fired.
//!
//! The crate does no I/O: it is given text, options (including the time, if it matters) and the
//! resource files' contents, and it reads no files, network or clock. That is what lets the
//! command line, the server, the benchmarks and the fuzzers share one code path.

pub mod advice;
pub mod category;
pub mod coach;
pub mod commitment;
pub mod context;
pub mod conversation;
mod engine;
pub mod error;
pub mod finding;
pub mod lang;
pub mod lexicon;
pub mod pii;
pub mod redact;
pub mod replies;
pub mod resources;
pub mod signals;
pub mod text;
pub mod transcript;

pub use engine::{AnalyseOptions, Analysis, EmotionLevel, Engine};
pub use error::{Error, Location, Result};
pub use lang::{Lang, LanguageGuess};
