//! Vendors' subscriptions billed through Stripe, against a real PostgreSQL and
//! the local Stripe fake: subscribe (a customer made once, invoices mailed by
//! Stripe), change plan (prorated), end with the period and renew, and
//! Stripe's subscription events kept in step, including one started elsewhere.

use marketdesk_core::finance::subscriptions::{PlanShow, VendorPlanFilter};
use marketdesk_core::integrations::stripe::{Billing, NewSubscription};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use marketdesk_test_support::money::{Db, count, gateway, seeded_pg};
use marketdesk_test_support::stripe_fake::StripeFake;
use serde_json::json;
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use uuid::Uuid;

async fn vendors_with_live_subscriptions(db: &Db) -> Vec<Uuid> {
    let mut c = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query_scalar(
        "SELECT vendor_id FROM subscriptions WHERE status <> 'cancelled' AND deleted_at IS NULL ORDER BY vendor_id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
}

async fn end_locally(db: &Db, vendor: Uuid) {
    let mut c = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query(
        "UPDATE subscriptions SET status = 'cancelled', cancelled_at = now(), version = version + 1 \
         WHERE vendor_id = $1 AND status <> 'cancelled'",
    )
    .bind(vendor)
    .execute(&mut c)
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_is_subscribed_moved_ended_and_kept_in_step_with_stripe() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let plans = db.store.subscription_plans().await.unwrap();
    assert_eq!(plans.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["starter", "growth", "pro"]);
    let vendors = vendors_with_live_subscriptions(&db).await;
    let (v, other) = (vendors[0], vendors[1]);

    // A vendor on a plan already is moved, not subscribed twice.
    let err = db.store.subscribe_vendor(&stripe, v, "growth").await.unwrap_err();
    assert!(matches!(&err, StoreError::Validation(m) if m.contains("change the plan instead")), "{err}");
    // A seeded subscription Stripe does not know is refused by Stripe, in words, and nothing changes.
    let seeded = db.store.vendor_plan(v).await.unwrap();
    let err = db.store.change_vendor_plan(&stripe, v, "pro", seeded.version.unwrap()).await.unwrap_err();
    assert!(matches!(&err, StoreError::Validation(m) if m.contains("No such subscription")), "{err}");
    assert_eq!(db.store.vendor_plan(v).await.unwrap(), seeded);

    // Subscribed through Stripe: a customer once, invoices mailed, the row made at once.
    end_locally(&db, v).await;
    let plan = db.store.subscribe_vendor(&stripe, v, "growth").await.unwrap();
    assert_eq!((plan.plan_code.as_deref(), plan.status.as_deref()), (Some("growth"), Some("active")));
    let sub = plan.stripe_subscription_id.clone().unwrap();
    assert!(sub.starts_with("sub_fake"));
    {
        let state = fake.state.lock().unwrap();
        assert_eq!(state.customers.len(), 1);
        assert_eq!(state.customers[0]["metadata"]["marketdesk_vendor"], json!(v.to_string()));
        let made = &state.subscriptions[0];
        assert_eq!(made["collection_method"], "send_invoice");
        assert_eq!(made["days_until_due"], 14);
        assert_eq!(made["items"]["data"][0]["price"]["id"], "price_growth_monthly");
    }
    let customer = count(
        &db.url,
        &format!("SELECT count(*) FROM user_profiles WHERE user_id = '{v}' AND stripe_customer_id = 'cus_fake000001'"),
    )
    .await;
    assert_eq!(customer, 1, "the customer id is kept on the vendor's profile");
    let err = db.store.subscribe_vendor(&stripe, v, "pro").await.unwrap_err();
    assert!(matches!(err, StoreError::Validation(_)), "{err}");

    // Moved to another plan, prorated; a stale version is refused before Stripe is asked.
    let version = plan.version.unwrap();
    let posts = fake.state.lock().unwrap().posts;
    let err = db.store.change_vendor_plan(&stripe, v, "pro", version - 1).await.unwrap_err();
    assert!(matches!(err, StoreError::VersionConflict { .. }), "{err}");
    assert_eq!(fake.state.lock().unwrap().posts, posts, "nothing sent to Stripe");
    let err = db.store.change_vendor_plan(&stripe, v, "growth", version).await.unwrap_err();
    assert!(matches!(&err, StoreError::Validation(m) if m.contains("already")), "{err}");
    let moved = db.store.change_vendor_plan(&stripe, v, "pro", version).await.unwrap();
    assert_eq!(moved.plan_code.as_deref(), Some("pro"));
    assert_eq!(fake.state.lock().unwrap().subscriptions[0]["items"]["data"][0]["price"]["id"], "price_pro_monthly");

    // Set to end with the period, then to renew again.
    let ending = db.store.set_vendor_plan_ending(&stripe, v, true, moved.version.unwrap()).await.unwrap();
    assert!(ending.cancel_at_period_end);
    assert_eq!(fake.state.lock().unwrap().subscriptions[0]["cancel_at_period_end"], true);
    let renewing = db.store.set_vendor_plan_ending(&stripe, v, false, ending.version.unwrap()).await.unwrap();
    assert!(!renewing.cancel_at_period_end);

    // Stripe ends it (unpaid invoices, or the period ran out): the event says so.
    let mut ended = fake.state.lock().unwrap().subscriptions[0].clone();
    ended["status"] = json!("canceled");
    ended["canceled_at"] = json!(1_781_000_000);
    fake.push_event("customer.subscription.deleted", ended);
    // One started elsewhere (the storefront's own sign-up) for a vendor with no live plan.
    end_locally(&db, other).await;
    let cus = stripe
        .create_customer(&marketdesk_core::integrations::stripe::NewCustomer {
            email: "other@example.com".into(),
            name: "Other".into(),
            vendor_id: other.to_string(),
            idempotency_key: "elsewhere-customer".into(),
        })
        .await
        .unwrap();
    let elsewhere = stripe
        .create_subscription(&NewSubscription {
            customer: cus,
            price: "price_starter_monthly".into(),
            vendor_id: other.to_string(),
            days_until_due: 30,
            idempotency_key: "elsewhere".into(),
        })
        .await
        .unwrap();
    let object = fake.state.lock().unwrap().subscriptions[1].clone();
    fake.push_event("customer.subscription.created", object);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.seen, report.applied), (2, 2), "{report:?}");
    let now = db.store.vendor_plan(v).await.unwrap();
    assert_eq!(now.plan_code, None, "the ended subscription is no longer live");
    assert_eq!(
        count(&db.url, &format!("SELECT count(*) FROM subscriptions WHERE stripe_subscription_id = '{sub}' AND status = 'cancelled' AND cancelled_at IS NOT NULL")).await,
        1
    );
    let theirs = db.store.vendor_plan(other).await.unwrap();
    assert_eq!(theirs.plan_code.as_deref(), Some("starter"));
    assert_eq!(theirs.stripe_subscription_id.as_deref(), Some(elsewhere.id.as_str()));
    assert_eq!(db.store.vendor_subscription(other).await.unwrap().unwrap().plan_code, "starter");
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plans_that_cannot_be_billed_and_offline_stores_are_refused() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let v = vendors_with_live_subscriptions(&db).await[0];
    end_locally(&db, v).await;
    let mut c = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE subscription_plans SET stripe_price_id = NULL WHERE code = 'growth'")
        .execute(&mut c)
        .await
        .unwrap();
    sqlx::query("UPDATE subscription_plans SET is_active = false WHERE code = 'pro'").execute(&mut c).await.unwrap();
    for (plan, words) in [("growth", "no Stripe price"), ("pro", "not offered"), ("platinum", "not found")] {
        let err = db.store.subscribe_vendor(&stripe, v, plan).await.unwrap_err();
        assert!(err.to_string().contains(words), "{plan}: {err}");
    }
    assert_eq!(fake.state.lock().unwrap().posts, 0, "Stripe was never asked");
    let err = db.store.subscribe_vendor(&stripe, Uuid::now_v7(), "starter").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let no_plan = VendorPlanFilter { show: Some(PlanShow::NoPlan), ..Default::default() };
    assert!(
        db.store
            .vendor_plans(&no_plan)
            .await
            .unwrap()
            .vendors
            .iter()
            .any(|p| p.vendor_id == v && p.plan_code.is_none())
    );

    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("l.db").display())).unwrap();
    let local = Store::open(&url, &OpenOptions { create: true, ..Default::default() }).await.unwrap();
    let err = local.subscribe_vendor(&stripe, v, "starter").await.unwrap_err();
    assert!(matches!(err, StoreError::OnlineOnly(_)), "{err}");
    local.close().await;
    db.drop_database().await;
}

/// `marketdesk plans …` through the built binary against the Stripe fake:
/// the plans listed, a vendor subscribed, set to end, renewed and moved, each
/// answer a line about the vendor; a plan that does not exist is refused in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_lists_plans_and_subscribes_ends_renews_and_moves_a_vendor() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let v = vendors_with_live_subscriptions(&db).await[0];
    end_locally(&db, v).await;
    let home = tempfile::tempdir().unwrap();
    let (url, api) = (db.url.clone(), fake.server.uri());
    // The fake answers on this test's runtime, so the binary runs off it.
    let plans = |args: &[&str]| {
        let mut cmd = std::process::Command::new(marketdesk_test_support::marketdesk_bin());
        cmd.args(["--database-url", &url, "plans"])
            .args(args)
            .env("HOME", home.path())
            .env("MARKETDESK_STRIPE_SECRET_KEY", "sk_test_marketdesk")
            .env("MARKETDESK_STRIPE_API", &api);
        async move {
            let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
    };
    let vendor = v.to_string();

    let (ok, listed, err) = plans(&["list"]).await;
    assert!(ok, "{err}");
    let codes: Vec<&str> = listed.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(codes, ["starter", "growth", "pro"], "{listed}");
    let growth = listed.lines().find(|l| l.starts_with("growth")).unwrap();
    assert!(growth.contains("29.00 USD") && growth.contains("10.00% commission"), "{growth}");

    let (ok, out, err) = plans(&["subscribe", "--vendor", &vendor, "--plan", "growth"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("growth") && out.contains("active") && out.contains("renews"), "{out}");
    assert_eq!(fake.state.lock().unwrap().subscriptions.len(), 1);

    let (ok, out, err) = plans(&["end", "--vendor", &vendor]).await;
    assert!(ok, "{err}");
    assert!(out.contains("ends "), "{out}");
    assert_eq!(fake.state.lock().unwrap().subscriptions[0]["cancel_at_period_end"], true);
    let (ok, out, err) = plans(&["renew", "--vendor", &vendor]).await;
    assert!(ok, "{err}");
    assert!(out.contains("renews "), "{out}");

    let (ok, out, err) = plans(&["change", "--vendor", &vendor, "--plan", "pro"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("pro"), "{out}");
    assert_eq!(fake.state.lock().unwrap().subscriptions[0]["items"]["data"][0]["price"]["id"], "price_pro_monthly");

    let (ok, vendors, _) = plans(&["vendors"]).await;
    assert!(ok);
    assert!(vendors.lines().any(|l| l.contains(" pro ")), "{vendors}");

    let (ok, _, err) = plans(&["change", "--vendor", &vendor, "--plan", "platinum"]).await;
    assert!(!ok);
    assert!(err.contains("platinum"), "{err}");
    db.drop_database().await;
}
