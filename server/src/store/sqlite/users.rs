//! The users read model's queries.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::{errors::from_sqlite, rows, SqliteStore};
use crate::{
    domain::{Id, Username},
    store::{Page, StoreResult, UserReadModel, UserRecord},
};

impl SqliteStore {
    async fn user_where(
        &self,
        condition: &'static str,
        key: String,
    ) -> StoreResult<Option<UserRecord>> {
        self.readers
            .read(move |conn| {
                conn.prepare_cached(&format!(
                    "SELECT {} FROM users WHERE {condition}",
                    rows::USER_COLUMNS
                ))
                .and_then(|mut stmt| stmt.query_row([key], rows::user).optional())
                .map_err(from_sqlite)
            })
            .await
    }
}

#[async_trait]
impl UserReadModel for SqliteStore {
    async fn by_id(&self, id: Id) -> StoreResult<Option<UserRecord>> {
        self.readers
            .read(move |conn| rows::user_by_id(conn, id))
            .await
    }

    async fn by_username(&self, username: &Username) -> StoreResult<Option<UserRecord>> {
        self.user_where("username_key = ?1", username.key()).await
    }

    async fn by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        self.user_where("email_key = ?1", email.trim().to_lowercase())
            .await
    }

    async fn by_ids(&self, ids: &[Id]) -> StoreResult<Vec<UserRecord>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.as_i64()).collect();
        self.readers
            .read(move |conn| {
                let mut stmt = conn
                    .prepare_cached(&format!(
                        "SELECT {} FROM users WHERE id = ?1",
                        rows::USER_COLUMNS
                    ))
                    .map_err(from_sqlite)?;
                let mut found = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(user) = stmt
                        .query_row([id], rows::user)
                        .optional()
                        .map_err(from_sqlite)?
                    {
                        found.push(user);
                    }
                }
                Ok(found)
            })
            .await
    }

    async fn list(&self, page: Page) -> StoreResult<Vec<UserRecord>> {
        let (max, since, limit) = rows::page_bounds(&page);
        self.readers
            .read(move |conn| {
                conn.prepare_cached(&format!(
                    "SELECT {} FROM users WHERE id < ?1 AND id > ?2 ORDER BY id DESC LIMIT ?3",
                    rows::USER_COLUMNS
                ))
                .and_then(|mut stmt| {
                    stmt.query_map(params![max, since, limit], rows::user)?
                        .collect::<Result<Vec<_>, _>>()
                })
                .map_err(from_sqlite)
            })
            .await
    }

    async fn count(&self) -> StoreResult<u64> {
        self.readers
            .read(|conn| {
                conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0))
                    .map(|n| n as u64)
                    .map_err(from_sqlite)
            })
            .await
    }
}
