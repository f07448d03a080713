-- Who reposted which tweet. A repost has an id of its own, time-ordered
-- like every id: its place in its followers' home timelines. It goes with
-- its tweet and with its user, as a like does.
CREATE TABLE reposts (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id        INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    id              INTEGER NOT NULL UNIQUE,
    at              INTEGER NOT NULL,
    PRIMARY KEY (user_id, tweet_id)
) WITHOUT ROWID;
CREATE INDEX reposts_by_tweet ON reposts (tweet_id);
-- A home timeline merges each followed user's reposts newest first.
CREATE INDEX reposts_by_user ON reposts (user_id, id);

ALTER TABLE tweets ADD COLUMN reposts INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER reposts_count_on_insert AFTER INSERT ON reposts
BEGIN
    UPDATE tweets SET reposts = reposts + 1 WHERE id = NEW.tweet_id;
END;
CREATE TRIGGER reposts_count_on_delete AFTER DELETE ON reposts
BEGIN
    UPDATE tweets SET reposts = reposts - 1 WHERE id = OLD.tweet_id;
END;
