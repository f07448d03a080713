//! The embedded store: one SQLite file in the data directory.
//!
//! One writer thread (group commit, see [`writer`]) and a few reader
//! connections; all database work runs off the async runtime.

mod errors;
mod follows;
mod notifications;
mod outbox;
mod reactions;
mod readers;
mod releases;
mod rows;
mod schema;
mod sessions;
mod tweets;
mod users;
mod writer;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags};

pub use schema::{schema_version, BUSY_TIMEOUT_MS};

use self::{readers::Readers, writer::Writer};
use super::{Health, StoreError, StoreResult};

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "chirp.sqlite3";
const READERS: usize = 4;

#[derive(Clone)]
pub struct SqliteStore {
    writer: Writer,
    readers: Arc<Readers>,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating on first run) `dir/chirp.sqlite3` and migrates it.
    pub async fn open(dir: &Path) -> StoreResult<Self> {
        let dir = dir.to_owned();
        tokio::task::spawn_blocking(move || Self::open_blocking(&dir))
            .await
            .map_err(StoreError::internal)?
    }

    fn open_blocking(dir: &Path) -> StoreResult<Self> {
        std::fs::create_dir_all(dir).map_err(StoreError::unavailable)?;
        let path = dir.join(FILE_NAME);
        let mut writer = Connection::open(&path)?;
        schema::configure(&writer)?;
        schema::migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let conn = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                schema::configure(&conn)?;
                // Readers must never write: every write goes through the
                // writer, or group commit and atomicity are void.
                conn.pragma_update(None, "query_only", true)?;
                Ok(conn)
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Self {
            writer: Writer::spawn(writer).map_err(StoreError::internal)?,
            readers: Arc::new(Readers::new(readers)),
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` on a reader connection; for tests and diagnostics (e.g.
    /// asserting the pragmas or running `PRAGMA integrity_check`).
    pub async fn with_reader<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> StoreResult<T> {
        self.readers.read(move |conn| Ok(work(conn)?)).await
    }

    /// Same on the writer connection, inside its transaction.
    pub async fn with_writer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> StoreResult<T> {
        self.writer.write(move |conn| Ok(work(conn)?)).await
    }
}

#[async_trait]
impl Health for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.with_reader(|conn| conn.query_row("SELECT 1", [], |_| Ok(())))
            .await
    }
}
