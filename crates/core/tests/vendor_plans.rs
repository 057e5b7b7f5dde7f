//! The admin's lists of vendors, filtered, searched and counted by the core (the
//! UI only shows what comes back): vendors' plans and vendors' payout set-up,
//! the same answers on real PostgreSQL and a real SQLite file.

use marketdesk_test_support::on_both_engines;

use marketdesk_core::domain::{Role, Timestamp, UserStatus};
use marketdesk_core::finance::payout_setup::ConnectStatusList;
use marketdesk_core::finance::subscriptions::{PlanCount, PlanShow, VendorPlanFilter, VendorPlanList};
use marketdesk_core::store::bulk::{Batch, BulkWriter, Cell};
use marketdesk_core::store::users::NewUser;
use marketdesk_core::store::{Store, StoreError};
use std::collections::HashMap;
use uuid::Uuid;

on_both_engines!(vendor_plans_are_filtered_searched_and_counted, vendor_setup_is_filtered_and_counted);

async fn user(store: &Store, login: &str, name: &str, role: Role) -> Uuid {
    store
        .create_user(&NewUser {
            email: format!("{login}@vendors.test"),
            username: login.to_owned(),
            display_name: name.to_owned(),
            role,
            status: UserStatus::Active,
            password: None,
        })
        .await
        .expect("create user")
        .id
}

/// Nine vendors (and a finance person, who is no vendor), three plans, and
/// subscriptions in every state: live ones, one set to end, three awaiting
/// payment, one cancelled (set to end, too) and one deleted. Basalt's business
/// name stands for its display name; Basalt and Fjord are ready for payouts.
async fn marketplace(store: &Store) {
    let mut vendor = HashMap::new();
    for (login, name) in [
        ("natural", "100% Natural"),
        ("atlas", "Atlas Prints"),
        ("basalt", "basalt display"),
        ("cobalt", "Cobalt Works"),
        ("fjord", "Fjord Textiles"),
        ("harbor", "Harbor Tea"),
        ("juniper", "Juniper Co"),
        ("linden", "Linden Studio"),
        ("quarry", "Quarry_Co"),
    ] {
        vendor.insert(login, user(store, login, name, Role::Vendor).await);
    }
    user(store, "atlasfin", "Atlas Finance", Role::Finance).await;

    let now = Timestamp::now();
    let start = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let end = Timestamp::parse("2026-07-01T00:00:00Z").unwrap();
    let plan: HashMap<&str, Uuid> = ["starter", "growth", "pro"].into_iter().map(|c| (c, Uuid::now_v7())).collect();

    let mut plans = Batch::new(
        "subscription_plans",
        &[
            "id",
            "code",
            "name",
            "price_minor",
            "currency",
            "interval",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ],
    );
    for (code, id) in &plan {
        plans.push(vec![
            (*id).into(),
            (*code).into(),
            (*code).into(),
            1900_i64.into(),
            "USD".into(),
            "month".into(),
            true.into(),
            1_i64.into(),
            now.into(),
            now.into(),
        ]);
    }

    let mut subscriptions = Batch::new(
        "subscriptions",
        &[
            "id",
            "vendor_id",
            "plan_id",
            "status",
            "stripe_subscription_id",
            "current_period_start",
            "current_period_end",
            "cancel_at_period_end",
            "version",
            "created_at",
            "updated_at",
            "deleted_at",
        ],
    );
    for (login, code, status, ending, deleted) in [
        ("basalt", "growth", "active", false, false),
        ("cobalt", "starter", "trialing", true, false),
        ("fjord", "growth", "past_due", false, false),
        ("harbor", "pro", "cancelled", true, false),
        ("juniper", "starter", "incomplete", false, false),
        ("linden", "starter", "unpaid", false, false),
        ("quarry", "starter", "active", false, true),
    ] {
        subscriptions.push(vec![
            Uuid::now_v7().into(),
            vendor[login].into(),
            plan[code].into(),
            status.into(),
            format!("sub_{login}").into(),
            start.into(),
            end.into(),
            ending.into(),
            1_i64.into(),
            now.into(),
            now.into(),
            if deleted { Cell::Time(now) } else { Cell::Null },
        ]);
    }

    let mut profiles = Batch::new(
        "user_profiles",
        &[
            "id",
            "user_id",
            "business_name",
            "payouts_enabled",
            "verification_status",
            "version",
            "created_at",
            "updated_at",
        ],
    );
    for (login, business, ready) in
        [("basalt", Some("Basalt Goods"), true), ("cobalt", None, false), ("fjord", None, true)]
    {
        profiles.push(vec![
            Uuid::now_v7().into(),
            vendor[login].into(),
            business.into(),
            ready.into(),
            Cell::from(if ready { "verified" } else { "pending" }),
            1_i64.into(),
            now.into(),
            now.into(),
        ]);
    }

    let mut w = BulkWriter::begin(store, false).await.unwrap();
    w.write(&plans).await.unwrap();
    w.write(&subscriptions).await.unwrap();
    w.write(&profiles).await.unwrap();
    w.commit().await.unwrap();
}

fn names(list: &VendorPlanList) -> Vec<&str> {
    list.vendors.iter().map(|v| v.vendor_name.as_str()).collect()
}

fn filter(search: Option<&str>, show: Option<PlanShow>) -> VendorPlanFilter {
    VendorPlanFilter { search: search.map(str::to_owned), show }
}

async fn vendor_plans_are_filtered_searched_and_counted(store: &Store) {
    marketplace(store).await;
    let list = |search: Option<&'static str>, show: Option<PlanShow>| async move {
        store.vendor_plans(&filter(search, show)).await.unwrap_or_else(|e| panic!("{search:?} {show:?}: {e}"))
    };

    // Every vendor (no finance person), by name; the counts are of every vendor.
    let all = list(None, None).await;
    assert_eq!(
        names(&all),
        [
            "100% Natural",
            "Atlas Prints",
            "Basalt Goods",
            "Cobalt Works",
            "Fjord Textiles",
            "Harbor Tea",
            "Juniper Co",
            "Linden Studio",
            "Quarry_Co",
        ]
    );
    assert_eq!((all.total, all.on_plan), (9, 5));
    assert_eq!(
        all.by_plan,
        [PlanCount { plan_code: "growth".into(), vendors: 2 }, PlanCount { plan_code: "starter".into(), vendors: 3 }],
        "the cancelled and the deleted subscriptions are no plan; a plan without vendors is left out"
    );
    let basalt = &all.vendors[2];
    assert_eq!((basalt.plan_code.as_deref(), basalt.status.as_deref()), (Some("growth"), Some("active")));
    assert!(all.vendors[5].plan_code.is_none() && !all.vendors[5].cancel_at_period_end, "Harbor's plan ended");

    // What needs doing.
    let no_plan = list(None, Some(PlanShow::NoPlan)).await;
    assert_eq!(names(&no_plan), ["100% Natural", "Atlas Prints", "Harbor Tea", "Quarry_Co"]);
    assert!(no_plan.vendors.iter().all(|v| v.plan_code.is_none()));
    assert_eq!(names(&list(None, Some(PlanShow::Ending)).await), ["Cobalt Works"]);
    let payment = list(None, Some(PlanShow::NeedsPayment)).await;
    assert_eq!(names(&payment), ["Fjord Textiles", "Juniper Co", "Linden Studio"]);
    // The counts stay those of every vendor.
    assert_eq!((payment.total, payment.on_plan, payment.by_plan.len()), (9, 5, 2));

    // The name shown (the business name, else the display name) or the email, in any case, trimmed.
    assert_eq!(names(&list(Some("BASALT"), None).await), ["Basalt Goods"]);
    assert!(list(Some("basalt display"), None).await.vendors.is_empty(), "a business name stands for the display name");
    assert_eq!(names(&list(Some("fjord@VENDORS"), None).await), ["Fjord Textiles"]);
    assert_eq!(names(&list(Some("  Linden "), None).await), ["Linden Studio"]);
    assert_eq!(names(&list(Some("atlas"), None).await), ["Atlas Prints"], "no finance person");
    assert_eq!(names(&list(Some("   "), None).await).len(), 9, "a blank search is none");
    // Both at once.
    assert_eq!(names(&list(Some("co"), Some(PlanShow::NeedsPayment)).await), ["Juniper Co"]);
    let none = list(Some("fjord"), Some(PlanShow::NoPlan)).await;
    assert!(none.vendors.is_empty());
    assert_eq!((none.total, none.on_plan), (9, 5));

    // Wildcards are plain text; hostile text is inert; text no person types is refused.
    assert_eq!(names(&list(Some("%"), None).await), ["100% Natural"]);
    assert_eq!(names(&list(Some("_"), None).await), ["Quarry_Co"]);
    for attack in ["'; DROP TABLE users; --", "\" OR 1=1 --", "%' OR '1'='1", "\\"] {
        assert!(list(Some(attack), None).await.vendors.is_empty(), "{attack:?}");
    }
    assert_eq!(list(None, None).await.total, 9);
    for unprintable in ["a\u{0}b".to_owned(), "\u{7}".to_owned(), "x".repeat(201)] {
        let err = store.vendor_plans(&VendorPlanFilter { search: Some(unprintable.clone()), show: None }).await;
        assert!(matches!(err, Err(StoreError::Validation(_))), "{unprintable:?}: {err:?}");
    }
}

fn setup_names(list: &ConnectStatusList) -> Vec<&str> {
    list.vendors.iter().map(|v| v.vendor_name.as_str()).collect()
}

async fn vendor_setup_is_filtered_and_counted(store: &Store) {
    marketplace(store).await;
    // Not ready first, then by name; ready means Stripe pays them out.
    let all = store.connect_statuses(false).await.unwrap();
    assert_eq!(
        setup_names(&all),
        [
            "100% Natural",
            "Atlas Prints",
            "Cobalt Works",
            "Harbor Tea",
            "Juniper Co",
            "Linden Studio",
            "Quarry_Co",
            "Basalt Goods",
            "Fjord Textiles",
        ]
    );
    assert_eq!((all.total, all.ready), (9, 2));

    let not_ready = store.connect_statuses(true).await.unwrap();
    assert_eq!(setup_names(&not_ready), &setup_names(&all)[..7]);
    assert!(not_ready.vendors.iter().all(|v| !v.payouts_enabled));
    // The counts stay those of every vendor.
    assert_eq!((not_ready.total, not_ready.ready), (9, 2));
}
