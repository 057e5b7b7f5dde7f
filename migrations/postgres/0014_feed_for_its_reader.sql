-- =============================================================================
-- Marketdesk 0014, PostgreSQL: the change feed and the live notifications
-- tell each person only about rows that person may read.
-- * A feed row is visible when its reader could SELECT the changed row now:
--   md_feed_visible() runs as the reader, so the changed table's own grants
--   and policies decide. Hard deletes (only the system makes them: every
--   person's DELETE grant went in 0013) are visible to admins and finance.
-- * NOTIFY md_changes carries no payload any more: every listener hears that
--   something changed, and reads which tables from the feed, through the
--   policy above. md_feed_head() gives the feed's newest sequence number, so
--   a listener reads only what came after it.
-- =============================================================================

CREATE FUNCTION md_feed_visible(p_table text, p_row uuid, p_op text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    seen boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND tablename = p_table) THEN
        RETURN false;
    END IF;
    IF NOT pg_catalog.has_column_privilege(format('public.%I', p_table), 'id', 'SELECT') THEN
        RETURN false;
    END IF;
    IF p_op = 'delete' THEN
        RETURN public.md_in_group('md_admin') OR public.md_in_group('md_finance');
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE id = $1)', p_table) INTO seen USING p_row;
    RETURN seen;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_feed_visible(text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_feed_visible(text, uuid, text) TO md_admin, md_vendor, md_logistics, md_finance;

DROP POLICY sync_change_feed_read ON sync_change_feed;
CREATE POLICY sync_change_feed_read ON sync_change_feed FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance
    USING (md_feed_visible(table_name, row_id, op));

CREATE FUNCTION md_feed_head() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(max(seq), 0) FROM public.sync_change_feed
$$;
-- Also for a login not in a group yet, whose listener starts at sign-in.
GRANT EXECUTE ON FUNCTION md_feed_head() TO PUBLIC;

CREATE OR REPLACE FUNCTION md_record_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO public.sync_change_feed (table_name, row_id, row_version, op)
        VALUES (TG_TABLE_NAME, OLD.id, OLD.version, 'delete');
    ELSE
        INSERT INTO public.sync_change_feed (table_name, row_id, row_version, op)
        VALUES (TG_TABLE_NAME, NEW.id, NEW.version, lower(TG_OP));
    END IF;
    -- One empty notification per transaction (PostgreSQL folds identical ones).
    PERFORM pg_catalog.pg_notify('md_changes', '');
    RETURN NULL;
END;
$$;
