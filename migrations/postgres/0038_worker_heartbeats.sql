-- =============================================================================
-- Marketdesk 0038, PostgreSQL: the workers running now and before. Each
-- `marketdesk worker` process writes one row when it starts, keeps `seen_at`
-- fresh on every tick with the jobs it did and failed, and sets `stopped_at`
-- when it stops cleanly; a row whose `seen_at` is old belongs to a worker
-- that died. `marketdesk doctor` and the admins' Jobs screen read it to say
-- whether background work is being done at all. Written by the workers'
-- owner account (row-level security enabled, not forced); admins read it;
-- nobody else sees it. Not in the change feed.
-- =============================================================================

CREATE TABLE worker_heartbeats (
    id                      uuid PRIMARY KEY,
    name                    text NOT NULL,
    host                    text NOT NULL,
    rounds                  jsonb NOT NULL DEFAULT '[]',
    started_at              timestamptz NOT NULL DEFAULT now(),
    seen_at                 timestamptz NOT NULL DEFAULT now(),
    stopped_at              timestamptz NULL,
    jobs_done               bigint NOT NULL DEFAULT 0,
    jobs_failed             bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT worker_heartbeats_version_check CHECK (version >= 1),
    CONSTRAINT worker_heartbeats_counts_check CHECK (jobs_done >= 0 AND jobs_failed >= 0),
    CONSTRAINT worker_heartbeats_name_check CHECK (length(name) BETWEEN 1 AND 200)
);
CREATE INDEX worker_heartbeats_seen_at_idx ON worker_heartbeats (seen_at);

REVOKE ALL ON worker_heartbeats FROM PUBLIC;
ALTER TABLE worker_heartbeats ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON worker_heartbeats TO md_admin;
CREATE POLICY worker_heartbeats_admin_read ON worker_heartbeats FOR SELECT TO md_admin USING (true);
