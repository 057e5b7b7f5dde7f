-- =============================================================================
-- Marketdesk 0033, SQLite: the Checkout Session columns of payments, as on
-- PostgreSQL (migration 0040 there). Orders taken by hand, their held stock
-- and their payment links are the central database's work (Stripe is online
-- only); a local copy receives them by sync.
-- =============================================================================

ALTER TABLE payments ADD COLUMN checkout_session_id TEXT NULL;
ALTER TABLE payments ADD COLUMN checkout_url TEXT NULL;
ALTER TABLE payments ADD COLUMN checkout_expires_at TEXT NULL;
CREATE UNIQUE INDEX payments_checkout_session_id_key ON payments (checkout_session_id);
