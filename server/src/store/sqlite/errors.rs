//! rusqlite errors → [`StoreError`], so adapter code can use `?`. Driver
//! messages go into the error's source (for logs), never into what callers
//! match on or show.

use rusqlite::{ffi, ErrorCode};

use crate::store::{Conflict, StoreError};

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        let rusqlite::Error::SqliteFailure(failure, _) = &error else {
            return StoreError::internal(error);
        };
        match failure.code {
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
                // Usernames, e-mail addresses and stream versions are
                // checked first, under the write lock, so that the error
                // can say which; a unique index refusing a write after
                // those checks is a bug, not a conflict to report.
                _ => StoreError::internal(error),
            },
            _ => StoreError::internal(error),
        }
    }
}
