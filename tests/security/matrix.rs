//! Attack class: reaching past one's grants. The role × table × operation
//! matrix, cross-vendor reads, writes and inference, hidden money columns,
//! admin-only functions, invitations, resets, suspension and sign-in through
//! the core. Every check is raw SQL over the person's own connection.

use marketdesk_core::domain::{Role, UserStatus};
use marketdesk_core::identity::accounts::{self, Invitee};
use marketdesk_core::identity::{
    Backoff, PasswordProblem, SignInError, SignedIn, remember_for_offline, set_own_password, sign_in_offline,
    sign_in_online, sign_in_online_or_offline,
};
use marketdesk_core::mail::outbox;
use marketdesk_core::store::products::{ProductFilter, ProductSort};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_test_support::AUTH_DELAY_MS;
use sqlx::{Connection, PgConnection, Row};
use uuid::Uuid;

use crate::grants::MATRIX;
use crate::{PASSWORD, is_denied, rls_violation, scalar_i64, world};

/// The column a probe statement touches: `id` for inserts when there is one,
/// `version`/`updated_at` for updates, else the first ordinary column.
async fn probe_columns(owner: &mut PgConnection, table: &str) -> (String, String) {
    let cols: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *owner)
    .await
    .unwrap();
    let first = cols.iter().find(|c| *c != "seq").cloned().unwrap();
    let insert = if cols.iter().any(|c| c == "id") { "id".to_owned() } else { first.clone() };
    let update = ["version", "updated_at"]
        .iter()
        .find(|c| cols.iter().any(|x| x == *c))
        .map(|c| (*c).to_owned())
        .unwrap_or(first);
    (insert, update)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_rows_and_functions_hold() {
    let mut w = world().await;

    // Every table of the schema is in the matrix, so a new table cannot slip through ungranted-but-unchecked.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    let mut listed: Vec<&str> = MATRIX.iter().map(|(t, _)| *t).collect();
    listed.sort_unstable();
    assert_eq!(tables, listed, "the matrix must name every table");

    // 1. The role × table × operation matrix.
    let mut checks = 0;
    let mut failures = Vec::new();
    for (table, allowed) in MATRIX {
        let (insert_col, update_col) = probe_columns(&mut w.owner, table).await;
        for (person, ops) in [&mut w.admin, &mut w.vendor_a, &mut w.logistics, &mut w.finance].into_iter().zip(allowed)
        {
            for op in ['S', 'I', 'U', 'D'] {
                let sql = match op {
                    'S' => format!("SELECT count(*) FROM {table}"),
                    'I' => format!("INSERT INTO {table} ({insert_col}) SELECT NULL WHERE false"),
                    'U' => format!("UPDATE {table} SET {update_col} = {update_col} WHERE false"),
                    _ => format!("DELETE FROM {table} WHERE false"),
                };
                let result = sqlx::query(&sql).execute(&mut person.conn).await;
                checks += 1;
                match (ops.contains(op), result) {
                    (true, Ok(_)) => {}
                    (false, Err(e)) if is_denied(&e) => {}
                    (true, Err(e)) => failures.push(format!("{} {op} {table}: refused ({e})", person.name)),
                    (false, Err(e)) => failures.push(format!("{} {op} {table}: wrong error ({e})", person.name)),
                    (false, Ok(_)) => failures.push(format!("{} {op} {table}: allowed but must not be", person.name)),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checks} matrix checks failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(checks, MATRIX.len() * 16);

    // 2. A vendor sees exactly its own rows, and nothing of another vendor's.
    let a = w.vendor_a.id;
    for (table, own) in [
        ("products", format!("vendor_id = '{a}'")),
        ("order_items", format!("vendor_id = '{a}'")),
        ("payouts", format!("vendor_id = '{a}'")),
        ("ledger_entries", format!("vendor_id = '{a}'")),
        ("ledger_accounts", format!("vendor_id = '{a}'")),
        ("shipments", format!("vendor_id = '{a}'")),
        ("disputes", format!("vendor_id = '{a}'")),
        ("subscriptions", format!("vendor_id = '{a}'")),
        ("sales_daily", format!("vendor_id = '{a}'")),
        ("sales_daily_vendors", format!("vendor_id = '{a}'")),
        ("sales_monthly_vendors", format!("vendor_id = '{a}'")),
        ("orders", format!("id IN (SELECT order_id FROM order_items WHERE vendor_id = '{a}')")),
        ("product_variants", format!("product_id IN (SELECT id FROM products WHERE vendor_id = '{a}')")),
        ("users", format!("id = '{a}'")),
    ] {
        let total = scalar_i64(&mut w.owner, &format!("SELECT count(*) FROM {table}")).await;
        let mine = scalar_i64(&mut w.owner, &format!("SELECT count(*) FROM {table} WHERE {own}")).await;
        let seen = scalar_i64(&mut w.vendor_a.conn, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(seen, mine, "vendor A sees its own {table} only");
        assert!(mine > 0 && mine < total, "{table}: {mine} of {total} — the test needs rows on both sides");
    }
    let b = w.vendor_b.id;
    let b_product: Uuid = sqlx::query_scalar("SELECT id FROM products WHERE vendor_id = $1 LIMIT 1")
        .bind(b)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    let b_order: Uuid = sqlx::query_scalar("SELECT order_id FROM order_items WHERE vendor_id = $1 AND order_id NOT IN (SELECT order_id FROM order_items WHERE vendor_id = $2) LIMIT 1")
        .bind(b)
        .bind(a)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    let va = &mut w.vendor_a.conn;
    assert_eq!(scalar_i64(va, &format!("SELECT count(*) FROM products WHERE id = '{b_product}'")).await, 0);
    let hit = sqlx::query("UPDATE products SET name = 'mine now' WHERE id = $1")
        .bind(b_product)
        .execute(&mut *va)
        .await
        .unwrap();
    assert_eq!(hit.rows_affected(), 0, "another vendor's product cannot be changed");
    let hit = sqlx::query("UPDATE product_images SET deleted_at = now() WHERE product_id = $1")
        .bind(b_product)
        .execute(&mut *va)
        .await
        .unwrap();
    assert_eq!(hit.rows_affected(), 0, "another vendor's images cannot be retired");
    // Inference through functions and joins gives nothing away either.
    let leaked: bool = sqlx::query_scalar("SELECT md_owns_product($1) OR md_sells_in_order($2)")
        .bind(b_product)
        .bind(b_order)
        .fetch_one(&mut *va)
        .await
        .unwrap();
    assert!(!leaked);
    let through_join = scalar_i64(
        va,
        &format!("SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.id = '{b_order}'"),
    )
    .await;
    assert_eq!(through_join, 0);
    let feed = scalar_i64(va, &format!("SELECT count(*) FROM shipments WHERE order_id = '{b_order}'")).await;
    assert_eq!(feed, 0);
    // Writes for someone else, or self-approval, are refused by the policies.
    let category: Uuid = sqlx::query_scalar("SELECT id FROM categories LIMIT 1").fetch_one(&mut w.owner).await.unwrap();
    let forged = sqlx::query(
        "INSERT INTO products (id, vendor_id, category_id, name, slug, status, base_price_minor, currency) VALUES ($1, $2, $3, 'x', 'x-forged', 'pending_review', 100, 'USD')",
    )
    .bind(Uuid::now_v7())
    .bind(b)
    .bind(category)
    .execute(&mut *va)
    .await
    .unwrap_err();
    assert!(rls_violation(&forged), "{forged}");
    let own: Uuid = sqlx::query_scalar("SELECT id FROM products LIMIT 1").fetch_one(&mut *va).await.unwrap();
    let approve = sqlx::query("UPDATE products SET status = 'approved' WHERE id = $1")
        .bind(own)
        .execute(&mut *va)
        .await
        .unwrap_err();
    assert!(rls_violation(&approve), "{approve}");
    let mine = sqlx::query("INSERT INTO products (id, vendor_id, category_id, name, slug, status, base_price_minor, currency) VALUES ($1, $2, $3, 'New lamp', 'new-lamp-a', 'pending_review', 2500, 'USD')")
        .bind(Uuid::now_v7())
        .bind(a)
        .bind(category)
        .execute(&mut *va)
        .await;
    assert!(mine.is_ok(), "a vendor proposes its own product: {mine:?}");
    // Money a vendor must not see: order totals include other vendors' lines.
    let totals = sqlx::query("SELECT total_minor FROM orders").fetch_all(&mut *va).await.unwrap_err();
    assert!(is_denied(&totals), "{totals}");

    // 3. Logistics: totals yes, line prices, payments and the ledger no.
    let lg = &mut w.logistics.conn;
    assert!(scalar_i64(lg, "SELECT count(*) FROM orders WHERE total_minor > 0").await > 0);
    for sql in [
        "SELECT unit_price_minor FROM order_items",
        "SELECT amount_minor FROM payments",
        "SELECT count(*) FROM ledger_entries",
        "SELECT price_minor FROM product_variants",
    ] {
        let err = sqlx::query(sql).fetch_all(&mut *lg).await.unwrap_err();
        assert!(is_denied(&err), "logistics: {sql}: {err}");
    }

    // 4. Nobody reads password hashes; nobody edits the ledger or the audit trail.
    for p in [&mut w.admin, &mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        let err = sqlx::query("SELECT password_hash FROM users").fetch_all(&mut p.conn).await.unwrap_err();
        assert!(is_denied(&err), "{}: {err}", p.name);
        for sql in [
            "UPDATE ledger_entries SET amount_minor = amount_minor",
            "DELETE FROM ledger_transactions",
            "UPDATE audit_log SET action = action",
            "DELETE FROM audit_log",
        ] {
            let err = sqlx::query(sql).execute(&mut p.conn).await.unwrap_err();
            assert!(is_denied(&err), "{}: {sql}: {err}", p.name);
        }
    }
    // Finance posts to the ledger but cannot touch the catalog, and what it
    // posts must balance: PostgreSQL refuses a one-sided entry at commit, a
    // balanced correction is kept, and a one-sided entry appended to it later
    // is refused too.
    let accounts: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM ledger_accounts WHERE currency = 'USD' ORDER BY code LIMIT 2")
            .fetch_all(&mut w.finance.conn)
            .await
            .unwrap();
    let entry = "INSERT INTO ledger_entries (id, transaction_id, account_id, amount_minor, currency) VALUES ($1, $2, $3, $4, 'USD')";
    let one_sided = Uuid::now_v7();
    let mut tx = w.finance.conn.begin().await.unwrap();
    sqlx::query("INSERT INTO ledger_transactions (id, code, occurred_at) VALUES ($1, 'correction', now())")
        .bind(one_sided)
        .execute(&mut *tx)
        .await
        .unwrap();
    let inserted =
        sqlx::query(entry).bind(Uuid::now_v7()).bind(one_sided).bind(accounts[0]).bind(1_i64).execute(&mut *tx).await;
    assert!(inserted.is_ok(), "finance may insert ledger rows: {inserted:?}");
    let err = tx.commit().await.unwrap_err();
    assert!(err.to_string().contains("does not balance"), "{err}");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_transactions WHERE id = $1")
        .bind(one_sided)
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    assert_eq!(kept, 0, "the refused transaction left nothing behind");

    let balanced = Uuid::now_v7();
    let mut tx = w.finance.conn.begin().await.unwrap();
    sqlx::query("INSERT INTO ledger_transactions (id, code, occurred_at) VALUES ($1, 'correction', now())")
        .bind(balanced)
        .execute(&mut *tx)
        .await
        .unwrap();
    for (account, amount) in [(accounts[0], 250_i64), (accounts[1], -250)] {
        sqlx::query(entry)
            .bind(Uuid::now_v7())
            .bind(balanced)
            .bind(account)
            .bind(amount)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.expect("a balanced correction is kept");
    let err = sqlx::query(entry)
        .bind(Uuid::now_v7())
        .bind(balanced)
        .bind(accounts[1])
        .bind(-1_i64)
        .execute(&mut w.finance.conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not balance"), "appended to an old transaction: {err}");
    let err = sqlx::query("UPDATE products SET name = name").execute(&mut w.finance.conn).await.unwrap_err();
    assert!(is_denied(&err), "{err}");

    // 5. Admin functions: only admins may call them.
    for p in [&mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        let err = sqlx::query("SELECT md_reset_password($1, 'a-new-long-password')")
            .bind(p.id)
            .execute(&mut p.conn)
            .await
            .unwrap_err();
        assert!(is_denied(&err), "{}: {err}", p.name);
    }
    // Booking a refund (order lines and status) is finance's, through its function only.
    for p in [&mut w.admin, &mut w.vendor_a, &mut w.logistics] {
        let err = sqlx::query("SELECT md_book_refund($1, 're_x')")
            .bind(Uuid::now_v7())
            .execute(&mut p.conn)
            .await
            .unwrap_err();
        assert!(is_denied(&err), "{}: {err}", p.name);
    }
    let err = sqlx::query("SELECT md_book_refund($1, 're_x')")
        .bind(Uuid::now_v7())
        .execute(&mut w.finance.conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is not pending"), "finance may call it, for pending refunds only: {err}");
    // What Stripe's events say of connected accounts, chargebacks and payments
    // is written through three narrow functions, for finance and admin only.
    for p in [&mut w.vendor_a, &mut w.logistics] {
        for sql in [
            "SELECT md_sync_connect_account('acct_x', true, 'verified')",
            "SELECT md_record_chargeback('dp_x', 'pi_x', 100, 'USD', 'open', NULL, 'x')",
            "SELECT md_mark_order_paid(gen_random_uuid(), now())",
        ] {
            let err = sqlx::query(sql).execute(&mut p.conn).await.unwrap_err();
            assert!(is_denied(&err), "{}: {sql}: {err}", p.name);
        }
    }
    let nobody: Option<Uuid> = sqlx::query_scalar("SELECT md_sync_connect_account('acct_nobody', true, 'verified')")
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    assert_eq!(nobody, None, "finance may call it; no vendor holds that account");
    let marked: bool = sqlx::query_scalar("SELECT md_mark_order_paid(gen_random_uuid(), now())")
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    assert!(!marked, "finance may call it; only a pending order is marked paid");
    let err = sqlx::query("UPDATE orders SET status = 'paid' WHERE status = 'pending'")
        .execute(&mut w.finance.conn)
        .await
        .unwrap_err();
    assert!(is_denied(&err), "finance never edits orders directly: {err}");
    let err =
        sqlx::query("UPDATE user_profiles SET payouts_enabled = true").execute(&mut w.finance.conn).await.unwrap_err();
    assert!(is_denied(&err), "finance never edits profiles directly: {err}");
    let err = sqlx::query("UPDATE order_items SET refunded_quantity = quantity")
        .execute(&mut w.finance.conn)
        .await
        .unwrap_err();
    assert!(is_denied(&err), "finance never edits order lines directly: {err}");

    // An invitation: the person exists, the mail with a one-time code is queued
    // in the same transaction, and the code opens nothing but "choose a password".
    let server = format!("postgres://127.0.0.1:{}/postgres", w.cluster.port);
    let admin =
        sign_in_online(&server, "admin", PASSWORD, None, &mut Backoff::default()).await.expect("admin signs in");
    let invitee = Invitee {
        email: "New.Finance@Example.test".into(),
        username: "newfin".into(),
        display_name: "New Finance".into(),
        role: Role::Finance,
    };
    let created = accounts::invite(&admin, &invitee).await.unwrap();
    let dup = accounts::invite(&admin, &invitee).await.unwrap_err();
    assert!(matches!(dup, SignInError::Store(StoreError::Duplicate { .. })), "{dup}");
    let mails: Vec<_> =
        outbox::list(&admin.store, 500).await.unwrap().into_iter().filter(|m| m.template == "invitation").collect();
    assert_eq!(mails.len(), 1, "exactly one invitation queued");
    let mail = &mails[0];
    assert_eq!(
        (mail.to_address.as_str(), mail.template.as_str(), mail.status.as_str()),
        ("new.finance@example.test", "invitation", "queued")
    );
    let code = mail
        .body_text
        .lines()
        .find_map(|l| l.trim().strip_prefix("one-time code: "))
        .expect("code in the mail")
        .to_owned();
    let err = accounts::invite(
        &sign_in_online(&server, "finance", PASSWORD, None, &mut Backoff::default()).await.unwrap(),
        &invitee,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, SignInError::Store(StoreError::Validation(_))), "only admins invite: {err}");

    let mut fresh =
        sign_in_online(&server, "newfin", &code, None, &mut Backoff::default()).await.expect("the code signs in once");
    assert!(fresh.me.must_change_password && fresh.me.status == UserStatus::Invited);
    let before = sqlx::query("SELECT count(*) FROM payouts").execute(fresh.store.pg_pool().unwrap()).await.unwrap_err();
    assert!(is_denied(&before), "an unaccepted invitation reads nothing: {before}");
    assert!(matches!(
        set_own_password(&mut fresh, "short", None).await,
        Err(SignInError::Password(PasswordProblem::TooShort))
    ));
    set_own_password(&mut fresh, "another-long-password", None).await.unwrap();
    fresh.store.close().await;
    assert!(
        matches!(
            sign_in_online(&server, "newfin", &code, None, &mut Backoff::default()).await,
            Err(SignInError::WrongCredentials)
        ),
        "the code works once"
    );
    let accepted =
        sign_in_online(&server, "newfin", "another-long-password", None, &mut Backoff::default()).await.unwrap();
    assert_eq!((accepted.me.status, accepted.me.must_change_password), (UserStatus::Active, false));
    assert!(
        scalar_i64(
            &mut PgConnection::connect(&format!(
                "postgres://md_u_newfin:another-long-password@127.0.0.1:{}/postgres",
                w.cluster.port
            ))
            .await
            .unwrap(),
            "SELECT count(*) FROM payouts"
        )
        .await
            > 0,
        "as finance now"
    );
    let verified: bool = sqlx::query_scalar("SELECT email_verified_at IS NOT NULL FROM users WHERE id = $1")
        .bind(created)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    assert!(verified, "the code proved the address");
    let audit = scalar_i64(&mut w.admin.conn, &format!("SELECT count(*) FROM audit_log WHERE entity_id = '{created}' AND action IN ('user_created', 'invitation_accepted')")).await;
    assert_eq!(audit, 2, "both steps are in the audit trail");

    // A reset: a temporary password is mailed, and it must be changed.
    accounts::reset_password(&admin, created).await.unwrap();
    let reset = outbox::list(&admin.store, 500)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.template == "password_reset")
        .expect("reset mail");
    let temp = reset.body_text.lines().find_map(|l| l.trim().strip_prefix("temporary password: ")).unwrap().to_owned();
    assert!(matches!(
        sign_in_online(&server, "newfin", "another-long-password", None, &mut Backoff::default()).await,
        Err(SignInError::WrongCredentials)
    ));
    let again = sign_in_online(&server, "newfin", &temp, None, &mut Backoff::default()).await.unwrap();
    assert!(again.me.must_change_password);
    let newcomer = format!("postgres://md_u_newfin:{temp}@127.0.0.1:{}/postgres", w.cluster.port);
    let mut nf = PgConnection::connect(&newcomer).await.expect("the new person signs in");

    // 6. Suspension ends open sessions and refuses new ones.
    accounts::set_active(&admin, created, false).await.unwrap();
    assert!(sqlx::query("SELECT 1").execute(&mut nf).await.is_err(), "the open session was ended");
    assert!(PgConnection::connect(&newcomer).await.is_err(), "a suspended person cannot sign in");
    accounts::set_active(&admin, created, true).await.unwrap();
    assert!(PgConnection::connect(&newcomer).await.is_ok(), "reactivated");
    for s in [admin, again, accepted] {
        s.store.close().await;
    }

    let row = sqlx::query("SELECT md_uid() AS me").fetch_one(&mut w.vendor_b.conn).await.unwrap();
    assert_eq!(row.get::<Uuid, _>("me"), w.vendor_b.id, "each session is exactly its person");

    // 8. The database writes the audit trail itself, with who and what changed.
    sqlx::query("UPDATE platform_settings SET value = '9', version = version + 1 WHERE key = 'payouts.hold_days'")
        .execute(&mut w.admin.conn)
        .await
        .unwrap();
    let payout: Uuid = sqlx::query_scalar("SELECT id FROM payouts WHERE status = 'proposed' LIMIT 1")
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    sqlx::query("UPDATE payouts SET failure_reason = 'checked by finance', version = version + 1 WHERE id = $1")
        .bind(payout)
        .execute(&mut w.finance.conn)
        .await
        .unwrap();
    let audited: Vec<(String, Option<Uuid>, serde_json::Value)> = sqlx::query_as(
        "SELECT action, actor_id, details FROM audit_log WHERE action IN ('platform_settings.update', 'payouts.update') ORDER BY occurred_at",
    )
    .fetch_all(&mut w.admin.conn)
    .await
    .unwrap();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert_eq!((audited[0].0.as_str(), audited[0].1), ("platform_settings.update", Some(w.admin.id)));
    assert_eq!(audited[0].2["value"], serde_json::json!([7, 9]));
    assert_eq!((audited[1].0.as_str(), audited[1].1), ("payouts.update", Some(w.finance.id)));
    assert_eq!(audited[1].2["failure_reason"], serde_json::json!([null, "checked by finance"]));
    assert!(audited[1].2.get("version").is_none(), "bookkeeping columns are not noise in the trail");

    // 7. Signing in through the core: the server checks the password; the store
    // then works as that person, and the offline verifier works without it.
    let mut backoff = Backoff::default();
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let err = sign_in_online(&server, "vendor", "not-the-password", None, &mut backoff).await.unwrap_err();
        assert!(matches!(err, SignInError::WrongCredentials), "{err}");
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(AUTH_DELAY_MS),
            "auth_delay holds every failure back"
        );
    }
    assert_eq!(backoff.failures(), 2);
    let session =
        sign_in_online(&server, " Vendor ", PASSWORD, None, &mut backoff).await.expect("vendor signs in by username");
    assert_eq!(backoff.failures(), 0, "a success clears the count");
    let reported = scalar_i64(&mut w.owner, &format!("SELECT count(*) FROM audit_log WHERE action = 'failed_sign_ins' AND actor_id = '{}' AND (details->>'attempts')::int = 2", w.vendor_a.id)).await;
    assert_eq!(reported, 1, "the failed attempts reached the audit trail");
    let mut impatient = Backoff::default();
    for _ in 0..4 {
        impatient.failed();
    }
    assert!(matches!(
        sign_in_online(&server, "vendor", PASSWORD, None, &mut impatient).await,
        Err(SignInError::TooSoon(_))
    ));
    assert_eq!((session.me.id, session.me.role), (w.vendor_a.id, Role::Vendor));
    let all = PageRequest { sort: ProductSort::CreatedAt, dir: SortDir::Desc, after: None, limit: 500 };
    let mine = session.store.list_products(&ProductFilter::default(), &all).await.unwrap();
    assert!(!mine.items.is_empty() && mine.items.iter().all(|p| p.vendor_id == w.vendor_a.id));
    let theirs = ProductFilter { vendor_id: Some(w.vendor_b.id), ..Default::default() };
    assert!(session.store.list_products(&theirs, &all).await.unwrap().items.is_empty());
    let signed = scalar_i64(
        &mut w.admin.conn,
        &format!("SELECT count(*) FROM audit_log WHERE action = 'signed_in' AND actor_id = '{}'", w.vendor_a.id),
    )
    .await;
    assert_eq!(signed, 1, "one successful sign-in recorded");
    for (login, password) in [("vendor", "not-the-password"), ("nobody-here", PASSWORD), ("admin", "")] {
        let err = sign_in_online(&server, login, password, None, &mut Backoff::default()).await.unwrap_err();
        assert!(matches!(err, SignInError::WrongCredentials), "{login}: {err}");
    }
    assert!(matches!(
        sign_in_online(&server, "vendor@marketdesk.demo", PASSWORD, None, &mut Backoff::default()).await,
        Err(SignInError::UnknownEmail)
    ));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("local.sqlite");
    let local = Store::open(&DatabaseUrl::sqlite(&file), &OpenOptions::create()).await.unwrap();
    local.migrate(|_| {}).await.unwrap();
    remember_for_offline(&local, &session.me, PASSWORD).await.unwrap();
    let by_email = sign_in_online(&server, "vendor@marketdesk.demo", PASSWORD, Some(&local), &mut Backoff::default())
        .await
        .expect("email maps through the local copy");
    assert_eq!(by_email.me.id, w.vendor_a.id);
    let offline = sign_in_offline(&local, "vendor@marketdesk.demo", PASSWORD).await.expect("offline sign-in");
    assert_eq!(offline.id, w.vendor_a.id);
    assert!(matches!(sign_in_offline(&local, "vendor", "guess-guess-guess").await, Err(SignInError::WrongCredentials)));
    assert!(matches!(sign_in_offline(&local, "finance", PASSWORD).await, Err(SignInError::WrongCredentials)));

    // A desktop's server check needs nobody's password: a refused probe proves the server is there.
    let address = marketdesk_core::identity::parse_server(&server).unwrap();
    marketdesk_core::identity::check_server(&address).await.expect("the private cluster answers");
    let down = "postgres://127.0.0.1:1/postgres";
    let missing = marketdesk_core::identity::check_server(down).await.unwrap_err();
    assert!(matches!(missing, StoreError::Unreachable { .. }), "{missing:?}");

    // Only a server out of reach falls back to the local copy; one that answers decides.
    let mut backoff = Backoff::default();
    match sign_in_online_or_offline(down, "vendor", PASSWORD, &local, &mut backoff).await {
        Ok(SignedIn::Offline { me, reason }) => {
            assert_eq!(me.id, w.vendor_a.id);
            assert!(reason.contains("127.0.0.1:1"), "{reason}");
        }
        other => panic!("a server out of reach should fall back offline: {other:?}"),
    }
    let refused = sign_in_online_or_offline(down, "vendor", "guess-guess-guess", &local, &mut backoff).await;
    assert!(matches!(refused, Err(SignInError::OfflineRefused { .. })), "{refused:?}");
    assert_eq!(backoff.failures(), 1, "a refused offline sign-in counts towards the back-off");
    let answered =
        sign_in_online_or_offline(&server, "vendor", "guess-guess-guess", &local, &mut Backoff::default()).await;
    assert!(matches!(answered, Err(SignInError::WrongCredentials)), "the server's refusal stands: {answered:?}");
    match sign_in_online_or_offline(&server, "vendor", PASSWORD, &local, &mut Backoff::default()).await {
        Ok(SignedIn::Online(s)) => s.store.close().await,
        other => panic!("a reachable server signs in online: {other:?}"),
    }
    local.close().await;
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()), "the password itself is never stored");

    sqlx::query("SELECT md_set_user_active($1, false)").bind(w.vendor_b.id).execute(&mut w.admin.conn).await.unwrap();
    assert!(matches!(
        sign_in_online(&server, "vendor1", PASSWORD, None, &mut Backoff::default()).await,
        Err(SignInError::Suspended)
    ));
    assert!(matches!(
        sign_in_online(&server, "vendor1", "wrong-password-here", None, &mut Backoff::default()).await,
        Err(SignInError::WrongCredentials)
    ));
    session.store.close().await;
    by_email.store.close().await;
    eprintln!("security: {checks} matrix checks over {} tables × 4 roles × 4 operations passed", MATRIX.len());
}
