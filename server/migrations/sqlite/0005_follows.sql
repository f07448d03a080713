-- Who follows whom: projected from the followers' `followed` and
-- `unfollowed` events in the transaction that appends them. Either user's
-- deletion removes the row.
CREATE TABLE follows (
    follower_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE INDEX follows_by_followee ON follows (followee_id, follower_id);

-- Who blocks whom, projected from the blockers' `blocked` and `unblocked`
-- events the same way.
CREATE TABLE blocks (
    blocker_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;
