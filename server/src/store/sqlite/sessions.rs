//! Server-side sessions, keyed by the SHA-256 of their token.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::{errors::from_sqlite, SqliteStore};
use crate::{
    domain::{Id, Timestamp},
    store::{Session, SessionStore, StoreResult, TokenHash},
};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create(&self, session: &Session) -> StoreResult<()> {
        let session = session.clone();
        self.writer
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        session.token_hash.to_hex(),
                        session.user_id.as_i64(),
                        session.created_at.millis(),
                        session.expires_at.millis()
                    ])
                })
                .map(drop)
                .map_err(from_sqlite)
            })
            .await
    }

    async fn get(&self, token_hash: &TokenHash, now: Timestamp) -> StoreResult<Option<Session>> {
        let key = token_hash.to_hex();
        let token_hash = *token_hash;
        self.readers
            .read(move |conn| {
                conn.prepare_cached(
                    "SELECT user_id, created_at, expires_at FROM sessions
                     WHERE token_hash = ?1 AND expires_at > ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![key, now.millis()], |row| {
                        Ok(Session {
                            token_hash,
                            user_id: Id::from_i64(row.get(0)?),
                            created_at: Timestamp::from_millis(row.get(1)?),
                            expires_at: Timestamp::from_millis(row.get(2)?),
                        })
                    })
                    .optional()
                })
                .map_err(from_sqlite)
            })
            .await
    }

    async fn delete(&self, token_hash: &TokenHash) -> StoreResult<()> {
        let key = token_hash.to_hex();
        self.writer
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")
                    .and_then(|mut stmt| stmt.execute([key]))
                    .map(drop)
                    .map_err(from_sqlite)
            })
            .await
    }

    async fn delete_for_user(&self, user_id: Id, keep: Option<&TokenHash>) -> StoreResult<u64> {
        // No token hashes to "" so `keep = None` keeps nothing.
        let keep = keep.map(|k| k.to_hex()).unwrap_or_default();
        self.writer
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2")
                    .and_then(|mut stmt| stmt.execute(params![user_id.as_i64(), keep]))
                    .map(|n| n as u64)
                    .map_err(from_sqlite)
            })
            .await
    }

    async fn delete_expired(&self, now: Timestamp) -> StoreResult<u64> {
        self.writer
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")
                    .and_then(|mut stmt| stmt.execute([now.millis()]))
                    .map(|n| n as u64)
                    .map_err(from_sqlite)
            })
            .await
    }
}
