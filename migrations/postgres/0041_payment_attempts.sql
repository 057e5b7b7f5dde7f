-- =============================================================================
-- 0041: another try after a payment page's payment failed.
--
-- A customer who picks a bank debit on the payment page of an order taken by
-- hand finishes the page before the money moves; when the bank refuses later
-- (`checkout.session.async_payment_failed`) the payment is failed, tied to its
-- PaymentIntent, and the order is still pending with its units held. Until now
-- nothing could ask the customer again: a link attaches only to a payment that
-- has no PaymentIntent. md_new_payment_attempt opens a new attempt instead —
-- a new payment row for the same amount — and leaves the failed one as
-- finance saw it (its PaymentIntent, its reason). Admins only; it refuses
-- (returns false) unless the order is pending and its latest payment is a
-- failed one made through a payment page.
-- =============================================================================

CREATE FUNCTION md_new_payment_attempt(p_order uuid, p_payment uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_last public.payments%ROWTYPE;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only admins send payment links' USING ERRCODE = '42501';
    END IF;
    PERFORM 1 FROM public.orders o WHERE o.id = p_order AND o.status = 'pending' AND o.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT * INTO v_last FROM public.payments p WHERE p.order_id = p_order AND p.deleted_at IS NULL
    ORDER BY p.created_at DESC, p.id DESC LIMIT 1;
    IF NOT FOUND OR v_last.provider <> 'stripe' OR v_last.status <> 'failed' OR v_last.checkout_session_id IS NULL THEN
        RETURN false;
    END IF;
    INSERT INTO public.payments (id, order_id, provider, status, amount_minor, currency, version, created_at, updated_at)
    VALUES (p_payment, p_order, 'stripe', 'requires_payment', v_last.amount_minor, v_last.currency, 1,
            greatest(now(), v_last.created_at + interval '1 microsecond'), now());
    RETURN true;
END $$;
REVOKE ALL ON FUNCTION md_new_payment_attempt(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_new_payment_attempt(uuid, uuid) TO md_admin;
