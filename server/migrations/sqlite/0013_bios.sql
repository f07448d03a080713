-- A profile's bio, empty until its user writes one.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
