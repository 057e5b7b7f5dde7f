-- =============================================================================
-- Marketdesk 0026, SQLite: reviews moderated with a reason, as on PostgreSQL
-- (migration 0033 there); the core keeps a reason exactly on hidden reviews.
-- =============================================================================

ALTER TABLE product_reviews ADD COLUMN hidden_reason TEXT NULL
    CHECK (hidden_reason IS NULL OR length(hidden_reason) BETWEEN 1 AND 500);
ALTER TABLE product_reviews ADD COLUMN moderated_by BLOB NULL REFERENCES users (id);
ALTER TABLE product_reviews ADD COLUMN moderated_at TEXT NULL;
UPDATE product_reviews SET hidden_reason = 'hidden before reasons were recorded' WHERE status = 'hidden';
