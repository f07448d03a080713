//! Tweets. An insert is a transaction that also writes its author's
//! document, so it conflicts with a concurrent deletion of that author:
//! either the deletion sees the tweet and removes it, or the insert sees
//! no author and is refused. No orphan survives either order.

use std::collections::HashMap;

use app::api::NotificationKind;
use async_trait::async_trait;
use futures::{FutureExt, TryStreamExt};
use mongodb::{
    bson::{doc, Document},
    options::ReadConcern,
    ClientSession,
};

use super::{
    docs::{AuthorDoc, TombstoneDoc, TweetDoc, TweetEventDoc},
    durable_writes, page_filter, MongoStore,
};
use crate::{
    domain::{Id, Timestamp, Tweet, Username},
    store::{
        Ancestor, AuthoredTweet, ByAuthor, Conflict, Page, StoreError, StoreResult, TweetEvent,
        TweetStore,
    },
};

#[async_trait]
impl TweetStore for MongoStore {
    async fn insert(&self, tweet: &Tweet) -> StoreResult<()> {
        self.insert_many(vec![tweet.clone()]).await
    }

    async fn insert_many(&self, tweets: Vec<Tweet>) -> StoreResult<()> {
        let docs: Vec<TweetDoc> = tweets.iter().map(TweetDoc::from).collect();
        // Made once, so a retried transaction records the same events.
        let events: Vec<TweetEventDoc> = tweets
            .iter()
            .map(|t| TweetEventDoc::from(&TweetEvent::posted(t)))
            .collect();
        let mut newest: HashMap<i64, i64> = HashMap::new();
        for tweet in &docs {
            let id = newest.entry(tweet.author_id).or_default();
            *id = (*id).max(tweet.id);
        }
        self.within(async {
            let mut session = self.client.start_session().await?;
            session
                .start_transaction()
                .read_concern(ReadConcern::snapshot())
                .write_concern(durable_writes())
                .and_run(
                    (self, &docs, &events, &newest),
                    |session, (store, docs, events, newest)| {
                        let (store, docs, events, newest) = (*store, *docs, *events, *newest);
                        async move { store.insert_in(session, docs, events, newest).await }.boxed()
                    },
                )
                .await
        })
        .await
    }

    async fn get(&self, id: Id) -> StoreResult<Option<AuthoredTweet>> {
        let found = self
            .within(
                self.tweets
                    .find_one(doc! { "_id": id.as_i64() })
                    .max_time(self.timeout),
            )
            .await?;
        Ok(self.with_authors(found.into_iter().collect()).await?.pop())
    }

    /// The deletion and its record for publishing, in one transaction.
    async fn delete(&self, id: Id, author_id: Id) -> StoreResult<bool> {
        let event = TweetEventDoc::from(&TweetEvent::deleted(id, author_id));
        self.within(async {
            let mut session = self.client.start_session().await?;
            session
                .start_transaction()
                .write_concern(durable_writes())
                .and_run((self, &event), |session, (store, event)| {
                    let (store, event) = (*store, *event);
                    async move {
                        let deleted = store
                            .tweets
                            .find_one_and_delete(
                                doc! { "_id": event.tweet_id, "author_id": event.author_id },
                            )
                            .session(&mut *session)
                            .await?;
                        let Some(deleted) = deleted else {
                            return Ok(false);
                        };
                        store.leave_conversations(session, &[deleted]).await?;
                        store
                            .notifications
                            .delete_many(doc! { "tweet_id": event.tweet_id })
                            .session(&mut *session)
                            .await?;
                        for reactions in [&store.likes, &store.reposts] {
                            reactions
                                .delete_many(doc! { "tweet_id": event.tweet_id })
                                .session(&mut *session)
                                .await?;
                        }
                        store
                            .tweet_events
                            .insert_one(event)
                            .session(&mut *session)
                            .await?;
                        Ok(true)
                    }
                    .boxed()
                })
                .await
        })
        .await
    }

    async fn page(
        &self,
        author: Option<ByAuthor>,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let mut filter = match author {
            None => Document::new(),
            Some(ByAuthor { id, replies: true }) => doc! { "author_id": id.as_i64() },
            // `null` also matches a tweet without the field: one that
            // answers nobody.
            Some(ByAuthor { id, replies: false }) => {
                doc! { "author_id": id.as_i64(), "in_reply_to": null }
            }
        };
        // With an author too: the reader's hidden author shows nothing.
        hide_authors(&mut filter, hidden);
        self.tweets_where(filter, &page, Order::NewestFirst).await
    }

    async fn tagged(
        &self,
        tag: &str,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let mut filter = doc! { "tags": tag };
        hide_authors(&mut filter, hidden);
        self.tweets_where(filter, &page, Order::NewestFirst).await
    }

    async fn ancestors(&self, id: Id, limit: usize) -> StoreResult<Vec<Ancestor>> {
        let parent_in = |found: Option<TweetDoc>| found.and_then(|t| t.in_reply_to);
        let mut next = parent_in(self.find_tweet(id.as_i64()).await?);
        let mut chain = Vec::new();
        while let Some(parent) = next.filter(|_| chain.len() < limit) {
            next = match self.find_tweet(parent).await? {
                Some(tweet) => {
                    let up = tweet.in_reply_to;
                    // An author deleted between the two reads leaves a gap.
                    chain.push(match self.with_authors(vec![tweet]).await?.pop() {
                        Some(tweet) => Ancestor::Tweet(tweet),
                        None => Ancestor::Deleted(Id::from_i64(parent)),
                    });
                    up
                }
                None => {
                    chain.push(Ancestor::Deleted(Id::from_i64(parent)));
                    self.within(
                        self.deleted_tweets
                            .find_one(doc! { "_id": parent })
                            .max_time(self.timeout),
                    )
                    .await?
                    .map(|t| t.in_reply_to)
                }
            };
        }
        chain.reverse();
        Ok(chain)
    }

    async fn search(
        &self,
        words: &[String],
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let mut filter = doc! { "words": { "$all": words } };
        hide_authors(&mut filter, hidden);
        self.tweets_where(filter, &page, Order::NewestFirst).await
    }

    async fn replies(&self, id: Id, hidden: &[Id], page: Page) -> StoreResult<Vec<AuthoredTweet>> {
        let mut filter = doc! { "in_reply_to": id.as_i64() };
        hide_authors(&mut filter, hidden);
        self.tweets_where(filter, &page, Order::OldestFirst).await
    }
}

/// Which way a page of tweets runs.
#[derive(Clone, Copy)]
pub(super) enum Order {
    NewestFirst,
    OldestFirst,
}

/// `filter` without the tweets of the authors in `hidden` (beside any
/// condition on the author it has).
pub(super) fn hide_authors(filter: &mut Document, hidden: &[Id]) {
    if !hidden.is_empty() {
        let hidden: Vec<i64> = hidden.iter().map(|id| id.as_i64()).collect();
        filter.insert("$and", vec![doc! { "author_id": { "$nin": hidden } }]);
    }
}

impl MongoStore {
    /// A page of the tweets `filter` matches, in `order` of their ids,
    /// with their authors: every timeline's query.
    pub(super) async fn tweets_where(
        &self,
        filter: Document,
        page: &Page,
        order: Order,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let direction = match order {
            Order::NewestFirst => -1,
            Order::OldestFirst => 1,
        };
        let docs: Vec<TweetDoc> = self
            .within(async {
                self.tweets
                    .find(page_filter(filter, page))
                    .sort(doc! { "_id": direction })
                    .limit(i64::from(page.limit.get()))
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        self.with_authors(docs).await
    }

    async fn find_tweet(&self, id: i64) -> StoreResult<Option<TweetDoc>> {
        self.within(
            self.tweets
                .find_one(doc! { "_id": id })
                .max_time(self.timeout),
        )
        .await
    }

    async fn insert_in(
        &self,
        session: &mut ClientSession,
        docs: &[TweetDoc],
        events: &[TweetEventDoc],
        newest: &HashMap<i64, i64>,
    ) -> mongodb::error::Result<()> {
        for (author, id) in newest {
            let touched = self
                .users
                .update_one(
                    doc! { "_id": author },
                    doc! { "$max": { "last_tweet_id": id } },
                )
                .session(&mut *session)
                .await?;
            if touched.matched_count == 0 {
                return Err(mongodb::error::Error::custom(StoreError::NotFound));
            }
        }
        self.tweets.insert_many(docs).session(&mut *session).await?;
        // After the inserts, so a reply may answer a tweet of the same batch.
        let mut replies: HashMap<i64, i64> = HashMap::new();
        for parent in docs.iter().filter_map(|t| t.in_reply_to) {
            *replies.entry(parent).or_default() += 1;
        }
        let mut answered: HashMap<i64, i64> = HashMap::new();
        for (parent, count) in replies {
            let Some(parent_doc) = self
                .tweets
                .find_one_and_update(
                    doc! { "_id": parent },
                    doc! { "$inc": { "replies": count } },
                )
                .session(&mut *session)
                .await?
            else {
                return Err(mongodb::error::Error::custom(StoreError::Conflict(
                    Conflict::NoParent,
                )));
            };
            answered.insert(parent, parent_doc.author_id);
        }
        for tweet in docs {
            self.notify_conversation(session, tweet, &answered).await?;
        }
        self.tweet_events
            .insert_many(events)
            .session(&mut *session)
            .await?;
        Ok(())
    }

    /// Tells the author of the tweet `tweet` answers of the reply, and the
    /// users it mentions of the mention (the answered author once).
    async fn notify_conversation(
        &self,
        session: &mut ClientSession,
        tweet: &TweetDoc,
        answered: &HashMap<i64, i64>,
    ) -> mongodb::error::Result<()> {
        let at = Timestamp::from_millis(tweet.created_at.timestamp_millis());
        let (author, id) = (tweet.author_id, Some(tweet.id));
        let answered = tweet
            .in_reply_to
            .and_then(|parent| answered.get(&parent).copied());
        if let Some(answered) = answered {
            self.notify(session, answered, NotificationKind::Reply, author, id, at)
                .await?;
        }
        if tweet.mentions.is_empty() {
            return Ok(());
        }
        let mentioned: Vec<AuthorDoc> = self
            .users
            .clone_with_type::<AuthorDoc>()
            .find(doc! { "username_key": { "$in": &tweet.mentions } })
            .projection(doc! { "username": 1 })
            .session(&mut *session)
            .await?
            .stream(&mut *session)
            .try_collect()
            .await?;
        for user in mentioned.iter().filter(|user| Some(user.id) != answered) {
            self.notify(session, user.id, NotificationKind::Mention, author, id, at)
                .await?;
        }
        Ok(())
    }

    /// What deleting `gone` (already deleted, in `session`) leaves in the
    /// conversations they were part of: the tweets they answered count
    /// one reply less, and a tombstone keeps what each answered, so the
    /// thread below it still reaches the tweets above.
    pub(super) async fn leave_conversations(
        &self,
        session: &mut ClientSession,
        gone: &[TweetDoc],
    ) -> mongodb::error::Result<()> {
        let tombstones: Vec<TombstoneDoc> = gone
            .iter()
            .filter_map(|t| {
                Some(TombstoneDoc {
                    id: t.id,
                    in_reply_to: t.in_reply_to?,
                })
            })
            .collect();
        if tombstones.is_empty() {
            return Ok(());
        }
        self.deleted_tweets
            .insert_many(&tombstones)
            .session(&mut *session)
            .await?;
        let mut replies: HashMap<i64, i64> = HashMap::new();
        for parent in gone.iter().filter_map(|t| t.in_reply_to) {
            *replies.entry(parent).or_default() -= 1;
        }
        for (parent, count) in replies {
            self.tweets
                .update_one(
                    doc! { "_id": parent },
                    doc! { "$inc": { "replies": count } },
                )
                .session(&mut *session)
                .await?;
        }
        Ok(())
    }

    /// The tweets with their authors' usernames, looked up in one query.
    pub(super) async fn with_authors(
        &self,
        docs: Vec<TweetDoc>,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let names = self
            .usernames(docs.iter().map(|t| t.author_id).collect())
            .await?;
        Ok(docs
            .into_iter()
            .filter_map(|doc| {
                // An author's tweets go in the transaction that deletes
                // them; one missing here is a read between two snapshots.
                let author = Username::from_stored(names.get(&doc.author_id)?.clone());
                let count = |n: i64| n.max(0) as u64;
                let (likes, replies, reposts) =
                    (count(doc.likes), count(doc.replies), count(doc.reposts));
                Some(AuthoredTweet {
                    tweet: Tweet::from(doc),
                    author,
                    likes,
                    replies,
                    reposts,
                    repost: None,
                })
            })
            .collect())
    }

    /// The usernames of the users `ids`, in one query.
    pub(super) async fn usernames(&self, mut ids: Vec<i64>) -> StoreResult<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        ids.sort_unstable();
        ids.dedup();
        let authors: Vec<AuthorDoc> = self
            .within(async {
                self.users
                    .clone_with_type::<AuthorDoc>()
                    .find(doc! { "_id": { "$in": ids } })
                    .projection(doc! { "username": 1 })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        Ok(authors.into_iter().map(|a| (a.id, a.username)).collect())
    }
}
