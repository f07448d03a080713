//! Storage: ports ([`traits`]), the shared event codec, and two adapters:
//! SQLite (embedded default) and MongoDB (production).

pub mod codec;
mod error;
pub mod mongo;
pub mod sqlite;
mod traits;
mod types;

use std::sync::Arc;

pub use error::{Conflict, StoreError, StoreResult};
pub use traits::{
    FollowStore, Health, NotificationStore, OutboxStore, Reaction, ReactionStore, ReleaseStore,
    SessionStore, TweetStore, UserStore,
};
pub use types::{
    Ancestor, ApiRelease, Append, AuthoredTweet, Backlog, ByAuthor, FollowCounts, Limit,
    NewSession, Notification, Page, Pending, Reactions, RebuildReport, RecordedEvent, Repost,
    Session, TokenHash, TweetChange, TweetEvent,
};

use crate::config::{Config, StoreChoice};

/// Every port, as the services see them; each points at the same adapter.
/// Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub users: Arc<dyn UserStore>,
    pub tweets: Arc<dyn TweetStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub releases: Arc<dyn ReleaseStore>,
    pub health: Arc<dyn Health>,
    pub outbox: Arc<dyn OutboxStore>,
    pub follows: Arc<dyn FollowStore>,
    pub reactions: Arc<dyn ReactionStore>,
    pub notifications: Arc<dyn NotificationStore>,
}

impl Store {
    /// One adapter value that implements every port.
    pub fn from_adapter<A>(adapter: A) -> Self
    where
        A: UserStore
            + TweetStore
            + SessionStore
            + ReleaseStore
            + Health
            + OutboxStore
            + FollowStore
            + ReactionStore
            + NotificationStore
            + 'static,
    {
        let adapter = Arc::new(adapter);
        Self {
            users: adapter.clone(),
            tweets: adapter.clone(),
            sessions: adapter.clone(),
            releases: adapter.clone(),
            health: adapter.clone(),
            outbox: adapter.clone(),
            follows: adapter.clone(),
            reactions: adapter.clone(),
            notifications: adapter,
        }
    }

    /// Opens the configured store: the SQLite file (created on first run)
    /// or the MongoDB replica set (checked, indexes ensured).
    pub async fn open(config: &Config) -> StoreResult<Self> {
        Ok(match config.store {
            StoreChoice::Sqlite => {
                Self::from_adapter(sqlite::SqliteStore::open(&config.data_dir).await?)
            }
            StoreChoice::Mongodb => {
                let settings = config
                    .mongo_settings()
                    .map_err(|e| StoreError::Misconfigured(e.to_string()))?;
                Self::from_adapter(mongo::MongoStore::connect(&settings).await?)
            }
        })
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}
