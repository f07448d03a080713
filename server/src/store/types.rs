//! What the stores take and return, independent of any database.

use sha2::{Digest, Sha256};

use crate::domain::{Id, Timestamp, Tweet, User, UserEvent, Username, Version};

/// A tweet posted or deleted, recorded for publishing in the transaction
/// that made the change (the outbox of `chirp.tweets`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TweetEvent {
    /// Unique and time-ordered, made by the application like every id.
    pub id: Id,
    pub tweet_id: Id,
    pub author_id: Id,
    pub change: TweetChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TweetChange {
    Posted { body: String, at: Timestamp },
    Deleted { at: Timestamp },
}

impl TweetEvent {
    pub fn posted(tweet: &Tweet) -> Self {
        Self {
            id: Id::generate(),
            tweet_id: tweet.id,
            author_id: tweet.author_id,
            change: TweetChange::Posted {
                body: tweet.body.as_str().to_owned(),
                at: tweet.created_at,
            },
        }
    }

    pub fn deleted(tweet_id: Id, author_id: Id) -> Self {
        Self {
            id: Id::generate(),
            tweet_id,
            author_id,
            change: TweetChange::Deleted {
                at: Timestamp::now(),
            },
        }
    }
}

/// An outbox entry not yet published, with the mark that
/// [`super::OutboxStore`] takes back once it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending<T> {
    pub mark: i64,
    pub event: T,
}

/// How many a user follows and is followed by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowCounts {
    pub following: u64,
    pub followers: u64,
}

/// How many recorded changes wait to be published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Backlog {
    pub user_events: u64,
    pub tweet_events: u64,
}

/// One event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// Unique and time-ordered, made by the application like every id.
    pub id: Id,
    pub stream_id: Id,
    /// This event's version within its stream, starting at 1.
    pub version: Version,
    pub event: UserEvent,
}

/// One decision about a user, written in one transaction: the events are
/// appended if the stream is exactly at `expected`, projected into the
/// users read model, and the session changes made.
#[derive(Debug)]
pub struct Append {
    pub user_id: Id,
    pub expected: Version,
    pub events: Vec<UserEvent>,
    /// A session to open (sign-up, login, the rotation after a password
    /// change). The store stamps it with the user's credentials version as
    /// projected, so it is valid exactly as long as that password is.
    pub open_session: Option<NewSession>,
    /// The session the request came with, ended by a login.
    pub close_session: Option<TokenHash>,
}

impl Append {
    pub fn new(user_id: Id, expected: Version, events: Vec<UserEvent>) -> Self {
        Self {
            user_id,
            expected,
            events,
            open_session: None,
            close_session: None,
        }
    }
}

/// A page of a newest-first list. `max_id` and `since_id` are exclusive
/// bounds: `max_id` asks for older items, `since_id` for newer ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub max_id: Option<Id>,
    pub since_id: Option<Id>,
    pub limit: Limit,
}

impl Page {
    pub fn first(limit: Limit) -> Self {
        Self {
            max_id: None,
            since_id: None,
            limit,
        }
    }

    /// Whether a page that came back with `returned` items may have older
    /// ones after it.
    pub fn is_full(&self, returned: usize) -> bool {
        returned >= usize::from(self.limit.get())
    }

    /// Whether this is the newest page with no cursor (the most read one).
    pub fn is_newest(&self) -> bool {
        self.max_id.is_none() && self.since_id.is_none()
    }
}

/// How many items a page holds: 1 to [`app::api::PAGE_MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u16);

impl Limit {
    pub const DEFAULT: Self = Self(app::api::PAGE_DEFAULT as u16);

    /// `None` outside 1..=PAGE_MAX: a client asking for 0 or 10,000 is told.
    pub fn new(n: i64) -> Option<Self> {
        (1..=i64::from(app::api::PAGE_MAX))
            .contains(&n)
            .then_some(Self(n as u16))
    }

    pub const fn get(self) -> u16 {
        self.0
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A tweet with its author's username, as every reader shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthoredTweet {
    pub tweet: Tweet,
    pub author: Username,
    /// How many like it.
    pub likes: u64,
    /// How many replies it has.
    pub replies: u64,
    /// How many reposted it.
    pub reposts: u64,
    /// On a home timeline, the repost that brought it there.
    pub repost: Option<Repost>,
}

impl AuthoredTweet {
    /// Where it stands in its timeline: the repost's id, else its own.
    pub fn cursor(&self) -> Id {
        self.repost.as_ref().map_or(self.tweet.id, |r| r.id)
    }
}

/// One author's tweets ([`super::TweetStore::page`]): with their replies,
/// or only those that answer nobody (a profile's first tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByAuthor {
    pub id: Id,
    pub replies: bool,
}

/// A tweet reposted by `by` (its username), as repost `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repost {
    pub id: Id,
    pub by: Username,
}

/// Which of some tweets a user likes and which they reposted
/// ([`super::ReactionStore::reactions_among`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reactions {
    pub liked: Vec<Id>,
    pub reposted: Vec<Id>,
}

/// Something `actor` did that concerns a user ([`super::NotificationStore`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Time-ordered, like every id.
    pub id: Id,
    pub kind: app::api::NotificationKind,
    pub actor_id: Id,
    pub actor: Username,
    /// The tweet liked, or the reply or mention itself.
    pub tweet: Option<AuthoredTweet>,
    pub at: Timestamp,
    pub read: bool,
}

/// A tweet's place in the chain of tweets it answers: the tweet, or a
/// tombstone that still says what the deleted one answered, so the
/// thread above it stays whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ancestor {
    Tweet(AuthoredTweet),
    Deleted(Id),
}

/// A server-side session. Stores keep only the SHA-256 of the token the
/// browser holds, so a leaked database does not hand out live sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: TokenHash,
    pub user_id: Id,
    /// The user's credentials version when it was opened (see
    /// [`User::credentials`]).
    pub credentials: Version,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// When it was last used, at most an hour behind (see
    /// [`SessionStore::touch`](super::SessionStore::touch)).
    pub last_seen: Timestamp,
}

/// A session about to be opened by an [`Append`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSession {
    pub token_hash: TokenHash,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl NewSession {
    pub fn for_user(self, user: &User) -> Session {
        Session {
            token_hash: self.token_hash,
            user_id: user.id,
            credentials: user.credentials,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_seen: self.created_at,
        }
    }
}

/// SHA-256 of a session token.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }
}

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A prefix is enough to tell sessions apart in logs.
        write!(f, "TokenHash({}…)", &self.to_hex()[..8])
    }
}

/// One entry of the original service's `apirelease` collection, served by
/// `GET /api/v1/info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRelease {
    pub buildtime: String,
    pub version: String,
    pub methods: String,
    pub links: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildReport {
    pub events: u64,
    pub users: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hashes_round_trip_through_hex() {
        let hash = TokenHash::of("some random token");
        assert_eq!(TokenHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(TokenHash::from_hex("zz"), None);
        assert!(!format!("{hash:?}").contains(&hash.to_hex()));
    }

    #[test]
    fn limits_are_one_to_the_page_maximum() {
        assert_eq!(Limit::new(0), None);
        assert_eq!(Limit::new(101), None);
        assert_eq!(Limit::new(100).map(Limit::get), Some(100));
        assert_eq!(Limit::default().get(), 20);
    }
}
