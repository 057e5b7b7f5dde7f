-- =============================================================================
-- Marketdesk 0002, PostgreSQL: who may see and change what, decided by the
-- database itself.
--
-- * Four group roles (NOLOGIN): md_admin, md_vendor, md_logistics, md_finance.
--   Each person is their own LOGIN role (SCRAM password), member of exactly one
--   group, linked to their users row through users.db_role.
-- * Nothing is granted to PUBLIC. Each group gets written-out table (and, where
--   money or secrets must stay hidden, column) privileges, and row-level
--   security narrows rows: forced on every marketplace table, so even the
--   tables' owner obeys it unless it is a superuser (migrations and the seeder
--   run as one).
-- * Ledger and audit rows are insert-only for everyone: no UPDATE or DELETE
--   grant exists on ledger_transactions, ledger_entries or audit_log.
-- * Admin actions that need more privilege than a group has (create a person,
--   suspend, reactivate, reset a password) are SECURITY DEFINER functions with
--   a fixed search_path that check the caller's group first.
-- Roles are cluster-wide, so they are created only when missing: several
-- Marketdesk databases can share one server.
-- =============================================================================

DO $$
DECLARE g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['md_admin', 'md_vendor', 'md_logistics', 'md_finance'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', g);
        END IF;
    END LOOP;
END $$;

ALTER TABLE users ADD COLUMN db_role text NULL;
CREATE UNIQUE INDEX users_db_role_key ON users (db_role) WHERE db_role IS NOT NULL;
-- The person must choose a new password at the next sign-in (invited, or reset by an admin).
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- -----------------------------------------------------------------------------
-- Who is asking. SECURITY DEFINER so policies can look up users without
-- recursing into users' own policies; session_user is the person who signed in
-- (SET ROLE cannot turn them into someone else).
-- -----------------------------------------------------------------------------

CREATE FUNCTION md_uid() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT id FROM public.users
    WHERE db_role = session_user::text AND deleted_at IS NULL AND status = 'active'
$$;

CREATE FUNCTION md_in_group(g text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT pg_has_role(session_user, g, 'MEMBER')
$$;

CREATE FUNCTION md_owns_product(p uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.products WHERE id = p AND vendor_id = public.md_uid())
$$;

CREATE FUNCTION md_sells_in_order(o uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.order_items WHERE order_id = o AND vendor_id = public.md_uid())
$$;

CREATE FUNCTION md_sells_item(i uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.order_items WHERE id = i AND vendor_id = public.md_uid())
$$;

CREATE FUNCTION md_ships(s uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.shipments WHERE id = s AND vendor_id = public.md_uid())
$$;

CREATE FUNCTION md_party_to_dispute(d uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.disputes WHERE id = d AND vendor_id = public.md_uid())
$$;

CREATE FUNCTION md_ships_to(a uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.orders o
        WHERE o.shipping_address_id = a AND public.md_sells_in_order(o.id)
    )
$$;

CREATE FUNCTION md_paid_to_me(p uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.payouts WHERE id = p AND vendor_id = public.md_uid())
$$;

CREATE FUNCTION md_touches_me(t uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.ledger_entries WHERE transaction_id = t AND vendor_id = public.md_uid())
$$;

-- The change feed is written on behalf of whoever changed a row.
ALTER FUNCTION md_record_change() SECURITY DEFINER SET search_path = pg_catalog, public;

-- -----------------------------------------------------------------------------
-- Nothing for PUBLIC; row-level security on every marketplace table.
-- -----------------------------------------------------------------------------

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO md_admin, md_vendor, md_logistics, md_finance;
-- Policies call these as the person asking; each answers only about that person.
GRANT EXECUTE ON FUNCTION md_uid(), md_in_group(text), md_owns_product(uuid), md_sells_in_order(uuid), md_sells_item(uuid),
    md_ships(uuid), md_party_to_dispute(uuid), md_ships_to(uuid), md_paid_to_me(uuid), md_touches_me(uuid)
    TO md_admin, md_vendor, md_logistics, md_finance;

DO $$
DECLARE t text;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND c.relname NOT IN ('_sqlx_migrations', 'sync_outbox', 'sync_state')
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END $$;

-- -----------------------------------------------------------------------------
-- Identity
-- -----------------------------------------------------------------------------

-- password_hash (the offline verifier) is readable by no group.
GRANT SELECT (id, email, username, display_name, role, status, email_verified_at, last_sign_in_at, avatar_url, locale,
              timezone, failed_sign_in_count, locked_until, version, created_at, updated_at, deleted_at, db_role,
              must_change_password)
    ON users TO md_admin, md_finance;
GRANT SELECT (id, email, username, display_name, role, status, avatar_url, locale, timezone, version, created_at,
              updated_at, deleted_at)
    ON users TO md_vendor;
GRANT SELECT (id, display_name, role, status, version, updated_at) ON users TO md_logistics;
GRANT UPDATE (display_name, avatar_url, locale, timezone, version, updated_at) ON users TO md_admin, md_vendor, md_logistics, md_finance;
CREATE POLICY users_staff_read ON users FOR SELECT TO md_admin, md_finance, md_logistics USING (true);
CREATE POLICY users_vendor_read ON users FOR SELECT TO md_vendor USING (id = md_uid());
CREATE POLICY users_admin_update ON users FOR UPDATE TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY users_self_update ON users FOR UPDATE TO md_vendor, md_logistics, md_finance
    USING (id = md_uid()) WITH CHECK (id = md_uid());

GRANT SELECT ON user_profiles TO md_admin, md_finance, md_logistics, md_vendor;
GRANT INSERT, UPDATE ON user_profiles TO md_admin;
GRANT UPDATE (business_name, legal_name, tax_id, phone, website, support_email, description, logo_url, address_line1,
              address_line2, city, region, postal_code, country, version, updated_at)
    ON user_profiles TO md_vendor;
CREATE POLICY user_profiles_staff ON user_profiles FOR SELECT TO md_admin, md_finance, md_logistics USING (true);
CREATE POLICY user_profiles_admin_write ON user_profiles FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY user_profiles_vendor ON user_profiles FOR SELECT TO md_vendor USING (user_id = md_uid());
CREATE POLICY user_profiles_vendor_update ON user_profiles FOR UPDATE TO md_vendor
    USING (user_id = md_uid()) WITH CHECK (user_id = md_uid());

-- -----------------------------------------------------------------------------
-- Catalog
-- -----------------------------------------------------------------------------

GRANT SELECT ON categories, shipping_methods, subscription_plans, platform_settings TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT, UPDATE ON categories, shipping_methods, subscription_plans, platform_settings TO md_admin;
CREATE POLICY categories_read ON categories FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY categories_admin ON categories FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY shipping_methods_read ON shipping_methods FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY shipping_methods_admin ON shipping_methods FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY subscription_plans_read ON subscription_plans FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY subscription_plans_admin ON subscription_plans FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY platform_settings_read ON platform_settings FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY platform_settings_admin ON platform_settings FOR ALL TO md_admin USING (true) WITH CHECK (true);

GRANT SELECT ON products TO md_admin, md_vendor, md_logistics, md_finance;
GRANT UPDATE ON products TO md_admin;
GRANT INSERT ON products TO md_vendor;
GRANT UPDATE (category_id, name, slug, description, status, submitted_at, base_price_minor, currency, tax_code,
              requires_shipping, attributes, version, updated_at, deleted_at)
    ON products TO md_vendor;
CREATE POLICY products_staff_read ON products FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
CREATE POLICY products_admin_update ON products FOR UPDATE TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY products_vendor_read ON products FOR SELECT TO md_vendor USING (vendor_id = md_uid());
-- A vendor proposes; only an admin approves or rejects.
CREATE POLICY products_vendor_insert ON products FOR INSERT TO md_vendor
    WITH CHECK (vendor_id = md_uid() AND status IN ('draft', 'pending_review') AND approved_by IS NULL);
CREATE POLICY products_vendor_update ON products FOR UPDATE TO md_vendor
    USING (vendor_id = md_uid()) WITH CHECK (vendor_id = md_uid() AND status IN ('draft', 'pending_review', 'archived'));

GRANT SELECT ON product_variants TO md_admin, md_vendor, md_finance;
GRANT SELECT (id, product_id, sku, name, stock_on_hand, stock_reserved, low_stock_threshold, weight_grams, barcode,
              options, is_active, version, created_at, updated_at, deleted_at)
    ON product_variants TO md_logistics;
GRANT UPDATE ON product_variants TO md_admin;
GRANT INSERT, UPDATE ON product_variants TO md_vendor;
CREATE POLICY product_variants_staff_read ON product_variants FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
CREATE POLICY product_variants_admin_update ON product_variants FOR UPDATE TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY product_variants_vendor ON product_variants FOR ALL TO md_vendor
    USING (md_owns_product(product_id)) WITH CHECK (md_owns_product(product_id));

GRANT SELECT ON product_images TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT, UPDATE, DELETE ON product_images TO md_admin, md_vendor;
CREATE POLICY product_images_staff ON product_images FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
CREATE POLICY product_images_admin ON product_images FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY product_images_vendor ON product_images FOR ALL TO md_vendor
    USING (md_owns_product(product_id)) WITH CHECK (md_owns_product(product_id));

GRANT SELECT ON product_reviews TO md_admin, md_vendor;
GRANT UPDATE ON product_reviews TO md_admin;
GRANT UPDATE (vendor_reply, vendor_replied_at, version, updated_at) ON product_reviews TO md_vendor;
CREATE POLICY product_reviews_admin ON product_reviews FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY product_reviews_vendor ON product_reviews FOR SELECT TO md_vendor USING (md_owns_product(product_id));
CREATE POLICY product_reviews_vendor_reply ON product_reviews FOR UPDATE TO md_vendor
    USING (md_owns_product(product_id)) WITH CHECK (md_owns_product(product_id));

-- -----------------------------------------------------------------------------
-- Orders. Vendors see the orders they sell in, without the order's money
-- (which includes other vendors' lines); logistics sees totals but no line
-- prices, payments or ledger.
-- -----------------------------------------------------------------------------

GRANT SELECT ON shipping_addresses TO md_admin, md_logistics, md_vendor;
CREATE POLICY shipping_addresses_staff ON shipping_addresses FOR SELECT TO md_admin, md_logistics USING (true);
CREATE POLICY shipping_addresses_vendor ON shipping_addresses FOR SELECT TO md_vendor USING (md_ships_to(id));

GRANT SELECT ON orders TO md_admin, md_logistics, md_finance;
GRANT SELECT (id, number, status, currency, shipping_address_id, shipping_method_id, placed_at, paid_at, cancelled_at,
              version, created_at, updated_at, deleted_at)
    ON orders TO md_vendor;
GRANT UPDATE (status, cancelled_at, notes, version, updated_at) ON orders TO md_admin, md_logistics;
CREATE POLICY orders_staff_read ON orders FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
CREATE POLICY orders_staff_update ON orders FOR UPDATE TO md_admin, md_logistics USING (true) WITH CHECK (true);
CREATE POLICY orders_vendor_read ON orders FOR SELECT TO md_vendor USING (md_sells_in_order(id));

GRANT SELECT ON order_items TO md_admin, md_finance, md_vendor;
GRANT SELECT (id, order_id, vendor_id, product_id, variant_id, sku, product_name, variant_name, quantity, status,
              refunded_quantity, version, created_at, updated_at, deleted_at)
    ON order_items TO md_logistics;
GRANT UPDATE (status, version, updated_at) ON order_items TO md_admin, md_logistics, md_vendor;
CREATE POLICY order_items_staff_read ON order_items FOR SELECT TO md_admin, md_logistics, md_finance USING (true);
CREATE POLICY order_items_staff_update ON order_items FOR UPDATE TO md_admin, md_logistics USING (true) WITH CHECK (true);
CREATE POLICY order_items_vendor ON order_items FOR SELECT TO md_vendor USING (vendor_id = md_uid());
CREATE POLICY order_items_vendor_update ON order_items FOR UPDATE TO md_vendor
    USING (vendor_id = md_uid()) WITH CHECK (vendor_id = md_uid());

-- -----------------------------------------------------------------------------
-- Money: finance reads everything financial and writes payouts, refunds and
-- ledger postings; vendors read their own; logistics reads none of it.
-- -----------------------------------------------------------------------------

GRANT SELECT ON payments TO md_admin, md_finance;
GRANT INSERT, UPDATE ON payments TO md_finance;
CREATE POLICY payments_read ON payments FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY payments_finance ON payments FOR ALL TO md_finance USING (true) WITH CHECK (true);

GRANT SELECT ON refunds TO md_admin, md_finance, md_vendor;
GRANT INSERT, UPDATE ON refunds TO md_finance;
CREATE POLICY refunds_read ON refunds FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY refunds_finance ON refunds FOR ALL TO md_finance USING (true) WITH CHECK (true);
CREATE POLICY refunds_vendor ON refunds FOR SELECT TO md_vendor USING (md_sells_item(order_item_id));

GRANT SELECT ON subscriptions TO md_admin, md_finance, md_vendor;
GRANT INSERT, UPDATE ON subscriptions TO md_admin, md_finance;
CREATE POLICY subscriptions_staff ON subscriptions FOR ALL TO md_admin, md_finance USING (true) WITH CHECK (true);
CREATE POLICY subscriptions_vendor ON subscriptions FOR SELECT TO md_vendor USING (vendor_id = md_uid());

GRANT SELECT ON payout_batches TO md_admin, md_finance;
GRANT INSERT, UPDATE ON payout_batches TO md_finance;
CREATE POLICY payout_batches_read ON payout_batches FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY payout_batches_finance ON payout_batches FOR ALL TO md_finance USING (true) WITH CHECK (true);

GRANT SELECT ON payouts TO md_admin, md_finance, md_vendor;
GRANT INSERT, UPDATE ON payouts TO md_finance;
CREATE POLICY payouts_read ON payouts FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY payouts_finance ON payouts FOR ALL TO md_finance USING (true) WITH CHECK (true);
CREATE POLICY payouts_vendor ON payouts FOR SELECT TO md_vendor USING (vendor_id = md_uid());

GRANT SELECT ON payout_items TO md_admin, md_finance, md_vendor;
GRANT INSERT ON payout_items TO md_finance;
CREATE POLICY payout_items_read ON payout_items FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY payout_items_finance ON payout_items FOR INSERT TO md_finance WITH CHECK (true);
CREATE POLICY payout_items_vendor ON payout_items FOR SELECT TO md_vendor USING (md_paid_to_me(payout_id));

-- The ledger: insert-only for everyone, no UPDATE or DELETE grant exists.
GRANT SELECT ON ledger_accounts, ledger_transactions, ledger_entries TO md_admin, md_finance, md_vendor;
GRANT INSERT ON ledger_accounts, ledger_transactions, ledger_entries TO md_finance;
CREATE POLICY ledger_accounts_read ON ledger_accounts FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY ledger_accounts_insert ON ledger_accounts FOR INSERT TO md_finance WITH CHECK (true);
CREATE POLICY ledger_accounts_vendor ON ledger_accounts FOR SELECT TO md_vendor USING (vendor_id = md_uid());
CREATE POLICY ledger_transactions_read ON ledger_transactions FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY ledger_transactions_insert ON ledger_transactions FOR INSERT TO md_finance WITH CHECK (true);
CREATE POLICY ledger_transactions_vendor ON ledger_transactions FOR SELECT TO md_vendor USING (md_touches_me(id));
CREATE POLICY ledger_entries_read ON ledger_entries FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY ledger_entries_insert ON ledger_entries FOR INSERT TO md_finance WITH CHECK (true);
CREATE POLICY ledger_entries_vendor ON ledger_entries FOR SELECT TO md_vendor USING (vendor_id = md_uid());

-- -----------------------------------------------------------------------------
-- Logistics: shipments and tracking are theirs to write.
-- -----------------------------------------------------------------------------

GRANT SELECT ON shipments, shipment_items, shipping_labels, tracking_events TO md_admin, md_logistics, md_vendor;
GRANT SELECT ON shipments TO md_finance;
GRANT INSERT, UPDATE ON shipments, shipment_items, shipping_labels TO md_logistics;
GRANT INSERT ON tracking_events TO md_logistics;
CREATE POLICY shipments_staff_read ON shipments FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY shipments_logistics ON shipments FOR ALL TO md_logistics USING (true) WITH CHECK (true);
CREATE POLICY shipments_vendor ON shipments FOR SELECT TO md_vendor USING (vendor_id = md_uid());
CREATE POLICY shipment_items_admin ON shipment_items FOR SELECT TO md_admin USING (true);
CREATE POLICY shipment_items_logistics ON shipment_items FOR ALL TO md_logistics USING (true) WITH CHECK (true);
CREATE POLICY shipment_items_vendor ON shipment_items FOR SELECT TO md_vendor USING (md_ships(shipment_id));
CREATE POLICY shipping_labels_admin ON shipping_labels FOR SELECT TO md_admin USING (true);
CREATE POLICY shipping_labels_logistics ON shipping_labels FOR ALL TO md_logistics USING (true) WITH CHECK (true);
CREATE POLICY shipping_labels_vendor ON shipping_labels FOR SELECT TO md_vendor USING (md_ships(shipment_id));
CREATE POLICY tracking_events_admin ON tracking_events FOR SELECT TO md_admin USING (true);
CREATE POLICY tracking_events_logistics ON tracking_events FOR ALL TO md_logistics USING (true) WITH CHECK (true);
CREATE POLICY tracking_events_vendor ON tracking_events FOR SELECT TO md_vendor USING (md_ships(shipment_id));

-- -----------------------------------------------------------------------------
-- Disputes: admins run them; a vendor sees and answers the ones it is party
-- to, never the internal notes.
-- -----------------------------------------------------------------------------

GRANT SELECT ON disputes TO md_admin, md_finance, md_vendor;
GRANT INSERT, UPDATE ON disputes TO md_admin;
CREATE POLICY disputes_staff_read ON disputes FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY disputes_admin ON disputes FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY disputes_vendor ON disputes FOR SELECT TO md_vendor USING (vendor_id = md_uid());

GRANT SELECT ON dispute_messages TO md_admin, md_finance, md_vendor;
GRANT INSERT ON dispute_messages TO md_admin, md_vendor;
GRANT UPDATE (version, updated_at) ON disputes TO md_vendor;
CREATE POLICY dispute_messages_staff ON dispute_messages FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY dispute_messages_admin ON dispute_messages FOR INSERT TO md_admin WITH CHECK (author_id = md_uid());
CREATE POLICY dispute_messages_vendor ON dispute_messages FOR SELECT TO md_vendor
    USING (md_party_to_dispute(dispute_id) AND NOT is_internal);
CREATE POLICY dispute_messages_vendor_write ON dispute_messages FOR INSERT TO md_vendor
    WITH CHECK (md_party_to_dispute(dispute_id) AND NOT is_internal AND author_id = md_uid());
CREATE POLICY disputes_vendor_touch ON disputes FOR UPDATE TO md_vendor
    USING (vendor_id = md_uid()) WITH CHECK (vendor_id = md_uid());

-- -----------------------------------------------------------------------------
-- Per-person things: notifications, preferences, saved reports.
-- -----------------------------------------------------------------------------

GRANT SELECT ON notifications TO md_admin, md_vendor, md_logistics, md_finance;
GRANT UPDATE (read_at, version, updated_at) ON notifications TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT ON notifications TO md_admin;
CREATE POLICY notifications_own ON notifications FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (user_id = md_uid());
CREATE POLICY notifications_own_update ON notifications FOR UPDATE TO md_admin, md_vendor, md_logistics, md_finance
    USING (user_id = md_uid()) WITH CHECK (user_id = md_uid());
CREATE POLICY notifications_admin_send ON notifications FOR INSERT TO md_admin WITH CHECK (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON notification_preferences TO md_admin, md_vendor, md_logistics, md_finance;
CREATE POLICY notification_preferences_own ON notification_preferences FOR ALL TO md_admin, md_vendor, md_logistics, md_finance
    USING (user_id = md_uid()) WITH CHECK (user_id = md_uid());

GRANT SELECT, INSERT, UPDATE, DELETE ON reports TO md_admin, md_finance, md_vendor;
CREATE POLICY reports_own ON reports FOR ALL TO md_admin, md_finance, md_vendor
    USING (owner_id = md_uid()) WITH CHECK (owner_id = md_uid());
CREATE POLICY reports_shared ON reports FOR SELECT TO md_admin, md_finance USING (is_shared);
GRANT SELECT, INSERT, UPDATE ON report_runs TO md_admin, md_finance, md_vendor;
CREATE POLICY report_runs_own ON report_runs FOR ALL TO md_admin, md_finance, md_vendor
    USING (run_by = md_uid()) WITH CHECK (run_by = md_uid());

GRANT INSERT ON analytics_events TO md_admin, md_vendor, md_logistics, md_finance;
GRANT SELECT ON analytics_events TO md_admin, md_finance;
CREATE POLICY analytics_events_track ON analytics_events FOR INSERT TO md_admin, md_vendor, md_logistics, md_finance
    WITH CHECK (user_id IS NULL OR user_id = md_uid());
CREATE POLICY analytics_events_read ON analytics_events FOR SELECT TO md_admin, md_finance USING (true);

-- The audit trail: anyone may add what they did; only admins read; nobody edits.
GRANT INSERT ON audit_log TO md_admin, md_vendor, md_logistics, md_finance;
GRANT SELECT ON audit_log TO md_admin;
CREATE POLICY audit_log_write ON audit_log FOR INSERT TO md_admin, md_vendor, md_logistics, md_finance
    WITH CHECK (actor_id = md_uid());
CREATE POLICY audit_log_admin_read ON audit_log FOR SELECT TO md_admin USING (true);

GRANT SELECT, INSERT, UPDATE ON email_outbox TO md_admin;
CREATE POLICY email_outbox_admin ON email_outbox FOR ALL TO md_admin USING (true) WITH CHECK (true);

-- -----------------------------------------------------------------------------
-- Sync bookkeeping. The change feed names tables and ids only; what a client
-- pulls is re-read through the policies above.
-- -----------------------------------------------------------------------------

GRANT SELECT ON sync_change_feed TO md_admin, md_vendor, md_logistics, md_finance;
CREATE POLICY sync_change_feed_read ON sync_change_feed FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
GRANT SELECT, INSERT ON sync_applied_mutations TO md_admin, md_vendor, md_logistics, md_finance;
CREATE POLICY sync_applied_mutations_own ON sync_applied_mutations FOR ALL TO md_admin, md_vendor, md_logistics, md_finance
    USING (applied_by = md_uid()) WITH CHECK (applied_by = md_uid());
GRANT SELECT, INSERT, UPDATE ON sync_conflicts TO md_admin;
CREATE POLICY sync_conflicts_admin ON sync_conflicts FOR ALL TO md_admin USING (true) WITH CHECK (true);

-- The login role of a sign-in name: known to a client before it connects.
-- The md_u_ prefix keeps people apart from the group roles (a user called
-- "admin" must never become md_admin); usernames of at most 58 characters
-- keep the name within PostgreSQL's 63.
CREATE FUNCTION md_login_role(p_username text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT 'md_u_' || lower(p_username)
$$;

-- The caller's own users row (every role may read all of its own columns but
-- the password verifier, whatever its column grants on other people's rows).
CREATE FUNCTION md_me()
RETURNS TABLE (id uuid, email text, username text, display_name text, role text, status text,
               must_change_password boolean, last_sign_in_at timestamptz, version bigint,
               created_at timestamptz, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT u.id, u.email, u.username, u.display_name, u.role, u.status, u.must_change_password, u.last_sign_in_at,
           u.version, u.created_at, u.updated_at
    FROM public.users u
    WHERE u.db_role = session_user::text AND u.deleted_at IS NULL AND u.status <> 'suspended'
$$;

-- Sets the caller's own password. It ends an invitation (the one-time code
-- proved the address: the person becomes active, the address verified) and
-- any "must change" left by an admin's reset.
CREATE FUNCTION md_set_own_password(p_new_password text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me public.users%ROWTYPE;
BEGIN
    SELECT * INTO me FROM public.users WHERE db_role = session_user::text AND deleted_at IS NULL AND status <> 'suspended';
    IF me.id IS NULL THEN
        RAISE EXCEPTION 'this sign-in is not a Marketdesk user' USING ERRCODE = '42501';
    END IF;
    IF length(coalesce(p_new_password, '')) < 12 THEN
        RAISE EXCEPTION 'a password needs at least 12 characters' USING ERRCODE = '22023';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', me.db_role, p_new_password);
    IF me.status = 'invited' THEN
        EXECUTE format('GRANT %I TO %I', CASE me.role WHEN 'admin' THEN 'md_admin' WHEN 'vendor' THEN 'md_vendor'
                       WHEN 'logistics' THEN 'md_logistics' ELSE 'md_finance' END, me.db_role);
    END IF;
    UPDATE public.users
    SET status = CASE WHEN status = 'invited' THEN 'active' ELSE status END,
        email_verified_at = CASE WHEN status = 'invited' THEN coalesce(email_verified_at, now()) ELSE email_verified_at END,
        must_change_password = false, version = version + 1, updated_at = now()
    WHERE id = me.id;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    VALUES (gen_random_uuid(), me.id, me.role, CASE WHEN me.status = 'invited' THEN 'invitation_accepted' ELSE 'password_changed' END,
            'users', me.id, now());
END;
$$;

-- Stamps the caller's successful sign-in (the app calls it right after
-- connecting), with the failed attempts its client counted before it: a
-- refused connection runs no SQL, so those reach the audit trail here.
CREATE FUNCTION md_signed_in(p_failed_attempts integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    UPDATE public.users SET last_sign_in_at = now(), failed_sign_in_count = 0
    WHERE db_role = session_user::text AND status <> 'suspended';
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
    SELECT gen_random_uuid(), u.id, u.role, 'failed_sign_ins', 'users', u.id,
           jsonb_build_object('attempts', p_failed_attempts), now()
    FROM public.users u WHERE u.db_role = session_user::text AND p_failed_attempts > 0;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    SELECT gen_random_uuid(), u.id, u.role, 'signed_in', 'users', u.id, now()
    FROM public.users u WHERE u.db_role = session_user::text;
$$;

-- Also callable by a login not yet in any group (an invitation not accepted
-- yet): each of them only reads or changes the caller's own row.
GRANT EXECUTE ON FUNCTION md_login_role(text), md_me(), md_signed_in(integer), md_set_own_password(text) TO PUBLIC;

-- -----------------------------------------------------------------------------
-- People: created, suspended, reactivated and reset by admins through these
-- functions only. They run with the owner's rights (which must include
-- CREATEROLE), check the caller first, and never take a role name from input:
-- the login role is derived from the new user's id.
-- -----------------------------------------------------------------------------

CREATE FUNCTION md_create_user(p_email text, p_username text, p_display_name text, p_role text, p_password text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    new_id uuid;
    login text;
    grp text;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only an admin may create users' USING ERRCODE = '42501';
    END IF;
    grp := CASE p_role WHEN 'admin' THEN 'md_admin' WHEN 'vendor' THEN 'md_vendor'
                       WHEN 'logistics' THEN 'md_logistics' WHEN 'finance' THEN 'md_finance' END;
    IF grp IS NULL THEN
        RAISE EXCEPTION 'a person signs in as admin, vendor, logistics or finance, not %', p_role USING ERRCODE = '22023';
    END IF;
    IF length(coalesce(p_password, '')) < 12 THEN
        RAISE EXCEPTION 'a password needs at least 12 characters' USING ERRCODE = '22023';
    END IF;
    IF p_username !~ '^[A-Za-z0-9._-]{3,58}$' THEN
        RAISE EXCEPTION 'a username is 3 to 58 letters, digits, dots, dashes or underscores' USING ERRCODE = '22023';
    END IF;
    -- UUIDv7-ordered ids come from clients elsewhere; here the database makes one.
    new_id := gen_random_uuid();
    login := public.md_login_role(p_username);
    -- p_password is the one-time code of the invitation mail: the person signs
    -- in with it once and must then choose a password (md_set_own_password).
    INSERT INTO public.users (id, email, username, display_name, role, status, db_role, must_change_password)
    VALUES (new_id, lower(p_email), p_username, p_display_name, p_role, 'invited', login, true);
    -- No group yet: until the invitation is accepted (md_set_own_password) the
    -- login can read its own row and choose a password, nothing else.
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', login, p_password);
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', 'user_created', 'users', new_id,
            jsonb_build_object('role', p_role, 'email', lower(p_email)), now());
    RETURN new_id;
END;
$$;

-- Gives an existing person (an imported vendor, a demo user) a login role.
CREATE FUNCTION md_enable_login(p_user uuid, p_password text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    login text;
    person_role text;
    grp text;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only an admin may give people a sign-in' USING ERRCODE = '42501';
    END IF;
    IF length(coalesce(p_password, '')) < 12 THEN
        RAISE EXCEPTION 'a password needs at least 12 characters' USING ERRCODE = '22023';
    END IF;
    SELECT role, db_role INTO person_role, login FROM public.users WHERE id = p_user AND deleted_at IS NULL;
    IF person_role IS NULL THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'P0002';
    END IF;
    IF login IS NOT NULL THEN
        RAISE EXCEPTION 'this person already has a sign-in' USING ERRCODE = '23505';
    END IF;
    grp := CASE person_role WHEN 'admin' THEN 'md_admin' WHEN 'vendor' THEN 'md_vendor'
                            WHEN 'logistics' THEN 'md_logistics' WHEN 'finance' THEN 'md_finance' END;
    IF grp IS NULL THEN
        RAISE EXCEPTION 'customers do not sign in to Marketdesk' USING ERRCODE = '22023';
    END IF;
    SELECT public.md_login_role(username) INTO login FROM public.users WHERE id = p_user;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', login, p_password, grp);
    UPDATE public.users SET db_role = login, status = 'active', version = version + 1, updated_at = now() WHERE id = p_user;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', 'login_enabled', 'users', p_user, now());
    RETURN login;
END;
$$;

CREATE FUNCTION md_set_user_active(p_user uuid, p_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE login text;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only an admin may suspend or reactivate users' USING ERRCODE = '42501';
    END IF;
    SELECT db_role INTO login FROM public.users WHERE id = p_user AND deleted_at IS NULL;
    IF login IS NULL THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'P0002';
    END IF;
    UPDATE public.users SET status = CASE WHEN p_active THEN 'active' ELSE 'suspended' END,
                            version = version + 1, updated_at = now()
    WHERE id = p_user;
    IF p_active THEN
        EXECUTE format('ALTER ROLE %I LOGIN', login);
    ELSE
        EXECUTE format('ALTER ROLE %I NOLOGIN', login);
        PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = login;
    END IF;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', CASE WHEN p_active THEN 'user_reactivated' ELSE 'user_suspended' END,
            'users', p_user, now());
END;
$$;

CREATE FUNCTION md_reset_password(p_user uuid, p_password text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE login text;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only an admin may reset passwords' USING ERRCODE = '42501';
    END IF;
    IF length(coalesce(p_password, '')) < 12 THEN
        RAISE EXCEPTION 'a password needs at least 12 characters' USING ERRCODE = '22023';
    END IF;
    SELECT db_role INTO login FROM public.users WHERE id = p_user AND deleted_at IS NULL;
    IF login IS NULL THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'P0002';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, p_password);
    UPDATE public.users SET must_change_password = true, version = version + 1, updated_at = now() WHERE id = p_user;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', 'password_reset', 'users', p_user, now());
END;
$$;

REVOKE EXECUTE ON FUNCTION md_create_user(text, text, text, text, text), md_enable_login(uuid, text),
    md_set_user_active(uuid, boolean), md_reset_password(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_create_user(text, text, text, text, text), md_enable_login(uuid, text),
    md_set_user_active(uuid, boolean), md_reset_password(uuid, text) TO md_admin;

-- -----------------------------------------------------------------------------
-- The audit trail, written by the database itself for the changes that matter:
-- people and their business details, settings, and every money or label action.
-- Each row names who (md_uid(), NULL for the system), what, and which fields
-- changed from what to what (never the password verifier). Bulk loads that
-- run with session_replication_role = replica (the demo seeder) skip it.
-- -----------------------------------------------------------------------------

CREATE FUNCTION md_audit_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    changes jsonb := '{}'::jsonb;
    old_row jsonb;
    new_row jsonb := to_jsonb(NEW) - 'password_hash';
    k text;
    actor uuid := public.md_uid();
BEGIN
    IF TG_OP = 'INSERT' THEN
        changes := new_row - 'version' - 'created_at' - 'updated_at';
    ELSE
        old_row := to_jsonb(OLD) - 'password_hash';
        FOR k IN SELECT jsonb_object_keys(new_row) LOOP
            IF k NOT IN ('version', 'updated_at') AND (old_row -> k) IS DISTINCT FROM (new_row -> k) THEN
                changes := changes || jsonb_build_object(k, jsonb_build_array(old_row -> k, new_row -> k));
            END IF;
        END LOOP;
        IF changes = '{}'::jsonb THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
    VALUES (gen_random_uuid(), actor, (SELECT role FROM public.users WHERE id = actor),
            TG_TABLE_NAME || '.' || lower(TG_OP), TG_TABLE_NAME, NEW.id, changes, now());
    RETURN NULL;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_audit_change() FROM PUBLIC;

CREATE TRIGGER users_audit AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER user_profiles_audit AFTER INSERT OR UPDATE ON user_profiles FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER platform_settings_audit AFTER INSERT OR UPDATE ON platform_settings FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER refunds_audit AFTER INSERT OR UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER payouts_audit AFTER INSERT OR UPDATE ON payouts FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER payout_batches_audit AFTER INSERT OR UPDATE ON payout_batches FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER shipping_labels_audit AFTER INSERT OR UPDATE ON shipping_labels FOR EACH ROW EXECUTE FUNCTION md_audit_change();
CREATE TRIGGER subscription_plans_audit AFTER INSERT OR UPDATE ON subscription_plans FOR EACH ROW EXECUTE FUNCTION md_audit_change();
