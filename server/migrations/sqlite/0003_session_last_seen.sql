-- Version 3: sessions end after a stretch of inactivity too, not only at
-- their absolute expiry: `last_seen` is when the session was last used (at
-- most an hour behind). Existing sessions count as seen when they began.
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen = created_at;
