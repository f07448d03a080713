//! The original service's `apirelease` records.

use async_trait::async_trait;
use rusqlite::params;

use super::SqliteStore;
use crate::store::{ApiRelease, ReleaseStore, StoreResult};

#[async_trait]
impl ReleaseStore for SqliteStore {
    async fn list(&self) -> StoreResult<Vec<ApiRelease>> {
        self.readers
            .read(|conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT buildtime, version, methods, links FROM apirelease ORDER BY id",
                    )?
                    .query_map([], |row| {
                        Ok(ApiRelease {
                            buildtime: row.get(0)?,
                            version: row.get(1)?,
                            methods: row.get(2)?,
                            links: row.get(3)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    async fn insert(&self, release: &ApiRelease) -> StoreResult<()> {
        let release = release.clone();
        self.writer
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO apirelease (buildtime, version, methods, links)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    release.buildtime,
                    release.version,
                    release.methods,
                    release.links
                ])?;
                Ok(())
            })
            .await
    }
}
