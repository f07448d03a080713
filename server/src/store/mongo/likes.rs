//! Likes on MongoDB: the `likes` collection and each tweet's `likes`
//! count, changed together in one transaction that also writes the tweet
//! and the user, so a like conflicts with their concurrent deletion
//! instead of outliving it.

use app::api::NotificationKind;
use async_trait::async_trait;
use futures::{FutureExt, TryStreamExt};
use mongodb::{bson::doc, error::Error as DriverError};

use super::{
    docs::{LikeDoc, TweetDoc},
    durable_writes, page_filter_on, MongoStore,
};
use crate::{
    domain::{Id, Timestamp},
    store::{AuthoredTweet, LikeStore, Page, StoreError, StoreResult},
};

fn key(user: i64, tweet: i64) -> String {
    format!("{user}:{tweet}")
}

impl MongoStore {
    /// Adds (`1`) or removes (`-1`) `user`'s like of `tweet`; whether it
    /// changed anything.
    async fn change_like(&self, user: Id, tweet: Id, by: i64) -> StoreResult<bool> {
        let (user, tweet) = (user.as_i64(), tweet.as_i64());
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
                        let changed = if by > 0 {
                            let like = doc! { "$setOnInsert": {
                                "user_id": user, "tweet_id": tweet,
                                "author_id": found.author_id, "at": Timestamp::now().millis(),
                            } };
                            store
                                .likes
                                .update_one(doc! { "_id": key(user, tweet) }, like)
                                .upsert(true)
                                .session(&mut *session)
                                .await?
                                .upserted_id
                                .is_some()
                        } else {
                            store
                                .likes
                                .delete_one(doc! { "_id": key(user, tweet) })
                                .session(&mut *session)
                                .await?
                                .deleted_count
                                > 0
                        };
                        if !changed {
                            return Ok(false);
                        }
                        let (author, kind) = (found.author_id, NotificationKind::Like);
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
                        // The liker's row: a like by a user being deleted
                        // conflicts with that deletion.
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
                            .update_one(doc! { "_id": tweet }, doc! { "$inc": { "likes": by } })
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
impl LikeStore for MongoStore {
    async fn like(&self, user: Id, tweet: Id) -> StoreResult<bool> {
        self.change_like(user, tweet, 1).await
    }

    async fn unlike(&self, user: Id, tweet: Id) -> StoreResult<bool> {
        self.change_like(user, tweet, -1).await
    }

    async fn liked_among(&self, user: Id, tweets: &[Id]) -> StoreResult<Vec<Id>> {
        if tweets.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = tweets
            .iter()
            .map(|t| key(user.as_i64(), t.as_i64()))
            .collect();
        let found: Vec<LikeDoc> = self
            .within(async {
                self.likes
                    .find(doc! { "_id": { "$in": keys } })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        Ok(found.iter().map(|l| Id::from_i64(l.tweet_id)).collect())
    }

    async fn liked_tweets(&self, user: Id, page: Page) -> StoreResult<Vec<AuthoredTweet>> {
        let filter = page_filter_on(doc! { "user_id": user.as_i64() }, "tweet_id", &page);
        let likes: Vec<LikeDoc> = self
            .within(async {
                self.likes
                    .find(filter)
                    .sort(doc! { "tweet_id": -1 })
                    .limit(i64::from(page.limit.get()))
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let ids: Vec<i64> = likes.iter().map(|l| l.tweet_id).collect();
        let docs: Vec<TweetDoc> = self
            .within(async {
                self.tweets
                    .find(doc! { "_id": { "$in": ids } })
                    .sort(doc! { "_id": -1 })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        self.with_authors(docs).await
    }
}
