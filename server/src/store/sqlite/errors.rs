//! rusqlite errors → [`StoreError`]. Driver messages go into the error's
//! source (for logs), never into what callers match on or show.

use rusqlite::{ffi, ErrorCode};

use crate::store::{Conflict, StoreError};

pub fn from_sqlite(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked
            | ErrorCode::CannotOpen
            | ErrorCode::DiskFull
            | ErrorCode::SystemIoFailure
            | ErrorCode::ReadOnly
            | ErrorCode::PermissionDenied
            | ErrorCode::OutOfMemory => StoreError::unavailable(error),
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                StoreError::Corrupt("the SQLite file is damaged".into())
            }
            ErrorCode::ConstraintViolation => match failure.extended_code {
                ffi::SQLITE_CONSTRAINT_PRIMARYKEY => Conflict::DuplicateId.into(),
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::NotFound,
                ffi::SQLITE_CONSTRAINT_UNIQUE => unique_violation(&error),
                _ => StoreError::internal(error),
            },
            _ => StoreError::internal(error),
        },
        _ => StoreError::internal(error),
    }
}

/// Names which unique index refused the write. The transaction checks
/// first, so this is a backstop; it reads SQLite's own message because the
/// extended code does not carry the index name.
fn unique_violation(error: &rusqlite::Error) -> StoreError {
    let message = error.to_string();
    if message.contains("users.username_key") {
        Conflict::UsernameTaken.into()
    } else if message.contains("users.email_key") {
        Conflict::EmailTaken.into()
    } else {
        // Stream versions are checked before inserting, under the write
        // lock: reaching this is a bug, not a conflict to report.
        StoreError::internal(message)
    }
}
