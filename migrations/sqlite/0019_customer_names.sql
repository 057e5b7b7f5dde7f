-- =============================================================================
-- Marketdesk 0019, SQLite: the customers list sorted by name reads its page
-- from an index, as on PostgreSQL (migration 0026 there).
-- =============================================================================

CREATE INDEX users_role_display_name_id_idx ON users (role, display_name, id) WHERE deleted_at IS NULL;
