//! Row ↔ value mapping shared by the queries.

use rusqlite::{Connection, OptionalExtension, Row};

use super::errors::from_sqlite;
use crate::{
    domain::{
        DisplayName, Email, Id, PasswordHash, Timestamp, Tweet, TweetBody, Username, Version,
    },
    store::{codec, RecordedEvent, StoreResult, UserRecord},
};

pub const USER_COLUMNS: &str =
    "id, username, email, name, password_hash, created_at, updated_at, version";

pub fn user(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: Id::from_i64(row.get(0)?),
        username: Username::from_stored(row.get::<_, String>(1)?),
        email: Email::from_stored(row.get::<_, String>(2)?),
        name: DisplayName::from_stored(row.get::<_, String>(3)?),
        password_hash: PasswordHash::from_stored(row.get::<_, String>(4)?),
        created_at: Timestamp::from_millis(row.get(5)?),
        updated_at: Timestamp::from_millis(row.get(6)?),
        version: Version::new(row.get::<_, i64>(7)? as u64),
    })
}

pub fn user_by_id(conn: &Connection, id: Id) -> StoreResult<Option<UserRecord>> {
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
        .and_then(|mut stmt| stmt.query_row([id.as_i64()], user).optional())
        .map_err(from_sqlite)
}

pub const TWEET_COLUMNS: &str = "id, author_id, body, created_at";

pub fn tweet(row: &Row<'_>) -> rusqlite::Result<Tweet> {
    Ok(Tweet {
        id: Id::from_i64(row.get(0)?),
        author_id: Id::from_i64(row.get(1)?),
        body: TweetBody::from_stored(row.get::<_, String>(2)?),
        created_at: Timestamp::from_millis(row.get(3)?),
    })
}

pub const EVENT_COLUMNS: &str = "position, stream_id, version, kind, schema_version, payload";

/// Reads events from a query selecting [`EVENT_COLUMNS`].
pub fn events(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<RecordedEvent>> {
    let mut stmt = conn.prepare_cached(sql).map_err(from_sqlite)?;
    let mut rows = stmt.query(params).map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        out.push(event(row)?);
    }
    Ok(out)
}

pub fn event(row: &Row<'_>) -> StoreResult<RecordedEvent> {
    let raw = (|| {
        Ok::<_, rusqlite::Error>((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
            row.get_ref(3)?.as_str()?.to_owned(),
            row.get::<_, i64>(4)?,
            row.get_ref(5)?.as_str()?.to_owned(),
        ))
    })()
    .map_err(from_sqlite)?;
    let (position, stream_id, version, kind, schema, payload) = raw;
    Ok(RecordedEvent {
        position: position as u64,
        stream_id: Id::from_i64(stream_id),
        version: Version::new(version as u64),
        event: codec::decode(&kind, schema as u32, &payload)?,
    })
}

/// Bounds for a newest-first page: both exclusive, as a rowid range so the
/// query is a range scan whatever is given.
pub fn page_bounds(page: &crate::store::Page) -> (i64, i64, i64) {
    (
        page.max_id.map_or(i64::MAX, Id::as_i64),
        page.since_id.map_or(i64::MIN, Id::as_i64),
        page.limit.get().into(),
    )
}
