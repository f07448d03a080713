//! Storage: ports ([`traits`]), the shared event codec and projection, and
//! two adapters: SQLite (embedded default) and MongoDB (production).

pub mod codec;
mod error;
pub mod mongo;
pub mod projection;
mod settings;
pub mod sqlite;
mod traits;
mod types;

use std::sync::Arc;

pub use error::{Conflict, StoreError, StoreResult};
pub use settings::{StorageConfig, StoreKind};
pub use traits::{
    EventStore, Maintenance, RebuildReport, ReleaseStore, SessionStore, TweetStore, UserReadModel,
};
pub use types::{ApiRelease, Limit, Page, RecordedEvent, Session, TokenHash, UserRecord};

/// Every store, as the application sees them. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub events: Arc<dyn EventStore>,
    pub users: Arc<dyn UserReadModel>,
    pub tweets: Arc<dyn TweetStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub releases: Arc<dyn ReleaseStore>,
    pub maintenance: Arc<dyn Maintenance>,
}

impl Store {
    /// One adapter value that implements every port.
    pub fn from_adapter<A>(adapter: A) -> Self
    where
        A: EventStore
            + UserReadModel
            + TweetStore
            + SessionStore
            + ReleaseStore
            + Maintenance
            + 'static,
    {
        let adapter = Arc::new(adapter);
        Self {
            events: adapter.clone(),
            users: adapter.clone(),
            tweets: adapter.clone(),
            sessions: adapter.clone(),
            releases: adapter.clone(),
            maintenance: adapter,
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

/// Opens the configured store: the SQLite file (created on first run) or
/// the MongoDB deployment (pinged, indexes ensured).
pub async fn open(config: &StorageConfig) -> StoreResult<Store> {
    Ok(match &config.kind {
        StoreKind::Sqlite { data_dir } => {
            Store::from_adapter(sqlite::SqliteStore::open(data_dir).await?)
        }
        StoreKind::MongoDb { uri, database } => {
            Store::from_adapter(mongo::MongoStore::connect(uri, database).await?)
        }
    })
}
