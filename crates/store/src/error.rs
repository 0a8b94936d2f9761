//! What can go wrong in the store, in terms a caller can act on.

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist, or the viewer may not see it: the two are the same answer so
    /// that guessing ids reveals nothing.
    #[error("not found")]
    NotFound,
    /// The viewer's role does not allow this at all (the audit log for a worker).
    #[error("not allowed for this role")]
    Forbidden,
    /// A value the schema refuses (an unknown status, an empty name).
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The database cannot be reached or refused the operation.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrating the schema failed.
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Shorthand for results of the store.
pub type Result<T, E = Error> = std::result::Result<T, E>;
