-- A PaymentIntent that Stripe reports succeeded moves its order from `pending`
-- to `paid` when reconciliation books the capture (see the core's
-- `stripe_events`). Finance may not update orders, so the one change it needs
-- is this function: only that transition, only for finance and admin.
CREATE FUNCTION md_mark_order_paid(p_order uuid, p_paid_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance and admin mark orders paid' USING ERRCODE = '42501';
    END IF;
    UPDATE public.orders SET status = 'paid', paid_at = coalesce(paid_at, p_paid_at), version = version + 1,
        updated_at = now()
    WHERE id = p_order AND status = 'pending' AND deleted_at IS NULL;
    RETURN FOUND;
END $$;
REVOKE ALL ON FUNCTION md_mark_order_paid(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_mark_order_paid(uuid, timestamptz) TO md_admin, md_finance;
