//! One module per subcommand.

pub mod analyze;
pub mod bench;
pub mod eval;
pub mod redact;
pub mod resources;
