//! The follow graph on SQLite: the `follows` table, written by the users'
//! appends (and rebuilds) through [`project`], read here.

use app::api::NotificationKind;
use async_trait::async_trait;
use rusqlite::{params, params_from_iter, types::Value, Connection};

use super::{
    notifications::{notify, unnotify},
    rows, SqliteStore,
};
use crate::{
    domain::{user::FollowChange, Id, User, Username},
    store::{AuthoredTweet, Conflict, FollowCounts, FollowStore, Page, Repost, StoreResult},
};

/// Applies one change of `follower`'s (the user whose stream it is) to
/// the tables, in the caller's transaction. Following or blocking a user
/// that does not exist fails on the foreign key (`NotFound`); doing it
/// twice keeps the first.
pub fn project(conn: &Connection, follower: Id, change: FollowChange) -> StoreResult<()> {
    match change {
        FollowChange::Follow { user, at } => {
            let blocked: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2)",
                )?
                .query_row([user.as_i64(), follower.as_i64()], |row| row.get(0))?;
            if blocked {
                return Err(Conflict::Blocked.into());
            }
            conn.prepare_cached(
                "INSERT INTO follows (follower_id, followee_id, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![follower.as_i64(), user.as_i64(), at.millis()])?;
            notify(conn, user, NotificationKind::Follow, follower, None, at)?;
            0
        }
        FollowChange::Unfollow { user } => {
            conn.prepare_cached("DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2")?
                .execute(params![follower.as_i64(), user.as_i64()])?;
            unnotify(conn, user, NotificationKind::Follow, follower, None)?;
            0
        }
        FollowChange::Block { user, at } => {
            conn.prepare_cached(
                "INSERT INTO blocks (blocker_id, blocked_id, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![follower.as_i64(), user.as_i64(), at.millis()])?;
            conn.prepare_cached(
                "DELETE FROM follows WHERE (follower_id = ?1 AND followee_id = ?2)
                                        OR (follower_id = ?2 AND followee_id = ?1)",
            )?
            .execute(params![follower.as_i64(), user.as_i64()])?
        }
        FollowChange::Unblock { user } => conn
            .prepare_cached("DELETE FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2")?
            .execute(params![follower.as_i64(), user.as_i64()])?,
    };
    Ok(())
}

#[async_trait]
impl FollowStore for SqliteStore {
    async fn follows(&self, follower: Id, user: Id) -> StoreResult<bool> {
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM follows
                         WHERE follower_id = ?1 AND followee_id = ?2)",
                    )?
                    .query_row([follower.as_i64(), user.as_i64()], |row| row.get(0))?)
            })
            .await
    }

    async fn blocks(&self, blocker: Id, user: Id) -> StoreResult<bool> {
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM blocks
                         WHERE blocker_id = ?1 AND blocked_id = ?2)",
                    )?
                    .query_row([blocker.as_i64(), user.as_i64()], |row| row.get(0))?)
            })
            .await
    }

    async fn hidden_from(&self, user: Id) -> StoreResult<Vec<Id>> {
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT blocked_id FROM blocks WHERE blocker_id = ?1
                         UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?1",
                    )?
                    .query_map([user.as_i64()], |row| row.get(0).map(Id::from_i64))?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    async fn following(&self, follower: Id, page: Page) -> StoreResult<Vec<User>> {
        self.related("follower_id", "followee_id", follower, page)
            .await
    }

    async fn followers(&self, user: Id, page: Page) -> StoreResult<Vec<User>> {
        self.related("followee_id", "follower_id", user, page).await
    }

    async fn follow_counts(&self, user: Id) -> StoreResult<FollowCounts> {
        self.readers
            .read(move |conn| {
                let count = |sql: &str| -> StoreResult<u64> {
                    let n: i64 = conn
                        .prepare_cached(sql)?
                        .query_row([user.as_i64()], |row| row.get(0))?;
                    Ok(n as u64)
                };
                Ok(FollowCounts {
                    following: count("SELECT count(*) FROM follows WHERE follower_id = ?1")?,
                    followers: count("SELECT count(*) FROM follows WHERE followee_id = ?1")?,
                })
            })
            .await
    }

    /// Two newest-first scans merged: the tweets (by rowid) and the
    /// reposts (by their id's index), each checked against the follow set
    /// and cut at the page's size before the merge, so a page costs the
    /// rows scanned until it is full, not the follow set's size.
    async fn home_timeline(
        &self,
        user: Id,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<AuthoredTweet>> {
        let (max, since, limit) = rows::page_bounds(&page);
        // Absent for most readers, so their query stays the plain one (as
        // everyone's timeline does): no `json_each` per row scanned.
        let (hide, hide_reposted) = if hidden.is_empty() {
            ("", "")
        } else {
            (
                "AND t.author_id NOT IN (SELECT value FROM json_each(?5))",
                "AND rt.author_id NOT IN (SELECT value FROM json_each(?5))",
            )
        };
        let mut args: Vec<Value> =
            vec![max.into(), since.into(), limit.into(), user.as_i64().into()];
        if !hidden.is_empty() {
            args.push(super::tweets::json_ids(hidden).into());
        }
        // `+author_id` keeps SQLite off the author index: with it, the
        // planner read every tweet of all 200 followees and sorted them
        // (3.6 ms at 10,000 users × 200 follows, 1M tweets); walking the
        // newest tweets back until the page is full took 0.03 ms there.
        // Its cost grows instead for a reader whose followees rarely post.
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "WITH entries (entry, tweet_id, reposter) AS (
                         SELECT * FROM (
                             SELECT t.id, t.id, NULL FROM tweets t
                             WHERE +t.author_id IN (SELECT ?4 UNION ALL
                                    SELECT followee_id FROM follows WHERE follower_id = ?4)
                               AND t.id < ?1 AND t.id > ?2 {hide}
                             ORDER BY t.id DESC LIMIT ?3)
                         UNION ALL
                         SELECT * FROM (
                             SELECT r.id, r.tweet_id, r.user_id FROM reposts r
                             CROSS JOIN tweets rt ON rt.id = r.tweet_id
                             WHERE +r.user_id IN (SELECT ?4 UNION ALL
                                    SELECT followee_id FROM follows WHERE follower_id = ?4)
                               AND r.id < ?1 AND r.id > ?2 {hide_reposted}
                             ORDER BY r.id DESC LIMIT ?3))
                     SELECT {}, e.entry, ru.username FROM entries e
                     CROSS JOIN tweets t ON t.id = e.tweet_id
                     CROSS JOIN users u ON u.id = t.author_id
                     LEFT JOIN users ru ON ru.id = e.reposter
                     ORDER BY e.entry DESC LIMIT ?3",
                    rows::AUTHORED_TWEET
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(params_from_iter(args), |row| {
                        let mut tweet = rows::authored_tweet(row)?;
                        tweet.repost = row.get::<_, Option<String>>(11)?.map(|by| Repost {
                            id: Id::from_i64(row.get(10).unwrap_or_default()),
                            by: Username::from_stored(by),
                        });
                        Ok(tweet)
                    })?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }
}

impl SqliteStore {
    /// The users on the `other` side of `user`'s rows on the `own` side.
    async fn related(
        &self,
        own: &'static str,
        other: &'static str,
        user: Id,
        page: Page,
    ) -> StoreResult<Vec<User>> {
        let (max, since, limit) = rows::page_bounds(&page);
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "SELECT {} FROM follows JOIN users ON users.id = follows.{other}
                     WHERE follows.{own} = ?1 AND follows.{other} < ?2 AND follows.{other} > ?3
                     ORDER BY follows.{other} DESC LIMIT ?4",
                    rows::USER_COLUMNS
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(params![user.as_i64(), max, since, limit], rows::user)?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }
}
