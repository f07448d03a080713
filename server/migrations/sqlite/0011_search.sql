-- Full-text search over the tweets: FTS5 with external content (the index
-- keeps no second copy of the text), read newest first by rowid. The
-- tokenizer keeps diacritics ("café" is not "cafe"), as the MongoDB store's
-- words do (`app::api::text::words`); triggers keep it in the statement
-- that adds or removes a tweet, cascades from a deleted author included.
CREATE VIRTUAL TABLE tweet_search USING fts5(
    body,
    content = 'tweets',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO tweet_search (tweet_search) VALUES ('rebuild');
CREATE TRIGGER tweet_search_on_insert AFTER INSERT ON tweets
BEGIN
    INSERT INTO tweet_search (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER tweet_search_on_delete AFTER DELETE ON tweets
BEGIN
    INSERT INTO tweet_search (tweet_search, rowid, body) VALUES ('delete', OLD.id, OLD.body);
END;
