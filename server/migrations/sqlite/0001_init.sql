-- Chirp's SQLite schema, version 1. Applied once, by `PRAGMA user_version`.
-- Ids are the application's snowflake ids (time-ordered i64), so they serve
-- as rowids: primary-key look-ups and newest-first pages are b-tree range
-- scans on the table itself.

-- The log of user events. `position` is the global, commit-ordered position
-- that catch-up readers resume from.
CREATE TABLE events (
    position        INTEGER PRIMARY KEY,
    stream_id       INTEGER NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    kind            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT    NOT NULL,
    UNIQUE (stream_id, version)
);

-- Users read model, projected from `events` in the same transaction.
-- `*_key` are the case-folded forms uniqueness is enforced on.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL,
    username_key    TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    email_key       TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);

-- A user's tweets and sessions go when the user goes.
CREATE TABLE tweets (
    id              INTEGER PRIMARY KEY,
    author_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX tweets_by_author ON tweets (author_id, id);

-- Only the SHA-256 of a session token is stored, never the token.
CREATE TABLE sessions (
    token_hash      TEXT    PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- The original service's `apirelease` collection, served by /api/v1/info.
CREATE TABLE apirelease (
    id              INTEGER PRIMARY KEY,
    buildtime       TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    methods         TEXT    NOT NULL,
    links           TEXT    NOT NULL
);
