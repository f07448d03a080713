//! Server-side sessions, keyed by the SHA-256 of their token. Opened by a
//! user append (`users.rs`), read here together with their user.

use std::sync::LazyLock;

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};

use super::{rows, SqliteStore};
use crate::{
    domain::{Timestamp, User},
    store::{Session, SessionStore, StoreResult, TokenHash},
};

pub(super) fn insert(conn: &Connection, session: &Session) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, credentials, created_at, expires_at, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        session.token_hash.to_hex(),
        session.user_id.as_i64(),
        session.credentials.get() as i64,
        session.created_at.millis(),
        session.expires_at.millis(),
        session.last_seen.millis()
    ])?;
    Ok(())
}

/// One look-up per request: the session, valid only under its user's
/// current password, and the user.
static RESOLVE: LazyLock<String> = LazyLock::new(|| {
    let user_columns: Vec<String> = rows::USER_COLUMNS
        .split(", ")
        .map(|column| format!("u.{column}"))
        .collect();
    format!(
        "SELECT s.created_at, s.expires_at, s.last_seen, {} FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.credentials = u.credentials",
        user_columns.join(", ")
    )
});

#[async_trait]
impl SessionStore for SqliteStore {
    async fn resolve(
        &self,
        token: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, User)>> {
        let token = *token;
        self.readers
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(&RESOLVE)?
                    .query_row(params![token.to_hex(), now.millis()], |row| {
                        let user = rows::user_at(row, 3)?;
                        let session = Session {
                            token_hash: token,
                            user_id: user.id,
                            credentials: user.credentials,
                            created_at: Timestamp::from_millis(row.get(0)?),
                            expires_at: Timestamp::from_millis(row.get(1)?),
                            last_seen: Timestamp::from_millis(row.get(2)?),
                        };
                        Ok((session, user))
                    })
                    .optional()?)
            })
            .await
    }

    async fn touch(&self, token: &TokenHash, at: Timestamp) -> StoreResult<()> {
        let key = token.to_hex();
        self.writer
            .write(move |conn| {
                conn.prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")?
                    .execute(params![key, at.millis()])?;
                Ok(())
            })
            .await
    }

    async fn delete(&self, token: &TokenHash) -> StoreResult<()> {
        let key = token.to_hex();
        self.writer
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
                    .execute([key])?;
                Ok(())
            })
            .await
    }

    async fn delete_expired(&self, now: Timestamp) -> StoreResult<u64> {
        self.writer
            .write(move |conn| {
                Ok(conn
                    .prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
                    .execute([now.millis()])? as u64)
            })
            .await
    }
}
