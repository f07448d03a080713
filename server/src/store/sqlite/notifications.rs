//! Notifications on SQLite: written by the statements of what caused them
//! ([`notify`], [`unnotify`]), read newest first with their actor and
//! tweet in one query.

use app::api::NotificationKind;
use async_trait::async_trait;
use rusqlite::{params, params_from_iter, types::Value, Connection};

use super::{rows, tweets::json_ids, SqliteStore};
use crate::{
    domain::{Id, Timestamp, Username},
    store::{Notification, NotificationStore, Page, StoreError, StoreResult},
};

/// Tells `recipient` that `actor` did `kind` (about `tweet`), unless they
/// did it themselves or were told already.
pub(super) fn notify(
    conn: &Connection,
    recipient: Id,
    kind: NotificationKind,
    actor: Id,
    tweet: Option<Id>,
    at: Timestamp,
) -> StoreResult<()> {
    if recipient == actor {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO notifications (id, user_id, kind, actor_id, tweet_id, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        Id::generate().as_i64(),
        recipient.as_i64(),
        kind.as_str(),
        actor.as_i64(),
        tweet.map(Id::as_i64),
        at.millis()
    ])?;
    Ok(())
}

/// Takes back what [`notify`] told (an unlike, an unfollow).
pub(super) fn unnotify(
    conn: &Connection,
    recipient: Id,
    kind: NotificationKind,
    actor: Id,
    tweet: Option<Id>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "DELETE FROM notifications
         WHERE user_id = ?1 AND kind = ?2 AND actor_id = ?3 AND COALESCE(tweet_id, 0) = ?4",
    )?
    .execute(params![
        recipient.as_i64(),
        kind.as_str(),
        actor.as_i64(),
        tweet.map_or(0, Id::as_i64)
    ])?;
    Ok(())
}

/// `AND n.actor_id NOT IN (…)` for the hidden, as the `index`th parameter.
fn without_hidden(hidden: &[Id], args: &mut Vec<Value>, sql: &mut String) {
    if !hidden.is_empty() {
        args.push(json_ids(hidden).into());
        sql.push_str(&format!(
            " AND n.actor_id NOT IN (SELECT value FROM json_each(?{}))",
            args.len()
        ));
    }
}

#[async_trait]
impl NotificationStore for SqliteStore {
    async fn notifications(
        &self,
        user: Id,
        hidden: &[Id],
        page: Page,
    ) -> StoreResult<Vec<Notification>> {
        let (max, since, limit) = rows::page_bounds(&page);
        let mut args: Vec<Value> =
            vec![user.as_i64().into(), max.into(), since.into(), limit.into()];
        // The tweet's columns first, where `rows::authored_tweet` reads them.
        let mut sql = format!(
            "SELECT {}, n.id, n.kind, n.actor_id, a.username, n.at, n.read
             FROM notifications n
             CROSS JOIN users a ON a.id = n.actor_id
             LEFT JOIN tweets t ON t.id = n.tweet_id
             LEFT JOIN users u ON u.id = t.author_id
             WHERE n.user_id = ?1 AND n.id < ?2 AND n.id > ?3",
            rows::AUTHORED_TWEET
        );
        without_hidden(hidden, &mut args, &mut sql);
        sql += " ORDER BY n.id DESC LIMIT ?4";
        self.readers
            .read(move |conn| {
                let mut stmt = conn.prepare_cached(&sql)?;
                let mut found = stmt.query(params_from_iter(args))?;
                let mut list = Vec::new();
                let first = rows::AUTHORED_TWEET.split(',').count();
                while let Some(row) = found.next()? {
                    let tweet = match row.get::<_, Option<i64>>(0)? {
                        Some(_) => Some(rows::authored_tweet(row)?),
                        None => None,
                    };
                    let kind: String = row.get(first + 1)?;
                    let kind = NotificationKind::parse(&kind).ok_or_else(|| {
                        StoreError::Corrupt(format!("unknown notification kind {kind:?}"))
                    })?;
                    list.push(Notification {
                        id: Id::from_i64(row.get(first)?),
                        kind,
                        actor_id: Id::from_i64(row.get(first + 2)?),
                        actor: Username::from_stored(row.get::<_, String>(first + 3)?),
                        tweet,
                        at: Timestamp::from_millis(row.get(first + 4)?),
                        read: row.get(first + 5)?,
                    });
                }
                Ok(list)
            })
            .await
    }

    async fn unread(&self, user: Id, hidden: &[Id]) -> StoreResult<u64> {
        let mut args: Vec<Value> = vec![user.as_i64().into()];
        let mut sql =
            "SELECT COUNT(*) FROM notifications n WHERE n.user_id = ?1 AND n.read = 0".to_string();
        without_hidden(hidden, &mut args, &mut sql);
        self.readers
            .read(move |conn| {
                let count: i64 = conn
                    .prepare_cached(&sql)?
                    .query_row(params_from_iter(args), |row| row.get(0))?;
                Ok(count as u64)
            })
            .await
    }

    async fn mark_read(&self, user: Id, up_to: Option<Id>) -> StoreResult<u64> {
        let up_to = up_to.map_or(i64::MAX, Id::as_i64);
        self.writer
            .write(move |conn| {
                let marked = conn
                    .prepare_cached(
                        "UPDATE notifications SET read = 1
                         WHERE user_id = ?1 AND id <= ?2 AND read = 0",
                    )?
                    .execute(params![user.as_i64(), up_to])?;
                Ok(marked as u64)
            })
            .await
    }
}
