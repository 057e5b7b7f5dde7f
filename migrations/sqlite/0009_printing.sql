-- =============================================================================
-- Marketdesk 0009, SQLite: printers and print jobs, as on PostgreSQL
-- (migration 0016 there), so a workstation working offline prints the local
-- carrier's labels and reprints with every job recorded.
-- =============================================================================

CREATE TABLE printers (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    workstation             TEXT NOT NULL,
    name                    TEXT NOT NULL,
    connection              TEXT NOT NULL,
    address                 TEXT NOT NULL,
    language                TEXT NOT NULL,
    dpi                     INTEGER NULL,
    created_by              BLOB NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT printers_version_check CHECK (version >= 1),
    CONSTRAINT printers_connection_check CHECK (connection IN ('ipp', 'socket')),
    CONSTRAINT printers_language_check CHECK (language IN ('zpl', 'pdf')),
    CONSTRAINT printers_dpi_check CHECK ((language = 'zpl' AND dpi IN (203, 300)) OR (language = 'pdf' AND dpi IS NULL)),
    CONSTRAINT printers_name_check CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT printers_address_check CHECK (length(address) BETWEEN 1 AND 500)
) STRICT;
CREATE UNIQUE INDEX printers_workstation_name_key ON printers (workstation, name) WHERE deleted_at IS NULL;

CREATE TABLE printer_defaults (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    workstation             TEXT NOT NULL,
    document_kind           TEXT NOT NULL,
    printer_id              BLOB NOT NULL REFERENCES printers (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT printer_defaults_version_check CHECK (version >= 1),
    CONSTRAINT printer_defaults_document_kind_check CHECK (document_kind IN ('label', 'packing_slip', 'pick_list', 'manifest'))
) STRICT;
CREATE UNIQUE INDEX printer_defaults_workstation_kind_key ON printer_defaults (workstation, document_kind) WHERE deleted_at IS NULL;

CREATE TABLE print_jobs (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    printer_id              BLOB NOT NULL REFERENCES printers (id),
    workstation             TEXT NOT NULL,
    document_kind           TEXT NOT NULL,
    shipment_id             BLOB NULL REFERENCES shipments (id),
    reprint_of              BLOB NULL REFERENCES print_jobs (id),
    format                  TEXT NOT NULL,
    dpi                     INTEGER NULL,
    content                 BLOB NOT NULL,
    byte_count              INTEGER NOT NULL,
    state                   TEXT NOT NULL DEFAULT 'queued',
    failure                 TEXT NULL,
    printer_job_id          INTEGER NULL,
    requested_by            BLOB NULL REFERENCES users (id),
    sent_at                 TEXT NULL,
    finished_at             TEXT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT print_jobs_version_check CHECK (version >= 1),
    CONSTRAINT print_jobs_document_kind_check CHECK (document_kind IN ('label', 'packing_slip', 'pick_list', 'manifest', 'test_page')),
    CONSTRAINT print_jobs_format_check CHECK ((format = 'zpl' AND dpi IN (203, 300)) OR (format = 'pdf' AND dpi IS NULL)),
    CONSTRAINT print_jobs_state_check CHECK (state IN ('queued', 'sending', 'sent', 'completed', 'failed', 'cancelled')),
    CONSTRAINT print_jobs_byte_count_check CHECK (byte_count = length(content)),
    CONSTRAINT print_jobs_failure_check CHECK ((state = 'failed') = (failure IS NOT NULL))
) STRICT;
CREATE INDEX print_jobs_shipment_id_created_at_idx ON print_jobs (shipment_id, created_at) WHERE shipment_id IS NOT NULL;
CREATE INDEX print_jobs_workstation_created_at_id_idx ON print_jobs (workstation, created_at, id);
CREATE INDEX print_jobs_open_idx ON print_jobs (state) WHERE state IN ('queued', 'sending', 'sent');
