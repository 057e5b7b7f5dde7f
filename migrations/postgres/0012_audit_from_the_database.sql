-- =============================================================================
-- Marketdesk 0012, PostgreSQL: the audit trail is written by the database only.
-- * No group may INSERT into audit_log any more. The core's own entries go
--   through md_record_audit(), which takes the actor, the actor's role and the
--   time from the session, never from the caller; checks the action's shape
--   and the details' size; and refuses more than 120 entries a minute from
--   one person (a vendor wrote 100,000 rows in 3 s before).
-- * md_signed_in() is counted once per session, and the failed attempts it
--   reports are a small non-negative number.
-- * A temporary password from an admin's reset opens nothing but "choose your
--   own password": the reset takes the person out of their group, and
--   md_set_own_password() puts them back, as for an invitation.
-- * Saved reports are shared by staff only: a vendor's reports stay its own.
-- =============================================================================

REVOKE INSERT ON audit_log FROM md_admin, md_vendor, md_logistics, md_finance;
DROP POLICY audit_log_write ON audit_log;

CREATE FUNCTION md_record_audit(p_action text, p_entity_table text, p_entity_id uuid, p_details jsonb,
                                p_actor uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    actor uuid := public.md_uid();
    new_id uuid := gen_random_uuid();
    recent integer;
BEGIN
    -- A superuser session (the CLI acting "--as" someone, the worker) names its actor.
    IF public.md_session_is_superuser() THEN
        actor := p_actor;
    ELSIF actor IS NULL THEN
        RAISE EXCEPTION 'only a signed-in person of this marketplace adds to the audit trail' USING ERRCODE = '42501';
    END IF;
    IF p_action IS NULL OR p_action !~ '^[a-z][a-z0-9_.:-]{0,99}$' THEN
        RAISE EXCEPTION 'an audit action is 1–100 lower-case letters, digits and . _ : -' USING ERRCODE = '22023';
    END IF;
    IF p_entity_table IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND tablename = p_entity_table
    ) THEN
        RAISE EXCEPTION 'an audit entry is about a table of this marketplace, not %', p_entity_table USING ERRCODE = '22023';
    END IF;
    IF p_details IS NOT NULL AND octet_length(p_details::text) > 4096 THEN
        RAISE EXCEPTION 'audit details are at most 4 KB' USING ERRCODE = '22023';
    END IF;
    IF actor IS NOT NULL AND NOT public.md_session_is_superuser() THEN
        SELECT count(*) INTO recent FROM public.audit_log
        WHERE actor_id = actor AND occurred_at > now() - interval '1 minute';
        IF recent >= 120 THEN
            RAISE EXCEPTION 'too many audit entries from one person in a minute' USING ERRCODE = '54000';
        END IF;
    END IF;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
    VALUES (new_id, actor, (SELECT role FROM public.users WHERE id = actor), p_action, p_entity_table, p_entity_id,
            p_details, now());
    RETURN new_id;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_record_audit(text, text, uuid, jsonb, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_record_audit(text, text, uuid, jsonb, uuid) TO md_admin, md_vendor, md_logistics, md_finance;

-- Once per session: a repeated call adds nothing. The session is known by its
-- backend's process id and start time.
CREATE OR REPLACE FUNCTION md_signed_in(p_failed_attempts integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me public.users%ROWTYPE;
    started timestamptz := (SELECT backend_start FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid());
    session_key text := pg_catalog.pg_backend_pid()::text || '@' || started::text;
BEGIN
    IF p_failed_attempts IS NULL OR p_failed_attempts < 0 OR p_failed_attempts > 1000 THEN
        RAISE EXCEPTION 'failed attempts are counted from 0 to 1000, not %', p_failed_attempts USING ERRCODE = '22023';
    END IF;
    SELECT * INTO me FROM public.users WHERE db_role = session_user::text AND status <> 'suspended';
    IF me.id IS NULL THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM public.audit_log WHERE actor_id = me.id AND occurred_at >= started
               AND action = 'signed_in' AND details ->> 'session' = session_key) THEN
        RETURN;
    END IF;
    UPDATE public.users SET last_sign_in_at = now(), failed_sign_in_count = 0 WHERE id = me.id;
    IF p_failed_attempts > 0 THEN
        INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
        VALUES (gen_random_uuid(), me.id, me.role, 'failed_sign_ins', 'users', me.id,
                jsonb_build_object('attempts', p_failed_attempts), now());
    END IF;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at)
    VALUES (gen_random_uuid(), me.id, me.role, 'signed_in', 'users', me.id, jsonb_build_object('session', session_key), now());
END;
$$;

CREATE FUNCTION md_group_of(p_role text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE p_role WHEN 'admin' THEN 'md_admin' WHEN 'vendor' THEN 'md_vendor'
                       WHEN 'logistics' THEN 'md_logistics' WHEN 'finance' THEN 'md_finance' END
$$;

CREATE OR REPLACE FUNCTION md_reset_password(p_user uuid, p_password text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    login text;
    person_role text;
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only an admin may reset passwords' USING ERRCODE = '42501';
    END IF;
    IF length(coalesce(p_password, '')) < 12 THEN
        RAISE EXCEPTION 'a password needs at least 12 characters' USING ERRCODE = '22023';
    END IF;
    SELECT db_role, role INTO login, person_role FROM public.users WHERE id = p_user AND deleted_at IS NULL;
    IF login IS NULL THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'P0002';
    END IF;
    IF login = session_user::text THEN
        RAISE EXCEPTION 'change your own password from your account, not by a reset' USING ERRCODE = '22023';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, p_password);
    -- Until the person chooses their own password, the temporary one opens nothing else.
    IF pg_catalog.pg_has_role(login, public.md_group_of(person_role), 'MEMBER') THEN
        EXECUTE format('REVOKE %I FROM %I', public.md_group_of(person_role), login);
    END IF;
    PERFORM pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = login;
    UPDATE public.users SET must_change_password = true, version = version + 1, updated_at = now() WHERE id = p_user;
    INSERT INTO public.audit_log (id, actor_id, actor_role, action, entity_table, entity_id, occurred_at)
    VALUES (gen_random_uuid(), public.md_uid(), 'admin', 'password_reset', 'users', p_user, now());
END;
$$;

CREATE OR REPLACE FUNCTION md_set_own_password(p_new_password text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
    IF (me.status = 'invited' OR me.must_change_password)
       AND NOT pg_catalog.pg_has_role(me.db_role, public.md_group_of(me.role), 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', public.md_group_of(me.role), me.db_role);
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

-- Sharing a saved report is for staff (admins and finance, who read each
-- other's shared reports); a vendor's reports are its own and never shared.
DROP POLICY reports_own ON reports;
CREATE POLICY reports_own ON reports FOR ALL TO md_admin, md_finance
    USING (owner_id = md_uid()) WITH CHECK (owner_id = md_uid());
CREATE POLICY reports_vendor_own ON reports FOR ALL TO md_vendor
    USING (owner_id = md_uid()) WITH CHECK (owner_id = md_uid() AND NOT is_shared);
