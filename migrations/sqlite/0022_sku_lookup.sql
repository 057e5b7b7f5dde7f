-- =============================================================================
-- Marketdesk 0022, SQLite: SKUs found whatever their case, as on PostgreSQL
-- (migration 0029 there): an index on lower(sku) for the lookups by SKU as
-- typed or scanned.
-- =============================================================================

CREATE INDEX product_variants_sku_lower_idx ON product_variants (lower(sku)) WHERE deleted_at IS NULL;
