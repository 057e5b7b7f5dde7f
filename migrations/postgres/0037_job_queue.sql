-- =============================================================================
-- Marketdesk 0037, PostgreSQL: one job queue for the background work, safe
-- with workers on many hosts. A worker claims due jobs with
-- `FOR UPDATE SKIP LOCKED` under a lease (locked_by, locked_until), finishes
-- or fails them; a failure waits longer each time and a job out of attempts
-- is kept dead with its error until an admin retries it. A scheduled round
-- carries a dedupe key (its kind and time slot), so hosts that all enqueue
-- it make one job. Written by the workers' owner account (row-level
-- security enabled, not forced); admins read the queue and may put a dead
-- job back. Not in the change feed.
-- =============================================================================

CREATE TABLE jobs (
    id                      uuid PRIMARY KEY,
    kind                    text NOT NULL,
    payload                 jsonb NOT NULL DEFAULT '{}',
    status                  text NOT NULL DEFAULT 'queued',
    run_at                  timestamptz NOT NULL DEFAULT now(),
    attempts                integer NOT NULL DEFAULT 0,
    max_attempts            integer NOT NULL DEFAULT 5,
    dedupe_key              text NULL,
    locked_by               text NULL,
    locked_until            timestamptz NULL,
    last_error              text NULL,
    finished_at             timestamptz NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT jobs_version_check CHECK (version >= 1),
    CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running', 'done', 'dead')),
    CONSTRAINT jobs_kind_check CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
    CONSTRAINT jobs_attempts_check CHECK (attempts >= 0 AND max_attempts BETWEEN 1 AND 100),
    CONSTRAINT jobs_lease_check CHECK ((status = 'running') = (locked_until IS NOT NULL)),
    CONSTRAINT jobs_dedupe_key_key UNIQUE (dedupe_key)
);
-- What a worker claims next: due queued jobs, oldest first.
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE status = 'queued';
-- Leases to take back from a worker that stopped.
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_status_idx ON jobs (status, updated_at);

REVOKE ALL ON jobs FROM PUBLIC;
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON jobs TO md_admin;
GRANT UPDATE (status, run_at, attempts, last_error, version, updated_at) ON jobs TO md_admin;
CREATE POLICY jobs_admin_read ON jobs FOR SELECT TO md_admin USING (true);
CREATE POLICY jobs_admin_retry ON jobs FOR UPDATE TO md_admin USING (status = 'dead') WITH CHECK (status = 'queued');
