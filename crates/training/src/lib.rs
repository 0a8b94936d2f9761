//! # tact-training
//!
//! Role-play training (P39–P41): scenario packs with simulated clients, played turn by turn, each
//! reply scored by tact's coach, with branches the client follows depending on what the reply
//! does and a report at the end.
//!
//! - [`scenario`]: the scenario types; [`validate`] reads and checks a file (errors with file,
//!   line and column); [`catalog`] holds the built-in packs and an organisation's overlay.
//! - [`condition`]: what a branch can ask of a reply (criteria, flags, boundary, score, phrases).
//! - [`session`]: playing a scenario; [`report`]: what a session records and reports.
//! - [`terminal`]: a plain-text driver for `tact train`.
//!
//! The file format is documented in `SCENARIOS.md`.

pub mod catalog;
pub mod condition;
pub mod error;
pub mod report;
pub mod scenario;
pub mod session;
pub mod terminal;
pub mod validate;

pub use catalog::Catalog;
pub use error::{Error, Problem, Result};
pub use report::{Report, Turn};
pub use scenario::{EndState, Outcome, Scenario};
pub use session::Session;
pub use validate::{parse_scenario, parse_scenario_for};
