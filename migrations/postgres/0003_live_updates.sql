-- Live updates: every change the feed records is also announced on the
-- `md_changes` channel with the table's name as payload, so signed-in desktops
-- (LISTEN md_changes) refresh what they show without polling. PostgreSQL folds
-- identical notifications of one transaction into one, so a bulk change of a
-- table costs one message. Re-created with the same security attributes 0002 gave it.
CREATE OR REPLACE FUNCTION md_record_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO sync_change_feed (table_name, row_id, row_version, op)
        VALUES (TG_TABLE_NAME, OLD.id, OLD.version, 'delete');
    ELSE
        INSERT INTO sync_change_feed (table_name, row_id, row_version, op)
        VALUES (TG_TABLE_NAME, NEW.id, NEW.version, lower(TG_OP));
    END IF;
    PERFORM pg_notify('md_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;
