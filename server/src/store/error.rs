//! The one error every store returns. Driver errors stay inside: callers get
//! a kind to act on, and the cause only through `source()`, for logs.

use std::{error::Error as StdError, fmt};

use crate::domain::Version;

type Cause = Box<dyn StdError + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The write lost against other data; nothing was written.
    #[error("{0}")]
    Conflict(Conflict),
    #[error("not found")]
    NotFound,
    /// The store is down, busy past its timeout, or unreachable: retry later.
    #[error("storage unavailable")]
    Unavailable(#[source] Cause),
    /// Stored data cannot be read back (e.g. an event of an unknown schema).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A bug or an unexpected driver state.
    #[error("storage failed")]
    Internal(#[source] Cause),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    UsernameTaken,
    EmailTaken,
    /// The stream moved on since the caller read it.
    StaleVersion {
        expected: Version,
        actual: Version,
    },
    /// An insert reused an existing id.
    DuplicateId,
}

impl Conflict {
    /// The API error code for this conflict.
    pub const fn code(self) -> &'static str {
        match self {
            Self::UsernameTaken => "username_taken",
            Self::EmailTaken => "email_taken",
            Self::StaleVersion { .. } => "stale_version",
            Self::DuplicateId => "duplicate_id",
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UsernameTaken => f.write_str("username is taken"),
            Self::EmailTaken => f.write_str("email is taken"),
            Self::StaleVersion { expected, actual } => {
                write!(f, "expected version {expected}, stream is at {actual}")
            }
            Self::DuplicateId => f.write_str("id already exists"),
        }
    }
}

impl StoreError {
    pub fn unavailable(cause: impl Into<Cause>) -> Self {
        Self::Unavailable(cause.into())
    }

    pub fn internal(cause: impl Into<Cause>) -> Self {
        Self::Internal(cause.into())
    }

    pub const fn conflict(&self) -> Option<Conflict> {
        match self {
            Self::Conflict(c) => Some(*c),
            _ => None,
        }
    }
}

impl From<Conflict> for StoreError {
    fn from(value: Conflict) -> Self {
        Self::Conflict(value)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
