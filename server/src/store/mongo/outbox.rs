//! The outbox on MongoDB: the events and tweet events still carrying
//! `outbox: true`. No global counter orders them (every append would
//! update one document): Kafka keeps order per key, so each user's events
//! go in version order and each tweet's in id order, which is what a
//! consumer can rely on.

use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::bson::doc;

use super::{
    docs::{EventDoc, TweetEventDoc},
    MongoStore,
};
use crate::store::{Backlog, OutboxStore, Pending, RecordedEvent, StoreResult, TweetEvent};

#[async_trait]
impl OutboxStore for MongoStore {
    async fn pending_user_events(&self, limit: usize) -> StoreResult<Vec<Pending<RecordedEvent>>> {
        let docs: Vec<EventDoc> = self
            .within(async {
                self.events
                    .find(doc! { "outbox": true })
                    .sort(doc! { "stream_id": 1, "version": 1 })
                    .limit(limit as i64)
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter()
            .map(|doc| {
                let mark = doc.id;
                Ok(Pending {
                    mark,
                    event: RecordedEvent::try_from(doc)?,
                })
            })
            .collect()
    }

    async fn pending_tweet_events(&self, limit: usize) -> StoreResult<Vec<Pending<TweetEvent>>> {
        let docs: Vec<TweetEventDoc> = self
            .within(async {
                self.tweet_events
                    .find(doc! { "outbox": true })
                    .sort(doc! { "_id": 1 })
                    .limit(limit as i64)
                    .max_time(self.timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter()
            .map(|doc| {
                let mark = doc.id;
                Ok(Pending {
                    mark,
                    event: TweetEvent::try_from(doc)?,
                })
            })
            .collect()
    }

    async fn user_events_published(&self, marks: &[i64]) -> StoreResult<()> {
        if marks.is_empty() {
            return Ok(());
        }
        self.within(self.events.update_many(
            doc! { "_id": { "$in": marks } },
            doc! { "$unset": { "outbox": "" } },
        ))
        .await
        .map(drop)
    }

    async fn tweet_events_published(&self, marks: &[i64]) -> StoreResult<()> {
        if marks.is_empty() {
            return Ok(());
        }
        self.within(self.tweet_events.update_many(
            doc! { "_id": { "$in": marks } },
            doc! { "$unset": { "outbox": "" } },
        ))
        .await
        .map(drop)
    }

    async fn backlog(&self) -> StoreResult<Backlog> {
        let user_events = self
            .within(self.events.count_documents(doc! { "outbox": true }))
            .await?;
        let tweet_events = self
            .within(self.tweet_events.count_documents(doc! { "outbox": true }))
            .await?;
        Ok(Backlog {
            user_events,
            tweet_events,
        })
    }
}
