//! Full-text search on both engines against one oracle written in Rust: every
//! word typed begins a word of the product (name, description, a live
//! variant's SKU, name or barcode, the vendor's name), the customer (name,
//! username, e-mail) or the person searched — so the same query gives the same
//! rows on PostgreSQL and SQLite. Relevance puts name matches first, and the
//! local index follows rows the sync replaces whole.

use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::products::{NewProduct, NewVariant, ProductFilter, ProductSort};
use marketdesk_core::store::users::{UserFilter, UserSort};
use marketdesk_core::store::{PageRequest, SortDir};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

on_both_engines!(
    products_are_found_by_every_field_they_hold,
    relevance_puts_name_matches_first,
    orders_are_found_by_number_or_customer,
    people_are_found_by_name_username_or_email,
    the_local_index_follows_replaced_rows,
);

/// The words of `text` as both engines cut them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphabetic())))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether every word of `query` begins one of `doc`.
fn holds(doc: &BTreeSet<String>, query: &str) -> bool {
    let q = words(query);
    !q.is_empty() && q.iter().all(|w| doc.iter().any(|d| d.starts_with(w.as_str())))
}

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(300);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 7;
    seed(store, &o, |_| {}).await.expect("seed");
}

/// Each live product's words, and its name's.
async fn product_docs(store: &Store) -> BTreeMap<Uuid, (BTreeSet<String>, BTreeSet<String>)> {
    let products: Vec<(Uuid, String, String, String)> = fetch_all!(
        store,
        "SELECT p.id, p.name, p.description, u.display_name FROM products p JOIN users u ON u.id = p.vendor_id \
         WHERE p.deleted_at IS NULL"
    );
    let variants: Vec<(Uuid, String, String, Option<String>)> =
        fetch_all!(store, "SELECT product_id, sku, name, barcode FROM product_variants WHERE deleted_at IS NULL");
    let mut out = BTreeMap::new();
    for (id, name, description, vendor) in products {
        let doc: BTreeSet<String> = [&name, &description, &vendor].iter().flat_map(|t| words(t)).collect();
        out.insert(id, (doc, words(&name).into_iter().collect()));
    }
    for (product, sku, name, barcode) in variants {
        if let Some((doc, _)) = out.get_mut(&product) {
            doc.extend(words(&sku).into_iter().chain(words(&name)).chain(words(&barcode.unwrap_or_default())));
        }
    }
    out
}

async fn products_found(store: &Store, search: &str, sort: ProductSort) -> Vec<Uuid> {
    let filter = ProductFilter { search: Some(search.into()), ..ProductFilter::default() };
    let mut page = PageRequest { sort, dir: SortDir::Desc, after: None, limit: 200 };
    let mut out = Vec::new();
    loop {
        let got = store.list_products(&filter, &page).await.unwrap_or_else(|e| panic!("{search:?}: {e}"));
        out.extend(got.items.iter().map(|p| p.id));
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => return out,
        }
    }
}

/// Queries taken from the data: starts of names, whole SKUs, vendors, two words.
async fn product_queries(store: &Store) -> Vec<String> {
    let rows: Vec<(String, String, String)> = fetch_all!(
        store,
        "SELECT p.name, v.sku, u.display_name FROM products p JOIN product_variants v ON v.product_id = p.id \
         JOIN users u ON u.id = p.vendor_id WHERE p.deleted_at IS NULL AND v.deleted_at IS NULL ORDER BY v.sku LIMIT 6"
    );
    let mut out = vec!["zzqx".to_owned(), "a".to_owned(), "%".to_owned()];
    for (name, sku, vendor) in rows {
        let w = words(&name);
        out.push(w[0].chars().take(3).collect());
        out.push(sku.to_lowercase());
        out.push(words(&vendor)[0].to_uppercase());
        if w.len() > 1 {
            out.push(format!("{} {}", w[1], &w[0][..w[0].len().min(2)]));
        }
    }
    out
}

async fn products_are_found_by_every_field_they_hold(store: &Store) {
    seeded(store).await;
    let docs = product_docs(store).await;
    let mut hits = 0;
    for q in product_queries(store).await {
        let got: BTreeSet<Uuid> = products_found(store, &q, ProductSort::Name).await.into_iter().collect();
        let want: BTreeSet<Uuid> = docs.iter().filter(|(_, (d, _))| holds(d, &q)).map(|(id, _)| *id).collect();
        assert_eq!(got, want, "products for {q:?}");
        hits += got.len();
    }
    assert!(hits > 20, "the queries find products: {hits}");
}

async fn relevance_puts_name_matches_first(store: &Store) {
    seeded(store).await;
    // Three products holding "quokka": in the name, the description, a SKU.
    let (vendor, category): (Uuid, Uuid) = fetch_all!(store, "SELECT vendor_id, category_id FROM products LIMIT 1")[0];
    for (name, description, sku) in [
        ("Desk light", "A quokka-shaped base.", "DL-1"),
        ("Quokka lamp", "A lamp.", "QL-1"),
        ("Night light", "Warm.", "QUOKKA-NL"),
    ] {
        let new = NewProduct {
            vendor_id: vendor,
            category_id: category,
            name: name.into(),
            description: description.into(),
            base_price_minor: 1000,
            currency: Currency::USD,
            variants: vec![NewVariant { sku: sku.into(), name: "Default".into(), price_minor: 1000, stock_on_hand: 1 }],
        };
        store.create_product(&new).await.unwrap();
    }
    let filter = ProductFilter { search: Some("quokka".into()), ..ProductFilter::default() };
    let req = PageRequest { sort: ProductSort::Relevance, dir: SortDir::Desc, after: None, limit: 10 };
    let got = store.list_products(&filter, &req).await.unwrap();
    let names: Vec<&str> = got.items.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Quokka lamp", "Night light", "Desk light"], "the name match first, then newest first");
    let docs = product_docs(store).await;
    let rank = |id: &Uuid, q: &str| {
        let name = &docs[id].1;
        words(q).iter().filter(|w| name.iter().any(|n| n.starts_with(w.as_str()))).count()
    };
    let mut mixed = 0;
    let mut queries = product_queries(store).await;
    queries.push("quokka".into());
    for q in queries {
        let got = products_found(store, &q, ProductSort::Relevance).await;
        let ranks: Vec<usize> = got.iter().map(|id| rank(id, &q)).collect();
        assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{q:?}: ranks {ranks:?}");
        if ranks.first() != ranks.last() {
            mixed += 1;
        }
        // Paging by relevance loses and repeats nothing.
        let by_name: BTreeSet<Uuid> = products_found(store, &q, ProductSort::Name).await.into_iter().collect();
        assert_eq!(got.iter().copied().collect::<BTreeSet<_>>(), by_name, "{q:?}");
        assert_eq!(got.len(), by_name.len(), "{q:?}");
    }
    assert!(mixed > 0, "some query finds products by their name and by other fields");
}

async fn orders_found(store: &Store, search: &str) -> BTreeSet<Uuid> {
    let filter = OrderFilter { search: Some(search.into()), ..OrderFilter::default() };
    let mut page = PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit: 500 };
    let mut out = BTreeSet::new();
    loop {
        let got = store.list_orders(&OrderLens::Full, &filter, &page).await.unwrap_or_else(|e| panic!("{search}: {e}"));
        out.extend(got.items.iter().map(|o| o.id));
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => return out,
        }
    }
}

async fn orders_are_found_by_number_or_customer(store: &Store) {
    seeded(store).await;
    let orders: Vec<(Uuid, String, String, String, String)> = fetch_all!(
        store,
        "SELECT o.id, o.number, u.display_name, u.username, u.email FROM orders o JOIN users u ON u.id = o.customer_id \
         WHERE o.deleted_at IS NULL ORDER BY o.number"
    );
    let doc = |o: &(Uuid, String, String, String, String)| -> BTreeSet<String> {
        [&o.2, &o.3, &o.4].iter().flat_map(|t| words(t)).collect()
    };
    let some = &orders[orders.len() / 2];
    let number = &some.1;
    let digits = number.trim_start_matches("MD-");
    let mut queries = vec![
        (number.to_lowercase(), true),
        (format!("MD-{}", &digits[..digits.len() - 1]), true),
        (digits[..digits.len() - 2].to_owned(), false),
        (words(&some.2).last().unwrap().clone(), false),
        (some.4.split('@').next().unwrap().to_owned(), false),
        (format!("{} {}", words(&some.2)[0], words(&some.4)[0].chars().take(2).collect::<String>()), false),
    ];
    queries.push(("nobody-at-all-zzqx".into(), false));
    for (q, explicit) in &queries {
        let got = orders_found(store, q).await;
        let upper = q.trim().to_ascii_uppercase();
        let start = if upper.starts_with("MD-") { upper.clone() } else { format!("MD-{upper}") };
        let bare_number = !explicit && upper.bytes().all(|b| b.is_ascii_hexdigit());
        let want: BTreeSet<Uuid> = orders
            .iter()
            .filter(|o| {
                let by_number = (*explicit || bare_number) && o.1.starts_with(&start);
                by_number || (!explicit && holds(&doc(o), q))
            })
            .map(|o| o.0)
            .collect();
        assert_eq!(got, want, "orders for {q:?}");
    }
    assert!(orders_found(store, number).await.contains(&some.0));
    assert_eq!(orders_found(store, &number.to_lowercase()).await.len(), 1, "a whole number is one order");
}

async fn people_are_found_by_name_username_or_email(store: &Store) {
    seeded(store).await;
    let people: Vec<(Uuid, String, String, String)> =
        fetch_all!(store, "SELECT id, display_name, username, email FROM users WHERE deleted_at IS NULL");
    let someone = &people[people.len() / 3];
    for q in [
        someone.1.clone(),
        someone.2.to_uppercase(),
        someone.3.clone(),
        words(&someone.3)[1].chars().take(4).collect::<String>(),
        "%".to_owned(),
    ] {
        let filter = UserFilter { search: Some(q.clone()), ..UserFilter::default() };
        let mut page = PageRequest { sort: UserSort::Email, dir: SortDir::Asc, after: None, limit: 500 };
        let mut got = BTreeSet::new();
        loop {
            let found = store.list_users(&filter, &page).await.unwrap();
            got.extend(found.items.iter().map(|u| u.id));
            match found.next_cursor {
                Some(c) => page.after = Some(c),
                None => break,
            }
        }
        let want: BTreeSet<Uuid> = people
            .iter()
            .filter(|p| holds(&[&p.1, &p.2, &p.3].iter().flat_map(|t| words(t)).collect(), &q))
            .map(|p| p.0)
            .collect();
        assert_eq!(got, want, "people for {q:?}");
    }
}

async fn the_local_index_follows_replaced_rows(store: &Store) {
    seeded(store).await;
    let Some(pool) = store.sqlite_pool() else {
        return; // PostgreSQL indexes expressions of the row itself: nothing to follow.
    };
    let (id, name): (Uuid, String) =
        sqlx::query_as("SELECT id, name FROM products WHERE deleted_at IS NULL ORDER BY id LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(products_found(store, &name, ProductSort::Name).await.contains(&id));
    // The sync writes a changed row with INSERT OR REPLACE, foreign keys off.
    let mut conn = pool.acquire().await.unwrap();
    for step in [
        "PRAGMA foreign_keys = OFF",
        "CREATE TEMP TABLE changed AS SELECT * FROM products WHERE id = $1",
        "UPDATE changed SET name = 'Zyzzyva reading lamp', version = version + 1",
        "INSERT OR REPLACE INTO products SELECT * FROM changed",
        "DROP TABLE changed",
        "PRAGMA foreign_keys = ON",
    ] {
        sqlx::query(step).bind(id).execute(&mut *conn).await.unwrap_or_else(|e| panic!("{step}: {e}"));
    }
    drop(conn);
    assert_eq!(products_found(store, "zyzzyva lamp", ProductSort::Name).await, [id], "the new name is found");
    let old: Vec<String> = words(&name).into_iter().filter(|w| !"zyzzyva reading lamp".contains(w.as_str())).collect();
    if !old.is_empty() {
        let query = old.join(" ");
        let still = products_found(store, &query, ProductSort::Name).await.contains(&id);
        let doc = &product_docs(store).await[&id].0;
        assert_eq!(still, holds(doc, &query), "the old name is found only where the row still holds it");
    }
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM fts_products").fetch_one(pool).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM products").fetch_one(pool).await.unwrap();
    assert_eq!(entries, rows, "one index entry per product, none left behind by the replaced row");
    // Deleted (its orders' references set aside for the test).
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await.unwrap();
    sqlx::query("DELETE FROM products WHERE id = $1").bind(id).execute(&mut *conn).await.unwrap();
    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await.unwrap();
    drop(conn);
    assert!(products_found(store, "zyzzyva", ProductSort::Name).await.is_empty(), "a deleted row leaves the index");
}
