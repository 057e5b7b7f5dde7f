-- =============================================================================
-- Marketdesk 0030, SQLite: the job queue's table, as on PostgreSQL (migration
-- 0037 there); background jobs run against the central database only.
-- =============================================================================

CREATE TABLE jobs (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    kind                    TEXT NOT NULL,
    payload                 TEXT NOT NULL DEFAULT '{}',
    status                  TEXT NOT NULL DEFAULT 'queued',
    run_at                  TEXT NOT NULL,
    attempts                INTEGER NOT NULL DEFAULT 0,
    max_attempts            INTEGER NOT NULL DEFAULT 5,
    dedupe_key              TEXT NULL,
    locked_by               TEXT NULL,
    locked_until            TEXT NULL,
    last_error              TEXT NULL,
    finished_at             TEXT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT jobs_version_check CHECK (version >= 1),
    CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running', 'done', 'dead')),
    CONSTRAINT jobs_dedupe_key_key UNIQUE (dedupe_key)
) STRICT;
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE status = 'queued';
