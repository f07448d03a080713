//! Row ↔ value mapping shared by the queries: each table's columns are
//! named once, here.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{
    domain::{
        Bio, DisplayName, Email, Id, PasswordHash, Timestamp, Tweet, TweetBody, User, Username,
        Version,
    },
    store::{codec, AuthoredTweet, Page, RecordedEvent, StoreResult},
};

pub const USER_COLUMNS: &str = "id, username, email, name, password_hash, created_at, updated_at, \
                                version, revision, credentials, bio";

/// A user read from [`USER_COLUMNS`] starting at column `at`.
pub fn user_at(row: &Row<'_>, at: usize) -> rusqlite::Result<User> {
    let version = |i: usize| row.get::<_, i64>(at + i).map(|v| Version::new(v as u64));
    Ok(User {
        id: Id::from_i64(row.get(at)?),
        username: Username::from_stored(row.get::<_, String>(at + 1)?),
        email: Email::from_stored(row.get::<_, String>(at + 2)?),
        name: DisplayName::from_stored(row.get::<_, String>(at + 3)?),
        password_hash: PasswordHash::from_stored(row.get::<_, String>(at + 4)?),
        created_at: Timestamp::from_millis(row.get(at + 5)?),
        updated_at: Timestamp::from_millis(row.get(at + 6)?),
        version: version(7)?,
        revision: version(8)?,
        credentials: version(9)?,
        bio: Bio::from_stored(row.get::<_, String>(at + 10)?),
    })
}

pub fn user(row: &Row<'_>) -> rusqlite::Result<User> {
    user_at(row, 0)
}

pub fn user_by_id(conn: &Connection, id: Id) -> StoreResult<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id.as_i64()], user)
        .optional()?)
}

/// Inserts `user` into `table` (`users`, or the rebuild's staging copy of
/// it), or updates it in place: `INSERT OR REPLACE` would delete the row
/// first and cascade to the user's tweets and sessions.
pub fn upsert_user(conn: &Connection, table: &'static str, user: &User) -> StoreResult<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (id, username, username_key, email, email_key, name, password_hash,
                              created_at, updated_at, version, revision, credentials, bio)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET
             username = excluded.username, username_key = excluded.username_key,
             email = excluded.email, email_key = excluded.email_key, name = excluded.name,
             password_hash = excluded.password_hash, created_at = excluded.created_at,
             updated_at = excluded.updated_at, version = excluded.version,
             revision = excluded.revision, credentials = excluded.credentials,
             bio = excluded.bio"
    ))?
    .execute(params![
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
        user.revision.get() as i64,
        user.credentials.get() as i64,
        user.bio.as_str(),
    ])?;
    Ok(())
}

/// A tweet (`t`) and its author's username (`u`), as every reader selects
/// them.
pub const AUTHORED_TWEET: &str =
    "t.id, t.author_id, t.body, t.created_at, u.username, t.likes, t.in_reply_to, t.replies, \
     t.mentions, t.reposts";

pub fn authored_tweet(row: &Row<'_>) -> rusqlite::Result<AuthoredTweet> {
    Ok(AuthoredTweet {
        tweet: Tweet {
            id: Id::from_i64(row.get(0)?),
            author_id: Id::from_i64(row.get(1)?),
            body: TweetBody::from_stored(row.get::<_, String>(2)?),
            created_at: Timestamp::from_millis(row.get(3)?),
            in_reply_to: row.get::<_, Option<i64>>(6)?.map(Id::from_i64),
            mentions: row
                .get_ref(8)?
                .as_str_or_null()?
                .map(|names| names.split(' ').map(Username::from_stored).collect())
                .unwrap_or_default(),
        },
        author: Username::from_stored(row.get::<_, String>(4)?),
        likes: row.get::<_, i64>(5)?.max(0) as u64,
        replies: row.get::<_, i64>(7)?.max(0) as u64,
        reposts: row.get::<_, i64>(9)?.max(0) as u64,
        repost: None,
    })
}

/// `mentions` as the `tweets.mentions` column holds them.
pub fn mention_keys(mentions: &[Username]) -> Option<String> {
    let keys: Vec<String> = mentions.iter().map(Username::key).collect();
    (!keys.is_empty()).then(|| keys.join(" "))
}

pub const EVENT_COLUMNS: &str = "event_id, stream_id, version, kind, schema_version, payload";

/// An event read from [`EVENT_COLUMNS`]; `Err` inside `Ok` when the stored
/// payload cannot be decoded.
pub fn event(row: &Row<'_>) -> rusqlite::Result<StoreResult<RecordedEvent>> {
    event_at(row, 0)
}

/// [`event`] from the columns starting at `first`.
pub fn event_at(row: &Row<'_>, first: usize) -> rusqlite::Result<StoreResult<RecordedEvent>> {
    let (id, stream_id, version): (i64, i64, i64) =
        (row.get(first)?, row.get(first + 1)?, row.get(first + 2)?);
    let (kind, schema) = (
        row.get_ref(first + 3)?.as_str()?,
        row.get::<_, i64>(first + 4)?,
    );
    let payload = row.get_ref(first + 5)?.as_str()?;
    Ok(
        codec::decode(kind, schema as u32, payload).map(|event| RecordedEvent {
            id: Id::from_i64(id),
            stream_id: Id::from_i64(stream_id),
            version: Version::new(version as u64),
            event,
        }),
    )
}

/// Bounds for a newest-first page: both exclusive, as a rowid range so the
/// query is a range scan whatever is given.
pub fn page_bounds(page: &Page) -> (i64, i64, i64) {
    (
        page.max_id.map_or(i64::MAX, Id::as_i64),
        page.since_id.map_or(i64::MIN, Id::as_i64),
        page.limit.get().into(),
    )
}
