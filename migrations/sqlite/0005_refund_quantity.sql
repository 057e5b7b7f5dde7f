-- A refund of an order line records how many units it gives back (see postgres/0005).
ALTER TABLE refunds ADD COLUMN quantity INTEGER NULL CHECK (quantity IS NULL OR (quantity > 0 AND order_item_id IS NOT NULL));
CREATE UNIQUE INDEX refunds_order_id_pending_key ON refunds (order_id, order_item_id) WHERE status = 'pending' AND deleted_at IS NULL;
