-- Marketdesk 0002, SQLite flavour: the column that links a person to their
-- PostgreSQL login role. The local copy keeps it so an offline sign-in name can
-- be mapped to the person; there are no roles or row-level security in SQLite
-- (the local file only ever holds what the person could read centrally).
ALTER TABLE users ADD COLUMN db_role TEXT NULL;
CREATE UNIQUE INDEX users_db_role_key ON users (db_role) WHERE db_role IS NOT NULL;
-- The person must choose a new password at the next sign-in (invited, or reset by an admin).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
