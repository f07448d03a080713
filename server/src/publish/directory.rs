//! The user directory: a read model of another service, built only from
//! what Chirp publishes (`chirp.user-events`, `chirp.tweets`), in its own
//! consumer group and its own SQLite file. It lists the users with their
//! names and their counts of logins and tweets.
//!
//! Kafka delivers at least once, so every message may come twice: a user
//! event is applied only as the next version of its user (an older one is
//! a duplicate; a newer one came early and will come again in order, as
//! the relay resends whole batches), a tweet event only once by its id.
//! Offsets are committed after the change is applied, so a crash replays
//! and never skips. `--rebuild` empties the directory and reads both
//! topics from offset 0.

use std::{path::Path, time::Duration};

use rdkafka::{
    config::ClientConfig,
    consumer::{CommitMode, Consumer, StreamConsumer},
    error::KafkaError,
    message::Message as _,
    Offset, TopicPartitionList,
};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::envelope::{Envelope, TWEETS_TOPIC, USER_EVENTS_TOPIC};

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    #[error("the directory's database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// One user as the directory knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub id: String,
    pub username: String,
    pub name: String,
    pub logins: u64,
    pub tweets: u64,
}

/// What applying one message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Changed,
    /// Seen before (a redelivery), or not the next version yet.
    Skipped,
}

pub struct Directory {
    conn: Connection,
}

impl Directory {
    pub fn open(path: &Path) -> Result<Self, DirectoryError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS users (
                 id       TEXT PRIMARY KEY,
                 username TEXT NOT NULL,
                 name     TEXT NOT NULL,
                 logins   INTEGER NOT NULL DEFAULT 0,
                 deleted  INTEGER NOT NULL DEFAULT 0,
                 version  INTEGER NOT NULL
             );
             -- Apart from users: the two topics are read independently, so
             -- an author's first tweet may arrive before their registration.
             CREATE TABLE IF NOT EXISTS tweet_counts (
                 author_id TEXT PRIMARY KEY,
                 tweets    INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS tweet_events_seen (event_id TEXT PRIMARY KEY);",
        )?;
        Ok(Self { conn })
    }

    /// Forgets everything, for a rebuild from offset 0.
    pub fn reset(&self) -> Result<(), DirectoryError> {
        self.conn.execute_batch(
            "DELETE FROM users; DELETE FROM tweet_counts; DELETE FROM tweet_events_seen;",
        )?;
        Ok(())
    }

    /// The users that exist, by username.
    pub fn users(&self) -> Result<Vec<Listed>, DirectoryError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, username, name, logins, coalesce(tweets, 0)
             FROM users LEFT JOIN tweet_counts ON author_id = id
             WHERE deleted = 0 ORDER BY username",
        )?;
        let listed = stmt.query_map([], |row| {
            Ok(Listed {
                id: row.get(0)?,
                username: row.get(1)?,
                name: row.get(2)?,
                logins: row.get::<_, i64>(3)? as u64,
                tweets: row.get::<_, i64>(4)?.max(0) as u64,
            })
        })?;
        Ok(listed.collect::<Result<_, _>>()?)
    }

    pub fn apply(&mut self, topic: &str, envelope: &Envelope) -> Result<Applied, DirectoryError> {
        let tx = self.conn.transaction()?;
        let applied = if topic == USER_EVENTS_TOPIC {
            apply_user_event(&tx, envelope)?
        } else if topic == TWEETS_TOPIC {
            apply_tweet_event(&tx, envelope)?
        } else {
            Applied::Skipped
        };
        tx.commit()?;
        Ok(applied)
    }
}

fn text(envelope: &Envelope, field: &str) -> String {
    envelope.data[field].as_str().unwrap_or_default().to_owned()
}

fn apply_user_event(conn: &Connection, e: &Envelope) -> Result<Applied, DirectoryError> {
    let known: u64 = conn
        .query_row(
            "SELECT version FROM users WHERE id = ?1",
            [&e.stream_id],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map_or(0, |v| v as u64);
    if e.version != known + 1 {
        return Ok(Applied::Skipped);
    }
    let version = e.version as i64;
    match e.kind.as_str() {
        "user_registered" => {
            conn.execute(
                "INSERT INTO users (id, username, name, version) VALUES (?1, ?2, ?3, ?4)",
                params![e.stream_id, text(e, "username"), text(e, "name"), version],
            )?;
        }
        "profile_updated" => {
            conn.execute(
                "UPDATE users SET name = coalesce(?2, name), version = ?3 WHERE id = ?1",
                params![e.stream_id, e.data["name"].as_str(), version],
            )?;
        }
        "logged_in" => {
            conn.execute(
                "UPDATE users SET logins = logins + 1, version = ?2 WHERE id = ?1",
                params![e.stream_id, version],
            )?;
        }
        "user_deleted" => {
            conn.execute(
                "UPDATE users SET deleted = 1, version = ?2 WHERE id = ?1",
                params![e.stream_id, version],
            )?;
        }
        // `password_changed`, and kinds this directory does not know: only
        // the version moves, so what follows still applies.
        _ => {
            conn.execute(
                "UPDATE users SET version = ?2 WHERE id = ?1",
                params![e.stream_id, version],
            )?;
        }
    }
    Ok(Applied::Changed)
}

fn apply_tweet_event(conn: &Connection, e: &Envelope) -> Result<Applied, DirectoryError> {
    let first = conn.execute(
        "INSERT OR IGNORE INTO tweet_events_seen (event_id) VALUES (?1)",
        [&e.event_id],
    )? == 1;
    if !first {
        return Ok(Applied::Skipped);
    }
    let change = match e.kind.as_str() {
        "tweet_posted" => 1,
        "tweet_deleted" => -1,
        _ => 0,
    };
    conn.execute(
        "INSERT INTO tweet_counts (author_id, tweets) VALUES (?1, ?2)
         ON CONFLICT (author_id) DO UPDATE SET tweets = tweets + excluded.tweets",
        params![text(e, "author_id"), change],
    )?;
    Ok(Applied::Changed)
}

/// Consumes both topics into the directory at `path` until `stop`.
pub async fn run(
    brokers: &str,
    group: &str,
    path: &Path,
    rebuild: bool,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), DirectoryError> {
    let mut directory = Directory::open(path)?;
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()?;
    let topics = [USER_EVENTS_TOPIC, TWEETS_TOPIC];
    if rebuild {
        directory.reset()?;
        let mut from_start = TopicPartitionList::new();
        for topic in topics {
            let metadata = consumer.fetch_metadata(Some(topic), Duration::from_secs(10))?;
            for t in metadata.topics() {
                for partition in t.partitions() {
                    from_start.add_partition_offset(t.name(), partition.id(), Offset::Beginning)?;
                }
            }
        }
        consumer.assign(&from_start)?;
    } else {
        consumer.subscribe(&topics)?;
    }
    tokio::pin!(stop);
    loop {
        let message = tokio::select! {
            () = &mut stop => return Ok(()),
            message = consumer.recv() => message?,
        };
        if let Some(payload) = message.payload() {
            match serde_json::from_slice::<Envelope>(payload) {
                Ok(envelope) => {
                    directory.apply(message.topic(), &envelope)?;
                }
                Err(error) => {
                    tracing::warn!(%error, topic = message.topic(), "directory: not an envelope; skipped")
                }
            }
        }
        consumer.commit_message(&message, CommitMode::Async)?;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user_event(version: u64, kind: &str, data: serde_json::Value) -> Envelope {
        Envelope {
            event_id: format!("e{version}"),
            stream_id: "7".into(),
            version,
            kind: kind.into(),
            schema_version: 1,
            time: "2026-12-01T12:00:00.000Z".into(),
            data,
        }
    }

    fn tweet_event(event_id: &str, kind: &str) -> Envelope {
        Envelope {
            event_id: event_id.into(),
            stream_id: format!("t-{event_id}"),
            version: 1,
            kind: kind.into(),
            schema_version: 1,
            time: "2026-12-01T12:00:00.000Z".into(),
            data: json!({"author_id": "7"}),
        }
    }

    fn directory() -> (tempfile::TempDir, Directory) {
        let dir = tempfile::tempdir().unwrap();
        let directory = Directory::open(&dir.path().join("d.sqlite3")).unwrap();
        (dir, directory)
    }

    #[test]
    fn a_redelivered_or_early_user_event_changes_nothing() {
        let (_dir, mut d) = directory();
        let registered = user_event(
            1,
            "user_registered",
            json!({"username": "ada", "name": "Ada"}),
        );
        let login = user_event(2, "logged_in", json!({}));
        let renamed = user_event(3, "profile_updated", json!({"name": "Ada L."}));
        let topic = USER_EVENTS_TOPIC;
        assert_eq!(d.apply(topic, &registered).unwrap(), Applied::Changed);
        // Version 3 before 2 (a resent batch): skipped, comes again later.
        assert_eq!(d.apply(topic, &renamed).unwrap(), Applied::Skipped);
        assert_eq!(d.apply(topic, &login).unwrap(), Applied::Changed);
        assert_eq!(d.apply(topic, &login).unwrap(), Applied::Skipped);
        assert_eq!(d.apply(topic, &renamed).unwrap(), Applied::Changed);
        let users = d.users().unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!((users[0].name.as_str(), users[0].logins), ("Ada L.", 1));
    }

    #[test]
    fn a_tweet_counts_once_even_before_its_author_is_known() {
        let (_dir, mut d) = directory();
        for event in ["a", "b", "a"] {
            d.apply(TWEETS_TOPIC, &tweet_event(event, "tweet_posted"))
                .unwrap();
        }
        d.apply(TWEETS_TOPIC, &tweet_event("c", "tweet_deleted"))
            .unwrap();
        let registered = user_event(
            1,
            "user_registered",
            json!({"username": "ada", "name": "Ada"}),
        );
        d.apply(USER_EVENTS_TOPIC, &registered).unwrap();
        assert_eq!(d.users().unwrap()[0].tweets, 1);
    }

    #[test]
    fn a_deleted_user_leaves_the_directory_and_a_reset_empties_it() {
        let (_dir, mut d) = directory();
        let registered = user_event(
            1,
            "user_registered",
            json!({"username": "ada", "name": "Ada"}),
        );
        d.apply(USER_EVENTS_TOPIC, &registered).unwrap();
        d.apply(
            USER_EVENTS_TOPIC,
            &user_event(2, "password_changed", json!({})),
        )
        .unwrap();
        assert_eq!(d.users().unwrap().len(), 1);
        d.apply(USER_EVENTS_TOPIC, &user_event(3, "user_deleted", json!({})))
            .unwrap();
        assert!(d.users().unwrap().is_empty());
        d.reset().unwrap();
        assert_eq!(
            d.apply(USER_EVENTS_TOPIC, &registered).unwrap(),
            Applied::Changed
        );
    }
}
