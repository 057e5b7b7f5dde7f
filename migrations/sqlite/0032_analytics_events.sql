-- =============================================================================
-- Marketdesk 0032, SQLite: the analytics events' columns as on PostgreSQL
-- (migration 0039 there). Events are recorded by the central database's
-- triggers when a change reaches it (an offline write becomes an event when it
-- is pushed); a local copy keeps none of its own.
-- =============================================================================

ALTER TABLE analytics_events ADD COLUMN actor_role TEXT NULL
    CHECK (actor_role IS NULL OR actor_role IN ('admin', 'vendor', 'logistics', 'finance', 'customer', 'system'));
ALTER TABLE analytics_events ADD COLUMN vendor_id BLOB NULL REFERENCES users (id);
ALTER TABLE analytics_events ADD COLUMN entity_id BLOB NULL;
ALTER TABLE analytics_events ADD COLUMN ga_state TEXT NOT NULL DEFAULT 'queued'
    CHECK (ga_state IN ('queued', 'sending', 'sent', 'skipped', 'failed'));
ALTER TABLE analytics_events ADD COLUMN ga_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN ga_next_attempt_at TEXT NULL;
ALTER TABLE analytics_events ADD COLUMN ga_error TEXT NULL;
CREATE INDEX analytics_events_vendor_occurred_at_idx ON analytics_events (vendor_id, occurred_at) WHERE vendor_id IS NOT NULL;
CREATE INDEX analytics_events_ga_queue_idx ON analytics_events (occurred_at) WHERE ga_state IN ('queued', 'sending');
