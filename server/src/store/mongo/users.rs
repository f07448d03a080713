//! The user event streams and the users read model, written together in a
//! transaction, with the driver's callback API (it retries transient
//! errors and unknown commit results; the store's deadline bounds it).

use std::collections::HashMap;

use async_trait::async_trait;
use futures::{FutureExt, TryStreamExt};
use mongodb::{
    bson::{doc, Document},
    error::Error as DriverError,
    options::ReadConcern,
    ClientSession,
};

use super::{
    docs::{BlockDoc, EventDoc, FollowDoc, ReactionDoc, SessionDoc, TweetDoc, UserDoc},
    durable_writes, indexes, page_filter, MongoStore,
};
use crate::{
    domain::{user, Email, Id, User, Username, Version},
    store::{
        codec, Append, Conflict, Limit, Page, RebuildReport, RecordedEvent, StoreError,
        StoreResult, UserStore,
    },
};

/// Our own verdicts travel through the driver's callback as custom errors
/// (`StoreError::from` reads them back), so the transaction is aborted,
/// not retried.
fn refuse(error: impl Into<StoreError>) -> DriverError {
    DriverError::custom(error.into())
}

#[async_trait]
impl UserStore for MongoStore {
    async fn append(&self, append: Append) -> StoreResult<Option<User>> {
        if append.events.is_empty() {
            return self.by_id(append.user_id).await;
        }
        // Made once, so a retried transaction writes the same events.
        let mut version = append.expected;
        let events: Vec<EventDoc> = append
            .events
            .iter()
            .map(|event| {
                version = version.next();
                let encoded = codec::encode(event);
                EventDoc {
                    id: Id::generate().as_i64(),
                    stream_id: append.user_id.as_i64(),
                    version: version.get() as i64,
                    kind: encoded.kind.to_owned(),
                    schema_version: encoded.schema as i32,
                    payload: encoded.payload,
                    outbox: Some(true),
                }
            })
            .collect();
        self.within(async {
            let mut session = self.client.start_session().await?;
            session
                .start_transaction()
                .read_concern(ReadConcern::snapshot())
                .write_concern(durable_writes())
                // `and_run` with a context rather than `and_run2`'s async
                // closure, which trips rustc's "Send is not general enough"
                // (the driver's documented workaround).
                .and_run(
                    (self, &append, &events),
                    |session, (store, append, events)| {
                        let (store, append, events) = (*store, *append, *events);
                        async move { store.write(session, append, events).await }.boxed()
                    },
                )
                .await
        })
        .await
    }

    async fn history(&self, id: Id) -> StoreResult<Vec<RecordedEvent>> {
        let docs: Vec<EventDoc> = self
            .within(async {
                self.events
                    .find(doc! { "stream_id": id.as_i64() })
                    .sort(doc! { "version": 1 })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter().map(RecordedEvent::try_from).collect()
    }

    async fn by_id(&self, id: Id) -> StoreResult<Option<User>> {
        self.user_where(doc! { "_id": id.as_i64() }).await
    }

    async fn by_username(&self, username: &Username) -> StoreResult<Option<User>> {
        self.user_where(doc! { "username_key": username.key() })
            .await
    }

    async fn by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        self.user_where(doc! { "email_key": email.key() }).await
    }

    async fn list(&self, page: Page) -> StoreResult<Vec<User>> {
        let docs: Vec<UserDoc> = self
            .within(async {
                self.users
                    .find(page_filter(Document::new(), &page))
                    .sort(doc! { "_id": -1 })
                    .limit(i64::from(page.limit.get()))
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        Ok(docs.into_iter().map(User::from).collect())
    }

    /// Anchored regular expressions: the username's can use its index,
    /// the display name's (any case) scans, which a small instance's users
    /// allow.
    async fn search(&self, prefix: &str, limit: Limit) -> StoreResult<Vec<User>> {
        let anchored = format!("^{}", regex_escaped(&prefix.to_ascii_lowercase()));
        let filter = doc! { "$or": [
            { "username_key": { "$regex": &anchored } },
            { "name": { "$regex": &anchored, "$options": "i" } },
        ] };
        let docs: Vec<UserDoc> = self
            .within(async {
                self.users
                    .find(filter)
                    .sort(doc! { "username_key": 1 })
                    .limit(i64::from(limit.get()))
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        Ok(docs.into_iter().map(User::from).collect())
    }

    async fn rebuild(&self) -> StoreResult<RebuildReport> {
        rebuild(self).await
    }
}

/// `text` matched literally inside a regular expression.
fn regex_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/-".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

impl MongoStore {
    async fn user_where(&self, filter: Document) -> StoreResult<Option<User>> {
        let found = self
            .within(self.users.find_one(filter).max_time(self.timeout))
            .await?;
        Ok(found.map(User::from))
    }

    /// One attempt at an [`Append`], inside the session's transaction.
    async fn write(
        &self,
        session: &mut ClientSession,
        append: &Append,
        events: &[EventDoc],
    ) -> mongodb::error::Result<Option<User>> {
        let id = append.user_id.as_i64();
        if append.expected == Version::NONE {
            // A new stream (a fresh id): there must be no event yet.
            let last = self
                .events
                .find_one(doc! { "stream_id": id })
                .session(&mut *session)
                .await?;
            if last.is_some() {
                return Err(refuse(Conflict::StaleVersion));
            }
        } else {
            // The row carries the stream's version, so it is the check; and
            // writing it first makes concurrent appends to one stream
            // conflict at once, on this write (the first writer wins), not
            // on the events after each has done all its reads: 64 racing
            // appends otherwise abort each other and retry for seconds.
            let claimed = self
                .users
                .update_one(
                    doc! { "_id": id, "version": append.expected.get() as i64 },
                    doc! { "$set": { "appending": events[0].id } },
                )
                .session(&mut *session)
                .await?;
            if claimed.matched_count == 0 {
                return Err(refuse(Conflict::StaleVersion));
            }
        }
        let before = self
            .users
            .find_one(doc! { "_id": id })
            .session(&mut *session)
            .await?
            .map(User::from);
        self.events
            .insert_many(events)
            .session(&mut *session)
            .await?;
        let mut state = before.clone();
        for (event, stored) in append.events.iter().zip(events) {
            state = user::apply(state, event, Version::new(stored.version as u64));
        }
        match (&before, &state) {
            (_, Some(after)) => {
                self.refuse_taken(session, after).await?;
                self.users
                    .replace_one(doc! { "_id": id }, UserDoc::from(after))
                    .upsert(true)
                    .session(&mut *session)
                    .await?;
                for (event, stored) in append.events.iter().zip(events) {
                    if let Some(change) = user::follow_change(event) {
                        self.project_follow(session, id, change, stored.id).await?;
                    }
                }
                if before.as_ref().map(|b| b.credentials) != Some(after.credentials) {
                    self.sessions
                        .delete_many(doc! {
                            "user_id": id,
                            "credentials": { "$ne": after.credentials.get() as i64 },
                        })
                        .session(&mut *session)
                        .await?;
                }
            }
            (Some(_), None) => {
                self.users
                    .delete_one(doc! { "_id": id })
                    .session(&mut *session)
                    .await?;
                // Their replies leave tombstones and the counts of what
                // they answered, read before they go.
                let in_conversations: Vec<TweetDoc> = self
                    .tweets
                    .find(doc! { "author_id": id, "in_reply_to": { "$ne": null } })
                    .session(&mut *session)
                    .await?
                    .stream(&mut *session)
                    .try_collect()
                    .await?;
                self.tweets
                    .delete_many(doc! { "author_id": id })
                    .session(&mut *session)
                    .await?;
                self.leave_conversations(session, &in_conversations).await?;
                // The likes and reposts of their tweets go with the
                // tweets; theirs of others' tweets leave those tweets'
                // counts.
                for (reactions, count) in [(&self.likes, "likes"), (&self.reposts, "reposts")] {
                    let theirs: Vec<ReactionDoc> = reactions
                        .find(doc! { "user_id": id })
                        .session(&mut *session)
                        .await?
                        .stream(&mut *session)
                        .try_collect()
                        .await?;
                    let tweets: Vec<i64> = theirs.iter().map(|r| r.tweet_id).collect();
                    self.tweets
                        .update_many(
                            doc! { "_id": { "$in": tweets } },
                            doc! { "$inc": { count: -1 } },
                        )
                        .session(&mut *session)
                        .await?;
                    reactions
                        .delete_many(doc! { "$or": [{ "user_id": id }, { "author_id": id }] })
                        .session(&mut *session)
                        .await?;
                }
                self.sessions
                    .delete_many(doc! { "user_id": id })
                    .session(&mut *session)
                    .await?;
                self.follows
                    .delete_many(doc! { "$or": [{ "follower_id": id }, { "followee_id": id }] })
                    .session(&mut *session)
                    .await?;
                self.blocks
                    .delete_many(doc! { "$or": [{ "blocker_id": id }, { "blocked_id": id }] })
                    .session(&mut *session)
                    .await?;
                // Every notification about their tweets is to or from them.
                self.notifications
                    .delete_many(doc! { "$or": [{ "user_id": id }, { "actor_id": id }] })
                    .session(&mut *session)
                    .await?;
            }
            (None, None) => {}
        }
        if let Some(token) = append.close_session {
            self.sessions
                .delete_one(doc! { "_id": token.to_hex() })
                .session(&mut *session)
                .await?;
        }
        if let Some(new) = append.open_session {
            let user = state.as_ref().ok_or_else(|| refuse(StoreError::NotFound))?;
            self.sessions
                .insert_one(SessionDoc::from(&new.for_user(user)))
                .session(&mut *session)
                .await?;
        }
        Ok(state)
    }

    /// Says which unique key another user holds; the unique indexes stay
    /// the guarantee against a concurrent transaction.
    async fn refuse_taken(
        &self,
        session: &mut ClientSession,
        user: &User,
    ) -> mongodb::error::Result<()> {
        let id = user.id.as_i64();
        for (field, key, conflict) in [
            ("username_key", user.username.key(), Conflict::UsernameTaken),
            ("email_key", user.email.key(), Conflict::EmailTaken),
        ] {
            let other = self
                .users
                .find_one(doc! { field: key, "_id": { "$ne": id } })
                .session(&mut *session)
                .await?;
            if other.is_some() {
                return Err(refuse(conflict));
            }
        }
        Ok(())
    }
}

/// Replays every event (in id order, which is time order) through the same
/// [`user::apply`] the appends use into a fresh collection, then renames it
/// over `users` in one step. Appends made while it runs would be lost from
/// the read model (not from the log), so run it with the server stopped.
async fn rebuild(store: &MongoStore) -> StoreResult<RebuildReport> {
    let mut live: HashMap<i64, Option<User>> = HashMap::new();
    // Who follows and blocks whom after each user's changes in order; kept
    // once every user is known (a stream may follow a user registered
    // after it).
    let mut follows: HashMap<(i64, i64), i64> = HashMap::new();
    let mut blocks: HashMap<(i64, i64), i64> = HashMap::new();
    let mut events = 0u64;
    // A whole-log scan: no deadline of its own, it takes what it takes.
    let mut cursor = store.events.find(doc! {}).sort(doc! { "_id": 1 }).await?;
    while let Some(doc) = cursor.try_next().await? {
        let recorded = RecordedEvent::try_from(doc)?;
        events += 1;
        let me = recorded.stream_id.as_i64();
        let state = live.entry(me).or_default();
        *state = user::apply(state.take(), &recorded.event, recorded.version);
        let Some(change) = user::follow_change(&recorded.event) else {
            continue;
        };
        let other = change.user().as_i64();
        match change {
            user::FollowChange::Follow { at, .. } => {
                follows.entry((me, other)).or_insert(at.millis());
            }
            user::FollowChange::Unfollow { .. } => {
                follows.remove(&(me, other));
            }
            user::FollowChange::Block { at, .. } => {
                blocks.entry((me, other)).or_insert(at.millis());
                follows.remove(&(me, other));
                follows.remove(&(other, me));
            }
            user::FollowChange::Unblock { .. } => {
                blocks.remove(&(me, other));
            }
        }
    }
    let live_id = |id: &i64| live.get(id).is_some_and(Option::is_some);
    let follow_docs: Vec<FollowDoc> = follows
        .into_iter()
        .filter(|((follower, followee), _)| live_id(follower) && live_id(followee))
        .map(|((follower_id, followee_id), at)| FollowDoc {
            id: FollowDoc::key(follower_id, followee_id),
            follower_id,
            followee_id,
            at,
        })
        .collect();
    let block_docs: Vec<BlockDoc> = blocks
        .into_iter()
        .filter(|((blocker, blocked), _)| live_id(blocker) && live_id(blocked))
        .map(|((blocker_id, blocked_id), at)| BlockDoc {
            id: FollowDoc::key(blocker_id, blocked_id),
            blocker_id,
            blocked_id,
            at,
        })
        .collect();
    let fresh_follows = store.db.collection::<FollowDoc>("follows_rebuild");
    fresh_follows.drop().await?;
    indexes::ensure_follow_indexes(store, &fresh_follows).await?;
    for chunk in follow_docs.chunks(1_000) {
        fresh_follows.insert_many(chunk).await?;
    }
    let fresh_blocks = store.db.collection::<BlockDoc>("blocks_rebuild");
    fresh_blocks.drop().await?;
    indexes::ensure_block_indexes(store, &fresh_blocks).await?;
    for chunk in block_docs.chunks(1_000) {
        fresh_blocks.insert_many(chunk).await?;
    }
    let fresh = store.db.collection::<UserDoc>("users_rebuild");
    fresh.drop().await?;
    indexes::ensure_user_indexes(store, &fresh).await?;
    let docs: Vec<UserDoc> = live.values().flatten().map(UserDoc::from).collect();
    for chunk in docs.chunks(1_000) {
        fresh
            .insert_many(chunk)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Corrupt(
                    "the events give two users the same username or email".into(),
                ),
                other => other,
            })?;
    }
    // The follow and block collections are made by their indexes or
    // explicitly even when empty, so each rename applies.
    for collection in ["users", "follows", "blocks"] {
        replace_with_rebuilt(store, collection).await?;
    }
    Ok(RebuildReport {
        events,
        users: docs.len() as u64,
    })
}

/// Renames `<collection>_rebuild` over `<collection>` in one step.
async fn replace_with_rebuilt(store: &MongoStore, collection: &str) -> StoreResult<()> {
    let name = store.db.name();
    store
        .client
        .database("admin")
        .run_command(doc! {
            "renameCollection": format!("{name}.{collection}_rebuild"),
            "to": format!("{name}.{collection}"),
            "dropTarget": true,
        })
        .await?;
    Ok(())
}
