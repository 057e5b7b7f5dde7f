-- =============================================================================
-- Marketdesk 0014, PostgreSQL: the change feed and the live notifications
-- tell each person only about rows that person may read.
-- * A feed row is visible when its reader may read the changed row now: each
--   group has its own policy on sync_change_feed, made by
--   md_refresh_feed_policies() from the catalog, with one arm per table that
--   feeds it and that the group may read: "true" where the group reads the
--   whole table, else "row_id IN (SELECT id FROM that table)", which the
--   changed table's own policies filter (one hashed set per query, so reading
--   the feed costs about what reading it unfiltered does). A hard delete is
--   visible to whoever reads the whole table. `marketdesk migrate` runs the
--   function after every migration, so a new table is covered as it arrives.
-- * NOTIFY md_changes carries no payload any more: every listener hears that
--   something changed, and reads which tables from the feed, through the
--   policies above. md_feed_head() gives the feed's newest sequence number, so
--   a listener reads only what came after it.
-- =============================================================================

DROP POLICY sync_change_feed_read ON sync_change_feed;

CREATE FUNCTION md_refresh_feed_policies() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    g text;
    t text;
    arms text;
    whole boolean;
BEGIN
    FOREACH g IN ARRAY ARRAY['md_admin', 'md_vendor', 'md_logistics', 'md_finance'] LOOP
        arms := '';
        FOR t IN
            SELECT DISTINCT c.relname::text FROM pg_catalog.pg_trigger tr
            JOIN pg_catalog.pg_class c ON c.oid = tr.tgrelid
            JOIN pg_catalog.pg_proc p ON p.oid = tr.tgfoid
            WHERE p.proname = 'md_record_change' AND c.relnamespace = 'public'::regnamespace
            ORDER BY 1
        LOOP
            CONTINUE WHEN NOT pg_catalog.has_column_privilege(g, format('public.%I', t), 'id', 'SELECT');
            SELECT EXISTS (
                SELECT 1 FROM pg_catalog.pg_policies pp
                WHERE pp.schemaname = 'public' AND pp.tablename = t AND pp.cmd IN ('SELECT', 'ALL')
                  AND pp.permissive = 'PERMISSIVE' AND g::name = ANY (pp.roles) AND pp.qual = 'true'
            ) INTO whole;
            arms := arms || format(' WHEN %L THEN %s', t,
                CASE WHEN whole THEN 'true' ELSE format('row_id IN (SELECT id FROM public.%I)', t) END);
        END LOOP;
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_policies WHERE schemaname = 'public' AND tablename = 'sync_change_feed'
                   AND policyname = 'sync_change_feed_' || substr(g, 4)) THEN
            EXECUTE format('DROP POLICY %I ON public.sync_change_feed', 'sync_change_feed_' || substr(g, 4));
        END IF;
        EXECUTE format('CREATE POLICY %I ON public.sync_change_feed FOR SELECT TO %I USING (%s)',
            'sync_change_feed_' || substr(g, 4), g,
            CASE WHEN arms = '' THEN 'false' ELSE 'CASE table_name' || arms || ' ELSE false END' END);
    END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_refresh_feed_policies() FROM PUBLIC;
SELECT md_refresh_feed_policies();

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
