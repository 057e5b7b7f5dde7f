-- =============================================================================
-- Marketdesk 0024, PostgreSQL: disputes worked through, held by the database.
-- * Each stage's deadline (stage_due_at, from the platform's service-level
--   hours), when the platform's own time ran out (overdue_at), the outcome's
--   note and, for a refund outcome, the lines and units to give back and
--   whether finance has made the refund (refund_state: due → refunded).
-- * md_dispute_transitions(): every move a dispute may make and who makes it —
--   the table of domain::dispute_lifecycle, row for row (a test compares them).
-- * Vendors open disputes on orders they sell in, answer them, concede them
--   (a refund or a replacement) and escalate them; the database holds them to
--   their moves, sets their deadlines itself and never lets them reject one,
--   pick an admin or touch the refund's progress. Admins move disputes by the
--   table (the clock's moves only once the deadline passed). Finance marks a
--   due refund made, and nothing else.
-- * Refunds name the dispute they settle.
-- =============================================================================

ALTER TABLE disputes ADD COLUMN stage_due_at timestamptz NULL;
ALTER TABLE disputes ADD COLUMN overdue_at timestamptz NULL;
ALTER TABLE disputes ADD COLUMN resolution_note text NULL;
ALTER TABLE disputes ADD COLUMN refund_lines text NULL;
ALTER TABLE disputes ADD COLUMN refund_minor bigint NULL;
ALTER TABLE disputes ADD COLUMN refund_state text NULL;
ALTER TABLE disputes ADD CONSTRAINT disputes_refund_state_check CHECK (refund_state IN ('due', 'refunded'));
ALTER TABLE disputes ADD CONSTRAINT disputes_refund_minor_check CHECK (refund_minor >= 0);
ALTER TABLE disputes ADD CONSTRAINT disputes_refund_lines_check
    CHECK (refund_lines IS NULL OR jsonb_typeof(CAST(refund_lines AS jsonb)) = 'array');
ALTER TABLE disputes ADD CONSTRAINT disputes_resolution_note_check CHECK (length(resolution_note) <= 2000);
-- The clock's round: live disputes whose stage has a deadline.
CREATE INDEX disputes_stage_due_at_idx ON disputes (stage_due_at)
    WHERE stage_due_at IS NOT NULL AND status NOT IN ('resolved', 'closed');
CREATE INDEX disputes_refund_due_idx ON disputes (resolved_at) WHERE refund_state = 'due';

ALTER TABLE refunds ADD COLUMN dispute_id uuid NULL REFERENCES disputes (id);
CREATE INDEX refunds_dispute_id_idx ON refunds (dispute_id) WHERE dispute_id IS NOT NULL;

CREATE FUNCTION md_dispute_transitions()
RETURNS TABLE (from_status text, to_status text, action text, mover text)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    VALUES
        ('open', 'awaiting_vendor', 'ask_vendor', 'admin'),
        ('open', 'awaiting_customer', 'ask_customer', 'admin'),
        ('open', 'under_review', 'review', 'admin'),
        ('open', 'escalated', 'timeout', 'system'),
        ('open', 'resolved', 'resolve', 'admin'),
        ('open', 'closed', 'resolve', 'admin'),
        ('awaiting_vendor', 'under_review', 'answer', 'vendor'),
        ('awaiting_vendor', 'resolved', 'resolve', 'admin'),
        ('awaiting_vendor', 'resolved', 'resolve', 'vendor'),
        ('awaiting_vendor', 'closed', 'resolve', 'admin'),
        ('awaiting_vendor', 'escalated', 'escalate', 'admin'),
        ('awaiting_vendor', 'escalated', 'escalate', 'vendor'),
        ('awaiting_vendor', 'escalated', 'timeout', 'system'),
        ('awaiting_vendor', 'awaiting_customer', 'ask_customer', 'admin'),
        ('awaiting_customer', 'under_review', 'answer', 'admin'),
        ('awaiting_customer', 'awaiting_vendor', 'ask_vendor', 'admin'),
        ('awaiting_customer', 'escalated', 'timeout', 'system'),
        ('awaiting_customer', 'resolved', 'resolve', 'admin'),
        ('awaiting_customer', 'closed', 'resolve', 'admin'),
        ('under_review', 'awaiting_vendor', 'ask_vendor', 'admin'),
        ('under_review', 'awaiting_customer', 'ask_customer', 'admin'),
        ('under_review', 'escalated', 'escalate', 'vendor'),
        ('under_review', 'escalated', 'timeout', 'system'),
        ('under_review', 'resolved', 'resolve', 'admin'),
        ('under_review', 'closed', 'resolve', 'admin'),
        ('escalated', 'awaiting_vendor', 'ask_vendor', 'admin'),
        ('escalated', 'awaiting_customer', 'ask_customer', 'admin'),
        ('escalated', 'under_review', 'review', 'admin'),
        ('escalated', 'resolved', 'resolve', 'admin'),
        ('escalated', 'closed', 'resolve', 'admin')
$$;
GRANT EXECUTE ON FUNCTION md_dispute_transitions() TO md_admin, md_vendor, md_logistics, md_finance;

-- Hours the stage of a dispute in p_status allows: the platform's setting
-- (whole hours, 1 to 1440) or the default; NULL once the dispute has ended.
CREATE FUNCTION md_dispute_stage_hours(p_status text) RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_key text;
    v_default integer;
    v_value text;
BEGIN
    CASE p_status
        WHEN 'awaiting_vendor' THEN v_key := 'disputes.sla_vendor_hours'; v_default := 72;
        WHEN 'awaiting_customer' THEN v_key := 'disputes.sla_customer_hours'; v_default := 120;
        WHEN 'open', 'under_review', 'escalated' THEN v_key := 'disputes.sla_platform_hours'; v_default := 48;
        ELSE RETURN NULL;
    END CASE;
    SELECT CAST(value AS text) INTO v_value FROM public.platform_settings WHERE key = v_key AND deleted_at IS NULL;
    IF v_value ~ '^[0-9]{1,4}$' AND CAST(v_value AS integer) BETWEEN 1 AND 1440 THEN
        RETURN CAST(v_value AS integer);
    END IF;
    RETURN v_default;
END $$;
REVOKE ALL ON FUNCTION md_dispute_stage_hours(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_dispute_stage_hours(text) TO md_admin, md_vendor, md_finance;

CREATE FUNCTION md_check_dispute_write() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.md_session_is_superuser() OR NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
        -- The owner's session, or inside one of the database's own functions.
        RETURN NEW;
    END IF;
    IF public.md_in_group('md_vendor') THEN
        IF TG_OP = 'INSERT' THEN
            NEW.opened_at := now();
            NEW.stage_due_at := now() + make_interval(hours => public.md_dispute_stage_hours(NEW.status));
            NEW.overdue_at := NULL;
            RETURN NEW;
        END IF;
        IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
            -- A message bumps the version; nothing else changes without a move.
            NEW.resolution := OLD.resolution;
            NEW.resolution_note := OLD.resolution_note;
            NEW.refund_lines := OLD.refund_lines;
            NEW.refund_minor := OLD.refund_minor;
            NEW.refund_state := OLD.refund_state;
            NEW.resolved_at := OLD.resolved_at;
            NEW.stage_due_at := OLD.stage_due_at;
            RETURN NEW;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM public.md_dispute_transitions() t
                       WHERE t.from_status = OLD.status AND t.to_status = NEW.status AND t.mover = 'vendor') THEN
            RAISE EXCEPTION 'a dispute that is % cannot become % by a vendor', replace(OLD.status, '_', ' '),
                replace(NEW.status, '_', ' ') USING ERRCODE = '42501';
        END IF;
        IF NEW.status IN ('resolved', 'closed') THEN
            IF NEW.resolution IS NULL OR NEW.resolution NOT IN ('refund_full', 'refund_partial', 'replacement') THEN
                RAISE EXCEPTION 'a vendor concedes a dispute (a refund or a replacement) but does not end it otherwise'
                    USING ERRCODE = '42501';
            END IF;
            NEW.resolved_at := now();
            NEW.refund_state := CASE WHEN NEW.resolution IN ('refund_full', 'refund_partial') THEN 'due' END;
        ELSE
            NEW.resolution := NULL;
            NEW.refund_lines := NULL;
            NEW.refund_minor := NULL;
            NEW.refund_state := NULL;
        END IF;
        NEW.stage_due_at := now() + make_interval(hours => public.md_dispute_stage_hours(NEW.status));
        NEW.overdue_at := NULL;
        RETURN NEW;
    END IF;
    IF public.md_in_group('md_admin') THEN
        IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
            SELECT 1 FROM public.md_dispute_transitions() t
            WHERE t.from_status = OLD.status AND t.to_status = NEW.status
              AND (t.mover = 'admin' OR (t.mover = 'system' AND OLD.stage_due_at < now()))) THEN
            RAISE EXCEPTION 'a dispute that is % cannot become % by your hand', replace(OLD.status, '_', ' '),
                replace(NEW.status, '_', ' ') USING ERRCODE = '42501';
        END IF;
        IF NEW.refund_state = 'refunded' AND (TG_OP = 'INSERT' OR OLD.refund_state IS DISTINCT FROM 'refunded') THEN
            RAISE EXCEPTION 'a refund is marked made by finance, when it is made' USING ERRCODE = '42501';
        END IF;
    END IF;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION md_check_dispute_write() FROM PUBLIC;

CREATE TRIGGER disputes_workflow BEFORE INSERT OR UPDATE ON disputes
    FOR EACH ROW EXECUTE FUNCTION md_check_dispute_write();

-- Vendors: open on their own orders (with the platform: status open), and
-- move their own disputes by the columns a move writes.
GRANT INSERT ON disputes TO md_vendor;
CREATE POLICY disputes_vendor_open ON disputes FOR INSERT TO md_vendor
    WITH CHECK (vendor_id = md_uid() AND opened_by = md_uid() AND status = 'open' AND resolution IS NULL
                AND assigned_to IS NULL AND stripe_dispute_id IS NULL AND refund_state IS NULL
                AND refund_lines IS NULL AND deleted_at IS NULL AND kind <> 'chargeback'
                AND md_sells_in_order(order_id) AND (order_item_id IS NULL OR md_sells_item(order_item_id)));
GRANT UPDATE (status, resolution, resolution_note, resolved_at, refund_lines, refund_minor, refund_state,
              stage_due_at, overdue_at) ON disputes TO md_vendor;

-- Finance: a due refund, made.
GRANT UPDATE (refund_state, version, updated_at) ON disputes TO md_finance;
CREATE POLICY disputes_finance_refund ON disputes FOR UPDATE TO md_finance
    USING (refund_state = 'due' AND deleted_at IS NULL) WITH CHECK (refund_state = 'refunded');
