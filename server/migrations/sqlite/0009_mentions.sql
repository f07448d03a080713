-- The users a tweet mentions who were there when it was posted, as their
-- lowercase usernames separated by spaces (NULL: none): read with the row,
-- so a timeline links them without a join.
ALTER TABLE tweets ADD COLUMN mentions TEXT;
