//! The event log and the users projection, in one transaction.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::{
    bson::doc,
    error::{Error, TRANSIENT_TRANSACTION_ERROR, UNKNOWN_TRANSACTION_COMMIT_RESULT},
    options::{ReadConcern, ReturnDocument},
    ClientSession,
};

use super::{
    docs::{EventDoc, UserDoc},
    durable_writes,
    errors::{duplicate_key_message, from_mongo},
    indexes, MongoStore,
};
use crate::{
    domain::{Id, UserEvent, Version},
    store::{
        codec,
        projection::{self, RowChange},
        Conflict, EventStore, RebuildReport, RecordedEvent, StoreError, StoreResult, UserRecord,
    },
};

/// How long an append keeps retrying transient transaction errors (write
/// conflicts with concurrent appends, elections) before giving up.
const RETRY_FOR: Duration = Duration::from_secs(10);

/// Why one attempt at a transaction ended.
enum Abort {
    /// A definite answer (conflict, corrupt data): stop.
    Store(StoreError),
    /// A driver error: retry if it is labelled transient.
    Driver(Error),
}

impl From<Error> for Abort {
    fn from(error: Error) -> Self {
        Self::Driver(error)
    }
}

impl From<StoreError> for Abort {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

#[async_trait]
impl EventStore for MongoStore {
    async fn append(
        &self,
        stream_id: Id,
        expected: Version,
        events: Vec<UserEvent>,
    ) -> StoreResult<Version> {
        if events.is_empty() {
            return Ok(expected);
        }
        let mut session = self.client.start_session().await.map_err(from_mongo)?;
        let deadline = Instant::now() + RETRY_FOR;
        let mut attempt = 0u64;
        'attempt: loop {
            session
                .start_transaction()
                .read_concern(ReadConcern::snapshot())
                .write_concern(durable_writes())
                .await
                .map_err(from_mongo)?;
            let error = match self
                .append_in(&mut session, stream_id, expected, &events)
                .await
            {
                Ok(version) => loop {
                    match session.commit_transaction().await {
                        Ok(()) => return Ok(version),
                        // The commit may or may not have happened; retrying
                        // the commit itself is safe and tells us which.
                        Err(e)
                            if e.contains_label(UNKNOWN_TRANSACTION_COMMIT_RESULT)
                                && Instant::now() < deadline => {}
                        Err(e) => break Abort::Driver(e),
                    }
                },
                Err(abort) => {
                    let _ = session.abort_transaction().await;
                    abort
                }
            };
            match error {
                Abort::Driver(e)
                    if e.contains_label(TRANSIENT_TRANSACTION_ERROR)
                        && Instant::now() < deadline =>
                {
                    // Usually a write conflict with an append that has not
                    // committed yet: give it a moment instead of spinning.
                    attempt += 1;
                    let jitter = rand::random_range(1..=5u64);
                    tokio::time::sleep(Duration::from_millis(jitter * attempt.min(20))).await;
                    continue 'attempt;
                }
                Abort::Driver(e) => {
                    // A duplicate (stream_id, version) means another append
                    // to this stream committed first.
                    if duplicate_key_message(&e).is_some_and(|m| m.contains("stream_version")) {
                        let actual = self.stream_version(stream_id).await?;
                        return Err(Conflict::StaleVersion { expected, actual }.into());
                    }
                    return Err(from_mongo(e));
                }
                Abort::Store(e) => return Err(e),
            }
        }
    }

    async fn load(&self, stream_id: Id) -> StoreResult<Vec<RecordedEvent>> {
        let docs: Vec<EventDoc> = self
            .events
            .find(doc! { "stream_id": stream_id.as_i64() })
            .sort(doc! { "version": 1 })
            .await
            .map_err(from_mongo)?
            .try_collect()
            .await
            .map_err(from_mongo)?;
        docs.into_iter().map(RecordedEvent::try_from).collect()
    }

    async fn read_all(&self, after: u64, limit: u32) -> StoreResult<Vec<RecordedEvent>> {
        let docs: Vec<EventDoc> = self
            .events
            .find(doc! { "_id": { "$gt": after as i64 } })
            .sort(doc! { "_id": 1 })
            .limit(i64::from(limit))
            .await
            .map_err(from_mongo)?
            .try_collect()
            .await
            .map_err(from_mongo)?;
        docs.into_iter().map(RecordedEvent::try_from).collect()
    }
}

impl MongoStore {
    async fn stream_version(&self, stream_id: Id) -> StoreResult<Version> {
        let last = self
            .events
            .find_one(doc! { "stream_id": stream_id.as_i64() })
            .sort(doc! { "version": -1 })
            .await
            .map_err(from_mongo)?;
        Ok(Version::new(last.map_or(0, |e| e.version as u64)))
    }

    /// One attempt, inside the session's transaction.
    async fn append_in(
        &self,
        session: &mut ClientSession,
        stream_id: Id,
        expected: Version,
        events: &[UserEvent],
    ) -> Result<Version, Abort> {
        let id = stream_id.as_i64();
        let last = self
            .events
            .find_one(doc! { "stream_id": id })
            .sort(doc! { "version": -1 })
            .session(&mut *session)
            .await?;
        let actual = Version::new(last.map_or(0, |e| e.version as u64));
        if actual != expected {
            return Err(StoreError::from(Conflict::StaleVersion { expected, actual }).into());
        }
        // Global positions come from one counter document. Every append
        // writes it, so concurrent appends conflict and retry in commit
        // order: positions are gap-free and never appear out of order to
        // a catch-up reader.
        let n = events.len() as i64;
        let counter = self
            .counters
            .find_one_and_update(doc! { "_id": "events" }, doc! { "$inc": { "position": n } })
            .upsert(true)
            .return_document(ReturnDocument::After)
            .session(&mut *session)
            .await?
            .ok_or_else(|| StoreError::internal("the event position counter vanished"))?;
        let last_position = counter.get_i64("position").map_err(|_| {
            StoreError::Corrupt("the event position counter is not an integer".into())
        })?;
        let mut version = expected;
        let docs: Vec<EventDoc> = events
            .iter()
            .enumerate()
            .map(|(i, event)| {
                version = version.next();
                let encoded = codec::encode(event);
                EventDoc {
                    position: last_position - n + 1 + i as i64,
                    stream_id: id,
                    version: version.get() as i64,
                    kind: encoded.kind.to_owned(),
                    schema_version: encoded.schema as i32,
                    payload: encoded.payload,
                }
            })
            .collect();
        self.events.insert_many(docs).session(&mut *session).await?;

        let current = self
            .users
            .find_one(doc! { "_id": id })
            .session(&mut *session)
            .await?
            .map(UserRecord::from);
        match projection::fold(current, expected, events) {
            RowChange::Unchanged => {}
            RowChange::Upsert(user) => {
                let doc = UserDoc::from(&user);
                for (field, key, conflict) in [
                    ("username_key", &doc.username_key, Conflict::UsernameTaken),
                    ("email_key", &doc.email_key, Conflict::EmailTaken),
                ] {
                    let holder = self
                        .users
                        .find_one(doc! { field: key, "_id": { "$ne": id } })
                        .session(&mut *session)
                        .await?;
                    if holder.is_some() {
                        return Err(StoreError::from(conflict).into());
                    }
                }
                self.users
                    .replace_one(doc! { "_id": id }, &doc)
                    .upsert(true)
                    .session(&mut *session)
                    .await
                    .map_err(|e| match duplicate_key_message(&e) {
                        Some(_) => Abort::Store(from_mongo(e)),
                        None => Abort::Driver(e),
                    })?;
            }
            RowChange::Delete => {
                // What SQLite does with ON DELETE CASCADE.
                self.users
                    .delete_one(doc! { "_id": id })
                    .session(&mut *session)
                    .await?;
                self.tweets
                    .delete_many(doc! { "author_id": id })
                    .session(&mut *session)
                    .await?;
                self.sessions
                    .delete_many(doc! { "user_id": id })
                    .session(&mut *session)
                    .await?;
            }
        }
        Ok(version)
    }
}

/// Replays every event through [`projection::project`] into a fresh
/// collection, then renames it over `users` in one step. Appends made while
/// it runs would be lost from the read model (not from the log), so run it
/// with the server stopped, then start the server.
pub(super) async fn rebuild(store: &MongoStore) -> StoreResult<RebuildReport> {
    let mut live: HashMap<Id, UserRecord> = HashMap::new();
    let mut count = 0u64;
    let mut cursor = store
        .events
        .find(doc! {})
        .sort(doc! { "_id": 1 })
        .await
        .map_err(from_mongo)?;
    while let Some(doc) = cursor.try_next().await.map_err(from_mongo)? {
        let recorded = RecordedEvent::try_from(doc)?;
        count += 1;
        let current = live.remove(&recorded.stream_id);
        if let Some(user) = projection::project(current, &recorded.event, recorded.version) {
            live.insert(recorded.stream_id, user);
        }
    }
    let fresh = store.db.collection::<UserDoc>("users_rebuild");
    fresh.drop().await.map_err(from_mongo)?;
    indexes::ensure_user_indexes(&fresh).await?;
    let docs: Vec<UserDoc> = live.values().map(UserDoc::from).collect();
    for chunk in docs.chunks(1_000) {
        fresh
            .insert_many(chunk)
            .await
            .map_err(|e| match duplicate_key_message(&e) {
                Some(_) => StoreError::Corrupt(
                    "the events give two users the same username or email".into(),
                ),
                None => from_mongo(e),
            })?;
    }
    let name = store.db.name();
    store
        .client
        .database("admin")
        .run_command(doc! {
            "renameCollection": format!("{name}.users_rebuild"),
            "to": format!("{name}.users"),
            "dropTarget": true,
        })
        .await
        .map_err(from_mongo)?;
    Ok(RebuildReport {
        events: count,
        users: live.len() as u64,
    })
}
