//! The user event streams and the users read model, written together.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};

use super::{follows, rows, SqliteStore};
use crate::{
    domain::{user, Email, Id, User, Username, Version},
    store::{
        codec, Append, Conflict, Limit, Page, RebuildReport, RecordedEvent, StoreError,
        StoreResult, UserStore,
    },
};

#[async_trait]
impl UserStore for SqliteStore {
    async fn append(&self, append: Append) -> StoreResult<Option<User>> {
        self.writer.write(move |conn| write(conn, append)).await
    }

    async fn history(&self, id: Id) -> StoreResult<Vec<RecordedEvent>> {
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "SELECT {} FROM events WHERE stream_id = ?1 ORDER BY version",
                    rows::EVENT_COLUMNS
                );
                conn.prepare_cached(&sql)?
                    .query_map([id.as_i64()], rows::event)?
                    .map(|row| row?)
                    .collect()
            })
            .await
    }

    async fn by_id(&self, id: Id) -> StoreResult<Option<User>> {
        self.readers
            .read(move |conn| rows::user_by_id(conn, id))
            .await
    }

    async fn by_username(&self, username: &Username) -> StoreResult<Option<User>> {
        self.user_where("username_key", username.key()).await
    }

    async fn by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        self.user_where("email_key", email.key()).await
    }

    async fn list(&self, page: Page) -> StoreResult<Vec<User>> {
        let (max, since, limit) = rows::page_bounds(&page);
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "SELECT {} FROM users WHERE id < ?1 AND id > ?2 ORDER BY id DESC LIMIT ?3",
                    rows::USER_COLUMNS
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(params![max, since, limit], rows::user)?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    /// A scan of the users with `LIKE` (ASCII case-insensitive, no index):
    /// a small instance's users are few, and a prefix of either name needs
    /// two indexes otherwise.
    async fn search(&self, prefix: &str, limit: Limit) -> StoreResult<Vec<User>> {
        let pattern = format!("{}%", like_escaped(prefix));
        let limit = i64::from(limit.get());
        self.readers
            .read(move |conn| {
                let sql = format!(
                    "SELECT {} FROM users
                     WHERE username_key LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\'
                     ORDER BY username_key LIMIT ?2",
                    rows::USER_COLUMNS
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_map(params![pattern, limit], rows::user)?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    async fn rebuild(&self) -> StoreResult<RebuildReport> {
        self.writer.write(rebuild).await
    }
}

/// `text` matched literally by `LIKE … ESCAPE '\'`.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

impl SqliteStore {
    async fn user_where(&self, key: &'static str, value: String) -> StoreResult<Option<User>> {
        self.readers
            .read(move |conn| {
                let sql = format!("SELECT {} FROM users WHERE {key} = ?1", rows::USER_COLUMNS);
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_row([value], rows::user)
                    .optional()?)
            })
            .await
    }
}

/// One [`Append`], inside the writer's transaction (and savepoint): any
/// error undoes all of it.
fn write(conn: &Connection, append: Append) -> StoreResult<Option<User>> {
    let Append {
        user_id,
        expected,
        events,
        open_session,
        close_session,
    } = append;
    let before = rows::user_by_id(conn, user_id)?;
    if events.is_empty() {
        return Ok(before);
    }
    let actual = stream_version(conn, user_id)?;
    if actual != expected {
        return Err(Conflict::StaleVersion.into());
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (event_id, stream_id, version, kind, schema_version, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut state = before.clone();
    let mut version = expected;
    for event in &events {
        version = version.next();
        let encoded = codec::encode(event);
        insert.execute(params![
            Id::generate().as_i64(),
            user_id.as_i64(),
            version.get() as i64,
            encoded.kind,
            encoded.schema,
            encoded.payload
        ])?;
        state = user::apply(state, event, version);
    }
    match (&before, &state) {
        (_, Some(after)) => {
            refuse_taken(conn, after)?;
            rows::upsert_user(conn, "users", after)?;
            for change in events.iter().filter_map(user::follow_change) {
                follows::project(conn, user_id, change)?;
            }
            if before.as_ref().map(|b| b.credentials) != Some(after.credentials) {
                conn.prepare_cached(
                    "DELETE FROM sessions WHERE user_id = ?1 AND credentials <> ?2",
                )?
                .execute(params![user_id.as_i64(), after.credentials.get() as i64])?;
            }
        }
        // Tweets and sessions follow by ON DELETE CASCADE.
        (Some(_), None) => {
            conn.prepare_cached("DELETE FROM users WHERE id = ?1")?
                .execute([user_id.as_i64()])?;
        }
        (None, None) => {}
    }
    if let Some(token) = close_session {
        conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
            .execute([token.to_hex()])?;
    }
    if let Some(new) = open_session {
        let session = new.for_user(state.as_ref().ok_or(StoreError::NotFound)?);
        super::sessions::insert(conn, &session)?;
    }
    Ok(state)
}

fn stream_version(conn: &Connection, stream_id: Id) -> StoreResult<Version> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT MAX(version) FROM events WHERE stream_id = ?1")?
        .query_row([stream_id.as_i64()], |row| row.get(0))?;
    Ok(Version::new(last.unwrap_or(0) as u64))
}

/// Says which unique key another user holds; the unique indexes stay the
/// guarantee.
fn refuse_taken(conn: &Connection, user: &User) -> StoreResult<()> {
    let taken = |column: &str, key: String| -> StoreResult<bool> {
        let sql = format!("SELECT 1 FROM users WHERE {column} = ?1 AND id <> ?2");
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(params![key, user.id.as_i64()], |_| Ok(()))
            .optional()?
            .is_some())
    };
    if taken("username_key", user.username.key())? {
        return Err(Conflict::UsernameTaken.into());
    }
    if taken("email_key", user.email.key())? {
        return Err(Conflict::EmailTaken.into());
    }
    Ok(())
}

/// Replays every event, in commit order, through the same
/// [`user::apply`] the appends use, then makes `users` equal to the result,
/// all in the writer's transaction (no append interleaves). The unique
/// indexes are dropped while rows are moved (two users may have swapped
/// e-mail addresses) and recreated after, which also proves the rebuilt
/// model consistent.
fn rebuild(conn: &Connection) -> StoreResult<RebuildReport> {
    let mut live: HashMap<Id, Option<User>> = HashMap::new();
    // Each follower's follow changes in order, applied once every user is
    // back (a stream may follow a user registered after it).
    let mut follow_changes: Vec<(Id, user::FollowChange)> = Vec::new();
    let mut events = 0u64;
    {
        let sql = format!(
            "SELECT {} FROM events ORDER BY position",
            rows::EVENT_COLUMNS
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut stored = stmt.query([])?;
        while let Some(row) = stored.next()? {
            let recorded = rows::event(row)??;
            events += 1;
            let state = live.entry(recorded.stream_id).or_default();
            *state = user::apply(state.take(), &recorded.event, recorded.version);
            if let Some(change) = user::follow_change(&recorded.event) {
                follow_changes.push((recorded.stream_id, change));
            }
        }
    }
    let live: HashMap<Id, User> = live
        .into_iter()
        .filter_map(|(id, user)| Some((id, user?)))
        .collect();
    conn.execute_batch(
        "DROP INDEX main.users_username_key;
         DROP INDEX main.users_email_key;",
    )?;
    let existing: Vec<i64> = conn
        .prepare("SELECT id FROM users")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut delete = conn.prepare("DELETE FROM users WHERE id = ?1")?;
    for id in existing {
        if !live.contains_key(&Id::from_i64(id)) {
            delete.execute([id])?;
        }
    }
    for user in live.values() {
        rows::upsert_user(conn, "users", user)?;
    }
    conn.execute_batch("DELETE FROM follows; DELETE FROM blocks;")?;
    for (follower, change) in follow_changes {
        // Follows and blocks of and by users deleted since are gone, as
        // when live.
        if live.contains_key(&follower) && live.contains_key(&change.user()) {
            follows::project(conn, follower, change)?;
        }
    }
    conn.execute_batch(
        "CREATE UNIQUE INDEX main.users_username_key ON users (username_key);
         CREATE UNIQUE INDEX main.users_email_key ON users (email_key);",
    )
    .map_err(|_| {
        StoreError::Corrupt("the events give two users the same username or email".into())
    })?;
    Ok(RebuildReport {
        events,
        users: live.len() as u64,
    })
}
