//! The documents as stored. Typed structs only: user input becomes field
//! values, never a filter or an operator.

use mongodb::bson::DateTime;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        Bio, DisplayName, Email, Id, PasswordHash, Timestamp, Tweet, TweetBody, User, Username,
        Version,
    },
    store::{
        codec, ApiRelease, RecordedEvent, Session, StoreError, TokenHash, TweetChange, TweetEvent,
    },
};

pub fn date(t: Timestamp) -> DateTime {
    DateTime::from_millis(t.millis())
}

fn timestamp(d: DateTime) -> Timestamp {
    Timestamp::from_millis(d.timestamp_millis())
}

fn version(v: i64) -> Version {
    Version::new(v as u64)
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
    /// Absent on users from before bios, and while empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bio: String,
    pub password_hash: String,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    pub version: i64,
    // Documents written before these fields existed read as 0 here and in
    // their sessions, so an upgrade logs nobody out.
    #[serde(default)]
    pub revision: i64,
    #[serde(default)]
    pub credentials: i64,
}

impl From<&User> for UserDoc {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.as_i64(),
            username: u.username.as_str().to_owned(),
            username_key: u.username.key(),
            email: u.email.as_str().to_owned(),
            email_key: u.email.key(),
            name: u.name.as_str().to_owned(),
            bio: u.bio.as_str().to_owned(),
            password_hash: u.password_hash.expose_for_storage().to_owned(),
            created_at: date(u.created_at),
            updated_at: date(u.updated_at),
            version: u.version.get() as i64,
            revision: u.revision.get() as i64,
            credentials: u.credentials.get() as i64,
        }
    }
}

impl From<UserDoc> for User {
    fn from(d: UserDoc) -> Self {
        Self {
            id: Id::from_i64(d.id),
            username: Username::from_stored(d.username),
            email: Email::from_stored(d.email),
            name: DisplayName::from_stored(d.name),
            bio: Bio::from_stored(d.bio),
            password_hash: PasswordHash::from_stored(d.password_hash),
            created_at: timestamp(d.created_at),
            updated_at: timestamp(d.updated_at),
            version: version(d.version),
            revision: version(d.revision),
            credentials: version(d.credentials),
        }
    }
}

/// `_id` is the event's own id. The payload is the codec's JSON text, the
/// same bytes SQLite stores, so one codec serves both.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub stream_id: i64,
    pub version: i64,
    pub kind: String,
    pub schema_version: i32,
    pub payload: String,
    /// Present (`true`) until the relay has published the event: the log is
    /// its own outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<bool>,
}

/// One follow (`follows`): `_id` is `"<follower>:<followee>"`, so a follow
/// exists at most once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub follower_id: i64,
    pub followee_id: i64,
    pub at: i64,
}

impl FollowDoc {
    pub fn key(follower: i64, followee: i64) -> String {
        format!("{follower}:{followee}")
    }
}

/// One like (`likes`): `_id` is `"<user>:<tweet>"`, so a user likes a
/// tweet at most once. The tweet's author is kept so that their deletion
/// finds the likes of their tweets.
/// A repost (`reposts`) is the same, with its own id (`entry`): its place
/// in home timelines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReactionDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub user_id: i64,
    pub tweet_id: i64,
    pub author_id: i64,
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<i64>,
}

/// One block (`blocks`): `_id` is `"<blocker>:<blocked>"`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub blocker_id: i64,
    pub blocked_id: i64,
    pub at: i64,
}

/// A tweet posted or deleted (`tweet_events`), waiting for the relay while
/// `outbox` is present.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TweetEventDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub tweet_id: i64,
    pub author_id: i64,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<bool>,
}

impl From<&TweetEvent> for TweetEventDoc {
    fn from(event: &TweetEvent) -> Self {
        let (kind, body, at) = match &event.change {
            TweetChange::Posted { body, at } => ("posted", Some(body.clone()), *at),
            TweetChange::Deleted { at } => ("deleted", None, *at),
        };
        Self {
            id: event.id.as_i64(),
            tweet_id: event.tweet_id.as_i64(),
            author_id: event.author_id.as_i64(),
            kind: kind.to_owned(),
            body,
            at: at.millis(),
            outbox: Some(true),
        }
    }
}

impl TryFrom<TweetEventDoc> for TweetEvent {
    type Error = StoreError;
    fn try_from(d: TweetEventDoc) -> Result<Self, StoreError> {
        let at = Timestamp::from_millis(d.at);
        let change = match d.kind.as_str() {
            "posted" => TweetChange::Posted {
                body: d.body.unwrap_or_default(),
                at,
            },
            "deleted" => TweetChange::Deleted { at },
            other => {
                return Err(StoreError::internal(format!(
                    "unknown tweet event kind {other:?}"
                )))
            }
        };
        Ok(Self {
            id: Id::from_i64(d.id),
            tweet_id: Id::from_i64(d.tweet_id),
            author_id: Id::from_i64(d.author_id),
            change,
        })
    }
}

impl TryFrom<EventDoc> for RecordedEvent {
    type Error = StoreError;
    fn try_from(d: EventDoc) -> Result<Self, StoreError> {
        Ok(Self {
            id: Id::from_i64(d.id),
            stream_id: Id::from_i64(d.stream_id),
            version: version(d.version),
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
    /// How many like it; absent on tweets from before likes.
    #[serde(default)]
    pub likes: i64,
    /// How many reposted it; absent on tweets from before reposts.
    #[serde(default)]
    pub reposts: i64,
    /// Its hashtags, lowercase (`app::api::text::hashtags`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<i64>,
    /// How many replies it has; absent on tweets from before replies.
    #[serde(default)]
    pub replies: i64,
    /// The users it mentions, by lowercase username.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    /// Its words as search reads them (`app::api::text::words`); absent on
    /// tweets from before search.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
}

/// What a deleted reply answered (`deleted_tweets`), so a thread walks up
/// through it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TombstoneDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub in_reply_to: i64,
}

impl From<&Tweet> for TweetDoc {
    fn from(t: &Tweet) -> Self {
        Self {
            id: t.id.as_i64(),
            author_id: t.author_id.as_i64(),
            body: t.body.as_str().to_owned(),
            created_at: date(t.created_at),
            likes: 0,
            reposts: 0,
            tags: app::api::text::hashtags(t.body.as_str()),
            in_reply_to: t.in_reply_to.map(Id::as_i64),
            replies: 0,
            mentions: t.mentions.iter().map(Username::key).collect(),
            words: app::api::text::words(t.body.as_str()),
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
            in_reply_to: d.in_reply_to.map(Id::from_i64),
            mentions: d.mentions.into_iter().map(Username::from_stored).collect(),
        }
    }
}

/// One notification (`notifications`). `tweet_id` is 0 for none, so the
/// unique key (recipient, kind, actor, tweet) holds for follows too.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotificationDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub actor_id: i64,
    pub tweet_id: i64,
    pub at: i64,
    pub read: bool,
}

impl NotificationDoc {
    /// What makes a notification one: the filter of its upsert.
    pub fn key(
        recipient: i64,
        kind: app::api::NotificationKind,
        actor: i64,
        tweet: Option<i64>,
    ) -> mongodb::bson::Document {
        mongodb::bson::doc! {
            "user_id": recipient, "kind": kind.as_str(), "actor_id": actor,
            "tweet_id": tweet.unwrap_or(0),
        }
    }

    pub fn tweet(&self) -> Option<i64> {
        (self.tweet_id != 0).then_some(self.tweet_id)
    }
}

/// Just the username, for a page's authors.
#[derive(Debug, Deserialize)]
pub struct AuthorDoc {
    #[serde(rename = "_id")]
    pub id: i64,
    pub username: String,
}

/// `_id` is the hex SHA-256 of the token. `expires_at` is a BSON date so
/// the TTL index can remove expired sessions on its own.
#[derive(Debug, Serialize, Deserialize)]
pub struct SessionDoc {
    #[serde(rename = "_id")]
    pub token_hash: String,
    pub user_id: i64,
    #[serde(default)]
    pub credentials: i64,
    pub created_at: DateTime,
    pub expires_at: DateTime,
    /// Missing on sessions opened before it existed: they count as seen
    /// when they began.
    #[serde(default)]
    pub last_seen: Option<DateTime>,
}

impl From<&Session> for SessionDoc {
    fn from(s: &Session) -> Self {
        Self {
            token_hash: s.token_hash.to_hex(),
            user_id: s.user_id.as_i64(),
            credentials: s.credentials.get() as i64,
            created_at: date(s.created_at),
            expires_at: date(s.expires_at),
            last_seen: Some(date(s.last_seen)),
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
            credentials: version(d.credentials),
            created_at: timestamp(d.created_at),
            expires_at: timestamp(d.expires_at),
            last_seen: timestamp(d.last_seen.unwrap_or(d.created_at)),
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
