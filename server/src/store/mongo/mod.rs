//! The production store: MongoDB through the official driver.
//!
//! Needs a replica set (a single-node one is fine): appending user events
//! and updating the users read model is one multi-document transaction.

mod docs;
mod errors;
mod events;
mod indexes;
mod queries;

use std::time::Duration;

use async_trait::async_trait;
use mongodb::{
    bson::{doc, Document},
    options::{Acknowledgment, ClientOptions, ReadConcern, WriteConcern},
    Client, Collection, Database,
};

use self::{
    docs::{EventDoc, ReleaseDoc, SessionDoc, TweetDoc, UserDoc},
    errors::from_mongo,
};
use super::{Maintenance, RebuildReport, StoreResult};

#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    users: Collection<UserDoc>,
    tweets: Collection<TweetDoc>,
    events: Collection<EventDoc>,
    sessions: Collection<SessionDoc>,
    releases: Collection<ReleaseDoc>,
    counters: Collection<Document>,
}

/// Majority-acknowledged and journaled: a write we report survives the
/// loss of the primary.
pub fn durable_writes() -> WriteConcern {
    WriteConcern::builder()
        .w(Acknowledgment::Majority)
        .journal(true)
        .build()
}

impl MongoStore {
    /// Connects (failing after ~3 s if no server answers), pings, and makes
    /// sure the indexes exist.
    pub async fn connect(uri: &str, database: &str) -> StoreResult<Self> {
        let mut options = ClientOptions::parse(uri).await.map_err(from_mongo)?;
        options.app_name.get_or_insert_with(|| "chirp".into());
        options.server_selection_timeout = Some(Duration::from_secs(3));
        options.connect_timeout = Some(Duration::from_secs(3));
        options.write_concern = Some(durable_writes());
        options.read_concern = Some(ReadConcern::majority());
        options.retry_writes = Some(true);
        options.retry_reads = Some(true);
        let client = Client::with_options(options).map_err(from_mongo)?;
        let db = client.database(database);
        db.run_command(doc! { "ping": 1 })
            .await
            .map_err(from_mongo)?;
        let store = Self {
            users: db.collection("users"),
            tweets: db.collection("tweets"),
            events: db.collection("events"),
            sessions: db.collection("sessions"),
            releases: db.collection("apirelease"),
            counters: db.collection("counters"),
            db,
            client,
        };
        indexes::ensure(&store).await?;
        Ok(store)
    }

    /// Drops the whole database; for tests that made one of their own.
    pub async fn drop_database(&self) -> StoreResult<()> {
        self.db.drop().await.map_err(from_mongo)
    }
}

#[async_trait]
impl Maintenance for MongoStore {
    async fn rebuild_read_models(&self) -> StoreResult<RebuildReport> {
        events::rebuild(self).await
    }

    async fn ping(&self) -> StoreResult<()> {
        self.db
            .run_command(doc! { "ping": 1 })
            .await
            .map(drop)
            .map_err(from_mongo)
    }
}
