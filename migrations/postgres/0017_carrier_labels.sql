-- =============================================================================
-- Marketdesk 0017, PostgreSQL: labels bought from carriers.
-- * shipments.status gains the warehouse's own steps: a label is printed,
--   then the parcel is handed over to the carrier (pending → label_purchased
--   → printed → handed_over → in_transit → …); the lifecycle itself is
--   `ShipmentStatus::next` in the core.
-- * label_purchases: every attempt to buy a label is a row before the carrier
--   is called (`attempting`), and ends `purchased` (with the label), `failed`
--   (the carrier said no, with its code and words) or `uncertain` (no usable
--   answer, or the app stopped between the carrier's answer and the commit:
--   the carrier may have sold a label, so nothing is bought again until a
--   person has looked, with the reference sent to find it). At most one open
--   attempt per shipment, by a unique index, so two desks never buy twice.
-- Logistics buys labels; admins read the attempts; vendors and finance see none.
-- =============================================================================

ALTER TABLE shipments DROP CONSTRAINT shipments_status_check;
ALTER TABLE shipments ADD CONSTRAINT shipments_status_check CHECK (status IN ('pending', 'label_purchased', 'printed', 'handed_over', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned', 'cancelled'));

CREATE TABLE label_purchases (
    id                      uuid PRIMARY KEY,
    shipment_id             uuid NOT NULL REFERENCES shipments (id),
    carrier                 text NOT NULL,
    service_code            text NOT NULL,
    reference               text NOT NULL,
    label_format            text NOT NULL,
    state                   text NOT NULL DEFAULT 'attempting',
    requested_by            uuid NULL REFERENCES users (id),
    tracking_number         text NULL,
    label_id                uuid NULL REFERENCES shipping_labels (id),
    cost_minor              bigint NULL,
    currency                char(3) NULL,
    carrier_transaction_id  text NULL,
    error_code              text NULL,
    error_message           text NULL,
    resolution              text NULL,
    resolved_by             uuid NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT label_purchases_version_check CHECK (version >= 1),
    CONSTRAINT label_purchases_carrier_check CHECK (carrier IN ('fedex', 'ups', 'local', 'pickup')),
    CONSTRAINT label_purchases_label_format_check CHECK (label_format IN ('zpl', 'pdf')),
    CONSTRAINT label_purchases_state_check CHECK (state IN ('attempting', 'purchased', 'failed', 'uncertain', 'voided')),
    CONSTRAINT label_purchases_reference_check CHECK (length(reference) BETWEEN 1 AND 40),
    CONSTRAINT label_purchases_cost_minor_check CHECK (cost_minor IS NULL OR cost_minor >= 0),
    CONSTRAINT label_purchases_currency_check CHECK (currency IS NULL OR currency ~ '^[A-Z]{3}$'),
    CONSTRAINT label_purchases_label_check CHECK ((state = 'purchased') <= (label_id IS NOT NULL)),
    CONSTRAINT label_purchases_failure_check CHECK ((state IN ('failed', 'uncertain')) <= (error_message IS NOT NULL))
);
CREATE UNIQUE INDEX label_purchases_open_key ON label_purchases (shipment_id) WHERE state IN ('attempting', 'uncertain');
CREATE INDEX label_purchases_shipment_id_created_at_idx ON label_purchases (shipment_id, created_at);
CREATE INDEX label_purchases_state_updated_at_idx ON label_purchases (state, updated_at) WHERE state IN ('attempting', 'uncertain');

CREATE TRIGGER label_purchases_change_feed AFTER INSERT OR UPDATE OR DELETE ON label_purchases FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON label_purchases FROM PUBLIC;
ALTER TABLE label_purchases ENABLE ROW LEVEL SECURITY;
ALTER TABLE label_purchases FORCE ROW LEVEL SECURITY;

-- UPDATE is granted per column, never on the table (that would allow LOCK TABLE; see 0013).
GRANT SELECT ON label_purchases TO md_admin, md_logistics;
GRANT INSERT ON label_purchases TO md_logistics;
GRANT UPDATE (state, tracking_number, label_id, cost_minor, currency, carrier_transaction_id, error_code, error_message, resolution, resolved_by, version, updated_at) ON label_purchases TO md_logistics;
CREATE POLICY label_purchases_read ON label_purchases FOR SELECT TO md_admin, md_logistics USING (true);
-- An attempt is opened by the person buying; logistics settles any attempt.
CREATE POLICY label_purchases_insert ON label_purchases FOR INSERT TO md_logistics WITH CHECK (requested_by = md_uid());
CREATE POLICY label_purchases_update ON label_purchases FOR UPDATE TO md_logistics USING (true) WITH CHECK (true);
