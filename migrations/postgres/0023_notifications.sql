-- =============================================================================
-- Marketdesk 0023, PostgreSQL: notifications, written through one function.
-- * md_notification_defaults(): who hears of which kind and on which channels
--   when they chose nothing — the table of domain::notifications, row for row
--   (a test compares them).
-- * md_notify(): the only way a login adds notifications. It resolves the
--   audience (one person, a role, everyone) among active people whose role
--   hears of the kind, applies each person's own preferences over the
--   defaults per channel, and writes one row per person and channel on (the
--   bell, a mail — each or in a daily digest — and the desktop), in the
--   caller's transaction. The sender comes from the session; announcements
--   are an admin's; a vendor's actions write at most 2,000 rows a minute.
-- * Admins no longer insert notifications directly; people mark their own
--   read (read_at) and their desktops mark theirs shown (sent_at).
-- =============================================================================

ALTER TABLE notifications ADD COLUMN digest boolean NOT NULL DEFAULT false;
ALTER TABLE notifications ADD COLUMN sent_by uuid NULL REFERENCES users (id) ON DELETE SET NULL;
-- Rate limit and "what did this person send": WHERE sent_by = ? AND created_at > ?.
CREATE INDEX notifications_sent_by_created_at_idx ON notifications (sent_by, created_at) WHERE sent_by IS NOT NULL;
-- Mail and desktop rounds: what is still to send, per channel.
CREATE INDEX notifications_channel_unsent_idx ON notifications (channel, user_id, created_at)
    WHERE sent_at IS NULL AND channel <> 'in_app' AND deleted_at IS NULL;
ALTER TABLE notification_preferences ADD COLUMN digest boolean NOT NULL DEFAULT false;

CREATE FUNCTION md_notification_defaults()
RETURNS TABLE (kind text, role text, channel text, enabled boolean)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    VALUES
        ('order_placed', 'vendor', 'in_app', true),
        ('order_placed', 'vendor', 'email', true),
        ('order_placed', 'vendor', 'push', true),
        ('order_cancelled', 'vendor', 'in_app', true),
        ('order_cancelled', 'vendor', 'email', false),
        ('order_cancelled', 'vendor', 'push', false),
        ('dispute_opened', 'admin', 'in_app', true),
        ('dispute_opened', 'admin', 'email', true),
        ('dispute_opened', 'admin', 'push', true),
        ('dispute_opened', 'vendor', 'in_app', true),
        ('dispute_opened', 'vendor', 'email', true),
        ('dispute_opened', 'vendor', 'push', true),
        ('dispute_answered', 'admin', 'in_app', true),
        ('dispute_answered', 'admin', 'email', false),
        ('dispute_answered', 'admin', 'push', false),
        ('dispute_answered', 'vendor', 'in_app', true),
        ('dispute_answered', 'vendor', 'email', false),
        ('dispute_answered', 'vendor', 'push', false),
        ('dispute_escalated', 'admin', 'in_app', true),
        ('dispute_escalated', 'admin', 'email', true),
        ('dispute_escalated', 'admin', 'push', true),
        ('dispute_escalated', 'vendor', 'in_app', true),
        ('dispute_escalated', 'vendor', 'email', true),
        ('dispute_escalated', 'vendor', 'push', true),
        ('dispute_overdue', 'admin', 'in_app', true),
        ('dispute_overdue', 'admin', 'email', true),
        ('dispute_overdue', 'admin', 'push', true),
        ('payout_sent', 'vendor', 'in_app', true),
        ('payout_sent', 'vendor', 'email', true),
        ('payout_sent', 'vendor', 'push', false),
        ('payout_failed', 'vendor', 'in_app', true),
        ('payout_failed', 'vendor', 'email', true),
        ('payout_failed', 'vendor', 'push', true),
        ('payout_failed', 'finance', 'in_app', true),
        ('payout_failed', 'finance', 'email', true),
        ('payout_failed', 'finance', 'push', true),
        ('product_approved', 'vendor', 'in_app', true),
        ('product_approved', 'vendor', 'email', true),
        ('product_approved', 'vendor', 'push', false),
        ('product_changes_requested', 'vendor', 'in_app', true),
        ('product_changes_requested', 'vendor', 'email', true),
        ('product_changes_requested', 'vendor', 'push', true),
        ('low_stock', 'vendor', 'in_app', true),
        ('low_stock', 'vendor', 'email', false),
        ('low_stock', 'vendor', 'push', false),
        ('label_purchase_failed', 'logistics', 'in_app', true),
        ('label_purchase_failed', 'logistics', 'email', false),
        ('label_purchase_failed', 'logistics', 'push', true),
        ('sync_conflict', 'admin', 'in_app', true),
        ('sync_conflict', 'admin', 'email', false),
        ('sync_conflict', 'admin', 'push', true),
        ('sync_conflict', 'vendor', 'in_app', true),
        ('sync_conflict', 'vendor', 'email', false),
        ('sync_conflict', 'vendor', 'push', true),
        ('sync_conflict', 'logistics', 'in_app', true),
        ('sync_conflict', 'logistics', 'email', false),
        ('sync_conflict', 'logistics', 'push', true),
        ('sync_conflict', 'finance', 'in_app', true),
        ('sync_conflict', 'finance', 'email', false),
        ('sync_conflict', 'finance', 'push', true),
        ('announcement', 'admin', 'in_app', true),
        ('announcement', 'admin', 'email', true),
        ('announcement', 'admin', 'push', false),
        ('announcement', 'vendor', 'in_app', true),
        ('announcement', 'vendor', 'email', true),
        ('announcement', 'vendor', 'push', false),
        ('announcement', 'logistics', 'in_app', true),
        ('announcement', 'logistics', 'email', true),
        ('announcement', 'logistics', 'push', false),
        ('announcement', 'finance', 'in_app', true),
        ('announcement', 'finance', 'email', true),
        ('announcement', 'finance', 'push', false)

$$;
GRANT EXECUTE ON FUNCTION md_notification_defaults() TO md_admin, md_vendor, md_logistics, md_finance;

CREATE FUNCTION md_notify(p_kind text, p_person uuid, p_role text, p_title text, p_body text, p_link text,
                          p_sender uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    sender uuid := public.md_uid();
    sender_is_admin boolean := public.md_in_group('md_admin');
    recent integer;
    written integer;
BEGIN
    IF public.md_session_is_superuser() THEN
        -- The worker or the command line names whom it acts for (or nobody).
        sender := p_sender;
        sender_is_admin := true;
    ELSIF sender IS NULL THEN
        RAISE EXCEPTION 'only a signed-in person of this marketplace sends notifications' USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.md_notification_defaults() d WHERE d.kind = p_kind) THEN
        RAISE EXCEPTION 'there is no notification of kind %', coalesce(p_kind, 'null') USING ERRCODE = '22023';
    END IF;
    IF (p_person IS NULL) = (p_role IS NULL) THEN
        RAISE EXCEPTION 'a notification goes to one person or to a role' USING ERRCODE = '22023';
    END IF;
    IF p_role IS NOT NULL AND p_role NOT IN ('admin', 'vendor', 'logistics', 'finance', 'everyone') THEN
        RAISE EXCEPTION 'no notification goes to the role %', p_role USING ERRCODE = '22023';
    END IF;
    IF p_kind = 'announcement' AND NOT sender_is_admin THEN
        RAISE EXCEPTION 'announcements are an admin''s' USING ERRCODE = '42501';
    END IF;
    IF p_title IS NULL OR length(btrim(p_title)) = 0 OR length(p_title) > 200 THEN
        RAISE EXCEPTION 'a notification''s title is 1–200 characters' USING ERRCODE = '22023';
    END IF;
    IF length(coalesce(p_body, '')) > 4000 THEN
        RAISE EXCEPTION 'a notification''s text is at most 4000 characters' USING ERRCODE = '22023';
    END IF;
    IF p_link IS NOT NULL AND (p_link !~ '^marketdesk://[a-z_]+(/[A-Za-z0-9_-]+)*$' OR length(p_link) > 300) THEN
        RAISE EXCEPTION 'a notification links to a place in Marketdesk (marketdesk://…)' USING ERRCODE = '22023';
    END IF;
    IF public.md_in_group('md_vendor') AND NOT public.md_session_is_superuser() THEN
        SELECT count(*) INTO recent FROM public.notifications
        WHERE sent_by = sender AND created_at > now() - interval '1 minute';
        IF recent >= 2000 THEN
            RAISE EXCEPTION 'too many notifications from one person in a minute' USING ERRCODE = '54000';
        END IF;
    END IF;
    INSERT INTO public.notifications (id, user_id, kind, title, body, link, channel, digest, sent_by,
                                      version, created_at, updated_at)
    SELECT gen_random_uuid(), u.id, p_kind, btrim(p_title), coalesce(p_body, ''), p_link, d.channel,
           d.channel = 'email' AND coalesce(np.digest, false), sender, 1, now(), now()
    FROM public.users u
    JOIN public.md_notification_defaults() d ON d.kind = p_kind AND d.role = u.role
    LEFT JOIN public.notification_preferences np
           ON np.user_id = u.id AND np.kind = p_kind AND np.channel = d.channel AND np.deleted_at IS NULL
    WHERE u.deleted_at IS NULL AND u.status = 'active'
      AND (u.id = p_person OR u.role = p_role OR p_role = 'everyone')
      AND coalesce(np.enabled, d.enabled);
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_notify(text, uuid, text, text, text, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_notify(text, uuid, text, text, text, text, uuid) TO md_admin, md_vendor, md_logistics, md_finance;

DROP POLICY notifications_admin_send ON notifications;
REVOKE INSERT ON notifications FROM md_admin;
GRANT UPDATE (sent_at) ON notifications TO md_admin, md_vendor, md_logistics, md_finance;
