//! Likes and reposts on SQLite: the `likes` and `reposts` tables, whose
//! triggers keep each tweet's counts in the statement that changes them.

use async_trait::async_trait;
use rusqlite::{params, params_from_iter, Connection};

use super::{
    notifications::{notify, unnotify},
    rows, SqliteStore,
};
use crate::{
    domain::{Id, Timestamp},
    store::{AuthoredTweet, Page, Reaction, ReactionStore, Reactions, StoreResult},
};

fn author_of(conn: &Connection, tweet: Id) -> StoreResult<Id> {
    Ok(conn
        .prepare_cached("SELECT author_id FROM tweets WHERE id = ?1")?
        .query_row([tweet.as_i64()], |row| row.get(0).map(Id::from_i64))?)
}

fn table(reaction: Reaction) -> &'static str {
    match reaction {
        Reaction::Like => "likes",
        Reaction::Repost => "reposts",
    }
}

#[async_trait]
impl ReactionStore for SqliteStore {
    async fn react(&self, reaction: Reaction, user: Id, tweet: Id, id: Id) -> StoreResult<bool> {
        let at = Timestamp::now();
        self.writer
            .write(move |conn| {
                // A missing tweet or user fails on the foreign key.
                let added = match reaction {
                    Reaction::Like => conn
                        .prepare_cached(
                            "INSERT INTO likes (user_id, tweet_id, at) VALUES (?1, ?2, ?3)
                             ON CONFLICT DO NOTHING",
                        )?
                        .execute(params![user.as_i64(), tweet.as_i64(), at.millis()])?,
                    Reaction::Repost => conn
                        .prepare_cached(
                            "INSERT INTO reposts (user_id, tweet_id, at, id) VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT (user_id, tweet_id) DO NOTHING",
                        )?
                        .execute(params![
                            user.as_i64(),
                            tweet.as_i64(),
                            at.millis(),
                            id.as_i64()
                        ])?,
                };
                if added > 0 {
                    let author = author_of(conn, tweet)?;
                    notify(conn, author, reaction.notification(), user, Some(tweet), at)?;
                }
                Ok(added > 0)
            })
            .await
    }

    async fn unreact(&self, reaction: Reaction, user: Id, tweet: Id) -> StoreResult<bool> {
        self.writer
            .write(move |conn| {
                let sql = format!(
                    "DELETE FROM {} WHERE user_id = ?1 AND tweet_id = ?2",
                    table(reaction)
                );
                let removed = conn
                    .prepare_cached(&sql)?
                    .execute([user.as_i64(), tweet.as_i64()])?;
                if removed > 0 {
                    let author = author_of(conn, tweet)?;
                    unnotify(conn, author, reaction.notification(), user, Some(tweet))?;
                }
                Ok(removed > 0)
            })
            .await
    }

    async fn reactions_among(&self, user: Id, tweets: &[Id]) -> StoreResult<Reactions> {
        if tweets.is_empty() {
            return Ok(Reactions::default());
        }
        let ids = super::tweets::json_ids(tweets);
        self.readers
            .read(move |conn| {
                let among = |reaction| -> StoreResult<Vec<Id>> {
                    let sql = format!(
                        "SELECT tweet_id FROM {} WHERE user_id = ?1
                         AND tweet_id IN (SELECT value FROM json_each(?2))",
                        table(reaction)
                    );
                    Ok(conn
                        .prepare_cached(&sql)?
                        .query_map(params![user.as_i64(), ids], |row| {
                            row.get(0).map(Id::from_i64)
                        })?
                        .collect::<Result<_, _>>()?)
                };
                Ok(Reactions {
                    liked: among(Reaction::Like)?,
                    reposted: among(Reaction::Repost)?,
                })
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
