-- Reconciliation from Stripe's events (see postgres/0006): the same tables so
-- both engines hold one schema. Stripe is reconciled against the central
-- database only, so on a local copy they stay empty.
CREATE TABLE stripe_events (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    stripe_event_id         TEXT NOT NULL,
    type                    TEXT NOT NULL,
    object_id               TEXT NULL,
    occurred_at             TEXT NOT NULL,
    source                  TEXT NOT NULL,
    outcome                 TEXT NOT NULL,
    detail                  TEXT NULL,
    resolved_by             BLOB NULL REFERENCES users (id),
    resolved_at             TEXT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT stripe_events_version_check CHECK (version >= 1),
    CONSTRAINT stripe_events_source_check CHECK (source IN ('poll', 'webhook')),
    CONSTRAINT stripe_events_outcome_check CHECK (outcome IN ('applied', 'ignored', 'attention', 'resolved')),
    CONSTRAINT stripe_events_resolved_check CHECK ((outcome = 'resolved') = (resolved_at IS NOT NULL)),
    CONSTRAINT stripe_events_stripe_event_id_key UNIQUE (stripe_event_id)
) STRICT;
CREATE INDEX stripe_events_occurred_at_id_idx ON stripe_events (occurred_at, id);

CREATE TABLE integration_cursors (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name                    TEXT NOT NULL,
    position                TEXT NOT NULL,
    moved_at                TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT integration_cursors_version_check CHECK (version >= 1),
    CONSTRAINT integration_cursors_name_key UNIQUE (name)
) STRICT;

ALTER TABLE user_profiles ADD COLUMN stripe_customer_id TEXT NULL;
CREATE UNIQUE INDEX user_profiles_stripe_customer_id_key ON user_profiles (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;
