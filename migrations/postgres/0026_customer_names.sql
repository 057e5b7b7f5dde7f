-- =============================================================================
-- Marketdesk 0026, PostgreSQL: the customers list sorted by name reads its
-- page from an index instead of sorting every customer (8 ms a page at 25,000
-- customers before, growing with them).
-- =============================================================================

CREATE INDEX users_role_display_name_id_idx ON users (role, display_name, id) WHERE deleted_at IS NULL;
