//! Driver errors → [`StoreError`], so adapter code can use `?`; the
//! driver's text stays in the source.

use mongodb::error::{
    Error, ErrorKind, WriteFailure, RETRYABLE_WRITE_ERROR, TRANSIENT_TRANSACTION_ERROR,
    UNKNOWN_TRANSACTION_COMMIT_RESULT,
};

use crate::store::{Conflict, StoreError};

const DUPLICATE_KEY: i32 = 11000;
/// Server codes that mean "this node cannot serve you right now"
/// (stepdown, shutdown, not primary, interrupted at shutdown, exceeded
/// `maxTimeMS`, write concern timed out or failed).
const NODE_UNAVAILABLE: [i32; 11] = [50, 64, 91, 189, 262, 10107, 11600, 11602, 13435, 13436, 100];

impl From<Error> for StoreError {
    fn from(error: Error) -> Self {
        if let Some(ours) = error.get_custom::<StoreError>() {
            return ours.copy();
        }
        if let Some(index) = duplicate_key_index(&error) {
            return match index.as_str() {
                "username_key" => Conflict::UsernameTaken.into(),
                "email_key" => Conflict::EmailTaken.into(),
                // Another append to the stream committed first.
                "stream_version" => Conflict::StaleVersion.into(),
                _ => Conflict::DuplicateId.into(),
            };
        }
        // Labels first: a transaction whose retries ran out, or whose commit
        // outcome is unknown, is "try again later", not a bug.
        if [
            RETRYABLE_WRITE_ERROR,
            TRANSIENT_TRANSACTION_ERROR,
            UNKNOWN_TRANSACTION_COMMIT_RESULT,
        ]
        .iter()
        .any(|label| error.contains_label(label))
        {
            return StoreError::unavailable(error);
        }
        match error.kind.as_ref() {
            ErrorKind::ServerSelection { .. }
            | ErrorKind::Io(_)
            | ErrorKind::ConnectionPoolCleared { .. }
            | ErrorKind::DnsResolve { .. } => StoreError::unavailable(error),
            ErrorKind::Command(command) if NODE_UNAVAILABLE.contains(&command.code) => {
                StoreError::unavailable(error)
            }
            ErrorKind::Write(WriteFailure::WriteConcernError(_)) => StoreError::unavailable(error),
            ErrorKind::BsonDeserialization(_) => {
                StoreError::Corrupt("a stored document does not have the expected shape".into())
            }
            _ => StoreError::internal(error),
        }
    }
}

/// The name of the unique index that refused a write, if `error` is a
/// duplicate-key error. Read from the server's message ("… index:
/// username_key dup key: { … }"), whose index names are ours
/// (`indexes.rs`); the name is the word after "index:", so a duplicate
/// value that happens to contain an index name cannot be mistaken for it.
fn duplicate_key_index(error: &Error) -> Option<String> {
    let message = match error.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(e)) if e.code == DUPLICATE_KEY => &e.message,
        ErrorKind::Command(e) if e.code == DUPLICATE_KEY => &e.message,
        ErrorKind::InsertMany(e) => {
            &e.write_errors
                .as_ref()?
                .iter()
                .find(|w| w.code == DUPLICATE_KEY)?
                .message
        }
        _ => return None,
    };
    let after = message.split("index: ").nth(1)?;
    Some(after.split_whitespace().next()?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicate(message: &str) -> StoreError {
        StoreError::from(Error::from(ErrorKind::Command(
            serde_json::from_value(serde_json::json!({
                "code": DUPLICATE_KEY,
                "codeName": "DuplicateKey",
                "errmsg": message,
            }))
            .unwrap(),
        )))
    }

    #[test]
    fn a_duplicate_key_names_the_index_not_a_value_that_looks_like_one() {
        let email = duplicate(
            "E11000 duplicate key error collection: chirp.users index: email_key dup key: { email_key: \"username_key@x.io\" }",
        );
        assert!(
            matches!(email, StoreError::Conflict(Conflict::EmailTaken)),
            "{email:?}"
        );
        let name = duplicate(
            "E11000 duplicate key error collection: chirp.users index: username_key dup key: { username_key: \"ada\" }",
        );
        assert!(matches!(
            name,
            StoreError::Conflict(Conflict::UsernameTaken)
        ));
    }
}
