//! # tact-wellbeing
//!
//! Looking after the people who look after clients (P6, P14, P16, P20, P22): how much difficult
//! contact each worker absorbs ([`exposure`]), when they are on duty and where a client's message
//! goes when they are not ([`schedule`]), and a weekly account for supervisors of promises kept,
//! follow-ups, incidents and load ([`report`]), with a seeded demo organisation ([`demo`]).
//!
//! Like `tact-core`, the crate does no I/O and reads no clock: the server (or the command line)
//! reads the store, passes plain records and the current time, and stores what comes back. Every
//! input mirrors a record the store already keeps, so the mapping is one to one:
//!
//! - a `messages` row of a client, with its conversation's worker →
//!   [`exposure::Interaction::from_analysis`] (the stored `analysis` JSON);
//! - after each client message: [`exposure::prompts`] → store each [`exposure::Prompt`] under its
//!   unique `key`, show it, record whether it was taken;
//! - on every incoming message: [`schedule::route`] with the worker's
//!   [`schedule::WorkerSchedule::from_worker`] (`workers.time_zone`, `workers.working_hours`, their
//!   absences), the team and the [`schedule::OnCallRota`]; [`schedule::Routing::Unstaffed`] must
//!   raise an alert, never wait in a queue;
//! - `commitments`, `incidents`, recorded prompts and workers' own messages →
//!   [`report::Records`] → [`report::WeeklyReport::build`] → `to_json` / `to_html`.

pub mod demo;
pub mod error;
pub mod exposure;
pub mod report;
pub mod schedule;

pub use error::{Error, Result};
