-- =============================================================================
-- Marketdesk 0039, PostgreSQL: business events recorded by the database.
-- * analytics_events are written only by triggers on the rows that make the
--   event true (an order placed, paid, shipped, delivered or cancelled; a
--   refund that succeeded; a payout sent or failed; a label printed; a product
--   submitted, approved or rejected; a sign-in; a sync that moved its cursor),
--   in the transaction of the change, with the acting person, their role and
--   the vendor concerned. No group inserts them any more: a hostile login can
--   no longer write made-up events into the dashboards or Google Analytics.
-- * Each event waits in a Google Analytics 4 outbox (ga_state) that the
--   worker drains when the installation has opted in.
-- =============================================================================

ALTER TABLE analytics_events ADD COLUMN actor_role text NULL;
ALTER TABLE analytics_events ADD COLUMN vendor_id uuid NULL REFERENCES users (id);
ALTER TABLE analytics_events ADD COLUMN entity_id uuid NULL;
ALTER TABLE analytics_events ADD COLUMN ga_state text NOT NULL DEFAULT 'queued';
ALTER TABLE analytics_events ADD COLUMN ga_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN ga_next_attempt_at timestamptz NULL;
ALTER TABLE analytics_events ADD COLUMN ga_error text NULL;
ALTER TABLE analytics_events ADD CONSTRAINT analytics_events_ga_state_check
    CHECK (ga_state IN ('queued', 'sending', 'sent', 'skipped', 'failed'));
ALTER TABLE analytics_events ADD CONSTRAINT analytics_events_actor_role_check
    CHECK (actor_role IS NULL OR actor_role IN ('admin', 'vendor', 'logistics', 'finance', 'customer', 'system'));
CREATE INDEX analytics_events_vendor_occurred_at_idx ON analytics_events (vendor_id, occurred_at) WHERE vendor_id IS NOT NULL;
CREATE INDEX analytics_events_ga_queue_idx ON analytics_events (occurred_at) WHERE ga_state IN ('queued', 'sending');

REVOKE INSERT ON analytics_events FROM md_admin, md_vendor, md_logistics, md_finance;
DROP POLICY analytics_events_track ON analytics_events;

-- Records one event for the session's person (none and role 'system' for the
-- owner's own sessions: the worker, the command line). Called by triggers only.
CREATE FUNCTION md_track(p_name text, p_vendor uuid, p_entity uuid, p_properties jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me public.users%ROWTYPE;
BEGIN
    SELECT * INTO me FROM public.users WHERE db_role = session_user::text AND deleted_at IS NULL;
    INSERT INTO public.analytics_events (id, name, user_id, actor_role, vendor_id, entity_id, occurred_at, properties,
                                         ga_next_attempt_at)
    VALUES (gen_random_uuid(), p_name, me.id, coalesce(me.role, 'system'),
            coalesce(p_vendor, CASE WHEN me.role = 'vendor' THEN me.id END), p_entity, now(), p_properties, now());
END;
$$;
REVOKE EXECUTE ON FUNCTION md_track(text, uuid, uuid, jsonb) FROM PUBLIC;

CREATE FUNCTION md_track_orders() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    facts jsonb := jsonb_build_object('number', NEW.number, 'value_minor', NEW.total_minor, 'currency', NEW.currency);
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM public.md_track('order_placed', NULL, NEW.id, facts);
    END IF;
    IF NEW.paid_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.paid_at IS NULL) THEN
        PERFORM public.md_track('order_paid', NULL, NEW.id, facts);
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status
       AND NEW.status IN ('shipped', 'delivered', 'cancelled') THEN
        PERFORM public.md_track('order_' || NEW.status, NULL, NEW.id,
            facts || jsonb_build_object('hours_since_paid',
                CASE WHEN NEW.paid_at IS NOT NULL THEN floor(extract(epoch FROM now() - NEW.paid_at) / 3600) END));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER orders_analytics AFTER INSERT OR UPDATE OF status, paid_at ON orders
    FOR EACH ROW EXECUTE FUNCTION md_track_orders();

CREATE FUNCTION md_track_refunds() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.status = 'succeeded' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'succeeded') THEN
        PERFORM public.md_track('order_refunded', NULL, NEW.order_id,
            jsonb_build_object('refund_id', NEW.id, 'value_minor', NEW.amount_minor, 'currency', NEW.currency,
                               'number', (SELECT number FROM public.orders WHERE id = NEW.order_id)));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER refunds_analytics AFTER INSERT OR UPDATE OF status ON refunds
    FOR EACH ROW EXECUTE FUNCTION md_track_refunds();

CREATE FUNCTION md_track_payouts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.status IN ('paid', 'failed') AND OLD.status IS DISTINCT FROM NEW.status THEN
        PERFORM public.md_track(CASE NEW.status WHEN 'paid' THEN 'payout_sent' ELSE 'payout_failed' END,
            NEW.vendor_id, NEW.id,
            jsonb_build_object('value_minor', NEW.amount_minor, 'currency', NEW.currency, 'reason', NEW.failure_reason));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER payouts_analytics AFTER UPDATE OF status ON payouts
    FOR EACH ROW EXECUTE FUNCTION md_track_payouts();

CREATE FUNCTION md_track_print_jobs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.document_kind = 'label' AND NEW.state IN ('sent', 'completed')
       AND OLD.state NOT IN ('sent', 'completed') THEN
        PERFORM public.md_track('label_printed',
            (SELECT vendor_id FROM public.shipments WHERE id = NEW.shipment_id), NEW.shipment_id,
            jsonb_build_object('format', NEW.format, 'reprint', NEW.reprint_of IS NOT NULL));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER print_jobs_analytics AFTER UPDATE OF state ON print_jobs
    FOR EACH ROW EXECUTE FUNCTION md_track_print_jobs();

CREATE FUNCTION md_track_products() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('pending_review', 'approved', 'rejected') THEN
        PERFORM public.md_track(CASE NEW.status WHEN 'pending_review' THEN 'product_submitted'
                                                WHEN 'approved' THEN 'product_approved' ELSE 'product_rejected' END,
            NEW.vendor_id, NEW.id, jsonb_build_object('name', NEW.name));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER products_analytics AFTER UPDATE OF status ON products
    FOR EACH ROW EXECUTE FUNCTION md_track_products();

CREATE FUNCTION md_track_sign_ins() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.action = 'signed_in' THEN
        PERFORM public.md_track('login', NULL, NEW.actor_id, jsonb_build_object('method', 'password'));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_analytics AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION md_track_sign_ins();

CREATE FUNCTION md_track_syncs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.cursor_txid <> OLD.cursor_txid THEN
        PERFORM public.md_track('sync_completed', NULL, NULL, jsonb_build_object('client', NEW.client_id));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sync_clients_analytics AFTER INSERT OR UPDATE OF cursor_txid ON sync_clients
    FOR EACH ROW EXECUTE FUNCTION md_track_syncs();

CREATE FUNCTION md_track_disputes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM public.md_track('dispute_opened', NEW.vendor_id, NEW.order_id,
        jsonb_build_object('kind', NEW.kind, 'value_minor', NEW.amount_minor, 'currency', NEW.currency,
                           'number', (SELECT number FROM public.orders WHERE id = NEW.order_id)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER disputes_analytics AFTER INSERT ON disputes
    FOR EACH ROW EXECUTE FUNCTION md_track_disputes();
