-- Who likes which tweet. A like goes with its tweet and with its user
-- (and so with the tweet's author, whose tweets go with them).
CREATE TABLE likes (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id        INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    PRIMARY KEY (user_id, tweet_id)
) WITHOUT ROWID;
CREATE INDEX likes_by_tweet ON likes (tweet_id);

-- Each tweet's count, kept by triggers in the statement that adds or
-- removes a like, so a timeline reads it with the row; a like removed by a
-- cascade (its user deleted) leaves the count too.
ALTER TABLE tweets ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER likes_count_on_insert AFTER INSERT ON likes
BEGIN
    UPDATE tweets SET likes = likes + 1 WHERE id = NEW.tweet_id;
END;
CREATE TRIGGER likes_count_on_delete AFTER DELETE ON likes
BEGIN
    UPDATE tweets SET likes = likes - 1 WHERE id = OLD.tweet_id;
END;
