-- =============================================================================
-- Marketdesk 0016, PostgreSQL: printers and print jobs.
-- * printers: the printers a workstation prints to, each reached one way:
--   a CUPS queue over IPP (`ipp://host:631/printers/queue`) or a networked
--   thermal printer's raw TCP port (`host:9100`). A printer speaks one page
--   language: ZPL, at the density it prints (203 or 300 dpi) — so a label is
--   always drawn for the dots it will be printed on — or PDF.
-- * printer_defaults: per workstation, which printer each kind of document
--   goes to when nobody picks one.
-- * print_jobs: every print is a row before a byte leaves, with the bytes
--   kept for reprint and its state: queued → sending → sent → completed, or
--   failed with the reason, or cancelled. A job found in `sending` after a
--   crash is reported as interrupted (it may or may not have printed), never
--   resent on its own.
-- Admin and logistics run printing; vendors and finance see none of it.
-- =============================================================================

CREATE TABLE printers (
    id                      uuid PRIMARY KEY,
    workstation             text NOT NULL,
    name                    text NOT NULL,
    connection              text NOT NULL,
    address                 text NOT NULL,
    language                text NOT NULL,
    dpi                     integer NULL,
    created_by              uuid NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT printers_version_check CHECK (version >= 1),
    CONSTRAINT printers_connection_check CHECK (connection IN ('ipp', 'socket')),
    CONSTRAINT printers_language_check CHECK (language IN ('zpl', 'pdf')),
    CONSTRAINT printers_dpi_check CHECK ((language = 'zpl' AND dpi IN (203, 300)) OR (language = 'pdf' AND dpi IS NULL)),
    CONSTRAINT printers_name_check CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT printers_address_check CHECK (length(address) BETWEEN 1 AND 500)
);
CREATE UNIQUE INDEX printers_workstation_name_key ON printers (workstation, name) WHERE deleted_at IS NULL;

CREATE TABLE printer_defaults (
    id                      uuid PRIMARY KEY,
    workstation             text NOT NULL,
    document_kind           text NOT NULL,
    printer_id              uuid NOT NULL REFERENCES printers (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT printer_defaults_version_check CHECK (version >= 1),
    CONSTRAINT printer_defaults_document_kind_check CHECK (document_kind IN ('label', 'packing_slip', 'pick_list', 'manifest'))
);
CREATE UNIQUE INDEX printer_defaults_workstation_kind_key ON printer_defaults (workstation, document_kind) WHERE deleted_at IS NULL;

CREATE TABLE print_jobs (
    id                      uuid PRIMARY KEY,
    printer_id              uuid NOT NULL REFERENCES printers (id),
    workstation             text NOT NULL,
    document_kind           text NOT NULL,
    shipment_id             uuid NULL REFERENCES shipments (id),
    reprint_of              uuid NULL REFERENCES print_jobs (id),
    format                  text NOT NULL,
    dpi                     integer NULL,
    content                 bytea NOT NULL,
    byte_count              bigint NOT NULL,
    state                   text NOT NULL DEFAULT 'queued',
    failure                 text NULL,
    printer_job_id          bigint NULL,
    requested_by            uuid NULL REFERENCES users (id),
    sent_at                 timestamptz NULL,
    finished_at             timestamptz NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT print_jobs_version_check CHECK (version >= 1),
    CONSTRAINT print_jobs_document_kind_check CHECK (document_kind IN ('label', 'packing_slip', 'pick_list', 'manifest', 'test_page')),
    CONSTRAINT print_jobs_format_check CHECK ((format = 'zpl' AND dpi IN (203, 300)) OR (format = 'pdf' AND dpi IS NULL)),
    CONSTRAINT print_jobs_state_check CHECK (state IN ('queued', 'sending', 'sent', 'completed', 'failed', 'cancelled')),
    CONSTRAINT print_jobs_byte_count_check CHECK (byte_count = length(content)),
    CONSTRAINT print_jobs_failure_check CHECK ((state = 'failed') = (failure IS NOT NULL))
);
CREATE INDEX print_jobs_shipment_id_created_at_idx ON print_jobs (shipment_id, created_at) WHERE shipment_id IS NOT NULL;
CREATE INDEX print_jobs_workstation_created_at_id_idx ON print_jobs (workstation, created_at, id);
CREATE INDEX print_jobs_open_idx ON print_jobs (state) WHERE state IN ('queued', 'sending', 'sent');

CREATE TRIGGER printers_change_feed AFTER INSERT OR UPDATE OR DELETE ON printers FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER printer_defaults_change_feed AFTER INSERT OR UPDATE OR DELETE ON printer_defaults FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER print_jobs_change_feed AFTER INSERT OR UPDATE OR DELETE ON print_jobs FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON printers, printer_defaults, print_jobs FROM PUBLIC;
ALTER TABLE printers ENABLE ROW LEVEL SECURITY;
ALTER TABLE printers FORCE ROW LEVEL SECURITY;
ALTER TABLE printer_defaults ENABLE ROW LEVEL SECURITY;
ALTER TABLE printer_defaults FORCE ROW LEVEL SECURITY;
ALTER TABLE print_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE print_jobs FORCE ROW LEVEL SECURITY;

-- UPDATE is granted per column, never on the table (that would allow LOCK TABLE; see 0013).
GRANT SELECT, INSERT ON printers, printer_defaults, print_jobs TO md_admin, md_logistics;
GRANT UPDATE (name, connection, address, language, dpi, version, updated_at, deleted_at) ON printers TO md_admin, md_logistics;
GRANT UPDATE (printer_id, version, updated_at, deleted_at) ON printer_defaults TO md_admin, md_logistics;
GRANT UPDATE (state, failure, printer_job_id, sent_at, finished_at, version, updated_at) ON print_jobs TO md_admin, md_logistics;
CREATE POLICY printers_staff ON printers FOR ALL TO md_admin, md_logistics USING (true) WITH CHECK (true);
CREATE POLICY printer_defaults_staff ON printer_defaults FOR ALL TO md_admin, md_logistics USING (true) WITH CHECK (true);
-- A job is written by the person who asked for it; anyone running printing reads and advances them all.
CREATE POLICY print_jobs_read ON print_jobs FOR SELECT TO md_admin, md_logistics USING (true);
CREATE POLICY print_jobs_insert ON print_jobs FOR INSERT TO md_admin, md_logistics WITH CHECK (requested_by = md_uid());
CREATE POLICY print_jobs_update ON print_jobs FOR UPDATE TO md_admin, md_logistics USING (true) WITH CHECK (true);
