//! Notifications on both engines: each person's preferences honoured per
//! channel over their role's defaults, audiences resolved among active
//! people whose role hears of the kind, the bell's list paged and read,
//! desktop alerts taken once, daily digests grouped and mailed once, and the
//! events that write them (a review, stock falling low). On PostgreSQL the
//! database's defaults table equals the domain's.

use marketdesk_core::Store;
use marketdesk_core::catalog::stock::{StockChange, change_stock_in};
use marketdesk_core::domain::notifications::{NotificationKind as K, defaults_table};
use marketdesk_core::domain::stock::StockMovementKind;
use marketdesk_core::domain::{Role, Timestamp};
use marketdesk_core::notifications::inbox::{inbox, mark_all_read, mark_read, take_desktop_alerts, unread_count};
use marketdesk_core::notifications::mail::queue_due;
use marketdesk_core::notifications::preferences::{PreferenceChoice, preferences, reset_preferences, set_preference};
use marketdesk_core::notifications::send::{Audience, Notice, announce, notify};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use uuid::Uuid;

on_both_engines!(
    preferences_choose_the_channels,
    audiences_reach_active_people_whose_role_hears,
    the_bell_pages_and_reads_only_its_own,
    digests_gather_a_day_and_go_once,
    reviews_and_low_stock_tell_the_vendor,
);

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(20);
    o.seed = 5;
    seed(store, &o, |_| {}).await.expect("seed");
}

async fn user(store: &Store, email: &str) -> Uuid {
    let rows: Vec<(Uuid,)> = fetch_all_for!(store, "SELECT id FROM users WHERE email = $1", email);
    rows[0].0
}

/// The channels of `who`'s rows titled `title`, sorted.
async fn channels(store: &Store, who: Uuid, title: &str) -> Vec<String> {
    let rows: Vec<(Uuid, String, String)> =
        fetch_all_for!(store, "SELECT user_id, title, channel FROM notifications WHERE user_id = $1", who);
    let mut out: Vec<String> = rows.into_iter().filter(|r| r.1 == title).map(|r| r.2).collect();
    out.sort();
    out
}

async fn preferences_choose_the_channels(store: &Store) {
    seeded(store).await;
    let vendor = user(store, "vendor@marketdesk.demo").await;
    let to = Audience::Person(vendor);

    notify(store, None, &Notice::new(K::LowStock, to, "Low 1")).await.unwrap();
    assert_eq!(channels(store, vendor, "Low 1").await, ["in_app"], "low stock: the bell only, by default");
    notify(store, None, &Notice::new(K::OrderPlaced, to, "Order 1")).await.unwrap();
    assert_eq!(channels(store, vendor, "Order 1").await, ["email", "in_app", "push"]);

    let choice = PreferenceChoice { kind: K::LowStock, in_app: false, email: true, digest: false, desktop: true };
    set_preference(store, vendor, Role::Vendor, choice).await.unwrap();
    notify(store, None, &Notice::new(K::LowStock, to, "Low 2")).await.unwrap();
    assert_eq!(channels(store, vendor, "Low 2").await, ["email", "push"]);
    // Other kinds keep their defaults.
    notify(store, None, &Notice::new(K::OrderPlaced, to, "Order 2")).await.unwrap();
    assert_eq!(channels(store, vendor, "Order 2").await, ["email", "in_app", "push"]);

    let listed = preferences(store, vendor, Role::Vendor).await.unwrap();
    let low = listed.iter().find(|p| p.kind == K::LowStock).unwrap();
    assert!(low.customised && !low.in_app && low.email && low.desktop);
    assert!(listed.iter().all(|p| p.kind.reaches(Role::Vendor)));
    assert!(!listed.iter().any(|p| p.kind == K::DisputeOverdue), "vendors never hear of overdue disputes");

    let refused = set_preference(
        store,
        vendor,
        Role::Vendor,
        PreferenceChoice { kind: K::DisputeOverdue, in_app: true, email: true, digest: false, desktop: true },
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, StoreError::Validation(_)), "{refused}");

    // Everything off: nothing at all is written.
    let off = PreferenceChoice { kind: K::LowStock, in_app: false, email: false, digest: false, desktop: false };
    set_preference(store, vendor, Role::Vendor, off).await.unwrap();
    assert_eq!(notify(store, None, &Notice::new(K::LowStock, to, "Low 3")).await.unwrap(), 0);

    assert!(reset_preferences(store, vendor).await.unwrap() >= 3);
    notify(store, None, &Notice::new(K::LowStock, to, "Low 4")).await.unwrap();
    assert_eq!(channels(store, vendor, "Low 4").await, ["in_app"], "back to the defaults");
    // A choice made again after a reset counts again.
    set_preference(store, vendor, Role::Vendor, choice).await.unwrap();
    notify(store, None, &Notice::new(K::LowStock, to, "Low 5")).await.unwrap();
    assert_eq!(channels(store, vendor, "Low 5").await, ["email", "push"]);
}

async fn audiences_reach_active_people_whose_role_hears(store: &Store) {
    seeded(store).await;
    let admin = user(store, "admin@marketdesk.demo").await;
    let finance = user(store, "finance@marketdesk.demo").await;
    let active: Vec<(Uuid, String)> =
        fetch_all!(store, "SELECT id, role FROM users WHERE status = 'active' AND deleted_at IS NULL");
    let vendors: Vec<Uuid> = active.iter().filter(|(_, r)| r == "vendor").map(|r| r.0).collect();
    assert!(vendors.len() >= 2);

    let n = announce(store, admin, Role::Admin, Audience::Role(Role::Vendor), "Holiday hours", "Closed on the 25th.")
        .await
        .unwrap();
    let bell: Vec<(Uuid,)> = fetch_all_for!(
        store,
        "SELECT user_id FROM notifications WHERE title = $1 AND channel = 'in_app' ORDER BY user_id",
        "Holiday hours"
    );
    let mut expected = vendors.clone();
    expected.sort();
    assert_eq!(bell.into_iter().map(|r| r.0).collect::<Vec<_>>(), expected, "every active vendor, no one else");
    assert_eq!(n as usize, vendors.len() * 2, "announcements: the bell and a mail each by default");

    let everyone = announce(store, admin, Role::Admin, Audience::Everyone, "Welcome", "").await.unwrap();
    let staff = active.iter().filter(|(_, r)| r != "customer").count();
    assert_eq!(everyone as usize, staff * 2, "customers hear nothing here");

    let refused = announce(store, finance, Role::Finance, Audience::Everyone, "Hi", "").await.unwrap_err();
    assert!(matches!(refused, StoreError::AccessDenied(_)), "{refused}");

    // Payout failures reach finance and vendors, never admins.
    let n =
        notify(store, None, &Notice::new(K::PayoutFailed, Audience::Person(admin), "Not for admins")).await.unwrap();
    assert_eq!(n, 0);
    let bad = notify(store, None, &Notice::new(K::LowStock, Audience::Person(admin), "  ")).await.unwrap_err();
    assert!(matches!(bad, StoreError::Validation(_)), "{bad}");
}

async fn the_bell_pages_and_reads_only_its_own(store: &Store) {
    seeded(store).await;
    let vendor = user(store, "vendor@marketdesk.demo").await;
    let finance = user(store, "finance@marketdesk.demo").await;
    mark_all_read(store, vendor).await.unwrap();
    assert_eq!(unread_count(store, vendor).await.unwrap(), 0);
    for i in 0..5 {
        let notice = Notice::new(K::OrderPlaced, Audience::Person(vendor), format!("New order {i}"));
        notify(store, None, &notice.about("orders", marketdesk_core::domain::new_id())).await.unwrap();
    }
    let theirs = notify(store, None, &Notice::new(K::PayoutFailed, Audience::Person(finance), "Theirs")).await.unwrap();
    assert!(theirs > 0);
    assert_eq!(unread_count(store, vendor).await.unwrap(), 5);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = inbox(store, vendor, true, 2, after.as_deref()).await.unwrap();
        assert!(page.items.len() <= 2);
        assert_eq!(page.unread, 5);
        seen.extend(page.items.iter().map(|n| n.title.clone()));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, ["New order 4", "New order 3", "New order 2", "New order 1", "New order 0"], "newest first");
    let bad = inbox(store, vendor, false, 2, Some("nonsense")).await.unwrap_err();
    assert!(matches!(bad, StoreError::BadCursor));

    let first = inbox(store, vendor, true, 2, None).await.unwrap();
    assert!(first.items[0].link.as_deref().unwrap().starts_with("marketdesk://orders/"));
    let ids: Vec<Uuid> = first.items.iter().map(|n| n.id).collect();
    let finance_ids: Vec<Uuid> =
        inbox(store, finance, true, 10, None).await.unwrap().items.iter().map(|n| n.id).collect();
    assert_eq!(mark_read(store, vendor, &finance_ids).await.unwrap(), 0, "never someone else's");
    assert_eq!(mark_read(store, vendor, &ids).await.unwrap(), 2);
    assert_eq!(mark_read(store, vendor, &ids).await.unwrap(), 0, "read once");
    assert_eq!(unread_count(store, vendor).await.unwrap(), 3);
    assert_eq!(mark_all_read(store, vendor).await.unwrap(), 3);
    assert_eq!(unread_count(store, vendor).await.unwrap(), 0);
    assert!(unread_count(store, finance).await.unwrap() >= 1, "finance's stay unread");

    // Desktop alerts: the order notices (on by default), each taken once.
    let alerts = take_desktop_alerts(store, vendor).await.unwrap();
    assert_eq!(alerts.len(), 5);
    assert!(take_desktop_alerts(store, vendor).await.unwrap().is_empty());
}

async fn digests_gather_a_day_and_go_once(store: &Store) {
    seeded(store).await;
    let vendor = user(store, "vendor@marketdesk.demo").await;
    let digest = PreferenceChoice { kind: K::ProductApproved, in_app: true, email: true, digest: true, desktop: false };
    set_preference(store, vendor, Role::Vendor, digest).await.unwrap();
    for name in ["Mug", "Bowl", "Plate"] {
        let notice = Notice::new(K::ProductApproved, Audience::Person(vendor), format!("“{name}” is approved"));
        notify(store, None, &notice).await.unwrap();
    }
    notify(store, None, &Notice::new(K::PayoutSent, Audience::Person(vendor), "Payout of 12.00 EUR sent"))
        .await
        .unwrap();
    let outbox = |store: &Store| {
        let store = store.clone();
        async move {
            let rows: Vec<(String, String, String)> =
                fetch_all!(store, "SELECT to_address, subject, body_text FROM email_outbox ORDER BY created_at, id");
            rows
        }
    };
    let before = outbox(store).await.len();

    let now = Timestamp::now();
    let first = queue_due(store, now).await.unwrap();
    assert_eq!((first.single, first.digests), (1, 0), "the payout mails at once; the digest waits a day");
    let later = Timestamp::from_unix_micros(now.unix_micros() + 25 * 3_600_000_000).unwrap();
    let second = queue_due(store, later).await.unwrap();
    assert_eq!((second.single, second.digests, second.in_digests), (0, 1, 3));
    assert_eq!(queue_due(store, later).await.unwrap(), Default::default(), "nothing is mailed twice");

    let mails = outbox(store).await;
    let new: Vec<_> = mails[before..].to_vec();
    assert_eq!(new.len(), 2);
    assert_eq!(new[0].0, "vendor@marketdesk.demo");
    assert_eq!(new[0].1, "Payout of 12.00 EUR sent");
    assert_eq!(new[1].1, "3 things happened in Marketdesk");
    for name in ["Mug", "Bowl", "Plate"] {
        assert_eq!(new[1].2.matches(&format!("“{name}” is approved")).count(), 1, "{name} once in the digest");
    }
}

async fn reviews_and_low_stock_tell_the_vendor(store: &Store) {
    seeded(store).await;
    let admin = user(store, "admin@marketdesk.demo").await;
    // Two products of an active vendor sent for review.
    let sent = "UPDATE products SET status = 'pending_review' WHERE id IN (SELECT p.id FROM products p \
                JOIN users u ON u.id = p.vendor_id WHERE u.status = 'active' AND p.deleted_at IS NULL \
                ORDER BY p.id LIMIT 2)";
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query(sent).execute(p).await.map(|_| ()).unwrap(),
        (_, Some(p)) => sqlx::query(sent).execute(p).await.map(|_| ()).unwrap(),
        _ => unreachable!(),
    }
    let pending: Vec<(Uuid, i64, Uuid, String)> = fetch_all!(
        store,
        "SELECT p.id, p.version, p.vendor_id, p.name FROM products p JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'pending_review' AND p.deleted_at IS NULL AND u.status = 'active' ORDER BY p.id LIMIT 2"
    );
    assert_eq!(pending.len(), 2);
    let (a, b) = (&pending[0], &pending[1]);
    store.review_product(a.0, a.1, true, admin, None).await.unwrap();
    store.review_product(b.0, b.1, false, admin, Some("Photos are blurry")).await.unwrap();
    let told: Vec<(String, String, String)> = fetch_all_for!(
        store,
        "SELECT kind, title, body FROM notifications WHERE channel = 'in_app' AND sent_by = $1 ORDER BY kind",
        admin
    );
    assert_eq!(told.len(), 2, "{told:?}");
    assert_eq!(told[0].0, "product_approved");
    assert_eq!(told[0].1, format!("“{}” is approved", a.3));
    assert_eq!((told[1].0.as_str(), told[1].2.as_str()), ("product_changes_requested", "Photos are blurry"));

    // Stock: told once when it falls to the threshold, again only after it rose above.
    let variants: Vec<(Uuid, i32, i32)> = fetch_all!(
        store,
        "SELECT v.id, v.stock_on_hand, v.stock_reserved FROM product_variants v \
         JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE v.deleted_at IS NULL AND u.status = 'active' AND v.stock_on_hand - v.stock_reserved > 10 \
         ORDER BY v.id LIMIT 1"
    );
    let (variant, on_hand, reserved) = variants[0];
    let set = "UPDATE product_variants SET low_stock_threshold = 5 WHERE id = $1";
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query(set).bind(variant).execute(p).await.map(|_| ()).unwrap(),
        (_, Some(p)) => sqlx::query(set).bind(variant).execute(p).await.map(|_| ()).unwrap(),
        _ => unreachable!(),
    }
    let low = || async {
        let rows: Vec<(String,)> =
            fetch_all!(store, "SELECT body FROM notifications WHERE kind = 'low_stock' AND channel = 'in_app'");
        rows
    };
    let step = |delta: i32| {
        let store = store.clone();
        async move {
            let mut tx = store.begin_write_tx().await.unwrap();
            let kind = if delta < 0 { StockMovementKind::Damaged } else { StockMovementKind::Received };
            let change = StockChange { movement: Uuid::now_v7(), variant, kind, delta, note: None };
            let left = change_stock_in(&mut tx, admin, &change).await.unwrap();
            tx.commit().await.unwrap();
            left
        }
    };
    let free = on_hand - reserved;
    step(-(free - 6)).await;
    assert!(low().await.is_empty(), "6 free: not low yet");
    assert_eq!(step(-1).await, on_hand - free + 5);
    assert_eq!(low().await.len(), 1);
    assert!(low().await[0].0.starts_with("5 left to sell"), "{:?}", low().await);
    step(-2).await;
    assert_eq!(low().await.len(), 1, "still low: not told again");
    step(10).await;
    step(-10).await;
    assert_eq!(low().await.len(), 2, "low again after a restock");
}

#[tokio::test]
async fn postgres_defaults_table_is_the_domains() {
    let db = marketdesk_test_support::databases::pg().await;
    let pool = db.store.pg_pool().unwrap();
    let mut got: Vec<(String, String, String, bool)> =
        sqlx::query_as("SELECT kind, role, channel, enabled FROM md_notification_defaults()")
            .fetch_all(pool)
            .await
            .unwrap();
    got.sort();
    let mut want: Vec<(String, String, String, bool)> =
        defaults_table().into_iter().map(|(k, r, c, on)| (k.into(), r.as_str().into(), c.into(), on)).collect();
    want.sort();
    assert_eq!(got, want);
    db.finish().await;
}
