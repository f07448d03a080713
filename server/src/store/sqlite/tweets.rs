//! Tweets: rows keyed by their time-ordered id, so every newest-first page
//! is a backwards range scan.

use async_trait::async_trait;
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};

use super::notifications::notify;
use super::{rows, SqliteStore};
use crate::{
    domain::{Id, Tweet},
    store::{
        Ancestor, AuthoredTweet, ByAuthor, Conflict, Page, StoreResult, TweetChange, TweetEvent,
        TweetStore,
    },
};
use app::api::{text::hashtags, NotificationKind};

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
        author: Option<ByAuthor>,
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
            args.push(author.id.as_i64().into());
            sql += &format!(" AND t.author_id = ?{}", args.len());
            if !author.replies {
                sql += " AND t.in_reply_to IS NULL";
            }
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
        self.authored_tweets(sql, args).await
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
        self.authored_tweets(sql, args).await
    }

    /// One reader hop for the whole chain: each step is a primary-key
    /// look-up in `tweets`, or in `deleted_tweets` for a tombstone.
    async fn ancestors(&self, id: Id, limit: usize) -> StoreResult<Vec<Ancestor>> {
        self.readers
            .read(move |conn| {
                let parent_of = |table: &str, id: i64| -> StoreResult<Option<Option<i64>>> {
                    Ok(conn
                        .prepare_cached(&format!("SELECT in_reply_to FROM {table} WHERE id = ?1"))?
                        .query_row([id], |row| row.get(0))
                        .optional()?)
                };
                let mut chain = Vec::new();
                let mut next = parent_of("tweets", id.as_i64())?.flatten();
                while let Some(parent) = next.filter(|_| chain.len() < limit) {
                    let sql = format!(
                        "SELECT {} FROM tweets t JOIN users u ON u.id = t.author_id WHERE t.id = ?1",
                        rows::AUTHORED_TWEET
                    );
                    let found = conn
                        .prepare_cached(&sql)?
                        .query_row([parent], rows::authored_tweet)
                        .optional()?;
                    next = match found {
                        Some(tweet) => {
                            let up = tweet.tweet.in_reply_to.map(Id::as_i64);
                            chain.push(Ancestor::Tweet(tweet));
                            up
                        }
                        None => {
                            chain.push(Ancestor::Deleted(Id::from_i64(parent)));
                            parent_of("deleted_tweets", parent)?.flatten()
                        }
                    };
                }
                chain.reverse();
                Ok(chain)
            })
            .await
    }

    async fn search(
        &self,
        words: &[String],
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        // Each word a quoted FTS5 string, all of them required; the words
        // are letters and digits only, so nothing in them is syntax.
        let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        let (max, since, limit) = rows::page_bounds(&page);
        let mut args: Vec<Value> = vec![
            query.join(" ").into(),
            max.into(),
            since.into(),
            limit.into(),
        ];
        let mut sql = format!(
            "SELECT {} FROM tweet_search s
             CROSS JOIN tweets t ON t.id = s.rowid
             CROSS JOIN users u ON u.id = t.author_id
             WHERE tweet_search MATCH ?1 AND s.rowid < ?2 AND s.rowid > ?3",
            rows::AUTHORED_TWEET
        );
        if !hidden.is_empty() {
            args.push(json_ids(hidden).into());
            sql += " AND t.author_id NOT IN (SELECT value FROM json_each(?5))";
        }
        sql += " ORDER BY s.rowid DESC LIMIT ?4";
        self.authored_tweets(sql, args).await
    }

    async fn replies(&self, id: Id, hidden: &[Id], page: Page) -> StoreResult<Vec<AuthoredTweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        let mut args: Vec<Value> = vec![id.as_i64().into(), max.into(), since.into(), limit.into()];
        let mut sql = format!(
            "SELECT {} FROM tweets t CROSS JOIN users u ON u.id = t.author_id
             WHERE t.in_reply_to = ?1 AND t.id < ?2 AND t.id > ?3",
            rows::AUTHORED_TWEET
        );
        if !hidden.is_empty() {
            args.push(json_ids(hidden).into());
            sql += " AND t.author_id NOT IN (SELECT value FROM json_each(?5))";
        }
        sql += " ORDER BY t.id ASC LIMIT ?4";
        self.authored_tweets(sql, args).await
    }
}

impl SqliteStore {
    /// The tweets `sql` (selecting [`rows::AUTHORED_TWEET`]) finds with
    /// `args`, in one reader hop: every list of tweets reads so.
    async fn authored_tweets(
        &self,
        sql: String,
        args: Vec<Value>,
    ) -> StoreResult<Vec<AuthoredTweet>> {
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
        "INSERT INTO tweets (id, author_id, body, created_at, in_reply_to, mentions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for tweet in tweets {
        let answered = match tweet.in_reply_to {
            Some(parent) => Some(
                conn.prepare_cached("SELECT author_id FROM tweets WHERE id = ?1")?
                    .query_row([parent.as_i64()], |row| row.get(0).map(Id::from_i64))
                    .optional()?
                    .ok_or(Conflict::NoParent)?,
            ),
            None => None,
        };
        stmt.execute(params![
            tweet.id.as_i64(),
            tweet.author_id.as_i64(),
            tweet.body.as_str(),
            tweet.created_at.millis(),
            tweet.in_reply_to.map(Id::as_i64),
            rows::mention_keys(&tweet.mentions),
        ])?;
        record(conn, &TweetEvent::posted(tweet))?;
        notify_conversation(conn, tweet, answered)?;
        for tag in hashtags(tweet.body.as_str()) {
            conn.prepare_cached("INSERT INTO tweet_tags (tag, tweet_id) VALUES (?1, ?2)")?
                .execute(params![tag, tweet.id.as_i64()])?;
        }
    }
    Ok(())
}

/// Tells the author of the tweet `tweet` answers (`answered`) of the reply,
/// and the users it mentions of the mention (the answered author once).
fn notify_conversation(conn: &Connection, tweet: &Tweet, answered: Option<Id>) -> StoreResult<()> {
    let (author, at, id) = (tweet.author_id, tweet.created_at, Some(tweet.id));
    if let Some(answered) = answered {
        notify(conn, answered, NotificationKind::Reply, author, id, at)?;
    }
    for name in &tweet.mentions {
        let mentioned: Option<Id> = conn
            .prepare_cached("SELECT id FROM users WHERE username_key = ?1")?
            .query_row([name.key()], |row| row.get(0).map(Id::from_i64))
            .optional()?;
        if let Some(user) = mentioned.filter(|user| Some(*user) != answered) {
            notify(conn, user, NotificationKind::Mention, author, id, at)?;
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
