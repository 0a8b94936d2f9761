//! One module per subcommand.

pub mod analyze;
pub mod bench;
pub mod eval;
pub mod eval_labels;
pub mod redact;
pub mod resources;
