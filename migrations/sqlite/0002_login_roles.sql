-- Marketdesk 0002, SQLite flavour: the column that links a person to their
-- PostgreSQL login role. The local copy keeps it so an offline sign-in name can
-- be mapped to the person; there are no roles or row-level security in SQLite
-- (the local file only ever holds what the person could read centrally).
ALTER TABLE users ADD COLUMN db_role TEXT NULL;
CREATE UNIQUE INDEX users_db_role_key ON users (db_role) WHERE db_role IS NOT NULL;
