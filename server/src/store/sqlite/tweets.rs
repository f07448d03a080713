//! Tweets: rows keyed by their time-ordered id, so every newest-first page
//! is a backwards range scan.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::{errors::from_sqlite, rows, SqliteStore};
use crate::{
    domain::{Id, Tweet},
    store::{Page, StoreResult, TweetStore},
};

#[async_trait]
impl TweetStore for SqliteStore {
    async fn insert(&self, tweet: &Tweet) -> StoreResult<()> {
        let tweet = tweet.clone();
        self.writer
            .write(move |conn| insert_rows(conn, std::slice::from_ref(&tweet)))
            .await
    }

    /// One write job: the rows go in within one savepoint of one
    /// transaction (all or none), through the same statement as `insert`.
    async fn insert_many(&self, tweets: Vec<Tweet>) -> StoreResult<()> {
        self.writer
            .write(move |conn| insert_rows(conn, &tweets))
            .await
    }

    async fn get(&self, id: Id) -> StoreResult<Option<Tweet>> {
        self.readers
            .read(move |conn| {
                conn.prepare_cached(&format!(
                    "SELECT {} FROM tweets WHERE id = ?1",
                    rows::TWEET_COLUMNS
                ))
                .and_then(|mut stmt| stmt.query_row([id.as_i64()], rows::tweet).optional())
                .map_err(from_sqlite)
            })
            .await
    }

    async fn delete(&self, id: Id, author_id: Id) -> StoreResult<bool> {
        self.writer
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM tweets WHERE id = ?1 AND author_id = ?2")
                    .and_then(|mut stmt| stmt.execute([id.as_i64(), author_id.as_i64()]))
                    .map(|n| n > 0)
                    .map_err(from_sqlite)
            })
            .await
    }

    async fn list(&self, page: Page) -> StoreResult<Vec<Tweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        self.readers
            .read(move |conn| {
                conn.prepare_cached(&format!(
                    "SELECT {} FROM tweets WHERE id < ?1 AND id > ?2 ORDER BY id DESC LIMIT ?3",
                    rows::TWEET_COLUMNS
                ))
                .and_then(|mut stmt| {
                    stmt.query_map(params![max, since, limit], rows::tweet)?
                        .collect::<Result<Vec<_>, _>>()
                })
                .map_err(from_sqlite)
            })
            .await
    }

    /// One query, one reader hop: the timeline's hot path. `CROSS JOIN`
    /// keeps `tweets` the outer loop, so the page stays a range scan on the
    /// rowid (or the author index) and each username one primary-key look-up.
    async fn list_with_usernames(
        &self,
        author: Option<Id>,
        page: Page,
    ) -> StoreResult<Option<Vec<(Tweet, String)>>> {
        let (max, since, limit) = rows::page_bounds(&page);
        let newest = author.is_none() && page.max_id.is_none() && page.since_id.is_none();
        let generation = self.writer.generation();
        if newest {
            if let Some(rows) = self.cached_newest(generation, limit) {
                return Ok(Some(rows));
            }
        }
        let rows = self.page_with_usernames(author, max, since, limit).await?;
        if newest {
            *self.newest.lock().unwrap_or_else(|p| p.into_inner()) = Some(NewestPage {
                generation,
                read_at: Instant::now(),
                limit,
                rows: rows.clone(),
            });
        }
        Ok(Some(rows))
    }

    async fn by_author(&self, author_id: Id, page: Page) -> StoreResult<Vec<Tweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        self.readers
            .read(move |conn| {
                conn.prepare_cached(&format!(
                    "SELECT {} FROM tweets WHERE author_id = ?1 AND id < ?2 AND id > ?3
                     ORDER BY id DESC LIMIT ?4",
                    rows::TWEET_COLUMNS
                ))
                .and_then(|mut stmt| {
                    stmt.query_map(params![author_id.as_i64(), max, since, limit], rows::tweet)?
                        .collect::<Result<Vec<_>, _>>()
                })
                .map_err(from_sqlite)
            })
            .await
    }
}

fn insert_rows(conn: &rusqlite::Connection, tweets: &[Tweet]) -> StoreResult<()> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO tweets (id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(from_sqlite)?;
    for tweet in tweets {
        stmt.execute(params![
            tweet.id.as_i64(),
            tweet.author_id.as_i64(),
            tweet.body.as_str(),
            tweet.created_at.millis()
        ])
        .map_err(from_sqlite)?;
    }
    Ok(())
}

impl SqliteStore {
    fn cached_newest(&self, generation: u64, limit: i64) -> Option<Vec<(Tweet, String)>> {
        let cached = self.newest.lock().unwrap_or_else(|p| p.into_inner());
        cached
            .as_ref()
            .filter(|c| {
                c.generation == generation && c.limit == limit && c.read_at.elapsed() < CACHE_TTL
            })
            .map(|c| c.rows.clone())
    }

    async fn page_with_usernames(
        &self,
        author: Option<Id>,
        max: i64,
        since: i64,
        limit: i64,
    ) -> StoreResult<Vec<(Tweet, String)>> {
        self.readers
            .read(move |conn| {
                let authored = |row: &rusqlite::Row<'_>| Ok((rows::tweet(row)?, row.get(4)?));
                let result = match author {
                    None => conn
                        .prepare_cached(
                            "SELECT t.id, t.author_id, t.body, t.created_at, u.username
                             FROM tweets t CROSS JOIN users u ON u.id = t.author_id
                             WHERE t.id < ?1 AND t.id > ?2 ORDER BY t.id DESC LIMIT ?3",
                        )
                        .and_then(|mut stmt| {
                            stmt.query_map(params![max, since, limit], authored)?
                                .collect::<Result<Vec<_>, _>>()
                        }),
                    Some(author) => conn
                        .prepare_cached(
                            "SELECT t.id, t.author_id, t.body, t.created_at, u.username
                             FROM tweets t CROSS JOIN users u ON u.id = t.author_id
                             WHERE t.author_id = ?1 AND t.id < ?2 AND t.id > ?3
                             ORDER BY t.id DESC LIMIT ?4",
                        )
                        .and_then(|mut stmt| {
                            stmt.query_map(params![author.as_i64(), max, since, limit], authored)?
                                .collect::<Result<Vec<_>, _>>()
                        }),
                };
                result.map_err(from_sqlite)
            })
            .await
    }
}

/// The newest page of everyone's tweets (the timeline's default, most read
/// page), kept between requests. Valid while no write of this process has
/// ended since it was read (the writer's generation, bumped before any
/// writer hears back, so whoever was told "201" reads a fresh page), and at
/// most [`CACHE_TTL`] old, which bounds what another process writing the
/// file (a `fill-tweets`, a rebuild) can leave unseen. Other pages are
/// read from SQLite every time.
pub struct NewestPage {
    generation: u64,
    read_at: Instant,
    limit: i64,
    rows: Vec<(Tweet, String)>,
}

const CACHE_TTL: Duration = Duration::from_secs(1);
