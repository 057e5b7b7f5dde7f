-- =============================================================================
-- Marketdesk 0025, PostgreSQL: the marketplace's buyers as records.
-- * customer_notes: what staff note about a customer (admins and finance
--   write them, signed by themselves; nobody edits or removes them).
-- * The address book: admins add a customer's addresses, retire them
--   (deleted_at) and choose the default. An address is never edited in place
--   (orders and shipments point at it): an edit is a new row and the old one
--   retired, in one transaction. One default address per person.
-- * md_set_customer_blocked(): an admin blocks or unblocks a customer (status
--   suspended / active) on the version they read; staff and vendors are
--   suspended through md_set_user_active() instead, which also locks their
--   sign-in. Returns the new version, or NULL when the row moved on.
-- * A blocked customer's new orders are refused by the database.
-- =============================================================================

CREATE TABLE customer_notes (
    id                      uuid PRIMARY KEY,
    customer_id             uuid NOT NULL REFERENCES users (id),
    author_id               uuid NOT NULL REFERENCES users (id),
    body                    text NOT NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT customer_notes_version_check CHECK (version >= 1),
    CONSTRAINT customer_notes_body_check CHECK (length(btrim(body)) BETWEEN 1 AND 2000)
);
CREATE INDEX customer_notes_customer_id_created_at_idx ON customer_notes (customer_id, created_at);
CREATE TRIGGER customer_notes_change_feed AFTER INSERT OR UPDATE OR DELETE ON customer_notes FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON customer_notes FROM PUBLIC;
ALTER TABLE customer_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_notes FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON customer_notes TO md_admin, md_finance;
CREATE POLICY customer_notes_read ON customer_notes FOR SELECT TO md_admin, md_finance USING (true);
-- A note is signed by the person writing it, and is about a customer.
CREATE POLICY customer_notes_write ON customer_notes FOR INSERT TO md_admin, md_finance
    WITH CHECK (author_id = md_uid() AND deleted_at IS NULL
                AND EXISTS (SELECT 1 FROM users u WHERE u.id = customer_id AND u.role = 'customer'));

-- Earlier rows may hold several defaults for one person: the newest stays.
UPDATE shipping_addresses a SET is_default = false
 WHERE a.is_default AND a.deleted_at IS NULL AND EXISTS (
     SELECT 1 FROM shipping_addresses b
      WHERE b.user_id = a.user_id AND b.is_default AND b.deleted_at IS NULL
        AND (b.created_at, b.id) > (a.created_at, a.id));
CREATE UNIQUE INDEX shipping_addresses_default_key ON shipping_addresses (user_id) WHERE is_default AND deleted_at IS NULL;

GRANT INSERT ON shipping_addresses TO md_admin;
GRANT UPDATE (is_default, version, updated_at, deleted_at) ON shipping_addresses TO md_admin;
CREATE POLICY shipping_addresses_admin_add ON shipping_addresses FOR INSERT TO md_admin
    WITH CHECK (deleted_at IS NULL AND EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.role = 'customer'));
CREATE POLICY shipping_addresses_admin_keep ON shipping_addresses FOR UPDATE TO md_admin
    USING (EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.role = 'customer'))
    WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.role = 'customer'));

CREATE FUNCTION md_set_customer_blocked(p_customer uuid, p_blocked boolean, p_version bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_role text;
    v_version bigint;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only an admin may block or unblock customers' USING ERRCODE = '42501';
    END IF;
    SELECT role, version INTO v_role, v_version FROM public.users
     WHERE id = p_customer AND deleted_at IS NULL FOR UPDATE;
    IF v_role IS NULL THEN
        RAISE EXCEPTION 'no such customer' USING ERRCODE = 'P0002';
    END IF;
    IF v_role <> 'customer' THEN
        RAISE EXCEPTION 'only customers are blocked; staff and vendors are suspended' USING ERRCODE = '22023';
    END IF;
    IF v_version <> p_version THEN
        RETURN NULL;
    END IF;
    UPDATE public.users SET status = CASE WHEN p_blocked THEN 'suspended' ELSE 'active' END,
                            version = version + 1, updated_at = now()
     WHERE id = p_customer;
    RETURN v_version + 1;
END;
$$;
REVOKE ALL ON FUNCTION md_set_customer_blocked(uuid, boolean, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_set_customer_blocked(uuid, boolean, bigint) TO md_admin;

CREATE FUNCTION md_refuse_blocked_customer() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.users WHERE id = NEW.customer_id AND status = 'suspended') THEN
        RAISE EXCEPTION 'this customer is blocked: their new orders are refused' USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION md_refuse_blocked_customer() FROM PUBLIC;
CREATE TRIGGER orders_refuse_blocked_customer BEFORE INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION md_refuse_blocked_customer();
