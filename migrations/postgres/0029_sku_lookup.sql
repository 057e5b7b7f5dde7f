-- =============================================================================
-- Marketdesk 0029, PostgreSQL: SKUs found whatever their case.
-- * The warehouse looks variants up by SKU as typed or scanned, in any case
--   (lower(sku) = lower($1)): one lookup per scan, and a bin sheet of 20,000
--   lines looks up 20,000. The index on sku itself cannot serve that
--   comparison, so each lookup read the whole table; this one can.
-- * ANALYZE at once: an expression index has no statistics until the table is
--   next analysed (autovacuum does so only after enough rows change), and
--   without them the planner guesses hundreds of rows per SKU and joins the
--   whole products table (12 ms a lookup on 30,000 products, against 0.04 ms).
-- =============================================================================

CREATE INDEX product_variants_sku_lower_idx ON product_variants (lower(sku)) WHERE deleted_at IS NULL;
ANALYZE product_variants;
