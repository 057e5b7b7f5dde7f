-- =============================================================================
-- Marketdesk 0009, PostgreSQL: every ledger transaction balances, decided by
-- the database. The core only ever posts balanced lines, but finance may insert
-- ledger rows, so a home-built client could have written a one-sided entry.
-- A deferred constraint trigger checks, at commit, each transaction that gained
-- entries: per currency its entries must sum to zero, or the whole database
-- transaction is refused. Entries added to an old transaction must balance
-- among themselves too, since the old ones already did.
-- The superuser seeder's bulk load (session_replication_role = replica) skips
-- it, and checks its whole ledger in one query instead.
-- =============================================================================

CREATE FUNCTION md_check_ledger_balance() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    bad record;
BEGIN
    SELECT e.currency, sum(e.amount_minor) AS diff INTO bad
    FROM public.ledger_entries e
    WHERE e.transaction_id = NEW.transaction_id
    GROUP BY e.currency
    HAVING sum(e.amount_minor) <> 0
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: its % entries are off by % minor units',
            NEW.transaction_id, bad.currency, bad.diff
            USING ERRCODE = '23514', HINT = 'post a transaction whose entries sum to zero in each currency';
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION md_check_ledger_balance() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION md_check_ledger_balance();
