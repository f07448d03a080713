-- Replies. `in_reply_to` has no foreign key on purpose: a reply outlives
-- the tweet it answers, and its thread shows that one as deleted.
ALTER TABLE tweets ADD COLUMN in_reply_to INTEGER;
ALTER TABLE tweets ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tweets_by_parent ON tweets (in_reply_to, id) WHERE in_reply_to IS NOT NULL;

-- Each tweet's reply count, kept by triggers in the statement that adds or
-- removes a reply, cascades from a deleted author included.
CREATE TRIGGER replies_count_on_insert AFTER INSERT ON tweets
WHEN NEW.in_reply_to IS NOT NULL
BEGIN
    UPDATE tweets SET replies = replies + 1 WHERE id = NEW.in_reply_to;
END;
CREATE TRIGGER replies_count_on_delete AFTER DELETE ON tweets
WHEN OLD.in_reply_to IS NOT NULL
BEGIN
    UPDATE tweets SET replies = replies - 1 WHERE id = OLD.in_reply_to;
END;

-- What a deleted reply answered, so the chain above it stays whole: a
-- thread walks up through it and shows it as deleted.
CREATE TABLE deleted_tweets (
    id              INTEGER PRIMARY KEY,
    in_reply_to     INTEGER NOT NULL
);
CREATE TRIGGER tombstone_on_delete AFTER DELETE ON tweets
WHEN OLD.in_reply_to IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO deleted_tweets (id, in_reply_to) VALUES (OLD.id, OLD.in_reply_to);
END;
