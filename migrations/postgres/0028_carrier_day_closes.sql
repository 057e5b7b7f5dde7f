-- =============================================================================
-- Marketdesk 0028, PostgreSQL: closing the shipping day with a carrier.
-- * carrier_day_closes: each FedEx Ground end-of-day close — the day, how many
--   Ground labels Marketdesk had bought that day, the manifest FedEx handed
--   back (plain text, for the driver), FedEx's transaction id, and who closed.
--   Kept for reprints and for the record; never changed once written.
-- * Admins and logistics read and write them, each close signed by the person
--   making it; vendors and finance see none.
-- =============================================================================

CREATE TABLE carrier_day_closes (
    id                      uuid PRIMARY KEY,
    carrier                 text NOT NULL,
    close_date              text NOT NULL,
    parcels                 integer NOT NULL,
    manifest                bytea NOT NULL,
    transaction_id          text NULL,
    closed_by               uuid NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT carrier_day_closes_version_check CHECK (version >= 1),
    CONSTRAINT carrier_day_closes_carrier_check CHECK (carrier IN ('fedex')),
    CONSTRAINT carrier_day_closes_date_check CHECK (close_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    CONSTRAINT carrier_day_closes_parcels_check CHECK (parcels >= 0),
    CONSTRAINT carrier_day_closes_manifest_check CHECK (length(manifest) <= 10485760)
);
CREATE INDEX carrier_day_closes_day_idx ON carrier_day_closes (carrier, close_date DESC, created_at DESC);
CREATE TRIGGER carrier_day_closes_change_feed AFTER INSERT OR UPDATE OR DELETE ON carrier_day_closes
    FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON carrier_day_closes FROM PUBLIC;
ALTER TABLE carrier_day_closes ENABLE ROW LEVEL SECURITY;
ALTER TABLE carrier_day_closes FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON carrier_day_closes TO md_admin, md_logistics;
CREATE POLICY carrier_day_closes_read ON carrier_day_closes FOR SELECT TO md_admin, md_logistics USING (true);
CREATE POLICY carrier_day_closes_write ON carrier_day_closes FOR INSERT TO md_admin, md_logistics
    WITH CHECK (closed_by = md_uid());
