-- Version 2: the users row is the aggregate's state (commands are decided
-- from it), so it carries what a decision needs; sessions carry the
-- password they were opened under; events carry their own id and time for
-- publishing.

-- `revision`: the version at which what the API shows last changed (the
-- ETag). `credentials`: the version of the last password change; a session
-- opened under an older one is void. Existing rows start with both at
-- their version, and existing sessions with their user's credentials, so
-- nobody is logged out by the upgrade.
ALTER TABLE users ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN credentials INTEGER NOT NULL DEFAULT 0;
UPDATE users SET revision = version, credentials = version;

ALTER TABLE sessions ADD COLUMN credentials INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET credentials = (SELECT credentials FROM users WHERE users.id = sessions.user_id);

-- Events get an application id (unique, time-ordered) and the time they
-- were recorded; old events get their position as id.
ALTER TABLE events ADD COLUMN event_id INTEGER NOT NULL DEFAULT 0;
UPDATE events SET event_id = position;
CREATE UNIQUE INDEX events_by_id ON events (event_id);
