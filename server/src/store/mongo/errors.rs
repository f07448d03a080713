//! Driver errors → [`StoreError`]; the driver's text stays in the source.

use mongodb::error::{Error, ErrorKind, WriteFailure, RETRYABLE_WRITE_ERROR};

use crate::store::{Conflict, StoreError};

const DUPLICATE_KEY: i32 = 11000;
/// Server codes that mean "this node cannot serve you right now"
/// (stepdown, shutdown, not primary, interrupted at shutdown).
const NODE_UNAVAILABLE: [i32; 8] = [91, 189, 10107, 11600, 11602, 13435, 13436, 262];

pub fn from_mongo(error: Error) -> StoreError {
    if let Some(message) = duplicate_key_message(&error) {
        return duplicate_key(&message);
    }
    match error.kind.as_ref() {
        ErrorKind::ServerSelection { .. }
        | ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. }
        | ErrorKind::DnsResolve { .. } => StoreError::unavailable(error),
        ErrorKind::Command(command) if NODE_UNAVAILABLE.contains(&command.code) => {
            StoreError::unavailable(error)
        }
        ErrorKind::BsonDeserialization(_) => {
            StoreError::Corrupt("a stored document does not have the expected shape".into())
        }
        _ if error.contains_label(RETRYABLE_WRITE_ERROR) => StoreError::unavailable(error),
        _ => StoreError::internal(error),
    }
}

/// The server's message if `error` is a duplicate-key error.
pub fn duplicate_key_message(error: &Error) -> Option<String> {
    match error.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(e)) if e.code == DUPLICATE_KEY => {
            Some(e.message.clone())
        }
        ErrorKind::Command(e) if e.code == DUPLICATE_KEY => Some(e.message.clone()),
        ErrorKind::InsertMany(e) => e
            .write_errors
            .as_ref()?
            .iter()
            .find(|w| w.code == DUPLICATE_KEY)
            .map(|w| w.message.clone()),
        _ => None,
    }
}

/// Names which unique index refused the write (index names are ours, set
/// in `indexes.rs`).
fn duplicate_key(message: &str) -> StoreError {
    if message.contains("username_key") {
        Conflict::UsernameTaken.into()
    } else if message.contains("email_key") {
        Conflict::EmailTaken.into()
    } else {
        Conflict::DuplicateId.into()
    }
}
