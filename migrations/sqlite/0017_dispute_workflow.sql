-- =============================================================================
-- Marketdesk 0017, SQLite: disputes worked through, as on PostgreSQL
-- (migration 0024 there): each stage's deadline, when the platform's own time
-- ran out, the outcome's note and, for a refund outcome, the lines to give
-- back and whether finance has made the refund; refunds name their dispute.
-- =============================================================================

ALTER TABLE disputes ADD COLUMN stage_due_at TEXT NULL;
ALTER TABLE disputes ADD COLUMN overdue_at TEXT NULL;
ALTER TABLE disputes ADD COLUMN resolution_note TEXT NULL CHECK (length(resolution_note) <= 2000);
ALTER TABLE disputes ADD COLUMN refund_lines TEXT NULL CHECK (refund_lines IS NULL OR json_type(refund_lines) = 'array');
ALTER TABLE disputes ADD COLUMN refund_minor INTEGER NULL CHECK (refund_minor >= 0);
ALTER TABLE disputes ADD COLUMN refund_state TEXT NULL CHECK (refund_state IN ('due', 'refunded'));
CREATE INDEX disputes_stage_due_at_idx ON disputes (stage_due_at)
    WHERE stage_due_at IS NOT NULL AND status NOT IN ('resolved', 'closed');
CREATE INDEX disputes_refund_due_idx ON disputes (resolved_at) WHERE refund_state = 'due';

ALTER TABLE refunds ADD COLUMN dispute_id BLOB NULL REFERENCES disputes (id);
CREATE INDEX refunds_dispute_id_idx ON refunds (dispute_id) WHERE dispute_id IS NOT NULL;
