-- Version 4: the outbox. User events are their own outbox (`events`, in
-- `position` order); tweets get a log of their changes, written in the
-- transaction that makes them. `outbox_cursors` is how far each has been
-- published: everything at or below `position` was acknowledged by Kafka.

CREATE TABLE tweet_events (
    position        INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL UNIQUE,
    tweet_id        INTEGER NOT NULL,
    author_id       INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('posted', 'deleted')),
    body            TEXT,
    at              INTEGER NOT NULL
);

CREATE TABLE outbox_cursors (
    outbox          TEXT    PRIMARY KEY,
    position        INTEGER NOT NULL
) WITHOUT ROWID;
