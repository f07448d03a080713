//! The event log and the users projection, written in one transaction.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};

use super::{errors::from_sqlite, rows, SqliteStore};
use crate::{
    domain::{Id, UserEvent, Version},
    store::{
        codec,
        projection::{self, RowChange},
        Conflict, EventStore, RebuildReport, RecordedEvent, StoreError, StoreResult, UserRecord,
    },
};

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        stream_id: Id,
        expected: Version,
        events: Vec<UserEvent>,
    ) -> StoreResult<Version> {
        if events.is_empty() {
            return Ok(expected);
        }
        self.writer
            .write(move |conn| append(conn, stream_id, expected, &events))
            .await
    }

    async fn load(&self, stream_id: Id) -> StoreResult<Vec<RecordedEvent>> {
        self.readers
            .read(move |conn| {
                rows::events(
                    conn,
                    &format!(
                        "SELECT {} FROM events WHERE stream_id = ?1 ORDER BY version",
                        rows::EVENT_COLUMNS
                    ),
                    [stream_id.as_i64()],
                )
            })
            .await
    }

    async fn read_all(&self, after: u64, limit: u32) -> StoreResult<Vec<RecordedEvent>> {
        self.readers
            .read(move |conn| {
                rows::events(
                    conn,
                    &format!(
                        "SELECT {} FROM events WHERE position > ?1 ORDER BY position LIMIT ?2",
                        rows::EVENT_COLUMNS
                    ),
                    params![after as i64, limit],
                )
            })
            .await
    }
}

/// Runs inside the writer's transaction (and savepoint): check the version,
/// insert the events, project them. Any error undoes all of it.
fn append(
    conn: &Connection,
    stream_id: Id,
    expected: Version,
    events: &[UserEvent],
) -> StoreResult<Version> {
    let actual = stream_version(conn, stream_id)?;
    if actual != expected {
        return Err(Conflict::StaleVersion { expected, actual }.into());
    }
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO events (stream_id, version, kind, schema_version, payload)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(from_sqlite)?;
    let mut version = expected;
    for event in events {
        version = version.next();
        let encoded = codec::encode(event);
        insert
            .execute(params![
                stream_id.as_i64(),
                version.get() as i64,
                encoded.kind,
                encoded.schema,
                encoded.payload
            ])
            .map_err(from_sqlite)?;
    }
    let current = rows::user_by_id(conn, stream_id)?;
    match projection::fold(current, expected, events) {
        RowChange::Unchanged => {}
        RowChange::Upsert(user) => upsert_user(conn, &user)?,
        RowChange::Delete => {
            // Tweets and sessions follow by ON DELETE CASCADE.
            conn.prepare_cached("DELETE FROM users WHERE id = ?1")
                .and_then(|mut stmt| stmt.execute([stream_id.as_i64()]))
                .map_err(from_sqlite)?;
        }
    }
    Ok(version)
}

fn stream_version(conn: &Connection, stream_id: Id) -> StoreResult<Version> {
    conn.prepare_cached("SELECT MAX(version) FROM events WHERE stream_id = ?1")
        .and_then(|mut stmt| stmt.query_row([stream_id.as_i64()], |r| r.get::<_, Option<i64>>(0)))
        .map(|v| Version::new(v.unwrap_or(0) as u64))
        .map_err(from_sqlite)
}

/// Writes a projected row. Checks the unique keys first to say which one is
/// taken; the unique indexes stay the guarantee.
fn upsert_user(conn: &Connection, user: &UserRecord) -> StoreResult<()> {
    let taken = |sql: &str, key: String| -> StoreResult<bool> {
        conn.prepare_cached(sql)
            .and_then(|mut stmt| {
                stmt.query_row(params![key, user.id.as_i64()], |_| Ok(()))
                    .optional()
            })
            .map(|found| found.is_some())
            .map_err(from_sqlite)
    };
    if taken(
        "SELECT 1 FROM users WHERE username_key = ?1 AND id <> ?2",
        user.username.key(),
    )? {
        return Err(Conflict::UsernameTaken.into());
    }
    if taken(
        "SELECT 1 FROM users WHERE email_key = ?1 AND id <> ?2",
        user.email.key(),
    )? {
        return Err(Conflict::EmailTaken.into());
    }
    insert_user_row(conn, "users", user)
}

/// An upsert that updates in place: `INSERT OR REPLACE` would delete the
/// row first and cascade to the user's tweets.
fn insert_user_row(conn: &Connection, table: &str, user: &UserRecord) -> StoreResult<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (id, username, username_key, email, email_key, name,
                              password_hash, created_at, updated_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET
             username = excluded.username, username_key = excluded.username_key,
             email = excluded.email, email_key = excluded.email_key,
             name = excluded.name, password_hash = excluded.password_hash,
             created_at = excluded.created_at, updated_at = excluded.updated_at,
             version = excluded.version"
    ))
    .and_then(|mut stmt| {
        stmt.execute(params![
            user.id.as_i64(),
            user.username.as_str(),
            user.username.key(),
            user.email.as_str(),
            user.email.key(),
            user.name.as_str(),
            user.password_hash.expose_for_storage(),
            user.created_at.millis(),
            user.updated_at.millis(),
            user.version.get() as i64,
        ])
    })
    .map(drop)
    .map_err(from_sqlite)
}

/// Replays every event through [`projection::project`] into a fresh table,
/// then makes `users` equal to it, all in the writer's transaction (so no
/// append interleaves). The unique indexes are dropped while rows are moved
/// (two users may swap emails mid-way) and recreated after, which also
/// proves the rebuilt model is consistent.
pub(super) fn rebuild(conn: &Connection) -> StoreResult<RebuildReport> {
    let mut live: HashMap<Id, UserRecord> = HashMap::new();
    let mut count = 0u64;
    {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {} FROM events ORDER BY position",
                rows::EVENT_COLUMNS
            ))
            .map_err(from_sqlite)?;
        let mut events = stmt.query([]).map_err(from_sqlite)?;
        while let Some(row) = events.next().map_err(from_sqlite)? {
            let recorded = rows::event(row)?;
            count += 1;
            let current = live.remove(&recorded.stream_id);
            if let Some(user) = projection::project(current, &recorded.event, recorded.version) {
                live.insert(recorded.stream_id, user);
            }
        }
    }
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.fresh_users;
         CREATE TEMP TABLE fresh_users (
             id INTEGER PRIMARY KEY, username TEXT NOT NULL, username_key TEXT NOT NULL,
             email TEXT NOT NULL, email_key TEXT NOT NULL, name TEXT NOT NULL,
             password_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
             updated_at INTEGER NOT NULL, version INTEGER NOT NULL);",
    )
    .map_err(from_sqlite)?;
    for user in live.values() {
        insert_user_row(conn, "temp.fresh_users", user)
            .map_err(|_| StoreError::internal("could not stage a rebuilt user"))?;
    }
    conn.execute_batch(
        "DROP INDEX main.users_username_key;
         DROP INDEX main.users_email_key;
         DELETE FROM main.users WHERE id NOT IN (SELECT id FROM temp.fresh_users);
         INSERT INTO main.users SELECT id, username, username_key, email, email_key, name,
             password_hash, created_at, updated_at, version FROM temp.fresh_users WHERE true
         ON CONFLICT (id) DO UPDATE SET
             username = excluded.username, username_key = excluded.username_key,
             email = excluded.email, email_key = excluded.email_key,
             name = excluded.name, password_hash = excluded.password_hash,
             created_at = excluded.created_at, updated_at = excluded.updated_at,
             version = excluded.version;
         DROP TABLE temp.fresh_users;",
    )
    .map_err(from_sqlite)?;
    conn.execute_batch(
        "CREATE UNIQUE INDEX main.users_username_key ON users (username_key);
         CREATE UNIQUE INDEX main.users_email_key ON users (email_key);",
    )
    .map_err(|_| {
        StoreError::Corrupt("the events give two users the same username or email".into())
    })?;
    Ok(RebuildReport {
        events: count,
        users: live.len() as u64,
    })
}
