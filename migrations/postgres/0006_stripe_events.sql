-- Reconciliation from Stripe's events. Every event Marketdesk sees, polled
-- from /v1/events or pushed to the webhook, is recorded here once (the unique
-- evt_ id), in the same transaction as the change it caused, so an event
-- delivered twice (by both paths, or again after a crash) is applied once.
-- `outcome` says what it did: applied, ignored (nothing of ours), or
-- attention (finance must look: a refund Stripe failed after it succeeded,
-- an amount that does not match); finance marks those resolved.
-- Server bookkeeping only: not in the change feed, so desktops read it online;
-- the SQLite schema holds the same (empty) tables so both engines stay alike.
CREATE TABLE stripe_events (
    id                      uuid PRIMARY KEY,
    stripe_event_id         text NOT NULL,              -- evt_...
    type                    text NOT NULL,              -- 'transfer.reversed', ...
    object_id               text NULL,                  -- the object it is about (tr_..., re_..., acct_...)
    occurred_at             timestamptz NOT NULL,       -- Stripe's `created`
    source                  text NOT NULL,
    outcome                 text NOT NULL,
    detail                  text NULL,                  -- what was done, or why it needs attention
    resolved_by             uuid NULL REFERENCES users (id),
    resolved_at             timestamptz NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT stripe_events_version_check CHECK (version >= 1),
    CONSTRAINT stripe_events_source_check CHECK (source IN ('poll', 'webhook')),
    CONSTRAINT stripe_events_outcome_check CHECK (outcome IN ('applied', 'ignored', 'attention', 'resolved')),
    CONSTRAINT stripe_events_resolved_check CHECK ((outcome = 'resolved') = (resolved_at IS NOT NULL)),
    CONSTRAINT stripe_events_stripe_event_id_key UNIQUE (stripe_event_id)
);
CREATE INDEX stripe_events_occurred_at_id_idx ON stripe_events (occurred_at, id);
CREATE INDEX stripe_events_attention_idx ON stripe_events (occurred_at) WHERE outcome = 'attention';

-- Where each poller of an outside feed stopped: for Stripe's events, the
-- newest event id already applied (the next poll asks for what came after it).
CREATE TABLE integration_cursors (
    id                      uuid PRIMARY KEY,
    name                    text NOT NULL,              -- 'stripe.events'
    position                text NOT NULL,
    moved_at                timestamptz NOT NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT integration_cursors_version_check CHECK (version >= 1),
    CONSTRAINT integration_cursors_name_key UNIQUE (name)
);

ALTER TABLE stripe_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_events FORCE ROW LEVEL SECURITY;
ALTER TABLE integration_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE integration_cursors FORCE ROW LEVEL SECURITY;
-- Finance reconciles; admin may look. Nobody deletes.
GRANT SELECT ON stripe_events, integration_cursors TO md_admin, md_finance;
GRANT INSERT, UPDATE ON stripe_events, integration_cursors TO md_finance;
CREATE POLICY stripe_events_read ON stripe_events FOR SELECT TO md_admin USING (true);
CREATE POLICY stripe_events_finance ON stripe_events FOR ALL TO md_finance USING (true) WITH CHECK (true);
CREATE POLICY integration_cursors_read ON integration_cursors FOR SELECT TO md_admin USING (true);
CREATE POLICY integration_cursors_finance ON integration_cursors FOR ALL TO md_finance USING (true) WITH CHECK (true);
CREATE TRIGGER stripe_events_audit AFTER UPDATE ON stripe_events FOR EACH ROW EXECUTE FUNCTION md_audit_change();

-- What Stripe says of a connected account (from `account.updated`), stored on
-- the vendor's profile, which finance may not otherwise change: only these
-- three columns, only for the profile that already holds that account.
-- Returns the vendor, or NULL when no vendor has the account.
CREATE FUNCTION md_sync_connect_account(p_account text, p_payouts_enabled boolean, p_status text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_vendor uuid;
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance and admin reconcile Stripe accounts' USING ERRCODE = '42501';
    END IF;
    IF p_status NOT IN ('pending', 'verified', 'rejected') THEN
        RAISE EXCEPTION 'unknown verification status %', p_status USING ERRCODE = '22023';
    END IF;
    UPDATE public.user_profiles SET payouts_enabled = p_payouts_enabled, verification_status = p_status,
        verified_at = CASE WHEN p_status = 'verified' THEN coalesce(verified_at, now()) END,
        version = version + 1, updated_at = now()
    WHERE stripe_account_id = p_account AND deleted_at IS NULL
    RETURNING user_id INTO v_vendor;
    RETURN v_vendor;
END $$;
REVOKE ALL ON FUNCTION md_sync_connect_account(text, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_sync_connect_account(text, boolean, text) TO md_admin, md_finance;

-- A chargeback as Stripe reports it (`charge.dispute.*`), kept as a dispute
-- of kind 'chargeback' on the order the PaymentIntent paid, which finance may
-- not otherwise write: made on the first event, its status moved on later
-- ones. Returns the dispute, or NULL when no order of ours was paid by it.
CREATE FUNCTION md_record_chargeback(p_dispute text, p_payment_intent text, p_amount bigint, p_currency text,
                                     p_status text, p_evidence_due timestamptz, p_subject text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_id uuid;
    v_order public.orders%ROWTYPE;
    v_vendor uuid;
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance and admin record chargebacks' USING ERRCODE = '42501';
    END IF;
    IF p_status NOT IN ('open', 'under_review', 'resolved', 'closed') THEN
        RAISE EXCEPTION 'unknown dispute status %', p_status USING ERRCODE = '22023';
    END IF;
    SELECT id INTO v_id FROM public.disputes WHERE stripe_dispute_id = p_dispute FOR UPDATE;
    IF FOUND THEN
        UPDATE public.disputes SET status = p_status,
            resolved_at = CASE WHEN p_status IN ('resolved', 'closed') THEN coalesce(resolved_at, now()) END,
            evidence_due_at = coalesce(p_evidence_due, evidence_due_at), version = version + 1, updated_at = now()
        WHERE id = v_id;
        RETURN v_id;
    END IF;
    SELECT o.* INTO v_order FROM public.orders o JOIN public.payments p ON p.order_id = o.id
    WHERE p.provider_payment_id = p_payment_intent AND p.deleted_at IS NULL ORDER BY p.created_at LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The vendor, when one vendor sold the whole order.
    SELECT CASE WHEN count(DISTINCT vendor_id) = 1 THEN min(vendor_id::text)::uuid END INTO v_vendor
    FROM public.order_items WHERE order_id = v_order.id AND deleted_at IS NULL;
    v_id := gen_random_uuid();
    INSERT INTO public.disputes (id, order_id, opened_by, vendor_id, kind, status, amount_minor, currency,
        stripe_dispute_id, subject, opened_at, evidence_due_at, resolved_at, version, created_at, updated_at)
    VALUES (v_id, v_order.id, v_order.customer_id, v_vendor, 'chargeback', p_status, p_amount, upper(p_currency),
        p_dispute, p_subject, now(), p_evidence_due,
        CASE WHEN p_status IN ('resolved', 'closed') THEN now() END, 1, now(), now());
    RETURN v_id;
END $$;
REVOKE ALL ON FUNCTION md_record_chargeback(text, text, bigint, text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_record_chargeback(text, text, bigint, text, text, timestamptz, text) TO md_admin, md_finance;

-- The vendor as a Stripe customer, for subscriptions to the platform's plans
-- (made on the first checkout; `customer.subscription.*` events name it).
ALTER TABLE user_profiles ADD COLUMN stripe_customer_id text NULL;
CREATE UNIQUE INDEX user_profiles_stripe_customer_id_key ON user_profiles (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;
