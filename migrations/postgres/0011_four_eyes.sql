-- =============================================================================
-- Marketdesk 0011, PostgreSQL: four-eyes payout approval decided by the
-- database. Finance may write payout batches and payouts, so the app's checks
-- alone did not hold: one finance login could approve a batch twice over with
-- one UPDATE, or raise a payout's amount in a draft. Now:
-- * a batch starts as an unapproved draft; what was prepared (currency, total,
--   count, creator) and each payout's vendor, batch, amount, currency, period
--   and idempotency key never change afterwards;
-- * payouts join only a draft nobody has approved, leave it only when the
--   whole batch is cancelled (no swapping one for another), and the first
--   approval checks that the batch's payouts still add up to what was prepared;
-- * each approval names the person signed in, is given once and never
--   withdrawn, and the second comes from someone else;
-- * a batch becomes approved only with the approvals the platform setting
--   payouts.second_approval asks for, and only an approved batch is executed;
--   a payout is approved, processed or paid only inside an approved batch.
-- A superuser's session (the CLI acting "--as" someone, the seeder, repairs)
-- is not held to these rules: it could switch the triggers off anyway.
-- =============================================================================

CREATE FUNCTION md_session_is_superuser() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user), false)
$$;

CREATE FUNCTION md_guard_payout_batch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me uuid := public.md_uid();
    two boolean;
    n integer;
    total bigint;
BEGIN
    IF public.md_session_is_superuser() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' OR NEW.approved_by IS NOT NULL OR NEW.approved_at IS NOT NULL
           OR NEW.second_approved_by IS NOT NULL OR NEW.second_approved_at IS NOT NULL THEN
            RAISE EXCEPTION 'a payout batch starts as a draft nobody has approved' USING ERRCODE = '42501';
        END IF;
        IF NEW.created_by IS DISTINCT FROM me THEN
            RAISE EXCEPTION 'a payout batch is prepared in the name of the person signed in' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;

    IF NEW.currency IS DISTINCT FROM OLD.currency OR NEW.total_minor IS DISTINCT FROM OLD.total_minor
       OR NEW.payout_count IS DISTINCT FROM OLD.payout_count OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
        RAISE EXCEPTION 'what a payout batch holds is fixed when it is prepared' USING ERRCODE = '42501';
    END IF;
    IF (OLD.approved_by IS NOT NULL AND (NEW.approved_by IS DISTINCT FROM OLD.approved_by
                                         OR NEW.approved_at IS DISTINCT FROM OLD.approved_at))
       OR (OLD.second_approved_by IS NOT NULL AND (NEW.second_approved_by IS DISTINCT FROM OLD.second_approved_by
                                                   OR NEW.second_approved_at IS DISTINCT FROM OLD.second_approved_at)) THEN
        RAISE EXCEPTION 'an approval is given once and cannot be changed or withdrawn' USING ERRCODE = '42501';
    END IF;

    IF OLD.approved_by IS NULL AND NEW.approved_by IS NOT NULL THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'only a draft batch is approved' USING ERRCODE = '42501';
        END IF;
        IF NEW.approved_by IS DISTINCT FROM me THEN
            RAISE EXCEPTION 'an approval is given by the person signed in, in their own name' USING ERRCODE = '42501';
        END IF;
        SELECT count(*), coalesce(sum(amount_minor), 0) INTO n, total
        FROM public.payouts WHERE batch_id = NEW.id AND status = 'proposed' AND deleted_at IS NULL;
        IF n <> NEW.payout_count OR total <> NEW.total_minor THEN
            RAISE EXCEPTION 'this batch''s payouts (% for %) no longer match what was prepared (% for %)',
                n, total, NEW.payout_count, NEW.total_minor USING ERRCODE = '42501';
        END IF;
        NEW.approved_at := now();
    ELSIF OLD.approved_by IS NULL AND NEW.approved_at IS NOT NULL THEN
        RAISE EXCEPTION 'an approval time comes with its approver' USING ERRCODE = '42501';
    END IF;

    IF OLD.second_approved_by IS NULL AND NEW.second_approved_by IS NOT NULL THEN
        IF OLD.status <> 'draft' OR OLD.approved_by IS NULL THEN
            RAISE EXCEPTION 'a second approval follows a first one, on a draft batch' USING ERRCODE = '42501';
        END IF;
        IF NEW.second_approved_by IS DISTINCT FROM me THEN
            RAISE EXCEPTION 'an approval is given by the person signed in, in their own name' USING ERRCODE = '42501';
        END IF;
        IF NEW.second_approved_by = NEW.approved_by THEN
            RAISE EXCEPTION 'the second approval must come from a different person' USING ERRCODE = '42501';
        END IF;
        NEW.second_approved_at := now();
    ELSIF OLD.second_approved_by IS NULL AND NEW.second_approved_at IS NOT NULL THEN
        RAISE EXCEPTION 'an approval time comes with its approver' USING ERRCODE = '42501';
    END IF;

    IF NEW.status = 'approved' AND OLD.status <> 'approved' THEN
        IF OLD.status <> 'draft' OR NEW.approved_by IS NULL THEN
            RAISE EXCEPTION 'a batch is approved from a draft, by an approver' USING ERRCODE = '42501';
        END IF;
        SELECT coalesce(bool_or(value = 'true'::jsonb), false) INTO two
        FROM public.platform_settings WHERE key = 'payouts.second_approval' AND deleted_at IS NULL;
        IF two AND NEW.second_approved_by IS NULL THEN
            RAISE EXCEPTION 'payouts.second_approval is on: a second, different finance person must approve this batch'
                USING ERRCODE = '42501';
        END IF;
    END IF;
    IF NEW.status IN ('executing', 'completed', 'failed') AND OLD.status IN ('draft', 'cancelled') THEN
        RAISE EXCEPTION 'a % batch cannot be executed; it must be approved first', OLD.status USING ERRCODE = '42501';
    END IF;
    IF OLD.status IN ('cancelled', 'completed') AND NEW.status IS DISTINCT FROM OLD.status THEN
        RAISE EXCEPTION 'a % batch is final', OLD.status USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_guard_payout_batch() FROM PUBLIC;
CREATE TRIGGER payout_batches_four_eyes BEFORE INSERT OR UPDATE ON payout_batches
    FOR EACH ROW EXECUTE FUNCTION md_guard_payout_batch();

CREATE FUNCTION md_guard_payout() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    batch public.payout_batches%ROWTYPE;
BEGIN
    IF public.md_session_is_superuser() THEN
        RETURN NEW;
    END IF;
    IF NEW.batch_id IS NOT NULL THEN
        SELECT * INTO batch FROM public.payout_batches WHERE id = NEW.batch_id;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'proposed' OR NEW.approved_by IS NOT NULL OR NEW.paid_at IS NOT NULL
           OR NEW.stripe_transfer_id IS NOT NULL THEN
            RAISE EXCEPTION 'a payout starts as a proposal' USING ERRCODE = '42501';
        END IF;
        IF batch.id IS NULL OR batch.status <> 'draft' OR batch.approved_by IS NOT NULL THEN
            RAISE EXCEPTION 'payouts are added only to a draft batch nobody has approved yet' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.vendor_id IS DISTINCT FROM OLD.vendor_id OR NEW.batch_id IS DISTINCT FROM OLD.batch_id
       OR NEW.amount_minor IS DISTINCT FROM OLD.amount_minor OR NEW.currency IS DISTINCT FROM OLD.currency
       OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key OR NEW.period_start IS DISTINCT FROM OLD.period_start
       OR NEW.period_end IS DISTINCT FROM OLD.period_end OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
        RAISE EXCEPTION 'a payout''s vendor, batch, amount and period are fixed when it is prepared' USING ERRCODE = '42501';
    END IF;
    -- One payout swapped for another (cancel one, add one of the same amount)
    -- would keep the batch adding up: a payout is cancelled only with its batch.
    IF NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled'
       AND batch.id IS NOT NULL AND batch.status <> 'cancelled' THEN
        RAISE EXCEPTION 'a payout is cancelled with its batch, not alone' USING ERRCODE = '42501';
    END IF;
    IF NEW.status IN ('approved', 'processing', 'paid') AND NEW.status IS DISTINCT FROM OLD.status
       AND (batch.id IS NULL OR batch.status IN ('draft', 'cancelled') OR batch.approved_by IS NULL) THEN
        RAISE EXCEPTION 'a payout is % only inside an approved batch', NEW.status USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_guard_payout() FROM PUBLIC;
CREATE TRIGGER payouts_four_eyes BEFORE INSERT OR UPDATE ON payouts
    FOR EACH ROW EXECUTE FUNCTION md_guard_payout();
