-- =============================================================================
-- Marketdesk 0031, SQLite: the workers' heartbeats, as on PostgreSQL
-- (migration 0038 there); workers run against the central database only.
-- =============================================================================

CREATE TABLE worker_heartbeats (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name                    TEXT NOT NULL,
    host                    TEXT NOT NULL,
    rounds                  TEXT NOT NULL DEFAULT '[]',
    started_at              TEXT NOT NULL,
    seen_at                 TEXT NOT NULL,
    stopped_at              TEXT NULL,
    jobs_done               INTEGER NOT NULL DEFAULT 0,
    jobs_failed             INTEGER NOT NULL DEFAULT 0,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT worker_heartbeats_version_check CHECK (version >= 1),
    CONSTRAINT worker_heartbeats_counts_check CHECK (jobs_done >= 0 AND jobs_failed >= 0)
) STRICT;
