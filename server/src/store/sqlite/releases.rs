//! The original service's `apirelease` records.

use async_trait::async_trait;
use rusqlite::params;

use super::{errors::from_sqlite, SqliteStore};
use crate::store::{ApiRelease, ReleaseStore, StoreResult};

#[async_trait]
impl ReleaseStore for SqliteStore {
    async fn list(&self) -> StoreResult<Vec<ApiRelease>> {
        self.readers
            .read(|conn| {
                conn.prepare_cached(
                    "SELECT buildtime, version, methods, links FROM apirelease ORDER BY id",
                )
                .and_then(|mut stmt| {
                    stmt.query_map([], |row| {
                        Ok(ApiRelease {
                            buildtime: row.get(0)?,
                            version: row.get(1)?,
                            methods: row.get(2)?,
                            links: row.get(3)?,
                        })
                    })?
                    .collect::<Result<Vec<_>, _>>()
                })
                .map_err(from_sqlite)
            })
            .await
    }

    async fn insert(&self, release: &ApiRelease) -> StoreResult<()> {
        let release = release.clone();
        self.writer
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO apirelease (buildtime, version, methods, links) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![release.buildtime, release.version, release.methods, release.links])
                })
                .map(drop)
                .map_err(from_sqlite)
            })
            .await
    }
}
