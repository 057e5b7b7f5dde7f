-- =============================================================================
-- Marketdesk 0033, PostgreSQL: reviews moderated with a reason.
-- * A hidden review says why (hidden_reason, required exactly when hidden),
--   and who decided and when (moderated_by, moderated_at).
-- * A vendor's reply is 1–2,000 characters. Vendors still write only their
--   reply to their own products' reviews (the column grant of 0002); only
--   admins publish or hide.
-- =============================================================================

ALTER TABLE product_reviews
    ADD COLUMN hidden_reason text NULL,
    ADD COLUMN moderated_by uuid NULL REFERENCES users (id),
    ADD COLUMN moderated_at timestamptz NULL;
UPDATE product_reviews SET hidden_reason = 'hidden before reasons were recorded' WHERE status = 'hidden';
ALTER TABLE product_reviews
    ADD CONSTRAINT product_reviews_hidden_reason_check
        CHECK ((status = 'hidden') = (hidden_reason IS NOT NULL) AND length(coalesce(hidden_reason, 'x')) BETWEEN 1 AND 500),
    ADD CONSTRAINT product_reviews_vendor_reply_check
        CHECK (vendor_reply IS NULL OR length(vendor_reply) BETWEEN 1 AND 2000);
