//! The storage ports. Handlers and services see only these, as
//! `Arc<dyn …>`; SQLite and MongoDB implement them, and one contract suite
//! (`tests/store_contract.rs`) holds both to the same behaviour.

use async_trait::async_trait;

use super::{ApiRelease, Page, RecordedEvent, Session, StoreResult, TokenHash, UserRecord};
use crate::domain::{Id, Timestamp, Tweet, UserEvent, Username, Version};

/// The log of user events. `append` also updates the users read model in the
/// same transaction, so the two never disagree.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Appends `events` to stream `stream_id` if it is exactly at `expected`.
    /// Returns the stream's new version. A stale `expected`, or a username or
    /// email that the read model already holds for another user, is a
    /// `Conflict` and nothing is written. An empty `events` writes nothing.
    async fn append(
        &self,
        stream_id: Id,
        expected: Version,
        events: Vec<UserEvent>,
    ) -> StoreResult<Version>;

    /// The whole stream, oldest first (empty if the stream does not exist).
    async fn load(&self, stream_id: Id) -> StoreResult<Vec<RecordedEvent>>;

    /// Up to `limit` events with `position > after`, in position order.
    async fn read_all(&self, after: u64, limit: u32) -> StoreResult<Vec<RecordedEvent>>;
}

/// Live users, as projected from the events.
#[async_trait]
pub trait UserReadModel: Send + Sync {
    async fn by_id(&self, id: Id) -> StoreResult<Option<UserRecord>>;
    /// Case-insensitive.
    async fn by_username(&self, username: &Username) -> StoreResult<Option<UserRecord>>;
    /// Case-insensitive. Takes the raw input so a login form can try it
    /// without parsing it first.
    async fn by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// Those of `ids` that exist, in no particular order (for tweet authors).
    async fn by_ids(&self, ids: &[Id]) -> StoreResult<Vec<UserRecord>>;
    /// Newest first.
    async fn list(&self, page: Page) -> StoreResult<Vec<UserRecord>>;
    async fn count(&self) -> StoreResult<u64>;
}

#[async_trait]
pub trait TweetStore: Send + Sync {
    /// `NotFound` if the author does not exist; `Conflict::DuplicateId` if
    /// the id does.
    async fn insert(&self, tweet: &Tweet) -> StoreResult<()>;
    /// Inserts many tweets at once, all or none, with the same checks as
    /// [`insert`](Self::insert) (bulk loads: benchmarks, imports). Adapters
    /// may do it faster than one insert each; the rows are the same.
    async fn insert_many(&self, tweets: Vec<Tweet>) -> StoreResult<()> {
        for tweet in &tweets {
            self.insert(tweet).await?;
        }
        Ok(())
    }
    async fn get(&self, id: Id) -> StoreResult<Option<Tweet>>;
    /// Deletes tweet `id` if `author_id` wrote it. Returns whether it did, so
    /// someone else's tweet and a missing one look the same (404).
    async fn delete(&self, id: Id, author_id: Id) -> StoreResult<bool>;
    /// Everyone's tweets, newest first.
    async fn list(&self, page: Page) -> StoreResult<Vec<Tweet>>;
    /// One author's tweets, newest first.
    async fn by_author(&self, author_id: Id, page: Page) -> StoreResult<Vec<Tweet>>;
    /// [`list`](Self::list) (or [`by_author`](Self::by_author) with
    /// `author`) with each tweet's author's username, in one round trip to
    /// the store, skipping tweets whose author is gone. `None` where the
    /// adapter has no such query: callers then look the authors up.
    async fn list_with_usernames(
        &self,
        _author: Option<Id>,
        _page: Page,
    ) -> StoreResult<Option<Vec<(Tweet, String)>>> {
        Ok(None)
    }
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create(&self, session: &Session) -> StoreResult<()>;
    /// The session if it exists and has not expired at `now`.
    async fn get(&self, token_hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Session>>;
    async fn delete(&self, token_hash: &TokenHash) -> StoreResult<()>;
    /// Ends every session of `user_id` except `keep` (the one making the
    /// request, after a password change). Returns how many ended.
    async fn delete_for_user(&self, user_id: Id, keep: Option<&TokenHash>) -> StoreResult<u64>;
    /// Removes sessions that expired before `now`. Returns how many.
    async fn delete_expired(&self, now: Timestamp) -> StoreResult<u64>;
}

/// The original service's `apirelease` records.
#[async_trait]
pub trait ReleaseStore: Send + Sync {
    /// Oldest first.
    async fn list(&self) -> StoreResult<Vec<ApiRelease>>;
    async fn insert(&self, release: &ApiRelease) -> StoreResult<()>;
}

/// Administration that only makes sense per adapter.
#[async_trait]
pub trait Maintenance: Send + Sync {
    /// Replays every event into fresh read models and swaps them in.
    /// Run it with the server stopped: appends made meanwhile may be missed
    /// (MongoDB) or wait for it (SQLite).
    async fn rebuild_read_models(&self) -> StoreResult<RebuildReport>;

    /// Whether the store is reachable (for a readiness probe).
    async fn ping(&self) -> StoreResult<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildReport {
    pub events: u64,
    pub users: u64,
}
