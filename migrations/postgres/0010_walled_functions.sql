-- =============================================================================
-- Marketdesk 0010, PostgreSQL: functions nobody can feed, and a wall around
-- this marketplace's database.
--
-- * Every function of the schema searches pg_catalog, then public, then the
--   session's temporary schema last. Without pg_temp named last PostgreSQL
--   looks in the caller's temporary schema FIRST for tables, so a login could
--   shadow order_items or sync_change_feed with a temporary table and have a
--   SECURITY DEFINER trigger read or write that instead. Temporary tables are
--   refused to the marketplace's people altogether (TEMPORARY revoked from
--   PUBLIC on this database); the search path holds even if a server grants it.
-- * One marketplace per database, walled: CONNECT is revoked from PUBLIC and
--   granted to each login of this database only, so a person of another
--   marketplace on the same server cannot open this one although the group
--   roles (md_admin, …) are server-wide. Sign-in names are unique per server:
--   creating a person whose login exists already (in another marketplace)
--   says so instead of taking over that login.
-- * Advisory locks are not for people: the pg_advisory functions are revoked
--   from PUBLIC and the two locks the core needs are taken through functions
--   that check the caller is finance (or an admin).
-- * A person's sign-in reads the applied migrations through md_schema_migrations().
-- =============================================================================

DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
    END LOOP;
END $$;
ALTER FUNCTION md_login_role(text) SET search_path = pg_catalog, pg_temp;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The database-level part of the wall, applied by this migration and again by
-- every `marketdesk migrate` (a database restored or copied from a template
-- gets PostgreSQL's default ACL, which lets PUBLIC connect and make temp tables).
CREATE FUNCTION md_wall_database() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE login text;
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    FOR login IN
        SELECT u.db_role FROM public.users u JOIN pg_catalog.pg_roles r ON r.rolname = u.db_role
    LOOP
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), login);
    END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_wall_database() FROM PUBLIC;
SELECT md_wall_database();

-- What every login of this marketplace gets besides its group: CONNECT to this
-- database only, a connection limit the server enforces, and time limits as
-- defaults of its sessions (a client may lower them for itself; a client that
-- raises them harms only itself, since the locks it could hold are narrowed in
-- migration 0013 and every other session gives up waiting after lock_timeout).
CREATE FUNCTION md_admit_login(p_login text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_login);
    EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 24', p_login);
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET lock_timeout = %L', p_login, current_database(), '10s');
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = %L', p_login, current_database(), '15min');
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout = %L',
                   p_login, current_database(), '60s');
END;
$$;
REVOKE EXECUTE ON FUNCTION md_admit_login(text) FROM PUBLIC;

DO $$
DECLARE login text;
BEGIN
    FOR login IN
        SELECT u.db_role FROM public.users u JOIN pg_catalog.pg_roles r ON r.rolname = u.db_role
    LOOP
        PERFORM public.md_admit_login(login);
    END LOOP;
END $$;

-- A sign-in name is the server's, not one marketplace's: refuse to reuse it.
CREATE FUNCTION md_claim_login(p_login text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION 'the sign-in name % is taken on this database server (by another marketplace, or a person deleted here); sign-in names are unique per server',
            substr(p_login, 6) USING ERRCODE = '23505';
    END IF;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_claim_login(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION md_create_user(p_email text, p_username text, p_display_name text, p_role text, p_password text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
    new_id := gen_random_uuid();
    login := public.md_login_role(p_username);
    INSERT INTO public.users (id, email, username, display_name, role, status, db_role, must_change_password)
    VALUES (new_id, lower(p_email), p_username, p_display_name, p_role, 'invited', login, true);
    PERFORM public.md_claim_login(login);
    -- No group until the invitation is accepted (md_set_own_password).
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', login, p_password);
    PERFORM public.md_admit_login(login);
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', 'user_created', 'users', new_id,
            jsonb_build_object('role', p_role, 'email', lower(p_email)), now());
    RETURN new_id;
END;
$$;

CREATE OR REPLACE FUNCTION md_enable_login(p_user uuid, p_password text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
    PERFORM public.md_claim_login(login);
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', login, p_password, grp);
    PERFORM public.md_admit_login(login);
    UPDATE public.users SET db_role = login, status = 'active', version = version + 1, updated_at = now() WHERE id = p_user;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', 'login_enabled', 'users', p_user, now());
    RETURN login;
END;
$$;

-- Advisory locks: none for PUBLIC in this database.
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname LIKE 'pg\_%advisory%'
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- Serialises payout preparation for the rest of the caller's transaction.
CREATE FUNCTION md_lock_payout_prepare() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance prepares payouts' USING ERRCODE = '42501';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('marketdesk:payout-prepare', 0));
END;
$$;

-- The execution lease of one batch, held by the caller's session until it
-- closes: true when taken, false when another session holds it.
CREATE FUNCTION md_try_lock_payout_batch(p_batch uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (public.md_in_group('md_finance') OR public.md_in_group('md_admin')) THEN
        RAISE EXCEPTION 'only finance executes payouts' USING ERRCODE = '42501';
    END IF;
    RETURN pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended('marketdesk:payout-batch:' || p_batch::text, 0));
END;
$$;
REVOKE EXECUTE ON FUNCTION md_lock_payout_prepare(), md_try_lock_payout_batch(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_lock_payout_prepare(), md_try_lock_payout_batch(uuid) TO md_finance, md_admin;

-- The applied migrations, for a client signed in as a person (who has no
-- grant on the bookkeeping table itself) to check the schema's version.
CREATE FUNCTION md_schema_migrations() RETURNS TABLE (version bigint, checksum bytea, success boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT m.version, m.checksum, m.success FROM public._sqlx_migrations m ORDER BY m.version
$$;
REVOKE EXECUTE ON FUNCTION md_schema_migrations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_schema_migrations() TO md_admin, md_vendor, md_logistics, md_finance;
