//! Likes on SQLite: the `likes` table, whose triggers keep each tweet's
//! count in the statement that changes it.

use app::api::NotificationKind;
use async_trait::async_trait;
use rusqlite::{params, params_from_iter, Connection};

use super::{
    notifications::{notify, unnotify},
    rows, SqliteStore,
};
use crate::{
    domain::{Id, Timestamp},
    store::{AuthoredTweet, LikeStore, Page, StoreResult},
};

fn author_of(conn: &Connection, tweet: Id) -> StoreResult<Id> {
    Ok(conn
        .prepare_cached("SELECT author_id FROM tweets WHERE id = ?1")?
        .query_row([tweet.as_i64()], |row| row.get(0).map(Id::from_i64))?)
}

#[async_trait]
impl LikeStore for SqliteStore {
    async fn like(&self, user: Id, tweet: Id) -> StoreResult<bool> {
        let at = Timestamp::now();
        self.writer
            .write(move |conn| {
                // A missing tweet or user fails on the foreign key.
                let added = conn
                    .prepare_cached(
                        "INSERT INTO likes (user_id, tweet_id, at) VALUES (?1, ?2, ?3)
                         ON CONFLICT DO NOTHING",
                    )?
                    .execute(params![user.as_i64(), tweet.as_i64(), at.millis()])?;
                if added > 0 {
                    let author = author_of(conn, tweet)?;
                    notify(conn, author, NotificationKind::Like, user, Some(tweet), at)?;
                }
                Ok(added > 0)
            })
            .await
    }

    async fn unlike(&self, user: Id, tweet: Id) -> StoreResult<bool> {
        self.writer
            .write(move |conn| {
                let removed = conn
                    .prepare_cached("DELETE FROM likes WHERE user_id = ?1 AND tweet_id = ?2")?
                    .execute([user.as_i64(), tweet.as_i64()])?;
                if removed > 0 {
                    let author = author_of(conn, tweet)?;
                    unnotify(conn, author, NotificationKind::Like, user, Some(tweet))?;
                }
                Ok(removed > 0)
            })
            .await
    }

    async fn liked_among(&self, user: Id, tweets: &[Id]) -> StoreResult<Vec<Id>> {
        if tweets.is_empty() {
            return Ok(Vec::new());
        }
        let ids = super::tweets::json_ids(tweets);
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT tweet_id FROM likes
                         WHERE user_id = ?1 AND tweet_id IN (SELECT value FROM json_each(?2))",
                    )?
                    .query_map(params![user.as_i64(), ids], |row| {
                        row.get(0).map(Id::from_i64)
                    })?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    async fn liked_tweets(&self, user: Id, page: Page) -> StoreResult<Vec<AuthoredTweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "SELECT {} FROM likes l
                     CROSS JOIN tweets t ON t.id = l.tweet_id
                     CROSS JOIN users u ON u.id = t.author_id
                     WHERE l.user_id = ?1 AND l.tweet_id < ?2 AND l.tweet_id > ?3
                     ORDER BY l.tweet_id DESC LIMIT ?4",
                    rows::AUTHORED_TWEET
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(
                        params_from_iter([user.as_i64(), max, since, limit]),
                        rows::authored_tweet,
                    )?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }
}
