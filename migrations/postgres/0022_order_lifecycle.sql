-- =============================================================================
-- Marketdesk 0022, PostgreSQL: an order's lifecycle, held by the database too.
-- * md_order_transitions(): every move an order may make and who makes it —
--   the table of domain::order_lifecycle, row for row (a test compares them).
-- * A login changing an order's status by hand is held to it: logistics no
--   longer marks an order paid or cancelled, an admin no longer marks one
--   paid, nobody brings a cancelled or refunded order back. The database's
--   own functions (payments, refunds: SECURITY DEFINER) and the owner's
--   sessions (migrations, the worker, the command line) are not checked here:
--   the core checks them.
-- =============================================================================

CREATE FUNCTION md_order_transitions()
RETURNS TABLE (from_status text, to_status text, mover text)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    VALUES
        ('pending', 'paid', 'payments'),
        ('pending', 'cancelled', 'admin'),
        ('pending', 'cancelled', 'payments'),
        ('paid', 'processing', 'admin'),
        ('paid', 'processing', 'logistics'),
        ('paid', 'partially_shipped', 'admin'),
        ('paid', 'partially_shipped', 'logistics'),
        ('paid', 'shipped', 'admin'),
        ('paid', 'shipped', 'logistics'),
        ('processing', 'partially_shipped', 'admin'),
        ('processing', 'partially_shipped', 'logistics'),
        ('processing', 'shipped', 'admin'),
        ('processing', 'shipped', 'logistics'),
        ('partially_shipped', 'shipped', 'admin'),
        ('partially_shipped', 'shipped', 'logistics'),
        ('shipped', 'delivered', 'admin'),
        ('shipped', 'delivered', 'logistics'),
        ('shipped', 'delivered', 'carrier'),
        ('paid', 'cancelled', 'admin'),
        ('processing', 'cancelled', 'admin'),
        ('paid', 'partially_refunded', 'finance'),
        ('paid', 'partially_refunded', 'payments'),
        ('paid', 'refunded', 'finance'),
        ('paid', 'refunded', 'payments'),
        ('processing', 'partially_refunded', 'finance'),
        ('processing', 'partially_refunded', 'payments'),
        ('processing', 'refunded', 'finance'),
        ('processing', 'refunded', 'payments'),
        ('partially_shipped', 'partially_refunded', 'finance'),
        ('partially_shipped', 'partially_refunded', 'payments'),
        ('partially_shipped', 'refunded', 'finance'),
        ('partially_shipped', 'refunded', 'payments'),
        ('shipped', 'partially_refunded', 'finance'),
        ('shipped', 'partially_refunded', 'payments'),
        ('shipped', 'refunded', 'finance'),
        ('shipped', 'refunded', 'payments'),
        ('delivered', 'partially_refunded', 'finance'),
        ('delivered', 'partially_refunded', 'payments'),
        ('delivered', 'refunded', 'finance'),
        ('delivered', 'refunded', 'payments'),
        ('partially_refunded', 'refunded', 'finance'),
        ('partially_refunded', 'refunded', 'payments'),
        ('partially_refunded', 'shipped', 'admin'),
        ('partially_refunded', 'shipped', 'logistics'),
        ('partially_refunded', 'delivered', 'admin'),
        ('partially_refunded', 'delivered', 'logistics'),
        ('partially_refunded', 'delivered', 'carrier'),
        ('paid', 'disputed', 'admin'),
        ('paid', 'disputed', 'payments'),
        ('processing', 'disputed', 'admin'),
        ('processing', 'disputed', 'payments'),
        ('partially_shipped', 'disputed', 'admin'),
        ('partially_shipped', 'disputed', 'payments'),
        ('shipped', 'disputed', 'admin'),
        ('shipped', 'disputed', 'payments'),
        ('delivered', 'disputed', 'admin'),
        ('delivered', 'disputed', 'payments'),
        ('partially_refunded', 'disputed', 'admin'),
        ('partially_refunded', 'disputed', 'payments'),
        ('disputed', 'delivered', 'admin'),
        ('disputed', 'delivered', 'payments'),
        ('disputed', 'partially_refunded', 'finance'),
        ('disputed', 'partially_refunded', 'payments'),
        ('disputed', 'refunded', 'finance'),
        ('disputed', 'refunded', 'payments')
$$;
GRANT EXECUTE ON FUNCTION md_order_transitions() TO md_admin, md_vendor, md_logistics, md_finance;

CREATE FUNCTION md_check_order_move() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.status IS NOT DISTINCT FROM OLD.status OR public.md_session_is_superuser()
       OR NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
        -- Unchanged, the owner's session, or inside one of the database's own functions.
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM public.md_order_transitions() t
               WHERE t.from_status = OLD.status AND t.to_status = NEW.status
                 AND t.mover IN ('admin', 'logistics', 'finance') AND public.md_in_group('md_' || t.mover)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'an order that is % cannot become % by your hand', replace(OLD.status, '_', ' '),
        replace(NEW.status, '_', ' ') USING ERRCODE = '42501';
END $$;
REVOKE ALL ON FUNCTION md_check_order_move() FROM PUBLIC;

CREATE TRIGGER orders_lifecycle BEFORE UPDATE OF status ON orders
    FOR EACH ROW EXECUTE FUNCTION md_check_order_move();

-- Paid only with a payment behind it: the function that makes an order paid
-- (Stripe's reconciliation books the payment first) no longer marks one that
-- has no succeeded payment.
CREATE OR REPLACE FUNCTION md_mark_order_paid(p_order uuid, p_paid_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance and admin mark orders paid' USING ERRCODE = '42501';
    END IF;
    UPDATE public.orders SET status = 'paid', paid_at = coalesce(paid_at, p_paid_at), version = version + 1,
        updated_at = now()
    WHERE id = p_order AND status = 'pending' AND deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM public.payments p WHERE p.order_id = p_order AND p.status = 'succeeded'
                  AND p.deleted_at IS NULL);
    RETURN FOUND;
END $$;

-- Internal notes on an order: staff write them for each other (the phone call,
-- the promise made), nobody edits or removes them, vendors and buyers never
-- read them. They show in the order's timeline.
CREATE TABLE order_notes (
    id                      uuid PRIMARY KEY,
    order_id                uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    author_id               uuid NOT NULL REFERENCES users (id),
    body                    text NOT NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT order_notes_version_check CHECK (version >= 1),
    CONSTRAINT order_notes_body_check CHECK (length(btrim(body)) BETWEEN 1 AND 2000)
);
CREATE INDEX order_notes_order_id_created_at_idx ON order_notes (order_id, created_at);
CREATE TRIGGER order_notes_change_feed AFTER INSERT OR UPDATE OR DELETE ON order_notes FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON order_notes FROM PUBLIC;
ALTER TABLE order_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_notes FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON order_notes TO md_admin, md_logistics, md_finance;
CREATE POLICY order_notes_read ON order_notes FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
-- A note is signed by the person writing it, now.
CREATE POLICY order_notes_write ON order_notes FOR INSERT TO md_admin, md_logistics, md_finance
    WITH CHECK (author_id = md_uid() AND deleted_at IS NULL);
