-- =============================================================================
-- Marketdesk 0036, PostgreSQL: the backups made, one row per archive that
-- `marketdesk backup` wrote and read back, so `marketdesk doctor` (on any
-- host) can say how old the newest backup is. Written by the database's
-- owner account that runs backups (row-level security enabled, not forced);
-- admins read it; nobody else sees it. Not in the change feed.
-- =============================================================================

CREATE TABLE backup_runs (
    id                      uuid PRIMARY KEY,
    file_name               text NOT NULL,
    byte_size               bigint NOT NULL,
    entries                 integer NOT NULL,
    took_ms                 bigint NOT NULL,
    table_count             integer NOT NULL,
    row_count               bigint NOT NULL,
    host                    text NOT NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT backup_runs_version_check CHECK (version >= 1),
    CONSTRAINT backup_runs_counts_check CHECK (byte_size > 0 AND entries > 0 AND took_ms >= 0 AND table_count > 0 AND row_count >= 0)
);
CREATE INDEX backup_runs_created_at_idx ON backup_runs (created_at);

REVOKE ALL ON backup_runs FROM PUBLIC;
ALTER TABLE backup_runs ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON backup_runs TO md_admin;
CREATE POLICY backup_runs_admin_read ON backup_runs FOR SELECT TO md_admin USING (true);
