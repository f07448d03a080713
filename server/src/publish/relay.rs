//! The relay: publishes what the store's outbox holds to Kafka, in order
//! per key, and marks it published only once Kafka has acknowledged every
//! message of the batch (`acks=all`, idempotent producer). A batch that
//! fails is sent again whole, so a consumer may see a message twice
//! (at least once), never a later version of a user without the earlier.

use std::time::Duration;

use futures::future::join_all;
use rdkafka::{
    config::ClientConfig,
    error::KafkaError,
    producer::{FutureProducer, FutureRecord, Producer as _},
};

use super::envelope::{tweet_event_message, user_event_message, Message};
use crate::store::{OutboxStore, Pending, StoreError};
use std::sync::Arc;

/// Messages read and sent per round.
const BATCH: usize = 512;
/// How often an empty outbox is looked at again: the publishing latency
/// when writes are rare.
const IDLE: Duration = Duration::from_millis(20);
/// The wait after a failure (broker or store down) before trying again.
const BACKOFF: Duration = Duration::from_millis(500);

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

pub struct Relay {
    outbox: Arc<dyn OutboxStore>,
    brokers: String,
    producer: FutureProducer,
}

/// The producer settings: every message acknowledged by all in-sync
/// replicas, idempotence (no duplicates or reordering from librdkafka's own
/// retries), and Java's partitioner so keys land where other clients put
/// them.
pub fn producer(brokers: &str) -> Result<FutureProducer, KafkaError> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .set("partitioner", "murmur2_random")
        .set("linger.ms", "2")
        // A broker that is down fails the batch within this, and the relay
        // tries again, instead of librdkafka holding it for five minutes.
        .set("message.timeout.ms", "5000")
        .create()
}

impl Relay {
    pub fn new(outbox: Arc<dyn OutboxStore>, brokers: &str) -> Result<Self, KafkaError> {
        Ok(Self {
            outbox,
            brokers: brokers.to_owned(),
            producer: producer(brokers)?,
        })
    }

    /// Publishes until `stop` resolves.
    pub async fn run(mut self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let pause = match self.round().await {
                Ok(sent) if sent >= BATCH => Duration::ZERO,
                Ok(_) => IDLE,
                Err(error) => {
                    tracing::warn!(%error, "relay: publishing failed; retrying");
                    self.renew_if_fatal();
                    BACKOFF
                }
            };
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// An idempotent producer that hit a fatal error (the broker lost its
    /// sequence state, say) refuses every later message: a new one starts
    /// a new producer id, and the unmarked batch is sent again.
    fn renew_if_fatal(&mut self) {
        let Some((code, reason)) = self.producer.client().fatal_error() else {
            return;
        };
        tracing::warn!(?code, %reason, "relay: the producer failed for good; starting a new one");
        match producer(&self.brokers) {
            Ok(producer) => self.producer = producer,
            Err(error) => tracing::error!(%error, "relay: cannot make a new producer"),
        }
    }

    /// One pass over both outboxes; returns how many messages went out.
    pub async fn round(&self) -> Result<usize, RelayError> {
        let users = self.outbox.pending_user_events(BATCH).await?;
        let sent_users = users.len();
        if !users.is_empty() {
            self.publish(users.iter().map(|p| user_event_message(&p.event)))
                .await?;
            self.outbox.user_events_published(&marks(&users)).await?;
        }
        let tweets = self.outbox.pending_tweet_events(BATCH).await?;
        let sent_tweets = tweets.len();
        if !tweets.is_empty() {
            self.publish(tweets.iter().map(|p| tweet_event_message(&p.event)))
                .await?;
            self.outbox.tweet_events_published(&marks(&tweets)).await?;
        }
        Ok(sent_users.max(sent_tweets))
    }

    /// Queues every message in order (so each partition gets them in
    /// order) and waits until Kafka has acknowledged all of them.
    async fn publish(&self, messages: impl Iterator<Item = Message>) -> Result<(), RelayError> {
        let mut deliveries = Vec::new();
        for m in messages {
            let record = FutureRecord::to(m.topic).key(&m.key).payload(&m.payload);
            let delivery = self
                .producer
                .send_result(record)
                .map_err(|(error, _)| error)?;
            deliveries.push(delivery);
        }
        for delivery in join_all(deliveries).await {
            match delivery {
                Ok(Ok(_)) => {}
                Ok(Err((error, _))) => return Err(error.into()),
                // librdkafka dropped the message without a report: only at
                // shutdown, and the batch is resent on the next start.
                Err(_canceled) => return Err(KafkaError::Canceled.into()),
            }
        }
        Ok(())
    }
}

fn marks<T>(pending: &[Pending<T>]) -> Vec<i64> {
    pending.iter().map(|p| p.mark).collect()
}
