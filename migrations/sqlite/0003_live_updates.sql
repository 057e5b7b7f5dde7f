-- Live updates are PostgreSQL's LISTEN/NOTIFY (see postgres/0003); a local
-- SQLite file has one writer, the desktop itself, which announces its own
-- changes. This keeps both engines at the same schema version.
SELECT 1;
