-- =============================================================================
-- Marketdesk 0013, PostgreSQL: nobody holds what others need.
-- LOCK TABLE in any mode stronger than ROW EXCLUSIVE needs a table-level
-- UPDATE, DELETE or TRUNCATE privilege; a vendor could lock product_variants,
-- reports or notification_preferences ACCESS EXCLUSIVE and stall everyone.
-- * Every table-level UPDATE grant becomes the same grant column by column
--   (every column but id), which writes the same rows but takes no table lock.
-- * DELETE is granted to nobody: the app removes rows by setting deleted_at.
-- * Vendors no longer update order lines (nothing of theirs did; the grant let
--   a vendor hold its lines FOR UPDATE and stall shipping and refunds).
-- What is left is a row lock on a row the person may change anyway; every
-- session waits for one at most lock_timeout (migration 0010 and the core's
-- connections), so the victim's operation fails with a clear "busy" instead of
-- hanging. Advisory locks went behind functions in 0010.
-- =============================================================================

REVOKE UPDATE ON order_items FROM md_vendor;
DROP POLICY order_items_vendor_update ON order_items;

DO $$
DECLARE
    g record;
    cols text;
BEGIN
    FOR g IN
        SELECT c.relname AS tab, r.rolname AS grp, a.privilege_type AS priv
        FROM pg_catalog.pg_class c
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
          AND r.rolname IN ('md_admin', 'md_vendor', 'md_logistics', 'md_finance')
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
    LOOP
        EXECUTE format('REVOKE %s ON %I FROM %I', g.priv, g.tab, g.grp);
        IF g.priv = 'UPDATE' THEN
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
            FROM pg_catalog.pg_attribute
            WHERE attrelid = ('public.' || quote_ident(g.tab))::regclass AND attnum > 0 AND NOT attisdropped
              AND attname <> 'id';
            EXECUTE format('GRANT UPDATE (%s) ON %I TO %I', cols, g.tab, g.grp);
        END IF;
    END LOOP;
END $$;
