//! How user events are stored: a kind, a schema version and a JSON payload,
//! the same in both stores, so one codec and its upcasters serve both.
//!
//! When an event's shape changes, bump `SCHEMA`, read the old shape by
//! lifting it to the new one in `decode` (an upcaster), and never rewrite
//! stored events.

use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::domain::{
    user::{
        Blocked, Followed, LoggedIn, PasswordChanged, ProfileUpdated, Unblocked, Unfollowed,
        UserDeleted, UserEvent, UserRegistered,
    },
    Bio, DisplayName, Email, Id, PasswordHash, Timestamp, Username,
};

/// Current schema version of every event kind. All are at 1 today.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedEvent {
    pub kind: &'static str,
    pub schema: u32,
    pub payload: String,
}

// Payload shapes, private to this module: `UserEvent` itself never
// implements `Serialize`, because it carries a password hash.
#[derive(Serialize, Deserialize)]
struct RegisteredV1 {
    user_id: Id,
    username: String,
    email: String,
    name: String,
    password_hash: String,
    at: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct ProfileUpdatedV1 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    /// Absent from events written before bios (and when unchanged); an
    /// empty one clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bio: Option<String>,
    at: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct PasswordChangedV1 {
    password_hash: String,
    at: Timestamp,
}

/// A follow or an unfollow: whom, and when.
#[derive(Serialize, Deserialize)]
struct FollowV1 {
    user: Id,
    at: Timestamp,
}

/// The payload of the events that carry only their time.
#[derive(Serialize, Deserialize)]
struct AtV1 {
    at: Timestamp,
}

pub fn encode(event: &UserEvent) -> EncodedEvent {
    let payload = match event {
        UserEvent::UserRegistered(e) => serde_json::to_string(&RegisteredV1 {
            user_id: e.user_id,
            username: e.username.as_str().to_owned(),
            email: e.email.as_str().to_owned(),
            name: e.name.as_str().to_owned(),
            password_hash: e.password_hash.expose_for_storage().to_owned(),
            at: e.at,
        }),
        UserEvent::ProfileUpdated(e) => serde_json::to_string(&ProfileUpdatedV1 {
            name: e.name.as_ref().map(|n| n.as_str().to_owned()),
            email: e.email.as_ref().map(|n| n.as_str().to_owned()),
            bio: e.bio.as_ref().map(|b| b.as_str().to_owned()),
            at: e.at,
        }),
        UserEvent::PasswordChanged(e) => serde_json::to_string(&PasswordChangedV1 {
            password_hash: e.password_hash.expose_for_storage().to_owned(),
            at: e.at,
        }),
        UserEvent::LoggedIn(LoggedIn { at }) | UserEvent::UserDeleted(UserDeleted { at }) => {
            serde_json::to_string(&AtV1 { at: *at })
        }
        UserEvent::Followed(Followed { user, at })
        | UserEvent::Unfollowed(Unfollowed { user, at })
        | UserEvent::Blocked(Blocked { user, at })
        | UserEvent::Unblocked(Unblocked { user, at }) => serde_json::to_string(&FollowV1 {
            user: *user,
            at: *at,
        }),
    }
    .expect("plain structs always serialize");
    EncodedEvent {
        kind: event.kind(),
        schema: SCHEMA,
        payload,
    }
}

pub fn decode(kind: &str, schema: u32, payload: &str) -> Result<UserEvent, StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("{kind} v{schema}: {e}"));
    if schema != SCHEMA {
        // Written by a newer server, say: reported rather than misread.
        return Err(StoreError::Corrupt(format!(
            "{kind} has schema {schema}, this server reads schema {SCHEMA}"
        )));
    }
    Ok(match kind {
        "user_registered" => {
            let e: RegisteredV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::UserRegistered(UserRegistered {
                user_id: e.user_id,
                username: Username::from_stored(e.username),
                email: Email::from_stored(e.email),
                name: DisplayName::from_stored(e.name),
                password_hash: PasswordHash::from_stored(e.password_hash),
                at: e.at,
            })
        }
        "profile_updated" => {
            let e: ProfileUpdatedV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::ProfileUpdated(ProfileUpdated {
                name: e.name.map(DisplayName::from_stored),
                email: e.email.map(Email::from_stored),
                bio: e.bio.map(Bio::from_stored),
                at: e.at,
            })
        }
        "password_changed" => {
            let e: PasswordChangedV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::PasswordChanged(PasswordChanged {
                password_hash: PasswordHash::from_stored(e.password_hash),
                at: e.at,
            })
        }
        "logged_in" => {
            let e: AtV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::LoggedIn(LoggedIn { at: e.at })
        }
        "user_deleted" => {
            let e: AtV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::UserDeleted(UserDeleted { at: e.at })
        }
        "followed" => {
            let e: FollowV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::Followed(Followed {
                user: e.user,
                at: e.at,
            })
        }
        "unfollowed" => {
            let e: FollowV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::Unfollowed(Unfollowed {
                user: e.user,
                at: e.at,
            })
        }
        "blocked" => {
            let e: FollowV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::Blocked(Blocked {
                user: e.user,
                at: e.at,
            })
        }
        "unblocked" => {
            let e: FollowV1 = serde_json::from_str(payload).map_err(corrupt)?;
            UserEvent::Unblocked(Unblocked {
                user: e.user,
                at: e.at,
            })
        }
        other => return Err(StoreError::Corrupt(format!("unknown event kind {other:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<UserEvent> {
        let at = Timestamp::from_millis(1_764_000_000_000);
        vec![
            UserEvent::UserRegistered(UserRegistered {
                user_id: Id::from_i64(7),
                username: Username::parse("ada").unwrap(),
                email: Email::parse("ada@example.com").unwrap(),
                name: DisplayName::parse("Ada").unwrap(),
                password_hash: PasswordHash::from_stored("$2b$04$x"),
                at,
            }),
            UserEvent::ProfileUpdated(ProfileUpdated {
                name: None,
                email: Some(Email::parse("a@example.org").unwrap()),
                bio: Some(Bio::parse("Tea\nand Rust").unwrap()),
                at,
            }),
            UserEvent::PasswordChanged(PasswordChanged {
                password_hash: PasswordHash::from_stored("$2b$04$y"),
                at,
            }),
            UserEvent::LoggedIn(LoggedIn { at }),
            UserEvent::Followed(Followed {
                user: Id::from_i64(8),
                at,
            }),
            UserEvent::Unfollowed(Unfollowed {
                user: Id::from_i64(8),
                at,
            }),
            UserEvent::Blocked(Blocked {
                user: Id::from_i64(8),
                at,
            }),
            UserEvent::Unblocked(Unblocked {
                user: Id::from_i64(8),
                at,
            }),
            UserEvent::UserDeleted(UserDeleted { at }),
        ]
    }

    #[test]
    fn every_event_round_trips() {
        for event in events() {
            let encoded = encode(&event);
            assert_eq!(encoded.schema, SCHEMA);
            assert_eq!(
                decode(encoded.kind, encoded.schema, &encoded.payload).unwrap(),
                event
            );
        }
    }

    #[test]
    fn unknown_kinds_and_future_schemas_are_corrupt_not_panics() {
        assert!(matches!(
            decode("user_exploded", 1, "{}"),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            decode("user_deleted", 99, "{}"),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            decode("user_deleted", 1, "not json"),
            Err(StoreError::Corrupt(_))
        ));
    }
}
