//! Attack class: shadowing. PostgreSQL searches the session's temporary
//! schema first for tables unless `pg_temp` is named last in a function's
//! search path, so a login that can make temporary tables named like the
//! schema's could steer SECURITY DEFINER functions and triggers into reading
//! fake rows or writing real money into the attacker's own tables. The
//! marketplace's people may not make temporary tables at all; and on a server
//! that grants it anyway (the test grants it), every function still reads and
//! writes the real tables.

use crate::{World, is_denied, scalar_i64, uuid_of, world};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// How each function of the schema is attacked here. A function missing from
/// this list fails the test: add it with its attack.
const FUNCTIONS: &[(&str, &str)] = &[
    ("md_attach_checkout", "admin only; pinned path, schema-qualified; attacked in manual_orders"),
    ("md_create_manual_order", "admin only; pinned path, schema-qualified; attacked in manual_orders"),
    ("md_new_payment_attempt", "admin only; pinned path, schema-qualified; attacked in manual_orders"),
    ("md_admit_login", "owner only (no EXECUTE for people); pinned path"),
    ("md_audit_change", "trigger: fires under the shadowed finance session's rebuild and audit attacks"),
    ("md_book_refund", "finance only; pinned path; its tables are schema-qualified"),
    ("md_check_order_move", "trigger; pinned path, schema-qualified; attacked directly in lifecycle (moves by hand)"),
    ("md_check_dispute_write", "trigger; pinned path, schema-qualified; attacked directly in disputes (moves by hand)"),
    ("md_check_vendor_sku", "trigger; pinned path; attacked directly in leaks (SKUs per vendor)"),
    ("md_check_product_write", "trigger; pinned path, schema-qualified; attacked directly in catalog (self-approval)"),
    ("md_check_variant_write", "trigger; pinned path, schema-qualified; attacked directly in catalog (live edits)"),
    (
        "md_apply_stock_movement",
        "trigger, security definer; pinned path, schema-qualified; attacked directly in stock (forged totals)",
    ),
    (
        "md_check_variant_stock_start",
        "trigger; pinned path, schema-qualified; attacked directly in stock (a variant born with stock)",
    ),
    ("md_review_live_edits", "reads one setting; pinned path, schema-qualified; attacked in catalog (setting off)"),
    ("md_check_ledger_balance", "attack: a shadowed ledger_entries cannot make a one-sided posting balance"),
    ("md_claim_login", "owner only; pinned path"),
    ("md_create_user", "admin only; pinned path"),
    ("md_enable_login", "admin only; pinned path"),
    ("md_feed_head", "probe"),
    ("md_group_of", "probe"),
    ("md_guard_payout", "trigger; pinned path; attacked directly in four_eyes"),
    ("md_guard_payout_batch", "trigger; pinned path; attacked directly in four_eyes"),
    ("md_in_group", "probe"),
    ("md_is_sold", "probe"),
    ("md_lock_payout_prepare", "finance only; takes a lock, reads no table"),
    ("md_login_role", "probe"),
    ("md_mark_order_paid", "attack: finance marks a paid order with a shadowed order_items"),
    ("md_me", "probe"),
    ("md_owns_product", "probe"),
    ("md_order_transitions", "a constant table; compared with the domain's in the core's tests"),
    ("md_dispute_transitions", "a constant table; compared with the domain's in the core's tests"),
    ("md_dispute_stage_hours", "pinned path; reads platform_settings schema-qualified, writes nothing"),
    ("md_notification_defaults", "a constant table; compared with the domain's in the core's tests"),
    ("md_activate_onboarded_vendor", "trigger; pinned path, schema-qualified; walked in onboarding"),
    ("md_notify", "pinned path, schema-qualified; attacked in notifications (sender, audience, links, flood)"),
    ("md_paid_to_me", "probe"),
    ("md_prune_feed", "admins and the owner only; pinned path; its tables are schema-qualified"),
    ("md_party_to_dispute", "probe"),
    ("md_rebuild_sales_rollups", "attack: finance rebuilds with shadowed orders and lines"),
    ("md_refresh_feed_policies", "owner only (no EXECUTE for people); pinned path"),
    ("md_record_audit", "attack: written through a shadowed audit_log"),
    ("md_record_change", "attack: a vendor's change reaches the real feed past a shadowed one"),
    ("md_record_chargeback", "finance only; pinned path"),
    ("md_reset_password", "admin only; pinned path"),
    ("md_roll_item_insert", "trigger; pinned path, schema-qualified; walked in manual_orders"),
    ("md_roll_item_refund", "trigger of md_book_refund; pinned path"),
    ("md_roll_order", "attack: the rollup of a status change ignores a shadowed order_items"),
    ("md_roll_order_status", "attack: finance marks an order paid with shadowed lines and rollups"),
    ("md_schema_migrations", "probe"),
    ("md_sell_held_stock", "trigger; pinned path, schema-qualified; walked in manual_orders"),
    ("md_sells_in_order", "probe"),
    ("md_sells_item", "probe"),
    ("md_session_is_superuser", "probe"),
    ("md_set_own_password", "pinned path; reads the caller's own row"),
    ("md_set_user_active", "admin only; pinned path"),
    (
        "md_set_customer_blocked",
        "admin only; pinned path, schema-qualified; attacked in customers (staff targets, stale versions)",
    ),
    (
        "md_refuse_blocked_customer",
        "trigger; pinned path, schema-qualified; attacked in customers (an order for a blocked customer)",
    ),
    ("md_ships", "probe"),
    ("md_ships_to", "probe"),
    ("md_signed_in", "attack: written through a shadowed users and audit_log"),
    ("md_sync_check_in", "writes only the caller's own row (md_uid); pinned path; schema-qualified"),
    ("md_sync_connect_account", "finance only; pinned path"),
    ("md_touches_me", "probe"),
    ("md_track", "no EXECUTE for people; pinned path, schema-qualified; called by the analytics triggers"),
    ("md_track_disputes", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_orders", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_payouts", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_print_jobs", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_products", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_refunds", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_sign_ins", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_track_syncs", "trigger; pinned path, schema-qualified; walked in analytics_events"),
    ("md_try_lock_payout_batch", "finance only; takes a lock, reads no table"),
    ("md_try_lock_payout_batch_for_transaction", "finance only; takes a lock, reads no table"),
    ("md_uid", "probe"),
    ("md_wall_database", "owner only; pinned path"),
];

/// Creates, in `conn`'s temporary schema, a table like every public table.
async fn shadow_everything(owner: &mut PgConnection, conn: &mut PgConnection) -> usize {
    let ddl: Vec<String> = sqlx::query_scalar(
        "SELECT format('CREATE TEMP TABLE %I (%s)', c.relname, string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)) \
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' GROUP BY c.relname",
    )
    .fetch_all(&mut *owner)
    .await
    .unwrap();
    for sql in &ddl {
        sqlx::query(sql).execute(&mut *conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    ddl.len()
}

/// Each probe, answered by the caller with and without a full set of shadows.
/// Every probe names all six ids (vendor B's product, order, line, shipment,
/// payout, a dispute), so each is bound the same way.
async fn probes(conn: &mut PgConnection, ids: &[Uuid; 6]) -> Vec<String> {
    let mut out = Vec::new();
    for probe in [
        "md_uid()::text",
        "md_in_group('md_admin')::text",
        "(SELECT count(*) FROM md_me())::text",
        "md_owns_product(p)::text",
        "md_sells_in_order(o)::text",
        "md_sells_item(i)::text",
        "md_ships(s)::text",
        "md_paid_to_me(y)::text",
        "md_party_to_dispute(d)::text",
        "md_ships_to((SELECT shipping_address_id FROM public.orders WHERE id = o))::text",
        "md_touches_me(y)::text",
        "(md_feed_head() > 0)::text",
        "(SELECT count(*) FROM md_schema_migrations())::text",
        "md_session_is_superuser()::text",
        "md_is_sold('paid')::text",
        "md_login_role('Ann')",
        "md_group_of('admin')",
    ] {
        let sql = format!(
            "WITH ids AS (SELECT $1::uuid AS p, $2::uuid AS o, $3::uuid AS i, $4::uuid AS s, $5::uuid AS y, $6::uuid AS d) \
             SELECT {probe} FROM ids"
        );
        let q = ids.iter().fold(sqlx::query(&sql), |q, id| q.bind(*id));
        let answer = match q.fetch_one(&mut *conn).await {
            Ok(row) => row.try_get::<Option<String>, _>(0).unwrap().unwrap_or_else(|| "null".into()),
            Err(e) => format!("error {e}"),
        };
        out.push(format!("{probe} => {answer}"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn functions_cannot_be_fed_temporary_tables() {
    let mut w: World = world().await;

    // Every function pins its search path with pg_temp last, and is listed above.
    let functions: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT p.proname::text, coalesce(p.proconfig, '{}') FROM pg_proc p \
         WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    let mut problems = Vec::new();
    for (name, config) in &functions {
        let pinned = config
            .iter()
            .any(|c| c == "search_path=pg_catalog, public, pg_temp" || c == "search_path=pg_catalog, pg_temp");
        if !pinned {
            problems.push(format!("{name}: search_path not pinned with pg_temp last ({config:?})"));
        }
        if !FUNCTIONS.iter().any(|(f, _)| f == name) {
            problems.push(format!("{name}: not attacked by this suite (add it to FUNCTIONS with its attack)"));
        }
    }
    for (f, _) in FUNCTIONS {
        if !functions.iter().any(|(name, _)| name == f) {
            problems.push(format!("{f}: listed but no longer in the schema"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // No person may make a temporary table.
    for p in [&mut w.admin, &mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        let err = sqlx::query("CREATE TEMP TABLE order_items (id uuid)").execute(&mut p.conn).await.unwrap_err();
        assert!(is_denied(&err), "{}: {err}", p.name);
    }

    // A server that grants TEMPORARY anyway: the functions still see only the real tables.
    for p in [&w.vendor_a, &w.logistics, &w.finance] {
        sqlx::query(&format!("GRANT TEMPORARY ON DATABASE postgres TO {}", p.login))
            .execute(&mut w.owner)
            .await
            .unwrap();
    }
    let b = w.vendor_b.id;
    let o = &mut w.owner;
    let ids: [Uuid; 6] = [
        uuid_of(o, &format!("SELECT id FROM products WHERE vendor_id = '{b}' LIMIT 1")).await,
        uuid_of(o, &format!("SELECT order_id FROM order_items WHERE vendor_id = '{b}' LIMIT 1")).await,
        uuid_of(o, &format!("SELECT id FROM order_items WHERE vendor_id = '{b}' LIMIT 1")).await,
        uuid_of(o, &format!("SELECT id FROM shipments WHERE vendor_id = '{b}' LIMIT 1")).await,
        uuid_of(o, &format!("SELECT id FROM payouts WHERE vendor_id = '{b}' LIMIT 1")).await,
        uuid_of(o, "SELECT id FROM disputes LIMIT 1").await,
    ];
    let honest = probes(&mut w.vendor_a.conn, &ids).await;
    let tables = shadow_everything(&mut w.owner, &mut w.vendor_a.conn).await;
    assert!(tables > 40, "{tables} shadows");
    // The shadows claim vendor B's rows for vendor A, and make A an admin.
    let a = w.vendor_a.id;
    let va = &mut w.vendor_a.conn;
    for sql in [
        format!(
            "INSERT INTO users (id, email, username, display_name, role, status, db_role, version, created_at, updated_at) \
             VALUES ('{a}', 'x@x', 'x', 'x', 'admin', 'active', session_user, 1, now(), now())"
        ),
        format!("INSERT INTO products (id, vendor_id) VALUES ('{}', '{a}')", ids[0]),
        format!("INSERT INTO order_items (id, order_id, vendor_id) VALUES ('{}', '{}', '{a}')", ids[2], ids[1]),
        format!("INSERT INTO shipments (id, vendor_id) VALUES ('{}', '{a}')", ids[3]),
        format!("INSERT INTO payouts (id, vendor_id) VALUES ('{}', '{a}')", ids[4]),
        format!("INSERT INTO disputes (id, vendor_id) VALUES ('{}', '{a}')", ids[5]),
    ] {
        sqlx::query(&sql).execute(&mut *va).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let shadowed = probes(va, &ids).await;
    assert_eq!(honest, shadowed, "a probe answered differently with shadow tables");

    // The change feed: a vendor's change (a stock movement, which moves its
    // variant's totals) reaches the real feed, not its shadow.
    let own: Uuid = sqlx::query_scalar(
        "SELECT v.id FROM public.product_variants v JOIN public.products p ON p.id = v.product_id WHERE p.vendor_id = md_uid() LIMIT 1",
    )
    .fetch_one(&mut *va)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO public.stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta) \
         SELECT gen_random_uuid(), v.id, v.product_id, md_uid(), 'found', 1 FROM public.product_variants v WHERE v.id = $1",
    )
    .bind(own)
    .execute(&mut *va)
    .await
    .unwrap();
    assert_eq!(scalar_i64(va, "SELECT count(*) FROM pg_temp.sync_change_feed").await, 0, "nothing diverted");
    let fed = scalar_i64(&mut w.owner, &format!("SELECT count(*) FROM sync_change_feed WHERE row_id = '{own}'")).await;
    assert!(fed >= 1, "the change is in the real feed");

    // A pending order with a shadow line of 999,999,999.99 is marked paid:
    // logistics may not do it by hand any more (the lifecycle), and when
    // finance's payment function does, the rollups count the real lines and
    // nothing real lands in the shadows.
    let pending: Uuid = sqlx::query_scalar(
        "UPDATE orders SET status = 'pending', paid_at = NULL, version = version + 1 \
         WHERE id = (SELECT id FROM orders WHERE status = 'paid' LIMIT 1) RETURNING id",
    )
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    let err = sqlx::query("UPDATE public.orders SET status = 'paid', version = version + 1 WHERE id = $1")
        .bind(pending)
        .execute(&mut w.logistics.conn)
        .await
        .unwrap_err();
    assert!(is_denied(&err), "the warehouse never marks an order paid: {err}");
    let lg = &mut w.finance.conn;
    shadow_everything(&mut w.owner, lg).await;
    sqlx::query(&format!(
        "INSERT INTO order_items (id, order_id, vendor_id, quantity, unit_price_minor, subtotal_minor, tax_minor, commission_minor, \
         refunded_quantity, status, currency) \
         SELECT gen_random_uuid(), '{pending}', vendor_id, 1, 99999999999, 99999999999, 0, 0, 0, 'pending', currency FROM public.orders o, \
         LATERAL (SELECT vendor_id FROM public.order_items WHERE order_id = o.id LIMIT 1) v WHERE o.id = '{pending}'"
    ))
    .execute(&mut *lg)
    .await
    .unwrap();
    let marked: bool =
        sqlx::query_scalar("SELECT md_mark_order_paid($1, now())").bind(pending).fetch_one(&mut *lg).await.unwrap();
    assert!(marked, "the pending order is marked paid");
    for t in ["sales_daily", "sales_daily_totals", "sales_daily_vendors", "sales_monthly_vendors"] {
        assert_eq!(
            scalar_i64(lg, &format!("SELECT count(*) FROM pg_temp.{t}")).await,
            0,
            "{t}: no line money diverted"
        );
    }
    let inflated =
        scalar_i64(&mut w.owner, "SELECT count(*) FROM sales_daily_totals WHERE gross_minor >= 99999999999").await;
    assert_eq!(inflated, 0, "the rollups never saw the shadow line");

    // Finance rebuilds the rollups with shadow orders and lines: built from the real ones.
    let fin = &mut w.finance.conn;
    let before = scalar_i64(&mut w.owner, "SELECT coalesce(sum(gross_minor), 0)::bigint FROM sales_daily_totals").await;
    // Finance's session holds the shadows made above.
    sqlx::query(
        "INSERT INTO orders (id, status, currency, total_minor, placed_at, paid_at) \
         VALUES (gen_random_uuid(), 'paid', 'USD', 99999999999, now(), now())",
    )
    .execute(&mut *fin)
    .await
    .unwrap();
    sqlx::query("SELECT md_rebuild_sales_rollups()").execute(&mut *fin).await.unwrap();
    let after = scalar_i64(&mut w.owner, "SELECT coalesce(sum(gross_minor), 0)::bigint FROM sales_daily_totals").await;
    assert_eq!(before, after, "a rebuild from the real tables gives the same totals");

    // Audit rows, sign-ins and ledger balance go to and come from the real tables.
    sqlx::query("SELECT md_record_audit('shadow.probe', NULL, NULL, NULL)").execute(&mut *fin).await.unwrap();
    sqlx::query("SELECT md_signed_in(0)").execute(&mut *fin).await.unwrap();
    assert_eq!(scalar_i64(fin, "SELECT count(*) FROM pg_temp.audit_log").await, 0);
    let real = scalar_i64(
        &mut w.owner,
        &format!(
            "SELECT count(*) FROM audit_log WHERE actor_id = '{}' AND action IN ('shadow.probe', 'signed_in')",
            w.finance.id
        ),
    )
    .await;
    assert_eq!(real, 2, "both rows reached the real audit trail");

    // A one-sided posting with its "balancing" line only in a shadow ledger_entries.
    let accounts: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM public.ledger_accounts WHERE currency = 'USD' ORDER BY code LIMIT 2")
            .fetch_all(&mut *fin)
            .await
            .unwrap();
    let txn = Uuid::now_v7();
    sqlx::query("BEGIN").execute(&mut *fin).await.unwrap();
    sqlx::query("INSERT INTO public.ledger_transactions (id, code, occurred_at) VALUES ($1, 'correction', now())")
        .bind(txn)
        .execute(&mut *fin)
        .await
        .unwrap();
    for (schema, account, amount) in [("pg_temp", accounts[1], -500_i64), ("public", accounts[0], 500)] {
        sqlx::query(&format!(
            "INSERT INTO {schema}.ledger_entries (id, transaction_id, account_id, amount_minor, currency) VALUES ($1, $2, $3, $4, 'USD')"
        ))
        .bind(Uuid::now_v7())
        .bind(txn)
        .bind(account)
        .bind(amount)
        .execute(&mut *fin)
        .await
        .unwrap();
    }
    let err = sqlx::query("COMMIT").execute(&mut *fin).await.unwrap_err();
    assert!(err.to_string().contains("does not balance"), "{err}");
    eprintln!("shadowing: {} functions pinned and listed; {tables} tables shadowed per attacker", functions.len());
}
