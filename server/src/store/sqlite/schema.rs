//! Connection settings and migrations.

use rusqlite::Connection;

use crate::store::{StoreError, StoreResult};

/// Migrations in order; the database's `user_version` says how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/sqlite/0001_init.sql"),
    include_str!("../../../migrations/sqlite/0002_versions_and_sessions.sql"),
    include_str!("../../../migrations/sqlite/0003_session_last_seen.sql"),
    include_str!("../../../migrations/sqlite/0004_outbox.sql"),
    include_str!("../../../migrations/sqlite/0005_follows.sql"),
    include_str!("../../../migrations/sqlite/0006_likes.sql"),
    include_str!("../../../migrations/sqlite/0007_tags.sql"),
    include_str!("../../../migrations/sqlite/0008_replies.sql"),
    include_str!("../../../migrations/sqlite/0009_mentions.sql"),
    include_str!("../../../migrations/sqlite/0010_notifications.sql"),
    include_str!("../../../migrations/sqlite/0011_search.sql"),
    include_str!("../../../migrations/sqlite/0012_reposts.sql"),
    include_str!("../../../migrations/sqlite/0013_bios.sql"),
];

/// How long a connection waits for a lock before the store reports itself
/// busy. Only another process (a rebuild, a backup) can hold it that long:
/// inside the server, writes are serialized before they reach SQLite.
pub const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Settings every connection gets.
///
/// `synchronous=FULL`: in WAL mode NORMAL already survives a crash of the
/// process, but may lose the last commits on a power cut or kernel panic,
/// and those are commits a client was told had succeeded. FULL syncs the
/// WAL on every commit so they survive; the writer's group commit
/// (`writer.rs`) pays for it with one sync per batch rather than per command.
///
/// The query planner stability guarantee (QPSG): the bundled SQLite is built
/// with STAT4, which re-prepares a cached statement whenever a value bound
/// to a range constraint changes (every timeline page binds a new `max_id`).
/// That re-preparation was a fifth of the server's CPU time under a
/// timeline load (`scripts/bench.sh`'s profile); our queries' plans do not
/// depend on the values, so each statement keeps its plan.
pub fn configure(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    // WAL is a property of the file; check it took (it cannot on some
    // filesystems, and silently running in rollback mode would be slower and
    // block readers).
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::unavailable(format!(
            "journal_mode is {mode}, WAL is required"
        )));
    }
    Ok(())
}

/// Applies the migrations this database has not seen, each in its own
/// transaction together with the `user_version` bump.
pub fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let applied: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if applied > MIGRATIONS.len() {
        return Err(StoreError::Corrupt(format!(
            "database schema version {applied} is newer than this server's {}",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "applied SQLite migration");
    }
    Ok(())
}

pub const fn schema_version() -> usize {
    MIGRATIONS.len()
}
