//! Customers on both engines: the list searched and narrowed, a record's
//! lifetime value equal to what its orders and refunds add up to, the address
//! book kept with one default and edits that never rewrite a used address,
//! notes, blocking on the version read (and, on PostgreSQL, a blocked
//! customer's new order refused by the database), the export of everything
//! held about one person, and who may do what.

use marketdesk_core::Store;
use marketdesk_core::customers::addresses::{AddressChange, AddressInput, addresses_of};
use marketdesk_core::customers::export::{export_customer, write_export_folder};
use marketdesk_core::customers::list::{CustomerFilter, CustomerSort, list_customers};
use marketdesk_core::customers::profile::customer_profile;
use marketdesk_core::customers::status::CustomerStatusChange;
use marketdesk_core::domain::Role;
use marketdesk_core::domain::customer::CustomerStatus;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::{PageRequest, SortDir, StoreError};
use marketdesk_core::sync::mutation::apply;
use marketdesk_core::sync::{Mutation, Outcome};
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use std::collections::BTreeMap;
use uuid::Uuid;

on_both_engines!(
    the_list_and_a_record_add_up,
    the_address_book_keeps_one_default_and_never_rewrites,
    a_blocked_customer_is_blocked_on_the_version_read,
    one_persons_data_is_exported_whole,
);

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(120);
    o.seed = 5;
    seed(store, &o, |_| {}).await.expect("seed");
}

async fn person(store: &Store, role: &str) -> Reader {
    let rows: Vec<(Uuid,)> =
        fetch_all_for!(store, "SELECT id FROM users WHERE role = $1 ORDER BY created_at, id LIMIT 1", role);
    Reader { id: rows[0].0, role: role.parse::<Role>().unwrap() }
}

/// The customer with the most orders, and how many.
async fn busiest(store: &Store) -> (Uuid, i64) {
    let rows: Vec<(Uuid, i64)> = fetch_all!(
        store,
        "SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id ORDER BY n DESC, customer_id LIMIT 1"
    );
    rows[0]
}

fn page(limit: u32) -> PageRequest<CustomerSort> {
    PageRequest { sort: CustomerSort::Email, dir: SortDir::Asc, after: None, limit }
}

fn apartment(country: &str, postcode: &str, default: bool) -> AddressInput {
    AddressInput {
        label: "Home".into(),
        recipient_name: "Ada Lovelace".into(),
        line1: "12 Kings Road".into(),
        city: "London".into(),
        postal_code: postcode.into(),
        country: country.into(),
        make_default: default,
        ..AddressInput::default()
    }
}

async fn change(store: &Store, admin: Reader, customer: Uuid, c: AddressChange) -> Result<Uuid, String> {
    match apply(store, admin.id, &Mutation::CustomerAddress { customer, change: Box::new(c) }).await {
        Ok(Outcome::Address(id)) => Ok(id),
        Ok(other) => panic!("an address change answered {other:?}"),
        Err(e) => Err(e.to_string()),
    }
}

async fn the_list_and_a_record_add_up(store: &Store) {
    seeded(store).await;
    let (admin, finance) = (person(store, "admin").await, person(store, "finance").await);
    let all: Vec<(i64,)> = fetch_all!(store, "SELECT count(*) FROM users WHERE role = 'customer'");
    let mut seen = 0;
    let mut req = page(7);
    loop {
        let p = list_customers(store, admin, &CustomerFilter::default(), &req).await.unwrap();
        assert!(p.items.windows(2).all(|w| w[0].email <= w[1].email), "sorted by e-mail in the database");
        seen += p.items.len();
        match p.next_cursor {
            Some(c) => req.after = Some(c),
            None => break,
        }
    }
    assert_eq!(seen as i64, all[0].0, "paging walks every customer once");

    let (id, orders) = busiest(store).await;
    let p = customer_profile(store, finance, id).await.unwrap();
    assert_eq!(p.customer.order_count, orders);
    assert!(p.addresses.is_empty() && !p.may_keep, "finance reads no addresses");
    let word = p.customer.display_name.split_whitespace().last().unwrap().to_owned();
    let filter = CustomerFilter { search: Some(word.clone()), ..CustomerFilter::default() };
    let found = list_customers(store, admin, &filter, &page(500)).await.unwrap();
    assert!(found.items.iter().any(|c| c.id == id), "searching “{word}” finds them");
    assert!(found.items.iter().all(|c| c.display_name.contains(&word) || c.email.contains(&word.to_lowercase())));

    // Lifetime value per currency is what the orders and refunds add up to.
    let sold: Vec<(String, i64)> = fetch_all_for!(
        store,
        "SELECT currency, total_minor FROM orders WHERE customer_id = $1 AND status IN ('paid', 'processing', \
         'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')",
        id
    );
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for (c, m) in sold {
        *expected.entry(c).or_default() += m;
    }
    let got: BTreeMap<String, i64> =
        p.lifetime.iter().map(|v| (v.currency.as_str().to_owned(), v.spent_minor)).collect();
    assert_eq!(got, expected);
    assert!(p.lifetime.iter().all(|v| v.net_minor == v.spent_minor - v.refunded_minor));

    // Vendors and logistics read no customer records.
    for role in ["vendor", "logistics"] {
        let who = person(store, role).await;
        let r = list_customers(store, who, &CustomerFilter::default(), &page(5)).await;
        assert!(matches!(r, Err(StoreError::AccessDenied(_))), "{role}: {r:?}");
    }
    let bad = CustomerFilter { country: Some("Narnia".into()), ..CustomerFilter::default() };
    assert!(matches!(list_customers(store, admin, &bad, &page(5)).await, Err(StoreError::Validation(_))));
}

async fn the_address_book_keeps_one_default_and_never_rewrites(store: &Store) {
    seeded(store).await;
    let admin = person(store, "admin").await;
    let (id, _) = busiest(store).await;
    let before = addresses_of(store, id, true).await.unwrap();
    let defaults = |book: &[marketdesk_core::customers::addresses::Address]| {
        book.iter().filter(|a| a.is_default && a.retired_at.is_none()).count()
    };

    // A bad postcode is named and nothing is written.
    let e = change(store, admin, id, AddressChange::Add { address: apartment("GB", "SW1A", false) }).await.unwrap_err();
    assert!(e.contains("postcode"), "{e}");
    assert_eq!(addresses_of(store, id, true).await.unwrap().len(), before.len());

    let added =
        change(store, admin, id, AddressChange::Add { address: apartment("GB", "sw1a 1aa", true) }).await.unwrap();
    let book = addresses_of(store, id, false).await.unwrap();
    assert_eq!(book[0].id, added, "the new default is on top");
    assert_eq!(book[0].postal_code, "SW1A 1AA", "postcodes are kept upper-case");
    assert_eq!(defaults(&book), 1, "one default");

    // An edit writes a new row and retires the old one; the default moves with it.
    let edited = change(
        store,
        admin,
        id,
        AddressChange::Replace { id: added, version: book[0].version, address: apartment("GB", "EC1A 1BB", false) },
    )
    .await
    .unwrap();
    assert_ne!(edited, added);
    let all = addresses_of(store, id, true).await.unwrap();
    let old = all.iter().find(|a| a.id == added).unwrap();
    assert!(old.retired_at.is_some() && old.postal_code == "SW1A 1AA", "the old row is kept as it was");
    assert!(all.iter().any(|a| a.id == edited && a.is_default));
    assert_eq!(defaults(&all), 1);

    // A stale version is refused; retiring the default promotes the newest left.
    let stale = change(store, admin, id, AddressChange::Retire { id: edited, version: 99 }).await.unwrap_err();
    assert!(stale.contains("changed by someone else"), "{stale}");
    let v = addresses_of(store, id, false).await.unwrap().into_iter().find(|a| a.id == edited).unwrap().version;
    change(store, admin, id, AddressChange::Retire { id: edited, version: v }).await.unwrap();
    let left = addresses_of(store, id, false).await.unwrap();
    assert!(left.iter().all(|a| a.id != edited));
    assert_eq!(defaults(&left), usize::from(!left.is_empty()), "the newest left is the default");

    // Only admins keep address books, and only customers' ones.
    let finance = person(store, "finance").await;
    let r = change(store, finance, id, AddressChange::Add { address: apartment("GB", "EC1A 1BB", false) }).await;
    assert!(r.unwrap_err().contains("only an admin"));
    let vendor = person(store, "vendor").await;
    let r = change(store, admin, vendor.id, AddressChange::Add { address: apartment("GB", "EC1A 1BB", false) }).await;
    assert!(r.unwrap_err().contains("not found"));
}

async fn a_blocked_customer_is_blocked_on_the_version_read(store: &Store) {
    seeded(store).await;
    let (admin, finance) = (person(store, "admin").await, person(store, "finance").await);
    let (id, _) = busiest(store).await;
    let version = customer_profile(store, admin, id).await.unwrap().customer.version;
    let block = |version: i64, reason: &str| CustomerStatusChange {
        customer_id: id,
        version,
        to: CustomerStatus::Blocked,
        reason: reason.into(),
    };
    let run = |who: Reader, c: CustomerStatusChange| async move {
        apply(store, who.id, &Mutation::CustomerStatus { change: c }).await.map_err(|e| e.to_string())
    };
    assert!(run(admin, block(version, "  ")).await.unwrap_err().contains("say why"));
    assert!(run(finance, block(version, "fraud")).await.unwrap_err().contains("only an admin"));
    assert!(run(admin, block(version + 5, "fraud")).await.unwrap_err().contains("changed by someone else"));
    let moved = run(admin, block(version, "Chargebacks on three orders")).await.unwrap();
    assert_eq!(moved, Outcome::Version(version + 1));

    let p = customer_profile(store, admin, id).await.unwrap();
    assert_eq!(p.customer.status, CustomerStatus::Blocked);
    assert_eq!(p.notes[0].body, "Blocked: Chargebacks on three orders", "the reason is kept as a note");
    let audit: Vec<(String,)> =
        fetch_all_for!(store, "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'customer.%'", id);
    assert_eq!(audit, vec![("customer.blocked".to_owned(),)]);
    let blocked = CustomerFilter { status: Some(CustomerStatus::Blocked), ..CustomerFilter::default() };
    let listed = list_customers(store, admin, &blocked, &page(50)).await.unwrap();
    assert_eq!(listed.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
    assert!(run(admin, block(version + 1, "again")).await.unwrap_err().contains("already blocked"));

    // On the server the database refuses their new orders; lifting the block lets them order again.
    if let Some(pg) = store.pg_pool() {
        let copy = "INSERT INTO orders (id, number, customer_id, status, currency, subtotal_minor, shipping_minor, \
                    tax_minor, discount_minor, total_minor, placed_at, version, created_at, updated_at) \
                    SELECT $1, $2, customer_id, 'pending', currency, subtotal_minor, shipping_minor, tax_minor, \
                    discount_minor, total_minor, now(), 1, now(), now() FROM orders WHERE customer_id = $3 LIMIT 1";
        let e = sqlx::query(copy).bind(Uuid::now_v7()).bind("MD-BLOCKED-1").bind(id).execute(pg).await.unwrap_err();
        assert!(e.to_string().contains("blocked"), "{e}");
        let lift = CustomerStatusChange {
            customer_id: id,
            version: version + 1,
            to: CustomerStatus::Active,
            reason: String::new(),
        };
        run(admin, lift).await.unwrap();
        sqlx::query(copy).bind(Uuid::now_v7()).bind("MD-BLOCKED-2").bind(id).execute(pg).await.unwrap();
    }
}

async fn one_persons_data_is_exported_whole(store: &Store) {
    seeded(store).await;
    let (admin, finance) = (person(store, "admin").await, person(store, "finance").await);
    let (id, orders) = busiest(store).await;
    apply(store, finance.id, &Mutation::CustomerNote { customer: id, body: "Asked for an invoice copy.".into() })
        .await
        .unwrap();
    assert!(matches!(export_customer(store, finance, id).await, Err(StoreError::AccessDenied(_))));
    let export = export_customer(store, admin, id).await.unwrap();
    assert_eq!(export.orders.len() as i64, orders);
    let lines: Vec<(i64,)> = fetch_all_for!(
        store,
        "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1 AND i.deleted_at IS NULL",
        id
    );
    assert_eq!(export.lines.len() as i64, lines[0].0);
    let addresses: Vec<(i64,)> =
        fetch_all_for!(store, "SELECT count(*) FROM shipping_addresses WHERE user_id = $1", id);
    assert_eq!(export.addresses.len() as i64, addresses[0].0, "retired addresses too");
    assert_eq!(export.notes.len(), 1);

    let dir = tempfile::tempdir().unwrap();
    let files = write_export_folder(&export, &dir.path().join("bundle")).unwrap();
    assert_eq!(files.len(), 9, "customer.json and eight sections");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("bundle/customer.json")).unwrap()).unwrap();
    assert_eq!(json["customer"]["email"], export.customer.email.as_str());
    let orders_csv = std::fs::read_to_string(dir.path().join("bundle/orders.csv")).unwrap();
    assert_eq!(orders_csv.lines().count() as i64, orders + 1, "a heading and one row per order");
}
