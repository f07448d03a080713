//! The one error every store returns. Driver errors stay inside: callers get
//! a kind to act on, and the cause only through `source()`, for logs.

use std::{error::Error as StdError, fmt};

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
    /// The deployment cannot serve Chirp as configured (e.g. a MongoDB that
    /// is not a replica set); the text says what to change.
    #[error("{0}")]
    Misconfigured(String),
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
    StaleVersion,
    /// An insert reused an existing id.
    DuplicateId,
    /// A follow of a user who blocks the follower (checked again in the
    /// append's transaction, so a block that commits first wins).
    Blocked,
    /// A reply to a tweet that does not exist (or went meanwhile).
    NoParent,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UsernameTaken => f.write_str("username is taken"),
            Self::EmailTaken => f.write_str("email is taken"),
            Self::StaleVersion => f.write_str("the stream moved on since it was read"),
            Self::Blocked => f.write_str("the user to follow blocks the follower"),
            Self::DuplicateId => f.write_str("id already exists"),
            Self::NoParent => f.write_str("the tweet replied to does not exist"),
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

    /// Every caller of a failed batch gets the same kind of error; the cause
    /// is not `Clone`, so its text goes along instead.
    pub fn copy(&self) -> Self {
        match self {
            Self::Conflict(conflict) => Self::Conflict(*conflict),
            Self::NotFound => Self::NotFound,
            Self::Unavailable(cause) => Self::unavailable(cause.to_string()),
            Self::Corrupt(what) => Self::Corrupt(what.clone()),
            Self::Misconfigured(what) => Self::Misconfigured(what.clone()),
            Self::Internal(cause) => Self::internal(cause.to_string()),
        }
    }
}

impl From<Conflict> for StoreError {
    fn from(value: Conflict) -> Self {
        Self::Conflict(value)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
