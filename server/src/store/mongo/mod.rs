//! The production store: MongoDB through the official driver.
//!
//! Needs a replica set (a single-node one is fine) or a sharded cluster:
//! a user's events, the users read model and the sessions a decision opens
//! are written in one multi-document transaction. `connect` refuses a
//! standalone server, and the readiness probe keeps checking.
//!
//! Every operation has a deadline (`timeout`): `maxTimeMS` on the server
//! and the same bound on the client, since the driver has no socket
//! timeout. A stopped or stalled server then costs a request `timeout`
//! and a 503, not the HTTP layer's whole request timeout.

mod docs;
mod errors;
mod follows;
mod indexes;
mod notifications;
mod outbox;
mod reactions;
mod releases;
mod sessions;
mod tweets;
mod users;

use std::{future::IntoFuture, time::Duration};

use async_trait::async_trait;
use mongodb::{
    bson::{doc, Document},
    options::{Acknowledgment, ClientOptions, ReadConcern, WriteConcern},
    Client, Collection, Database,
};

use self::docs::{
    BlockDoc, EventDoc, FollowDoc, NotificationDoc, ReactionDoc, ReleaseDoc, SessionDoc,
    TombstoneDoc, TweetDoc, TweetEventDoc, UserDoc,
};
use super::{Health, StoreError, StoreResult};

/// Where and how to connect.
#[derive(Clone)]
pub struct MongoSettings {
    pub uri: String,
    pub database: String,
    /// The deadline of every store operation, and the server-selection
    /// timeout unless the URI sets one.
    pub timeout: Duration,
}

/// The URI may hold a password: show only the database.
impl std::fmt::Debug for MongoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MongoSettings")
            .field("database", &self.database)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct MongoStore {
    settings: MongoSettings,
    client: Client,
    db: Database,
    users: Collection<UserDoc>,
    tweets: Collection<TweetDoc>,
    events: Collection<EventDoc>,
    tweet_events: Collection<TweetEventDoc>,
    follows: Collection<FollowDoc>,
    blocks: Collection<BlockDoc>,
    likes: Collection<ReactionDoc>,
    reposts: Collection<ReactionDoc>,
    deleted_tweets: Collection<TombstoneDoc>,
    notifications: Collection<NotificationDoc>,
    sessions: Collection<SessionDoc>,
    releases: Collection<ReleaseDoc>,
    timeout: Duration,
}

/// Majority-acknowledged and journaled: a write we report survives the
/// loss of the primary. `wtimeout` so that a replica set that lost its
/// majority answers "unavailable" instead of holding the write forever.
fn durable_writes() -> WriteConcern {
    WriteConcern::builder()
        .w(Acknowledgment::Majority)
        .journal(true)
        .w_timeout(Duration::from_secs(5))
        .build()
}

/// Connections per server: requests wait for one without a deadline of
/// their own, so the pool is sized for the server's concurrency, not the
/// driver's default of 10.
const POOL_SIZE: u32 = 64;

impl MongoStore {
    /// Connects, checks the deployment can run transactions, and makes
    /// sure the indexes exist. Settings the URI gives (write concern,
    /// timeouts, pool size) are kept; only those it leaves out are filled.
    pub async fn connect(settings: &MongoSettings) -> StoreResult<Self> {
        let mut options = ClientOptions::parse(&settings.uri).await?;
        options.app_name.get_or_insert_with(|| "chirp".into());
        options
            .server_selection_timeout
            .get_or_insert(settings.timeout);
        options.connect_timeout.get_or_insert(settings.timeout);
        options.write_concern.get_or_insert_with(durable_writes);
        options
            .read_concern
            .get_or_insert_with(ReadConcern::majority);
        options.retry_writes.get_or_insert(true);
        options.retry_reads.get_or_insert(true);
        options.max_pool_size.get_or_insert(POOL_SIZE);
        let client = Client::with_options(options)?;
        let db = client.database(&settings.database);
        let store = Self {
            users: db.collection("users"),
            tweets: db.collection("tweets"),
            events: db.collection("events"),
            tweet_events: db.collection("tweet_events"),
            follows: db.collection("follows"),
            blocks: db.collection("blocks"),
            likes: db.collection("likes"),
            reposts: db.collection("reposts"),
            deleted_tweets: db.collection("deleted_tweets"),
            notifications: db.collection("notifications"),
            sessions: db.collection("sessions"),
            releases: db.collection("apirelease"),
            db,
            client,
            timeout: settings.timeout,
            settings: settings.clone(),
        };
        store.ping().await?;
        indexes::ensure(&store).await?;
        Ok(store)
    }

    /// Runs `operation` within the store's deadline.
    async fn within<T>(
        &self,
        operation: impl IntoFuture<Output = mongodb::error::Result<T>>,
    ) -> StoreResult<T> {
        match tokio::time::timeout(self.timeout, operation.into_future()).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(StoreError::unavailable(format!(
                "MongoDB did not answer within {} ms",
                self.timeout.as_millis()
            ))),
        }
    }

    /// Where this store connected.
    pub fn settings(&self) -> &MongoSettings {
        &self.settings
    }

    /// Drops the whole database; for tests that made one of their own.
    pub async fn drop_database(&self) -> StoreResult<()> {
        self.within(self.db.drop()).await
    }
}

#[async_trait]
impl Health for MongoStore {
    /// `hello` rather than `ping`: it also says whether the deployment is
    /// still one that can run transactions.
    async fn ping(&self) -> StoreResult<()> {
        let hello: Document = self
            .within(self.db.run_command(doc! { "hello": 1 }))
            .await?;
        let replica_set = hello.get_str("setName").is_ok();
        let mongos = hello.get_str("msg") == Ok("isdbgrid");
        if replica_set || mongos {
            Ok(())
        } else {
            Err(StoreError::Misconfigured(
                "this MongoDB is a standalone server; Chirp writes in transactions, which need \
                 a replica set (a single-node one is fine: start mongod with --replSet rs0, \
                 run rs.initiate() once, and add ?replicaSet=rs0 to MONGODB_URI) or a mongos"
                    .into(),
            ))
        }
    }
}

/// `filter` narrowed to a newest-first page: `_id` below `max_id` and
/// above `since_id` (ids are time-ordered).
fn page_filter(filter: Document, page: &super::Page) -> Document {
    page_filter_on(filter, "_id", page)
}

/// `filter` with `page`'s cursors on the id in `field`.
fn page_filter_on(mut filter: Document, field: &str, page: &super::Page) -> Document {
    let mut range = Document::new();
    if let Some(max) = page.max_id {
        range.insert("$lt", max.as_i64());
    }
    if let Some(since) = page.since_id {
        range.insert("$gt", since.as_i64());
    }
    if !range.is_empty() {
        filter.insert(field, range);
    }
    filter
}
