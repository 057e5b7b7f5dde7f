-- A refund of an order line records how many units it gives back, so a refund
-- interrupted between Stripe's answer and the commit can be finished later
-- exactly as it was asked for (refunded_quantity and the ledger follow it).
ALTER TABLE refunds ADD COLUMN quantity integer NULL;
ALTER TABLE refunds ADD CONSTRAINT refunds_quantity_check CHECK (quantity IS NULL OR (quantity > 0 AND order_item_id IS NOT NULL));
-- One refund of an order at a time: a second is refused while one is pending.
CREATE UNIQUE INDEX refunds_order_id_pending_key ON refunds (order_id, order_item_id) WHERE status = 'pending' AND deleted_at IS NULL;

-- Booking a refund Stripe accepted changes order lines and the order, which
-- finance may not update directly: this function does exactly that and nothing
-- more, for finance only. Returns how many units of the line were refunded
-- before, for the ledger posting the caller writes in the same transaction.
CREATE FUNCTION md_book_refund(p_refund uuid, p_provider_refund_id text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    r public.refunds%ROWTYPE;
    v_before integer := 0;
BEGIN
    IF NOT public.md_in_group('md_finance') THEN
        RAISE EXCEPTION 'only finance books refunds' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO r FROM public.refunds WHERE id = p_refund AND deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND OR r.status <> 'pending' THEN
        RAISE EXCEPTION 'refund % is not pending', p_refund USING ERRCODE = '55000';
    END IF;
    UPDATE public.refunds SET status = 'succeeded', provider_refund_id = p_provider_refund_id, processed_at = now(),
        failure_reason = NULL, version = version + 1, updated_at = now()
    WHERE id = p_refund;
    IF r.order_item_id IS NOT NULL THEN
        SELECT refunded_quantity INTO v_before FROM public.order_items WHERE id = r.order_item_id FOR UPDATE;
        UPDATE public.order_items SET refunded_quantity = refunded_quantity + r.quantity,
            status = CASE WHEN refunded_quantity + r.quantity = quantity THEN 'refunded' ELSE status END,
            version = version + 1, updated_at = now()
        WHERE id = r.order_item_id;
    END IF;
    UPDATE public.orders o SET
        status = CASE WHEN NOT EXISTS (SELECT 1 FROM public.order_items i WHERE i.order_id = o.id
                                       AND i.refunded_quantity < i.quantity AND i.deleted_at IS NULL)
                      THEN 'refunded' ELSE 'partially_refunded' END,
        version = version + 1, updated_at = now()
    WHERE o.id = r.order_id AND o.status NOT IN ('cancelled', 'disputed');
    RETURN v_before;
END $$;
REVOKE ALL ON FUNCTION md_book_refund(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_book_refund(uuid, text) TO md_finance;
