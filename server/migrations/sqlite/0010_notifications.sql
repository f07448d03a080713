-- What happened to a user that they are told about: a follow, a like of
-- their tweet, a reply to it, a mention. Written in the transaction of what
-- caused it; gone with its recipient, its actor or its tweet. Each at most
-- once (a like undone and done again is one notification).
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    actor_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The tweet liked, or the reply or mention itself.
    tweet_id        INTEGER REFERENCES tweets (id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    read            INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX notifications_once
    ON notifications (user_id, kind, actor_id, COALESCE(tweet_id, 0));
CREATE INDEX notifications_newest ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read = 0;
CREATE INDEX notifications_by_actor ON notifications (actor_id);
CREATE INDEX notifications_by_tweet ON notifications (tweet_id) WHERE tweet_id IS NOT NULL;
