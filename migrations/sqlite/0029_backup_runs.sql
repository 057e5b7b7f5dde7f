-- =============================================================================
-- Marketdesk 0029, SQLite: the backups made, as on PostgreSQL (migration 0036
-- there); backups are of the central database, so this stays empty here.
-- =============================================================================

CREATE TABLE backup_runs (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    file_name               TEXT NOT NULL,
    byte_size               INTEGER NOT NULL,
    entries                 INTEGER NOT NULL,
    took_ms                 INTEGER NOT NULL,
    table_count             INTEGER NOT NULL,
    row_count               INTEGER NOT NULL,
    host                    TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT backup_runs_version_check CHECK (version >= 1)
) STRICT;
CREATE INDEX backup_runs_created_at_idx ON backup_runs (created_at);
