//! The outbox on SQLite: `events` and `tweet_events` in `position` order
//! (commit order: one writer), and a cursor per outbox.

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{rows, SqliteStore};
use crate::{
    domain::{Id, Timestamp},
    store::{
        Backlog, OutboxStore, Pending, RecordedEvent, StoreError, StoreResult, TweetChange,
        TweetEvent,
    },
};

const USER_EVENTS: &str = "user-events";
const TWEET_EVENTS: &str = "tweet-events";

fn cursor(conn: &Connection, outbox: &str) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached("SELECT position FROM outbox_cursors WHERE outbox = ?1")?
        .query_row([outbox], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Moves the cursor forward only: marks of an older batch published again
/// after a newer one never move it back.
fn advance(conn: &Connection, outbox: &str, to: i64) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO outbox_cursors (outbox, position) VALUES (?1, ?2)
         ON CONFLICT (outbox) DO UPDATE SET position = max(position, excluded.position)",
    )?
    .execute(params![outbox, to])?;
    Ok(())
}

fn tweet_event(row: &Row<'_>) -> rusqlite::Result<StoreResult<Pending<TweetEvent>>> {
    let kind: String = row.get(4)?;
    let at = Timestamp::from_millis(row.get(6)?);
    let change = match kind.as_str() {
        "posted" => TweetChange::Posted {
            body: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            at,
        },
        "deleted" => TweetChange::Deleted { at },
        other => {
            return Ok(Err(StoreError::internal(format!(
                "unknown tweet event kind {other:?}"
            ))))
        }
    };
    Ok(Ok(Pending {
        mark: row.get(0)?,
        event: TweetEvent {
            id: Id::from_i64(row.get(1)?),
            tweet_id: Id::from_i64(row.get(2)?),
            author_id: Id::from_i64(row.get(3)?),
            change,
        },
    }))
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn pending_user_events(&self, limit: usize) -> StoreResult<Vec<Pending<RecordedEvent>>> {
        self.readers
            .read(move |conn| {
                let after = cursor(conn, USER_EVENTS)?;
                let sql = format!(
                    "SELECT position, {} FROM events WHERE position > ?1 ORDER BY position LIMIT ?2",
                    rows::EVENT_COLUMNS
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let found = stmt.query_map(params![after, limit as i64], |row| {
                    let mark: i64 = row.get(0)?;
                    // The event's columns follow the position.
                    let event = rows::event_at(row, 1)?;
                    Ok(event.map(|event| Pending { mark, event }))
                })?;
                found.map(|row| row?).collect()
            })
            .await
    }

    async fn pending_tweet_events(&self, limit: usize) -> StoreResult<Vec<Pending<TweetEvent>>> {
        self.readers
            .read(move |conn| {
                let after = cursor(conn, TWEET_EVENTS)?;
                let mut stmt = conn.prepare_cached(
                    "SELECT position, event_id, tweet_id, author_id, kind, body, at
                     FROM tweet_events WHERE position > ?1 ORDER BY position LIMIT ?2",
                )?;
                let found = stmt.query_map(params![after, limit as i64], tweet_event)?;
                found.map(|row| row?).collect()
            })
            .await
    }

    async fn user_events_published(&self, marks: &[i64]) -> StoreResult<()> {
        let Some(&to) = marks.iter().max() else {
            return Ok(());
        };
        self.writer
            .write(move |conn| advance(conn, USER_EVENTS, to))
            .await
    }

    async fn tweet_events_published(&self, marks: &[i64]) -> StoreResult<()> {
        let Some(&to) = marks.iter().max() else {
            return Ok(());
        };
        self.writer
            .write(move |conn| advance(conn, TWEET_EVENTS, to))
            .await
    }

    async fn backlog(&self) -> StoreResult<Backlog> {
        self.readers
            .read(move |conn| {
                let behind = |table: &str, outbox: &str| -> StoreResult<u64> {
                    let after = cursor(conn, outbox)?;
                    let sql = format!("SELECT count(*) FROM {table} WHERE position > ?1");
                    let count: i64 = conn
                        .prepare_cached(&sql)?
                        .query_row([after], |r| r.get(0))?;
                    Ok(count as u64)
                };
                Ok(Backlog {
                    user_events: behind("events", USER_EVENTS)?,
                    tweet_events: behind("tweet_events", TWEET_EVENTS)?,
                })
            })
            .await
    }
}
