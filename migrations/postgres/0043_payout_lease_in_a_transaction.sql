-- The execution lease of one payout batch, held by the caller's transaction
-- instead of its session (0010's md_try_lock_payout_batch): a transaction
-- pooler (PgBouncer in transaction mode) hands the server connection to
-- another client after each transaction, so a session-level lock would stay
-- with that server connection after the desktop that took it is gone. A
-- transaction kept open for the length of the execution holds the lock on the
-- same server connection throughout, and lets it go when it ends, or when the
-- desktop's connection drops. Same key as the session lock, so desktops of
-- either kind exclude each other.
CREATE FUNCTION md_try_lock_payout_batch_for_transaction(p_batch uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance executes payouts' USING ERRCODE = '42501';
    END IF;
    RETURN pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtextextended('marketdesk:payout-batch:' || p_batch::text, 0));
END;
$$;
REVOKE EXECUTE ON FUNCTION md_try_lock_payout_batch_for_transaction(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_try_lock_payout_batch_for_transaction(uuid) TO md_finance, md_admin;
