//! Notifications on MongoDB: upserted in the transaction of what caused
//! them ([`MongoStore::notify`]), so each is there at most once; read
//! newest first with their actors and tweets in two more queries.

use std::collections::HashMap;

use app::api::NotificationKind;
use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::{bson::doc, ClientSession};

use super::{
    docs::{AuthorDoc, NotificationDoc, TweetDoc},
    page_filter, MongoStore,
};
use crate::{
    domain::{Id, Timestamp, Username},
    store::{Notification, NotificationStore, Page, StoreError, StoreResult},
};

impl MongoStore {
    /// Tells `recipient` that `actor` did `kind` (about `tweet`), unless
    /// they did it themselves or were told already.
    pub(super) async fn notify(
        &self,
        session: &mut ClientSession,
        recipient: i64,
        kind: NotificationKind,
        actor: i64,
        tweet: Option<i64>,
        at: Timestamp,
    ) -> mongodb::error::Result<()> {
        if recipient == actor {
            return Ok(());
        }
        self.notifications
            .update_one(
                NotificationDoc::key(recipient, kind, actor, tweet),
                doc! { "$setOnInsert": {
                    "_id": Id::generate().as_i64(), "at": at.millis(), "read": false,
                } },
            )
            .upsert(true)
            .session(&mut *session)
            .await?;
        Ok(())
    }

    /// Takes back what [`Self::notify`] told (an unlike, an unfollow).
    pub(super) async fn unnotify(
        &self,
        session: &mut ClientSession,
        recipient: i64,
        kind: NotificationKind,
        actor: i64,
        tweet: Option<i64>,
    ) -> mongodb::error::Result<()> {
        self.notifications
            .delete_one(NotificationDoc::key(recipient, kind, actor, tweet))
            .session(&mut *session)
            .await?;
        Ok(())
    }
}

fn unread_filter(user: Id, hidden: &[Id]) -> mongodb::bson::Document {
    let mut filter = doc! { "user_id": user.as_i64(), "read": false };
    if !hidden.is_empty() {
        let hidden: Vec<i64> = hidden.iter().map(|id| id.as_i64()).collect();
        filter.insert("actor_id", doc! { "$nin": hidden });
    }
    filter
}

#[async_trait]
impl NotificationStore for MongoStore {
    async fn notifications(
        &self,
        user: Id,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<Notification>> {
        let mut filter = unread_filter(user, hidden);
        filter.remove("read");
        let docs: Vec<NotificationDoc> = self
            .within(async {
                self.notifications
                    .find(page_filter(filter, &page))
                    .sort(doc! { "_id": -1 })
                    .limit(i64::from(page.limit.get()))
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let actors: Vec<i64> = docs.iter().map(|n| n.actor_id).collect();
        let tweet_ids: Vec<i64> = docs.iter().filter_map(NotificationDoc::tweet).collect();
        let (names, tweets): (Vec<AuthorDoc>, Vec<TweetDoc>) = self
            .within(async {
                let names = self
                    .users
                    .clone_with_type::<AuthorDoc>()
                    .find(doc! { "_id": { "$in": actors } })
                    .projection(doc! { "username": 1 })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await?;
                let tweets = self
                    .tweets
                    .find(doc! { "_id": { "$in": tweet_ids } })
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await?;
                Ok((names, tweets))
            })
            .await?;
        let names: HashMap<i64, String> = names.into_iter().map(|a| (a.id, a.username)).collect();
        let mut tweets: HashMap<i64, _> = self
            .with_authors(tweets)
            .await?
            .into_iter()
            .map(|t| (t.tweet.id.as_i64(), t))
            .collect();
        let mut list = Vec::with_capacity(docs.len());
        for doc in docs {
            // An actor or a tweet deleted between the reads takes its
            // notifications with it.
            let Some(actor) = names.get(&doc.actor_id) else {
                continue;
            };
            let tweet = match doc.tweet() {
                Some(id) => match tweets.remove(&id) {
                    Some(tweet) => Some(tweet),
                    None => continue,
                },
                None => None,
            };
            let kind = NotificationKind::parse(&doc.kind).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown notification kind {:?}", doc.kind))
            })?;
            list.push(Notification {
                id: Id::from_i64(doc.id),
                kind,
                actor_id: Id::from_i64(doc.actor_id),
                actor: Username::from_stored(actor.clone()),
                tweet,
                at: Timestamp::from_millis(doc.at),
                read: doc.read,
            });
        }
        Ok(list)
    }

    async fn unread(&self, user: Id, hidden: &[Id]) -> StoreResult<u64> {
        self.within(
            self.notifications
                .count_documents(unread_filter(user, hidden))
                .max_time(self.timeout),
        )
        .await
    }

    async fn mark_read(&self, user: Id, up_to: Option<Id>) -> StoreResult<u64> {
        let mut filter = unread_filter(user, &[]);
        if let Some(up_to) = up_to {
            filter.insert("_id", doc! { "$lte": up_to.as_i64() });
        }
        let marked = self
            .within(
                self.notifications
                    .update_many(filter, doc! { "$set": { "read": true } }),
            )
            .await?;
        Ok(marked.modified_count)
    }
}
