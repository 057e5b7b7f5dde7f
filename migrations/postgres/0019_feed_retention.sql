-- =============================================================================
-- Marketdesk 0019, PostgreSQL: the change feed does not grow for ever.
-- * sync_clients: each computer's copy (client id, person) says how far it has
--   pulled (cursor_txid) every time it pulls or starts a first copy, through
--   md_sync_check_in. Admins read the list (which copies exist, how fresh).
-- * sync_feed_floor: one row, the transaction id below which the feed was
--   pruned. A copy whose cursor is below it has missed entries and must be
--   copied again (the core resyncs it by itself); md_sync_check_in returns it.
-- * md_prune_feed(stale): deletes the feed entries every copy seen within
--   `stale` has pulled already (and never those of transactions still
--   running); copies not seen for longer are left behind and resync when they
--   come back. Admins (or the database owner, e.g. the worker) run it. It
--   also forgets the mutations a copy had applied more than an hour before it
--   last checked in: a copy checks in only after a push that went through to
--   the end, so it has recorded every one of them and never replays them.
-- The floor row is locked by both functions, so a check-in never reads a
-- floor that a prune running at the same time is about to raise.
-- =============================================================================

CREATE TABLE sync_clients (
    client_id               text NOT NULL,
    user_id                 uuid NOT NULL REFERENCES users (id),
    cursor_txid             bigint NOT NULL,
    seen_at                 timestamptz NOT NULL DEFAULT now(),
    created_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, user_id),
    CONSTRAINT sync_clients_cursor_check CHECK (cursor_txid >= 0)
);
CREATE INDEX sync_clients_seen_at_idx ON sync_clients (seen_at);

CREATE TABLE sync_feed_floor (
    only_row                boolean PRIMARY KEY DEFAULT true,
    floor_txid              bigint NOT NULL DEFAULT 0,
    pruned_at               timestamptz NULL,
    CONSTRAINT sync_feed_floor_only_row_check CHECK (only_row)
);
INSERT INTO sync_feed_floor DEFAULT VALUES;

ALTER TABLE sync_clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_feed_floor ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON sync_clients TO md_admin;
CREATE POLICY sync_clients_admin_read ON sync_clients FOR SELECT TO md_admin USING (true);

CREATE FUNCTION md_sync_check_in(p_client text, p_cursor bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me uuid := public.md_uid();
    fl bigint;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'only a signed-in person checks a copy in' USING ERRCODE = '42501';
    END IF;
    IF p_client IS NULL OR length(p_client) NOT BETWEEN 1 AND 64 OR p_cursor IS NULL OR p_cursor < 0 THEN
        RAISE EXCEPTION 'a check-in needs a client id and a cursor' USING ERRCODE = '22023';
    END IF;
    SELECT floor_txid INTO fl FROM public.sync_feed_floor FOR SHARE;
    INSERT INTO public.sync_clients (client_id, user_id, cursor_txid) VALUES (p_client, me, p_cursor)
    ON CONFLICT (client_id, user_id) DO UPDATE SET cursor_txid = excluded.cursor_txid, seen_at = now();
    RETURN fl;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_sync_check_in(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_sync_check_in(text, bigint) TO md_admin, md_vendor, md_logistics, md_finance;

CREATE FUNCTION md_prune_feed(p_stale interval,
    OUT pruned bigint, OUT floor_txid bigint, OUT clients integer, OUT left_behind integer,
    OUT mutations_forgotten bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    old_floor bigint;
    horizon bigint := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text::bigint;
    lowest bigint;
BEGIN
    IF NOT (public.md_in_group('md_admin') OR pg_catalog.pg_has_role(session_user, current_user, 'MEMBER')) THEN
        RAISE EXCEPTION 'only an admin prunes the change feed' USING ERRCODE = '42501';
    END IF;
    IF p_stale IS NULL OR p_stale < interval '1 hour' THEN
        RAISE EXCEPTION 'copies must be given an hour at least before they are left behind' USING ERRCODE = '22023';
    END IF;
    SELECT f.floor_txid INTO old_floor FROM public.sync_feed_floor f FOR UPDATE;
    SELECT min(c.cursor_txid), count(*) INTO lowest, clients
    FROM public.sync_clients c WHERE c.seen_at >= now() - p_stale;
    SELECT count(*) INTO left_behind
    FROM public.sync_clients c WHERE c.seen_at < now() - p_stale AND c.cursor_txid < least(coalesce(lowest, horizon), horizon);
    floor_txid := greatest(old_floor, least(coalesce(lowest, horizon), horizon));
    DELETE FROM public.sync_change_feed WHERE txid < floor_txid::text::xid8;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    UPDATE public.sync_feed_floor SET floor_txid = md_prune_feed.floor_txid, pruned_at = now();
    DELETE FROM public.sync_applied_mutations m USING public.sync_clients c
    WHERE c.client_id = m.client_id AND c.user_id = m.applied_by AND m.applied_at < c.seen_at - interval '1 hour';
    GET DIAGNOSTICS mutations_forgotten = ROW_COUNT;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_prune_feed(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_prune_feed(interval) TO md_admin;
