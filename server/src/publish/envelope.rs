//! What goes on the topics: a versioned JSON envelope per change, built
//! from the recorded event with only what other services may see. No
//! password hash, session token or e-mail address ever leaves the server:
//! `password_changed` says only that it happened, and a changed address
//! only that it changed.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{
    domain::{user::UserEvent, Id, Timestamp},
    store::{RecordedEvent, TweetChange, TweetEvent},
};

pub const USER_EVENTS_TOPIC: &str = "chirp.user-events";
pub const TWEETS_TOPIC: &str = "chirp.tweets";

/// The envelope's own version: a consumer that sees a higher one knows it
/// is reading a format it does not know.
pub const ENVELOPE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Unique per change: a consumer seeing one twice has seen a redelivery.
    pub event_id: String,
    /// The user (for user events) or the tweet (for tweet events).
    pub stream_id: String,
    /// The change's place in its stream, from 1: a user's events come in
    /// this order on their partition.
    pub version: u64,
    #[serde(rename = "type")]
    pub kind: String,
    pub schema_version: u32,
    pub time: String,
    pub data: Value,
}

/// One message for Kafka: its topic, its key (the partition follows it),
/// and the envelope as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub topic: &'static str,
    pub key: String,
    pub payload: Vec<u8>,
}

impl Envelope {
    pub fn of_user_event(recorded: &RecordedEvent) -> Self {
        let data = match &recorded.event {
            UserEvent::UserRegistered(e) => json!({
                "user_id": e.user_id.to_string(),
                "username": e.username.as_str(),
                "name": e.name.as_str(),
            }),
            UserEvent::ProfileUpdated(e) => json!({
                "name": e.name.as_ref().map(|n| n.as_str()),
                "email_changed": e.email.is_some(),
                "bio": e.bio.as_ref().map(|b| b.as_str()),
            }),
            UserEvent::Followed(e) => json!({ "user_id": e.user.to_string() }),
            UserEvent::Unfollowed(e) => json!({ "user_id": e.user.to_string() }),
            // Whom a user blocks is theirs alone: not even the id leaves.
            UserEvent::Blocked(_) | UserEvent::Unblocked(_) => json!({}),
            UserEvent::PasswordChanged(_) | UserEvent::LoggedIn(_) | UserEvent::UserDeleted(_) => {
                json!({})
            }
        };
        Self {
            event_id: recorded.id.to_string(),
            stream_id: recorded.stream_id.to_string(),
            version: recorded.version.get(),
            kind: recorded.event.kind().to_owned(),
            schema_version: ENVELOPE_VERSION,
            time: recorded.event.at().to_rfc3339(),
            data,
        }
    }

    pub fn of_tweet_event(event: &TweetEvent) -> Self {
        let ids = |data: &mut Value| {
            data["tweet_id"] = json!(event.tweet_id.to_string());
            data["author_id"] = json!(event.author_id.to_string());
        };
        let (kind, version, at, mut data): (_, _, Timestamp, _) = match &event.change {
            TweetChange::Posted { body, at } => ("tweet_posted", 1, *at, json!({ "body": body })),
            TweetChange::Deleted { at } => ("tweet_deleted", 2, *at, json!({})),
        };
        ids(&mut data);
        Self {
            event_id: event.id.to_string(),
            stream_id: event.tweet_id.to_string(),
            version,
            kind: kind.to_owned(),
            schema_version: ENVELOPE_VERSION,
            time: at.to_rfc3339(),
            data,
        }
    }

    fn message(&self, topic: &'static str, key: Id) -> Message {
        Message {
            topic,
            key: key.to_string(),
            payload: serde_json::to_vec(self).expect("an envelope serializes"),
        }
    }
}

/// A user event as published: on `chirp.user-events`, keyed by the user.
pub fn user_event_message(recorded: &RecordedEvent) -> Message {
    Envelope::of_user_event(recorded).message(USER_EVENTS_TOPIC, recorded.stream_id)
}

/// A tweet event as published: on `chirp.tweets`, keyed by the author, so
/// an author's tweets keep their order.
pub fn tweet_event_message(event: &TweetEvent) -> Message {
    Envelope::of_tweet_event(event).message(TWEETS_TOPIC, event.author_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        user::{PasswordChanged, ProfileUpdated, UserRegistered},
        DisplayName, Email, PasswordHash, Username, Version,
    };

    fn recorded(event: UserEvent, version: u64) -> RecordedEvent {
        RecordedEvent {
            id: Id::from_i64(42),
            stream_id: Id::from_i64(7),
            version: Version::new(version),
            event,
        }
    }

    #[test]
    fn a_published_user_event_carries_no_hash_and_no_address() {
        let hash = "$2b$12$abcdefghijklmnopqrstuuLh0V7Qf8tE8tCq2y8a9b1c2d3e4f5g6";
        let at = Timestamp::from_millis(1_764_000_000_000);
        let events = [
            UserEvent::UserRegistered(UserRegistered {
                user_id: Id::from_i64(7),
                username: Username::parse("ada").unwrap(),
                email: Email::parse("ada@example.com").unwrap(),
                name: DisplayName::parse("Ada").unwrap(),
                password_hash: PasswordHash::from_stored(hash),
                at,
            }),
            UserEvent::ProfileUpdated(ProfileUpdated {
                name: None,
                email: Some(Email::parse("new@example.com").unwrap()),
                bio: None,
                at,
            }),
            UserEvent::PasswordChanged(PasswordChanged {
                password_hash: PasswordHash::from_stored(hash),
                at,
            }),
        ];
        for (n, event) in events.into_iter().enumerate() {
            let message = user_event_message(&recorded(event, n as u64 + 1));
            let text = String::from_utf8(message.payload).unwrap();
            assert!(!text.contains("$2b$"), "{text}");
            assert!(!text.contains("example.com"), "{text}");
            assert_eq!(message.key, "7");
            assert_eq!(message.topic, USER_EVENTS_TOPIC);
            let envelope: Envelope = serde_json::from_str(&text).unwrap();
            assert_eq!(envelope.version, n as u64 + 1);
            assert_eq!(envelope.time, "2025-11-24T16:00:00.000Z");
        }
    }

    #[test]
    fn a_tweet_event_is_keyed_by_its_author() {
        let event = TweetEvent {
            id: Id::from_i64(9),
            tweet_id: Id::from_i64(5),
            author_id: Id::from_i64(7),
            change: TweetChange::Posted {
                body: "hello".into(),
                at: Timestamp::from_millis(0),
            },
        };
        let message = tweet_event_message(&event);
        assert_eq!((message.topic, message.key.as_str()), (TWEETS_TOPIC, "7"));
        let envelope: Envelope = serde_json::from_slice(&message.payload).unwrap();
        assert_eq!(envelope.kind, "tweet_posted");
        assert_eq!(envelope.data["body"], "hello");
        assert_eq!(envelope.data["author_id"], "7");
    }
}
