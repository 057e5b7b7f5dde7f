//! The product editor on both engines: a vendor creates a product with
//! options and the variants they make, edits it on the version read (rows
//! kept by id, new ones added with their stock, removed ones retired),
//! every problem is named by its field with nothing written, and the review
//! keeps what it approved so a live edit is reviewed as a diff; asking for
//! changes, the platform setting for live edits, archive and restore.

use marketdesk_core::Store;
use marketdesk_core::catalog::editing::regenerate_variants;
use marketdesk_core::catalog::save::{ProductSave, REVIEW_LIVE_EDITS};
use marketdesk_core::catalog::snapshot::product_changes;
use marketdesk_core::catalog::steps::ProductStep;
use marketdesk_core::domain::product_draft::ProductOption;
use marketdesk_core::domain::{ProductStatus, Role};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::sync::mutation::apply;
use marketdesk_core::sync::{Mutation, Outcome};
use marketdesk_test_support::{fetch_all_for, on_both_engines};
use uuid::Uuid;

on_both_engines!(
    a_vendor_creates_and_edits_a_product_with_variants,
    every_problem_is_named_and_nothing_is_written,
    the_review_diffs_a_live_edit_and_asks_for_changes,
);

async fn seeded(store: &Store) -> (Reader, Reader, Reader) {
    let mut o = SeedOptions::new(40);
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
    let first = |role: &'static str| async move {
        let rows: Vec<(Uuid,)> =
            fetch_all_for!(store, "SELECT id FROM users WHERE role = $1 ORDER BY created_at, id LIMIT 2", role);
        rows
    };
    let vendors = first("vendor").await;
    let admin = first("admin").await[0].0;
    (
        Reader { id: vendors[0].0, role: Role::Vendor },
        Reader { id: vendors[1].0, role: Role::Vendor },
        Reader { id: admin, role: Role::Admin },
    )
}

fn size(values: &[&str]) -> Vec<ProductOption> {
    vec![ProductOption { name: "Size".into(), values: values.iter().map(|v| (*v).into()).collect() }]
}

/// A linen shirt in S and M for `vendor`, priced 25.00, 4 and 7 on hand.
async fn shirt(store: &Store, vendor: Uuid, stem: &str) -> ProductSave {
    let mut save = store.new_product(vendor).await.unwrap();
    save.draft.name = "Linen shirt".into();
    save.draft.description = "  Breathes in summer. ".into();
    save.draft.options = size(&["S", "M"]);
    save.draft.variants = regenerate_variants(&save.draft.options, &[], stem);
    for (v, stock) in save.draft.variants.iter_mut().zip([4, 7]) {
        v.price_minor = 2500;
        v.weight_grams = 300;
        v.initial_stock = stock;
    }
    save.draft.variants[0].barcode = Some("4006381333931".into());
    save
}

async fn save(store: &Store, who: Reader, s: &ProductSave) -> Result<i64, StoreError> {
    match apply(store, who.id, &Mutation::ProductSave { save: Box::new(s.clone()) }).await {
        Ok(Outcome::Version(v)) => Ok(v),
        Ok(other) => panic!("a save answered {other:?}"),
        Err(e) => Err(e),
    }
}

async fn step(store: &Store, who: Reader, product: Uuid, version: i64, step: ProductStep) -> Result<i64, StoreError> {
    apply(store, who.id, &Mutation::ProductStep { product, version, step }).await.map(|o| o.version().unwrap())
}

async fn audit_actions(store: &Store, product: Uuid) -> Vec<String> {
    let rows: Vec<(String,)> = fetch_all_for!(
        store,
        "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'products.%' ORDER BY occurred_at, id",
        product
    );
    rows.into_iter().map(|r| r.0).collect()
}

async fn a_vendor_creates_and_edits_a_product_with_variants(store: &Store) {
    let (vendor, other, _) = seeded(store).await;
    let new = shirt(store, vendor.id, "lin").await;
    assert_eq!(save(store, vendor, &new).await.unwrap(), 1);
    let opened = store.product_for_editing(new.product_id).await.unwrap();
    assert_eq!(opened.status, ProductStatus::Draft);
    assert_eq!(opened.draft.description, "Breathes in summer.");
    assert_eq!(opened.draft.options, size(&["S", "M"]));
    let skus: Vec<&str> = opened.draft.variants.iter().map(|v| v.sku.as_str()).collect();
    assert_eq!(skus, ["LIN-S", "LIN-M"]);
    assert_eq!(opened.draft.variants.iter().map(|v| v.initial_stock).collect::<Vec<_>>(), [4, 7]);
    assert_eq!(opened.draft.variants[0].barcode.as_deref(), Some("4006381333931"));
    let listed = store.product(new.product_id).await.unwrap();
    assert_eq!((listed.base_price_minor, listed.variant_count, listed.stock_on_hand), (2500, 2, 11));
    assert_eq!(listed.slug, "linen-shirt");

    // Edit: M costs more, S goes, L comes with its own stock; M keeps its id and stock.
    let mut edit = ProductSave { product_id: new.product_id, version: Some(opened.version), draft: opened.draft };
    edit.draft.variants[1].price_minor = 2700;
    edit.draft.options = size(&["M", "L"]);
    edit.draft.variants = regenerate_variants(&edit.draft.options, &edit.draft.variants, "lin");
    edit.draft.variants[1].initial_stock = 3;
    assert_eq!(edit.draft.variants[0].id, new.draft.variants[1].id);
    assert_eq!(save(store, vendor, &edit).await.unwrap(), 2);
    let variants = store.variants(new.product_id).await.unwrap();
    let shape: Vec<(&str, i64, i32)> =
        variants.iter().map(|v| (v.sku.as_str(), v.price_minor, v.stock_on_hand)).collect();
    assert_eq!(shape, [("LIN-L", 2500, 3), ("LIN-M", 2700, 7)], "a new row is priced like the first row");
    let retired: Vec<(i64,)> = fetch_all_for!(
        store,
        "SELECT count(*) FROM product_variants WHERE id = $1 AND deleted_at IS NOT NULL",
        new.draft.variants[0].id
    );
    assert_eq!(retired[0].0, 1, "a removed variant is retired, not deleted: orders name it");

    // A save on the version read before is refused whole.
    let stale = save(store, vendor, &edit).await.unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { expected: 1, actual: 2, .. }), "{stale}");
    assert_eq!(store.variants(new.product_id).await.unwrap().len(), 2);

    // Another vendor can neither edit it nor move it.
    let mut theirs = edit.clone();
    theirs.version = Some(2);
    assert!(matches!(save(store, other, &theirs).await, Err(StoreError::AccessDenied(_))));
    theirs.draft.vendor_id = other.id;
    assert!(matches!(save(store, other, &theirs).await, Err(StoreError::Validation(_))));
    assert!(matches!(
        step(store, other, new.product_id, 2, ProductStep::Submit).await,
        Err(StoreError::AccessDenied(_))
    ));

    // A second product of the same name gets its own slug.
    let twin = shirt(store, vendor.id, "twin").await;
    save(store, vendor, &twin).await.unwrap();
    assert_eq!(store.product(twin.product_id).await.unwrap().slug, "linen-shirt-2");

    assert_eq!(step(store, vendor, new.product_id, 2, ProductStep::Submit).await.unwrap(), 3);
    assert_eq!(store.product(new.product_id).await.unwrap().status, ProductStatus::PendingReview);
    assert_eq!(audit_actions(store, new.product_id).await, ["products.create", "products.edit", "products.submit"]);
}

async fn every_problem_is_named_and_nothing_is_written(store: &Store) {
    let (vendor, _, _) = seeded(store).await;
    let first = shirt(store, vendor.id, "kept").await;
    save(store, vendor, &first).await.unwrap();

    let mut bad = shirt(store, vendor.id, "bad").await;
    bad.draft.variants[1].sku = "bad-s".into();
    bad.draft.variants[0].barcode = Some("4006381333932".into());
    bad.draft.variants[0].compare_at_price_minor = Some(100);
    let problems = store.product_draft_problems(bad.product_id, &bad.draft).await.unwrap();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["variants[0].barcode", "variants[0].compare_at_price_minor", "variants[1].sku"],
        "{problems:?}"
    );
    let err = save(store, vendor, &bad).await.unwrap_err().to_string();
    assert!(err.contains("variants[1].sku: SKU bad-s is used by another variant here"), "{err}");
    assert!(err.contains("variants[0].barcode: not a GTIN"), "{err}");

    // A SKU the vendor sells on another product is named too, whatever its case.
    let mut clash = shirt(store, vendor.id, "new").await;
    clash.draft.variants[1].sku = "kept-m".into();
    let problems = store.product_draft_problems(clash.product_id, &clash.draft).await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "variants[1].sku");
    assert!(problems[0].message.contains("another of this vendor's products"), "{problems:?}");
    assert!(save(store, vendor, &clash).await.is_err());

    // An unknown category.
    let mut lost = shirt(store, vendor.id, "lost").await;
    lost.draft.category_id = Uuid::now_v7();
    let problems = store.product_draft_problems(lost.product_id, &lost.draft).await.unwrap();
    assert_eq!(problems[0].field, "category_id");

    for id in [bad.product_id, clash.product_id, lost.product_id] {
        let rows: Vec<(i64,)> = fetch_all_for!(store, "SELECT count(*) FROM products WHERE id = $1", id);
        assert_eq!(rows[0].0, 0, "a refused product leaves no row");
        let rows: Vec<(i64,)> =
            fetch_all_for!(store, "SELECT count(*) FROM product_variants WHERE product_id = $1", id);
        assert_eq!(rows[0].0, 0, "nor any variant");
    }
}

async fn the_review_diffs_a_live_edit_and_asks_for_changes(store: &Store) {
    let (vendor, _, admin) = seeded(store).await;
    let new = shirt(store, vendor.id, "rev").await;
    save(store, vendor, &new).await.unwrap();
    let id = new.product_id;
    assert!(!product_changes(store, id).await.unwrap().was_approved);
    step(store, vendor, id, 1, ProductStep::Submit).await.unwrap();
    apply(store, admin.id, &Mutation::ProductReview { product: id, version: 2, approve: true, reason: None })
        .await
        .unwrap();
    let approved = product_changes(store, id).await.unwrap();
    assert!(approved.was_approved && approved.changes.is_empty(), "{approved:?}");

    // The vendor edits the live product: it goes back to review, and the diff names the price.
    let opened = store.product_for_editing(id).await.unwrap();
    let mut edit = ProductSave { product_id: id, version: Some(opened.version), draft: opened.draft };
    edit.draft.variants[0].price_minor = 2200;
    edit.draft.name = "Linen shirt, relaxed".into();
    save(store, vendor, &edit).await.unwrap();
    assert_eq!(store.product(id).await.unwrap().status, ProductStatus::PendingReview);
    let diff = product_changes(store, id).await.unwrap();
    let fields: Vec<&str> = diff.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["Name", "Variant REV-S: price"], "{diff:?}");
    let currency = edit.draft.currency;
    assert_eq!(diff.changes[1].before.as_deref(), Some(format!("{currency} 25.00").as_str()));
    assert_eq!(diff.changes[1].after.as_deref(), Some(format!("{currency} 22.00").as_str()));

    // The admin asks for a change: a draft again, with the note, and the vendor is told.
    let version = store.product_for_editing(id).await.unwrap().version;
    let blank = Mutation::ProductChangesAsked { product: id, version, note: "  ".into() };
    assert!(matches!(apply(store, admin.id, &blank).await, Err(StoreError::Validation(_))));
    let ask = Mutation::ProductChangesAsked { product: id, version, note: "Show the M's weight".into() };
    apply(store, admin.id, &ask).await.unwrap();
    let back = store.product_for_editing(id).await.unwrap();
    assert_eq!((back.status, back.review_note.as_deref()), (ProductStatus::Draft, Some("Show the M's weight")));
    let told: Vec<(i64,)> = fetch_all_for!(
        store,
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'product_changes_requested'",
        vendor.id
    );
    assert!(told[0].0 >= 1);

    // With live edits not reviewed, an approved product stays approved when its vendor edits it.
    store.put_setting(REVIEW_LIVE_EDITS, "false", "Review vendors' edits of live products").await.unwrap();
    let v = step(store, vendor, id, back.version, ProductStep::Submit).await.unwrap();
    apply(store, admin.id, &Mutation::ProductReview { product: id, version: v, approve: true, reason: None })
        .await
        .unwrap();
    let opened = store.product_for_editing(id).await.unwrap();
    let mut quiet = ProductSave { product_id: id, version: Some(opened.version), draft: opened.draft };
    quiet.draft.variants[1].weight_grams = 320;
    save(store, vendor, &quiet).await.unwrap();
    assert_eq!(store.product(id).await.unwrap().status, ProductStatus::Approved);

    // Archived: off the shelf, not editable until restored as a draft.
    let v = store.product_for_editing(id).await.unwrap().version;
    let v = step(store, vendor, id, v, ProductStep::Archive).await.unwrap();
    quiet.version = Some(v);
    let refused = save(store, vendor, &quiet).await.unwrap_err().to_string();
    assert!(refused.contains("restored before it is edited"), "{refused}");
    assert!(step(store, vendor, id, v, ProductStep::Submit).await.is_err());
    step(store, vendor, id, v, ProductStep::Restore).await.unwrap();
    assert_eq!(store.product(id).await.unwrap().status, ProductStatus::Draft);
    let actions = audit_actions(store, id).await;
    for a in ["products.approve", "products.request_changes", "products.archive", "products.restore"] {
        assert!(actions.iter().any(|x| x == a), "{a} missing from {actions:?}");
    }
}

/// The same work over each person's own login on a private cluster, where
/// the database's grants, row-level security and triggers decide again: the
/// vendor creates, edits, submits and edits the live product (back to
/// review); the admin approves and asks for changes; the other vendor is
/// refused by the database itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_works_the_editor_over_their_own_login() {
    use marketdesk_test_support::marketplace::site;
    let mut site = site().await;
    let vendor = site.person("vendor@marketdesk.demo").await;
    let admin = site.person("admin@marketdesk.demo").await;
    let other = site.person("vendor1@vendors.marketdesk.demo").await;
    let (v, a) = (Reader { id: vendor.id, role: Role::Vendor }, Reader { id: admin.id, role: Role::Admin });

    let mut new = shirt(&vendor.server, vendor.id, "own").await;
    new.draft.variants[0].length_mm = Some(300);
    new.draft.variants[0].width_mm = Some(200);
    new.draft.variants[0].height_mm = Some(30);
    assert_eq!(save(&vendor.server, v, &new).await.unwrap(), 1);
    let id = new.product_id;
    step(&vendor.server, v, id, 1, ProductStep::Submit).await.unwrap();
    apply(&admin.server, admin.id, &Mutation::ProductReview { product: id, version: 2, approve: true, reason: None })
        .await
        .expect("the admin approves over their login");
    assert!(product_changes(&admin.server, id).await.unwrap().was_approved);

    let opened = vendor.server.product_for_editing(id).await.unwrap();
    let mut live = ProductSave { product_id: id, version: Some(opened.version), draft: opened.draft };
    live.draft.variants[1].price_minor = 2900;
    live.draft.variants[0].height_mm = Some(40);
    save(&vendor.server, v, &live).await.expect("a vendor edits its live product over its login");
    assert_eq!(vendor.server.product(id).await.unwrap().status, ProductStatus::PendingReview);
    let diff = product_changes(&admin.server, id).await.unwrap();
    let fields: Vec<&str> = diff.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["Variant OWN-M: price", "Variant OWN-S: size"], "{diff:?}");

    let version = admin.server.product_for_editing(id).await.unwrap().version;
    let ask = Mutation::ProductChangesAsked { product: id, version, note: "Photos, please".into() };
    apply(&admin.server, a.id, &ask).await.expect("the admin asks for changes over their login");
    let back = vendor.server.product_for_editing(id).await.unwrap();
    assert_eq!(back.review_note.as_deref(), Some("Photos, please"));
    let mut fewer = ProductSave { product_id: id, version: Some(back.version), draft: back.draft };
    fewer.draft.options = size(&["M"]);
    fewer.draft.variants = regenerate_variants(&fewer.draft.options, &fewer.draft.variants, "own");
    save(&vendor.server, v, &fewer).await.expect("a vendor retires a variant of its draft");
    assert_eq!(vendor.server.variants(id).await.unwrap().len(), 1);

    // The other vendor, even bringing a draft that names itself, is refused by the database.
    let mut theirs = fewer.clone();
    theirs.version = Some(vendor.server.product_for_editing(id).await.unwrap().version);
    theirs.draft.vendor_id = other.id;
    let refused = save(&other.server, Reader { id: other.id, role: Role::Vendor }, &theirs).await.unwrap_err();
    assert!(matches!(refused, StoreError::NotFound { .. } | StoreError::Validation(_)), "{refused}");
}
