//! Tweets: rows keyed by their time-ordered id, so every newest-first page
//! is a backwards range scan.

use async_trait::async_trait;
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};

use super::{rows, SqliteStore};
use crate::{
    domain::{Id, Tweet},
    store::{AuthoredTweet, Page, StoreResult, TweetChange, TweetEvent, TweetStore},
};
use app::api::text::hashtags;

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

    async fn get(&self, id: Id) -> StoreResult<Option<AuthoredTweet>> {
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "SELECT {} FROM tweets t JOIN users u ON u.id = t.author_id WHERE t.id = ?1",
                    rows::AUTHORED_TWEET
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_row([id.as_i64()], rows::authored_tweet)
                    .optional()?)
            })
            .await
    }

    async fn delete(&self, id: Id, author_id: Id) -> StoreResult<bool> {
        self.writer
            .write(move |conn| {
                let deleted = conn
                    .prepare_cached("DELETE FROM tweets WHERE id = ?1 AND author_id = ?2")?
                    .execute([id.as_i64(), author_id.as_i64()])?
                    > 0;
                if deleted {
                    record(conn, &TweetEvent::deleted(id, author_id))?;
                }
                Ok(deleted)
            })
            .await
    }

    /// One query, one reader hop: the timeline's hot path. `CROSS JOIN`
    /// keeps `tweets` the outer loop, so the page stays a range scan on the
    /// rowid (or the author index) and each username one primary-key
    /// look-up.
    async fn page(
        &self,
        author: Option<Id>,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        let mut args: Vec<Value> = vec![max.into(), since.into(), limit.into()];
        let mut sql = format!(
            "SELECT {} FROM tweets t CROSS JOIN users u ON u.id = t.author_id
             WHERE t.id < ?1 AND t.id > ?2",
            rows::AUTHORED_TWEET
        );
        if let Some(author) = author {
            args.push(author.as_i64().into());
            sql += &format!(" AND t.author_id = ?{}", args.len());
        }
        // Absent for most readers, so their query stays the plain one.
        if !hidden.is_empty() {
            args.push(json_ids(hidden).into());
            sql += &format!(
                " AND t.author_id NOT IN (SELECT value FROM json_each(?{}))",
                args.len()
            );
        }
        sql += " ORDER BY t.id DESC LIMIT ?3";
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(params_from_iter(args), rows::authored_tweet)?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    async fn tagged(
        &self,
        tag: &str,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        let mut args: Vec<Value> = vec![
            tag.to_string().into(),
            max.into(),
            since.into(),
            limit.into(),
        ];
        let mut sql = format!(
            "SELECT {} FROM tweet_tags g
             CROSS JOIN tweets t ON t.id = g.tweet_id
             CROSS JOIN users u ON u.id = t.author_id
             WHERE g.tag = ?1 AND g.tweet_id < ?2 AND g.tweet_id > ?3",
            rows::AUTHORED_TWEET
        );
        if !hidden.is_empty() {
            args.push(json_ids(hidden).into());
            sql += " AND t.author_id NOT IN (SELECT value FROM json_each(?5))";
        }
        sql += " ORDER BY g.tweet_id DESC LIMIT ?4";
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(params_from_iter(args), rows::authored_tweet)?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }
}

fn insert_rows(conn: &Connection, tweets: &[Tweet]) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tweets (id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for tweet in tweets {
        stmt.execute(params![
            tweet.id.as_i64(),
            tweet.author_id.as_i64(),
            tweet.body.as_str(),
            tweet.created_at.millis()
        ])?;
        record(conn, &TweetEvent::posted(tweet))?;
        for tag in hashtags(tweet.body.as_str()) {
            conn.prepare_cached("INSERT INTO tweet_tags (tag, tweet_id) VALUES (?1, ?2)")?
                .execute(params![tag, tweet.id.as_i64()])?;
        }
    }
    Ok(())
}

/// Records a change for publishing, in the caller's transaction.
fn record(conn: &Connection, event: &TweetEvent) -> StoreResult<()> {
    let (kind, body, at) = match &event.change {
        TweetChange::Posted { body, at } => ("posted", Some(body.as_str()), *at),
        TweetChange::Deleted { at } => ("deleted", None, *at),
    };
    conn.prepare_cached(
        "INSERT INTO tweet_events (event_id, tweet_id, author_id, kind, body, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        event.id.as_i64(),
        event.tweet_id.as_i64(),
        event.author_id.as_i64(),
        kind,
        body,
        at.millis()
    ])?;
    Ok(())
}

/// `ids` as a JSON array, for `json_each`: one parameter however many.
pub(super) fn json_ids(ids: &[Id]) -> String {
    let ids: Vec<i64> = ids.iter().map(|id| id.as_i64()).collect();
    serde_json::to_string(&ids).unwrap_or_default()
}
