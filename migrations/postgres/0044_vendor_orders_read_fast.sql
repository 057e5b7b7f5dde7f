-- A vendor's orders list read fast at scale (found by the 200-desktop load
-- test: 950 ms for a vendor's first page at 100,000 orders).
--
-- * A vendor's read policy on orders called md_sells_in_order(id) for every
--   order the list looked at, newest first, until it had a page: a function
--   call with a lookup of its own per order (about 40 µs), thousands of them
--   for a vendor in 2% of the orders. It now reads the vendor's order ids
--   once (their own lines, through the index on order_items.vendor_id; the
--   lines' policy shows a vendor only theirs, so the rows are the same) and
--   checks each order against that set.
-- * md_ships_to (the vendor's policy on shipping addresses) looked orders up
--   by shipping address with no index, a scan of every order per address
--   shown (15 ms each at 100,000 orders), and called md_sells_in_order for
--   each: now one indexed lookup of the vendor's lines on orders to that
--   address. Same answer: an address the vendor ships one of their lines to.
CREATE INDEX orders_shipping_address_id_idx ON orders (shipping_address_id);

CREATE OR REPLACE FUNCTION md_ships_to(a uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.orders o JOIN public.order_items i ON i.order_id = o.id
        WHERE o.shipping_address_id = a AND i.vendor_id = public.md_uid()
    )
$$;

ALTER POLICY orders_vendor_read ON orders
    USING (id IN (SELECT i.order_id FROM public.order_items i WHERE i.vendor_id = public.md_uid()));
