-- =============================================================================
-- Marketdesk 0016, SQLite: notifications as on PostgreSQL (migration 0023
-- there): a mail may wait for the person's daily digest, and each row names
-- who sent it. The core resolves audiences and preferences itself here.
-- =============================================================================

ALTER TABLE notifications ADD COLUMN digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1));
ALTER TABLE notifications ADD COLUMN sent_by BLOB NULL REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX notifications_sent_by_created_at_idx ON notifications (sent_by, created_at) WHERE sent_by IS NOT NULL;
CREATE INDEX notifications_channel_unsent_idx ON notifications (channel, user_id, created_at)
    WHERE sent_at IS NULL AND channel <> 'in_app' AND deleted_at IS NULL;
ALTER TABLE notification_preferences ADD COLUMN digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1));
