//! One module per subcommand.

pub mod advise;
pub mod analyze;
pub mod bench;
pub mod care;
pub mod coach;
pub mod conversation;
pub mod eval;
pub mod eval_labels;
pub mod redact;
pub mod resources;
pub mod serve;
pub mod serve_config;
pub mod train;
