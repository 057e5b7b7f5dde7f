-- =============================================================================
-- Marketdesk 0023, SQLite: the product editor, as on PostgreSQL (migration
-- 0030 there): a product's options, what an admin last approved, and each
-- variant's packed size. Who may change what is the core's rule here and the
-- database's again when the change is replayed on the server.
-- =============================================================================

ALTER TABLE products ADD COLUMN options TEXT NULL;
ALTER TABLE products ADD COLUMN approved_snapshot TEXT NULL;
ALTER TABLE product_variants ADD COLUMN length_mm INTEGER NULL CHECK (length_mm IS NULL OR length_mm BETWEEN 1 AND 3000);
ALTER TABLE product_variants ADD COLUMN width_mm INTEGER NULL CHECK (width_mm IS NULL OR width_mm BETWEEN 1 AND 3000);
ALTER TABLE product_variants ADD COLUMN height_mm INTEGER NULL CHECK (height_mm IS NULL OR height_mm BETWEEN 1 AND 3000);
