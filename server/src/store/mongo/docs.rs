//! The documents as stored. Typed structs only: user input becomes field
//! values, never a filter or an operator.

use mongodb::bson::DateTime;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        DisplayName, Email, Id, PasswordHash, Timestamp, Tweet, TweetBody, Username, Version,
    },
    store::{codec, ApiRelease, RecordedEvent, Session, StoreError, TokenHash, UserRecord},
};

pub fn date(t: Timestamp) -> DateTime {
    DateTime::from_millis(t.millis())
}

fn timestamp(d: DateTime) -> Timestamp {
    Timestamp::from_millis(d.timestamp_millis())
}

#[derive(Debug, Serialize, Deserialize)]
pub struct UserDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub username: String,
    pub username_key: String,
    pub email: String,
    pub email_key: String,
    pub name: String,
    pub password_hash: String,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    pub version: i64,
}

impl From<&UserRecord> for UserDoc {
    fn from(u: &UserRecord) -> Self {
        Self {
            id: u.id.as_i64(),
            username: u.username.as_str().to_owned(),
            username_key: u.username.key(),
            email: u.email.as_str().to_owned(),
            email_key: u.email.key(),
            name: u.name.as_str().to_owned(),
            password_hash: u.password_hash.expose_for_storage().to_owned(),
            created_at: date(u.created_at),
            updated_at: date(u.updated_at),
            version: u.version.get() as i64,
        }
    }
}

impl From<UserDoc> for UserRecord {
    fn from(d: UserDoc) -> Self {
        Self {
            id: Id::from_i64(d.id),
            username: Username::from_stored(d.username),
            email: Email::from_stored(d.email),
            name: DisplayName::from_stored(d.name),
            password_hash: PasswordHash::from_stored(d.password_hash),
            created_at: timestamp(d.created_at),
            updated_at: timestamp(d.updated_at),
            version: Version::new(d.version as u64),
        }
    }
}

/// `_id` is the global position. The payload is the codec's JSON text, the
/// same bytes SQLite stores, so one codec and its upcasters serve both.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventDoc {
    #[serde(rename = "_id")]
    pub position: i64,
    pub stream_id: i64,
    pub version: i64,
    pub kind: String,
    pub schema_version: i32,
    pub payload: String,
}

impl TryFrom<EventDoc> for RecordedEvent {
    type Error = StoreError;
    fn try_from(d: EventDoc) -> Result<Self, StoreError> {
        Ok(Self {
            position: d.position as u64,
            stream_id: Id::from_i64(d.stream_id),
            version: Version::new(d.version as u64),
            event: codec::decode(&d.kind, d.schema_version as u32, &d.payload)?,
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TweetDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub author_id: i64,
    pub body: String,
    pub created_at: DateTime,
}

impl From<&Tweet> for TweetDoc {
    fn from(t: &Tweet) -> Self {
        Self {
            id: t.id.as_i64(),
            author_id: t.author_id.as_i64(),
            body: t.body.as_str().to_owned(),
            created_at: date(t.created_at),
        }
    }
}

impl From<TweetDoc> for Tweet {
    fn from(d: TweetDoc) -> Self {
        Self {
            id: Id::from_i64(d.id),
            author_id: Id::from_i64(d.author_id),
            body: TweetBody::from_stored(d.body),
            created_at: timestamp(d.created_at),
        }
    }
}

/// `_id` is the hex SHA-256 of the token. `expires_at` is a BSON date so
/// the TTL index can remove expired sessions on its own.
#[derive(Debug, Serialize, Deserialize)]
pub struct SessionDoc {
    #[serde(rename = "_id")]
    pub token_hash: String,
    pub user_id: i64,
    pub created_at: DateTime,
    pub expires_at: DateTime,
}

impl From<&Session> for SessionDoc {
    fn from(s: &Session) -> Self {
        Self {
            token_hash: s.token_hash.to_hex(),
            user_id: s.user_id.as_i64(),
            created_at: date(s.created_at),
            expires_at: date(s.expires_at),
        }
    }
}

impl TryFrom<SessionDoc> for Session {
    type Error = StoreError;
    fn try_from(d: SessionDoc) -> Result<Self, StoreError> {
        Ok(Self {
            token_hash: TokenHash::from_hex(&d.token_hash)
                .ok_or_else(|| StoreError::Corrupt("a session id is not a SHA-256".into()))?,
            user_id: Id::from_i64(d.user_id),
            created_at: timestamp(d.created_at),
            expires_at: timestamp(d.expires_at),
        })
    }
}

/// The original `apirelease` document, with an ordered `_id` added.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReleaseDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub buildtime: String,
    pub version: String,
    pub methods: String,
    pub links: String,
}

impl From<ReleaseDoc> for ApiRelease {
    fn from(d: ReleaseDoc) -> Self {
        Self {
            buildtime: d.buildtime,
            version: d.version,
            methods: d.methods,
            links: d.links,
        }
    }
}
