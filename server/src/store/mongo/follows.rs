//! The follow graph on MongoDB: the `follows` collection, written by the
//! users' append transactions (and rebuilds) through [`project`], read
//! here.

use app::api::NotificationKind;
use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::{bson::doc, error::Error as DriverError, ClientSession};

use std::collections::HashMap;

use super::{
    docs::{BlockDoc, FollowDoc, UserDoc},
    page_filter_on,
    tweets::{hide_authors, Order},
    MongoStore,
};
use crate::{
    domain::{user::FollowChange, Id, User, Username},
    store::{
        AuthoredTweet, Conflict, FollowCounts, FollowStore, Page, Reaction, Repost, StoreError,
        StoreResult,
    },
};

impl MongoStore {
    /// Applies one change of `follower`'s (the user whose stream it is)
    /// inside the append's transaction.
    pub(super) async fn project_follow(
        &self,
        session: &mut ClientSession,
        follower: i64,
        change: FollowChange,
        event_id: i64,
    ) -> mongodb::error::Result<()> {
        match change {
            FollowChange::Follow { user, at } => {
                let followee = user.as_i64();
                self.touch(session, followee, event_id).await?;
                // The followee's blocking append writes their row too, so
                // of the two transactions one waits for the other: this
                // read sees a block that committed first.
                let blocked = self
                    .blocks
                    .find_one(doc! { "_id": FollowDoc::key(followee, follower) })
                    .session(&mut *session)
                    .await?;
                if blocked.is_some() {
                    return Err(DriverError::custom(StoreError::from(Conflict::Blocked)));
                }
                let key = FollowDoc::key(follower, followee);
                self.follows
                    .update_one(
                        doc! { "_id": &key },
                        doc! { "$setOnInsert": {
                            "follower_id": follower, "followee_id": followee, "at": at.millis(),
                        } },
                    )
                    .upsert(true)
                    .session(&mut *session)
                    .await?;
                let kind = NotificationKind::Follow;
                self.notify(session, followee, kind, follower, None, at)
                    .await?;
            }
            FollowChange::Unfollow { user } => {
                self.follows
                    .delete_one(doc! { "_id": FollowDoc::key(follower, user.as_i64()) })
                    .session(&mut *session)
                    .await?;
                let kind = NotificationKind::Follow;
                self.unnotify(session, user.as_i64(), kind, follower, None)
                    .await?;
            }
            FollowChange::Block { user, at } => {
                let blocked = user.as_i64();
                self.touch(session, blocked, event_id).await?;
                self.blocks
                    .update_one(
                        doc! { "_id": FollowDoc::key(follower, blocked) },
                        doc! { "$setOnInsert": {
                            "blocker_id": follower, "blocked_id": blocked, "at": at.millis(),
                        } },
                    )
                    .upsert(true)
                    .session(&mut *session)
                    .await?;
                let both_ways = [
                    FollowDoc::key(follower, blocked),
                    FollowDoc::key(blocked, follower),
                ];
                self.follows
                    .delete_many(doc! { "_id": { "$in": both_ways.to_vec() } })
                    .session(&mut *session)
                    .await?;
            }
            FollowChange::Unblock { user } => {
                self.blocks
                    .delete_one(doc! { "_id": FollowDoc::key(follower, user.as_i64()) })
                    .session(&mut *session)
                    .await?;
            }
        }
        Ok(())
    }

    /// Writes the other user's row (the event's id, in a field of its
    /// own): that checks they exist, and makes their concurrent deletion
    /// conflict with this transaction instead of leaving a follow or block
    /// of nobody.
    async fn touch(
        &self,
        session: &mut ClientSession,
        user: i64,
        event_id: i64,
    ) -> mongodb::error::Result<()> {
        let touched = self
            .users
            .update_one(
                doc! { "_id": user },
                doc! { "$set": { "graph_event": event_id } },
            )
            .session(&mut *session)
            .await?;
        if touched.matched_count == 0 {
            return Err(DriverError::custom(StoreError::NotFound));
        }
        Ok(())
    }

    /// The users on the `other` side of `user`'s follows on the `own` side.
    async fn related(
        &self,
        own: &str,
        other: &str,
        user: Id,
        page: Page,
    ) -> StoreResult<Vec<User>> {
        let filter = page_filter_on(doc! { own: user.as_i64() }, other, &page);
        let follows: Vec<FollowDoc> = self
            .within(async {
                self.follows
                    .find(filter)
                    .sort(doc! { other: -1 })
                    .limit(i64::from(page.limit.get()))
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let ids: Vec<i64> = follows
            .iter()
            .map(|f| {
                if own == "follower_id" {
                    f.followee_id
                } else {
                    f.follower_id
                }
            })
            .collect();
        let users: Vec<UserDoc> = self
            .within(async {
                self.users
                    .find(doc! { "_id": { "$in": &ids } })
                    .sort(doc! { "_id": -1 })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        Ok(users.into_iter().map(User::from).collect())
    }
}

#[async_trait]
impl FollowStore for MongoStore {
    async fn follows(&self, follower: Id, user: Id) -> StoreResult<bool> {
        let key = FollowDoc::key(follower.as_i64(), user.as_i64());
        let found = self
            .within(
                self.follows
                    .find_one(doc! { "_id": key })
                    .max_time(self.timeout),
            )
            .await?;
        Ok(found.is_some())
    }

    async fn blocks(&self, blocker: Id, user: Id) -> StoreResult<bool> {
        let key = FollowDoc::key(blocker.as_i64(), user.as_i64());
        let found = self
            .within(
                self.blocks
                    .find_one(doc! { "_id": key })
                    .max_time(self.timeout),
            )
            .await?;
        Ok(found.is_some())
    }

    async fn hidden_from(&self, user: Id) -> StoreResult<Vec<Id>> {
        let id = user.as_i64();
        let blocks: Vec<BlockDoc> = self
            .within(async {
                self.blocks
                    .find(doc! { "$or": [{ "blocker_id": id }, { "blocked_id": id }] })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let mut hidden: Vec<Id> = blocks
            .iter()
            .map(|b| {
                Id::from_i64(if b.blocker_id == id {
                    b.blocked_id
                } else {
                    b.blocker_id
                })
            })
            .collect();
        hidden.sort_unstable();
        hidden.dedup();
        Ok(hidden)
    }

    async fn following(&self, follower: Id, page: Page) -> StoreResult<Vec<User>> {
        self.related("follower_id", "followee_id", follower, page)
            .await
    }

    async fn followers(&self, user: Id, page: Page) -> StoreResult<Vec<User>> {
        self.related("followee_id", "follower_id", user, page).await
    }

    async fn follow_counts(&self, user: Id) -> StoreResult<FollowCounts> {
        let id = user.as_i64();
        let following = self
            .within(self.follows.count_documents(doc! { "follower_id": id }))
            .await?;
        let followers = self
            .within(self.follows.count_documents(doc! { "followee_id": id }))
            .await?;
        Ok(FollowCounts {
            following,
            followers,
        })
    }

    /// Two newest-first queries merged: the tweets of the authors and
    /// their reposts, each cut at the page's size.
    async fn home_timeline(
        &self,
        user: Id,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let id = user.as_i64();
        let follows: Vec<FollowDoc> = self
            .within(async {
                self.follows
                    .find(doc! { "follower_id": id })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let authors: Vec<i64> = std::iter::once(id)
            .chain(follows.iter().map(|f| f.followee_id))
            .collect();
        let mut filter = doc! { "author_id": { "$in": &authors } };
        hide_authors(&mut filter, hidden);
        let mut entries = self.tweets_where(filter, &page, Order::NewestFirst).await?;

        // A repost keeps its tweet's author: the same filter hides it.
        let mut filter = doc! { "user_id": { "$in": &authors } };
        hide_authors(&mut filter, hidden);
        let reposts = self
            .newest_reactions(Reaction::Repost, filter, "entry", &page)
            .await?;
        let reposted: HashMap<Id, AuthoredTweet> = self
            .tweets_in(reposts.iter().map(|r| r.tweet_id).collect())
            .await?
            .into_iter()
            .map(|t| (t.tweet.id, t))
            .collect();
        let reposters = self
            .usernames(reposts.iter().map(|r| r.user_id).collect())
            .await?;
        entries.extend(reposts.iter().filter_map(|r| {
            // A tweet or reposter gone between the reads is gone.
            let mut tweet = reposted.get(&Id::from_i64(r.tweet_id))?.clone();
            tweet.repost = Some(Repost {
                id: Id::from_i64(r.entry?),
                by: Username::from_stored(reposters.get(&r.user_id)?.clone()),
            });
            Some(tweet)
        }));
        entries.sort_unstable_by_key(|t| std::cmp::Reverse(t.cursor()));
        entries.truncate(page.limit.get().into());
        Ok(entries)
    }
}
