//! Likes and reposts on MongoDB: the `likes` and `reposts` collections and
//! each tweet's counts, changed together in one transaction that also
//! writes the tweet and the user, so a like or repost conflicts with their
//! concurrent deletion instead of outliving it.

use async_trait::async_trait;
use futures::{FutureExt, TryStreamExt};
use mongodb::{
    bson::{doc, Document},
    error::Error as DriverError,
    Collection,
};

use super::{
    docs::{ReactionDoc, TweetDoc},
    durable_writes, page_filter_on, MongoStore,
};
use crate::{
    domain::{Id, Timestamp},
    store::{AuthoredTweet, Page, Reaction, ReactionStore, Reactions, StoreError, StoreResult},
};

fn key(user: i64, tweet: i64) -> String {
    format!("{user}:{tweet}")
}

/// The count each tweet keeps of `reaction`.
fn count_field(reaction: Reaction) -> &'static str {
    match reaction {
        Reaction::Like => "likes",
        Reaction::Repost => "reposts",
    }
}

impl MongoStore {
    pub(super) fn reactions(&self, reaction: Reaction) -> &Collection<ReactionDoc> {
        match reaction {
            Reaction::Like => &self.likes,
            Reaction::Repost => &self.reposts,
        }
    }

    /// A page of the `reaction`s `filter` matches, newest first by `field`
    /// (the tweet's id, or a repost's own).
    pub(super) async fn newest_reactions(
        &self,
        reaction: Reaction,
        filter: Document,
        field: &str,
        page: &Page,
    ) -> StoreResult<Vec<ReactionDoc>> {
        self.within(async {
            self.reactions(reaction)
                .find(page_filter_on(filter, field, page))
                .sort(doc! { field: -1 })
                .limit(i64::from(page.limit.get()))
                .max_time(self.timeout)
                .await?
                .try_collect()
                .await
        })
        .await
    }

    /// The tweets `ids` that are there, with their authors, in no order.
    pub(super) async fn tweets_in(&self, ids: Vec<i64>) -> StoreResult<Vec<AuthoredTweet>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let docs: Vec<TweetDoc> = self
            .within(async {
                self.tweets
                    .find(doc! { "_id": { "$in": ids } })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        self.with_authors(docs).await
    }

    /// Adds (`Some(id)`) or removes (`None`) `user`'s `reaction` to
    /// `tweet`; whether it changed anything.
    async fn change_reaction(
        &self,
        reaction: Reaction,
        user: Id,
        tweet: Id,
        added: Option<Id>,
    ) -> StoreResult<bool> {
        let (user, tweet) = (user.as_i64(), tweet.as_i64());
        let by: i64 = if added.is_some() { 1 } else { -1 };
        self.within(async {
            let mut session = self.client.start_session().await?;
            session
                .start_transaction()
                .write_concern(durable_writes())
                .and_run(self, |session, store| {
                    let store = *store;
                    async move {
                        let Some(found) = store
                            .tweets
                            .find_one(doc! { "_id": tweet })
                            .session(&mut *session)
                            .await?
                        else {
                            return Err(DriverError::custom(StoreError::NotFound));
                        };
                        let reactions = store.reactions(reaction);
                        let changed = if let Some(id) = added {
                            let mut new = doc! {
                                "user_id": user, "tweet_id": tweet,
                                "author_id": found.author_id, "at": Timestamp::now().millis(),
                            };
                            if reaction == Reaction::Repost {
                                new.insert("entry", id.as_i64());
                            }
                            reactions
                                .update_one(
                                    doc! { "_id": key(user, tweet) },
                                    doc! { "$setOnInsert": new },
                                )
                                .upsert(true)
                                .session(&mut *session)
                                .await?
                                .upserted_id
                                .is_some()
                        } else {
                            reactions
                                .delete_one(doc! { "_id": key(user, tweet) })
                                .session(&mut *session)
                                .await?
                                .deleted_count
                                > 0
                        };
                        if !changed {
                            return Ok(false);
                        }
                        let (author, kind) = (found.author_id, reaction.notification());
                        if by > 0 {
                            let at = Timestamp::now();
                            store
                                .notify(session, author, kind, user, Some(tweet), at)
                                .await?;
                        } else {
                            store
                                .unnotify(session, author, kind, user, Some(tweet))
                                .await?;
                        }
                        // The user's row: a like or repost by a user being
                        // deleted conflicts with that deletion.
                        let touched = store
                            .users
                            .update_one(doc! { "_id": user }, doc! { "$set": { "like_at": tweet } })
                            .session(&mut *session)
                            .await?;
                        if touched.matched_count == 0 {
                            return Err(DriverError::custom(StoreError::NotFound));
                        }
                        store
                            .tweets
                            .update_one(
                                doc! { "_id": tweet },
                                doc! { "$inc": { count_field(reaction): by } },
                            )
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
}

#[async_trait]
impl ReactionStore for MongoStore {
    async fn react(&self, reaction: Reaction, user: Id, tweet: Id, id: Id) -> StoreResult<bool> {
        self.change_reaction(reaction, user, tweet, Some(id)).await
    }

    async fn unreact(&self, reaction: Reaction, user: Id, tweet: Id) -> StoreResult<bool> {
        self.change_reaction(reaction, user, tweet, None).await
    }

    async fn reactions_among(&self, user: Id, tweets: &[Id]) -> StoreResult<Reactions> {
        if tweets.is_empty() {
            return Ok(Reactions::default());
        }
        let keys: Vec<String> = tweets
            .iter()
            .map(|t| key(user.as_i64(), t.as_i64()))
            .collect();
        let among = |reaction| {
            let keys = keys.clone();
            async move {
                let found: Vec<ReactionDoc> = self
                    .within(async {
                        self.reactions(reaction)
                            .find(doc! { "_id": { "$in": keys } })
                            .max_time(self.timeout)
                            .await?
                            .try_collect()
                            .await
                    })
                    .await?;
                StoreResult::Ok(found.iter().map(|r| Id::from_i64(r.tweet_id)).collect())
            }
        };
        Ok(Reactions {
            liked: among(Reaction::Like).await?,
            reposted: among(Reaction::Repost).await?,
        })
    }

    async fn liked_tweets(&self, user: Id, page: Page) -> StoreResult<Vec<AuthoredTweet>> {
        let filter = doc! { "user_id": user.as_i64() };
        let likes = self
            .newest_reactions(Reaction::Like, filter, "tweet_id", &page)
            .await?;
        let mut tweets = self
            .tweets_in(likes.iter().map(|l| l.tweet_id).collect())
            .await?;
        tweets.sort_unstable_by_key(|t| std::cmp::Reverse(t.tweet.id));
        Ok(tweets)
    }
}
