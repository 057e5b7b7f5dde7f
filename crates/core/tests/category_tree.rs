//! The category tree on both engines: added at the root and under a parent
//! with slugs that never clash, renamed, moved with its whole branch's paths
//! following (and never under its own branch), merged into another with its
//! products and sub-categories, archived only when empty; admins only, each
//! change on the version read and in the audit trail.

use marketdesk_core::Store;
use marketdesk_core::catalog::categories::{CategoryChange, CategoryNode};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::mutation::apply;
use marketdesk_test_support::{fetch_all_for, on_both_engines};
use uuid::Uuid;

on_both_engines!(the_tree_is_kept_and_products_follow);

async fn change(store: &Store, who: Uuid, change: CategoryChange) -> Result<(), StoreError> {
    apply(store, who, &Mutation::Category { change }).await.map(|_| ())
}

fn node(tree: &[CategoryNode], id: Uuid) -> &CategoryNode {
    tree.iter().find(|n| n.id == id).unwrap_or_else(|| panic!("{id} is not in the tree"))
}

async fn the_tree_is_kept_and_products_follow(store: &Store) {
    seed(store, &SeedOptions::new(30), |_| {}).await.expect("seed");
    let who = |role: &'static str| async move {
        let rows: Vec<(Uuid,)> =
            fetch_all_for!(store, "SELECT id FROM users WHERE role = $1 ORDER BY created_at, id LIMIT 1", role);
        rows[0].0
    };
    let (admin, vendor) = (who("admin").await, who("vendor").await);

    let home = CategoryChange::add("Home & Garden", None);
    let lamps = CategoryChange::add("Lamps", Some(home.id()));
    let desk = CategoryChange::add("Desk lamps", Some(lamps.id()));
    let refused = change(store, vendor, CategoryChange::add("Mine", None)).await.unwrap_err();
    assert!(matches!(refused, StoreError::AccessDenied(_)), "{refused}");
    for c in [home.clone(), lamps.clone(), desk.clone()] {
        change(store, admin, c).await.unwrap();
    }
    let twin = CategoryChange::add("Home & Garden", None);
    change(store, admin, twin.clone()).await.unwrap();
    let tree = store.category_tree().await.unwrap();
    assert_eq!(node(&tree, desk.id()).path, "/home-garden/lamps/desk-lamps/");
    assert_eq!(node(&tree, desk.id()).depth, 2);
    assert_eq!(node(&tree, twin.id()).path, "/home-garden-2/", "a second slug never clashes");
    assert!(matches!(change(store, admin, CategoryChange::add(" ", None)).await, Err(StoreError::Validation(_))));

    // Under its own branch: refused, nothing moved.
    let v = node(&tree, home.id()).version;
    let cycle = change(store, admin, CategoryChange::Move { id: home.id(), version: v, parent: Some(desk.id()) }).await;
    assert!(cycle.unwrap_err().to_string().contains("its own branch"));

    // A product filed under Desk lamps; then Lamps moves under the twin, with its branch.
    let product: Vec<(Uuid,)> = fetch_all_for!(store, "SELECT id FROM products WHERE vendor_id = $1 LIMIT 1", vendor);
    let product = product[0].0;
    let direct: Vec<(Uuid,)> =
        fetch_all_for!(store, "SELECT id FROM products WHERE vendor_id <> $1 ORDER BY id LIMIT 1", vendor);
    let direct = direct[0].0;
    let sql = "UPDATE products SET category_id = $1 WHERE id = $2";
    for (category, p_id) in [(desk.id(), product), (lamps.id(), direct)] {
        match (store.pg_pool(), store.sqlite_pool()) {
            (Some(p), _) => sqlx::query(sql).bind(category).bind(p_id).execute(p).await.map(|_| ()).unwrap(),
            (_, Some(p)) => sqlx::query(sql).bind(category).bind(p_id).execute(p).await.map(|_| ()).unwrap(),
            _ => unreachable!("a store is on one engine"),
        }
    }
    let v = node(&tree, lamps.id()).version;
    change(store, admin, CategoryChange::Move { id: lamps.id(), version: v, parent: Some(twin.id()) }).await.unwrap();
    let tree = store.category_tree().await.unwrap();
    assert_eq!(node(&tree, lamps.id()).path, "/home-garden-2/lamps/");
    assert_eq!(node(&tree, desk.id()).path, "/home-garden-2/lamps/desk-lamps/", "the branch follows");
    assert_eq!(node(&tree, desk.id()).products, 1);
    let stale =
        change(store, admin, CategoryChange::Rename { id: lamps.id(), version: v, name: "Lights".into() }).await;
    assert!(matches!(stale, Err(StoreError::VersionConflict { .. })), "{stale:?}");
    let v = node(&tree, lamps.id()).version;
    change(store, admin, CategoryChange::Rename { id: lamps.id(), version: v, name: "Lights".into() }).await.unwrap();

    // Archive only when empty; merge takes the products and sub-categories along.
    let tree = store.category_tree().await.unwrap();
    let v = node(&tree, desk.id()).version;
    let full = change(store, admin, CategoryChange::Archive { id: desk.id(), version: v }).await.unwrap_err();
    assert!(full.to_string().contains("1 product(s)"), "{full}");
    let v = node(&tree, lamps.id()).version;
    change(store, admin, CategoryChange::Merge { id: lamps.id(), version: v, into: home.id() }).await.unwrap();
    let tree = store.category_tree().await.unwrap();
    assert!(tree.iter().all(|n| n.id != lamps.id()), "the merged category leaves the tree");
    assert_eq!(node(&tree, desk.id()).path, "/home-garden/desk-lamps/");
    assert_eq!(node(&tree, desk.id()).parent_id, Some(home.id()));
    assert_eq!(store.product(product).await.unwrap().category_id, desk.id(), "products of sub-categories stay");
    assert_eq!(store.product(direct).await.unwrap().category_id, home.id(), "its own products follow it");
    let v = node(&tree, twin.id()).version;
    change(store, admin, CategoryChange::Archive { id: twin.id(), version: v }).await.unwrap();
    assert!(store.category_tree().await.unwrap().iter().all(|n| n.id != twin.id()));

    let actions: Vec<(String,)> = fetch_all_for!(
        store,
        "SELECT action FROM audit_log WHERE action LIKE 'categories.%' AND actor_id = $1 ORDER BY occurred_at, id",
        admin
    );
    let actions: Vec<&str> = actions.iter().map(|a| a.0.as_str()).collect();
    for a in ["categories.add", "categories.move", "categories.rename", "categories.merge", "categories.archive"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}
