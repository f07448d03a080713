-- Each tweet's hashtags (lowercase, as `app::api::text::hashtags` reads
-- them), written with the tweet and gone with it: a tag's timeline is a
-- range of this table's key.
CREATE TABLE tweet_tags (
    tag             TEXT    NOT NULL,
    tweet_id        INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, tweet_id)
) WITHOUT ROWID;
CREATE INDEX tweet_tags_by_tweet ON tweet_tags (tweet_id);
