//! Event → users read model: the one function both adapters and the rebuild
//! use, so a live read model and a rebuilt one cannot drift apart.

use super::UserRecord;
use crate::domain::{user::UserEvent, Version};

/// The read-model row after `event`, which is version `version` of its
/// stream. `None` means the user has no row (never registered, or deleted).
pub fn project(
    current: Option<UserRecord>,
    event: &UserEvent,
    version: Version,
) -> Option<UserRecord> {
    match (current, event) {
        (None, UserEvent::UserRegistered(e)) => Some(UserRecord {
            id: e.user_id,
            username: e.username.clone(),
            email: e.email.clone(),
            name: e.name.clone(),
            password_hash: e.password_hash.clone(),
            created_at: e.at,
            updated_at: e.at,
            version,
        }),
        (Some(mut user), UserEvent::ProfileUpdated(e)) => {
            if let Some(name) = &e.name {
                user.name = name.clone();
            }
            if let Some(email) = &e.email {
                user.email = email.clone();
            }
            user.updated_at = e.at;
            user.version = version;
            Some(user)
        }
        (Some(mut user), UserEvent::PasswordChanged(e)) => {
            user.password_hash = e.password_hash.clone();
            user.updated_at = e.at;
            user.version = version;
            Some(user)
        }
        (Some(_), UserEvent::UserDeleted(_)) => None,
        // Events that cannot follow the current row (decide never makes
        // them) leave it alone, exactly as `domain::user::apply` does.
        (current, _) => current.map(|mut user| {
            user.version = version;
            user
        }),
    }
}

/// What an adapter must write for one stream after appending to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowChange {
    Unchanged,
    Upsert(UserRecord),
    Delete,
}

/// Folds `events` (versions `from.next()`…) into `current` and says what to
/// write.
pub fn fold<'a>(
    current: Option<UserRecord>,
    from: Version,
    events: impl IntoIterator<Item = &'a UserEvent>,
) -> RowChange {
    let existed = current.is_some();
    let mut version = from;
    let mut row = current;
    let mut touched = false;
    for event in events {
        version = version.next();
        row = project(row, event, version);
        touched = true;
    }
    match (touched, row) {
        (false, _) => RowChange::Unchanged,
        (true, Some(row)) => RowChange::Upsert(row),
        (true, None) if existed => RowChange::Delete,
        (true, None) => RowChange::Unchanged,
    }
}
