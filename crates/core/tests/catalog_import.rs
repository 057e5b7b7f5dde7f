//! The catalog as CSV, on both engines: an export imported again changes
//! nothing, and imported for another vendor gives the same catalog; a broken
//! file is reported line by line and field by field with nothing written
//! (quotes, wrong types, duplicate SKUs, unknown categories, a 10 MB file);
//! semicolons, a byte-order mark and decimal commas are read; a stock count
//! becomes counted movements, once.

use marketdesk_core::Store;
use marketdesk_core::catalog::import_products::import_products;
use marketdesk_core::catalog::import_report::{ImportMode, ImportReport};
use marketdesk_core::catalog::import_stock::import_stock;
use marketdesk_core::catalog::product_csv::export_products;
use marketdesk_core::domain::{Role, UserStatus};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::products::ProductFilter;
use marketdesk_core::store::users::NewUser;
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use uuid::Uuid;

on_both_engines!(
    an_export_imports_back_unchanged_and_into_another_vendor,
    a_broken_file_is_reported_by_line_and_field_with_nothing_written,
    a_stock_count_becomes_counted_movements_once,
);

struct People {
    vendor: Reader,
    vendor_email: String,
    admin: Reader,
    logistics: Reader,
    finance: Reader,
}

async fn seeded(store: &Store) -> People {
    let mut o = SeedOptions::new(40);
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
    let rows: Vec<(Uuid, Role, String)> =
        fetch_all!(store, "SELECT id, role, email FROM users WHERE role <> 'customer' ORDER BY created_at, id");
    let first = |role: Role| rows.iter().find(|r| r.1 == role).unwrap();
    let v = first(Role::Vendor);
    People {
        vendor: Reader { id: v.0, role: Role::Vendor },
        vendor_email: v.2.clone(),
        admin: Reader { id: first(Role::Admin).0, role: Role::Admin },
        logistics: Reader { id: first(Role::Logistics).0, role: Role::Logistics },
        finance: Reader { id: first(Role::Finance).0, role: Role::Finance },
    }
}

async fn export(store: &Store, who: Reader, dir: &tempfile::TempDir, name: &str) -> String {
    let path = dir.path().join(name);
    export_products(store, who, &ProductFilter::default(), &path).await.expect("export");
    std::fs::read_to_string(&path).unwrap()
}

async fn products(store: &Store, who: Reader, text: &str, mode: ImportMode) -> ImportReport {
    import_products(store, who, "test.csv", text.as_bytes(), mode).await.expect("import")
}

fn problems(r: &ImportReport) -> Vec<String> {
    r.problems.iter().map(|p| p.to_string()).collect()
}

async fn versions(store: &Store) -> (i64, i64, i64) {
    let rows: Vec<(i64, i64, i64)> = fetch_all!(
        store,
        "SELECT CAST(coalesce(sum(version), 0) AS BIGINT), count(*), \
         (SELECT count(*) FROM product_variants) FROM products"
    );
    rows[0]
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
    lines.sort();
    lines
}

async fn an_export_imports_back_unchanged_and_into_another_vendor(store: &Store) {
    let p = seeded(store).await;
    let dir = tempfile::tempdir().unwrap();
    let file = export(store, p.vendor, &dir, "mine.csv").await;
    let products_of_vendor: Vec<(i64,)> =
        fetch_all_for!(store, "SELECT count(*) FROM products WHERE vendor_id = $1 AND deleted_at IS NULL", p.vendor.id);
    let n = products_of_vendor[0].0 as u64;
    assert!(n > 0, "the seeded vendor sells something");

    let before = versions(store).await;
    for mode in [ImportMode::DryRun, ImportMode::Apply] {
        let r = products(store, p.vendor, &file, mode).await;
        assert_eq!(problems(&r), Vec::<String>::new());
        assert_eq!((r.created, r.updated, r.unchanged), (0, 0, n), "{mode:?}: an export imported back changes nothing");
        assert_eq!(r.applied, mode == ImportMode::Apply);
    }
    assert_eq!(versions(store).await, before, "not one row was written");

    // The same file for a vendor who sells nothing yet gives the same catalog.
    let other = store
        .create_user(&NewUser {
            email: "second.shop@example.com".into(),
            username: "second-shop".into(),
            display_name: "Second shop".into(),
            role: Role::Vendor,
            status: UserStatus::Active,
            password: None,
        })
        .await
        .unwrap();
    let theirs = file.replace(&format!(",{},", p.vendor_email), ",second.shop@example.com,");
    assert_ne!(theirs, file);
    let dry = products(store, p.admin, &theirs, ImportMode::DryRun).await;
    assert_eq!((dry.created, dry.updated, dry.unchanged, dry.applied), (n, 0, 0, false), "{:?}", problems(&dry));
    assert_eq!(versions(store).await, before, "a dry run writes nothing");
    let applied = products(store, p.admin, &theirs, ImportMode::Apply).await;
    assert_eq!((applied.created, applied.applied), (n, true), "{:?}", problems(&applied));
    let again = export(store, Reader { id: other.id, role: Role::Vendor }, &dir, "theirs.csv").await;
    assert_eq!(sorted_lines(&again), sorted_lines(&theirs), "export → import → export gives the same file");
    let audit: Vec<(String,)> =
        fetch_all!(store, "SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'products.import'");
    assert_eq!(audit.len(), 2, "each apply is in the audit trail");
    assert!(audit[1].0.contains(&applied.digest) || audit[0].0.contains(&applied.digest));

    // Who may import: finance may not; a vendor names only themselves.
    let refused = import_products(store, p.finance, "x.csv", file.as_bytes(), ImportMode::DryRun).await;
    assert!(matches!(refused, Err(StoreError::AccessDenied(_))), "{refused:?}");
    let r = products(store, p.vendor, &theirs, ImportMode::DryRun).await;
    assert_eq!(r.problems[0].column.as_deref(), Some("vendor"));
    assert_eq!(r.problems[0].message, "a vendor imports only their own catalog");
}

/// A category path the seed made.
async fn some_category(store: &Store) -> String {
    store.category_choices().await.unwrap()[0].path.trim_matches('/').to_owned()
}

const HEAD: &str = "handle,name,description,category,currency,option1_name,option1_value,sku,barcode,price,compare_at_price,weight_grams,stock";

async fn a_broken_file_is_reported_by_line_and_field_with_nothing_written(store: &Store) {
    let p = seeded(store).await;
    let cat = some_category(store).await;
    let taken: Vec<(String,)> = fetch_all_for!(
        store,
        "SELECT v.sku FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE p.vendor_id = $1 AND v.deleted_at IS NULL ORDER BY v.sku LIMIT 1",
        p.vendor.id
    );
    let taken = &taken[0].0;
    let file = format!(
        "{HEAD}\n\
         mug,\"Mug, \"\"big\"\"\",\"Holds tea.\nAnd coffee.\",{cat},EUR,Colour,Blue,MUG-B,,12.50,,350,4\n\
         mug,,,,,,Red,MUG-R,,twelve,,heavy,1\n\
         mug,,,,,,,MUG-B,4006381333932,3,5,300,\n\
         lamp,Lamp,,no-such/category,EURO,,,LAMP-1,,9.999,,100,2\n\
         plate,Plate,,{cat},EUR,,,{taken},,8,,200,1\n\
         mug,Mug again,,{cat},EUR,,,MUG-X,,1,,1,1\n\
         cup,Cup,,{cat},EUR,,,CUP-1,,,,1,1\n\
         Bad Handle,Bowl,,{cat},EUR,,,BOWL-1,,2,,1,1\n\
         spoon,Spoon,,{cat},EUR,,,SP-1,,2\n\
         ok,Fine \"\"quoted\"\" product,'-- fragile --,{cat},EUR,,,OK-1,,2,,1,1\n"
    );
    let before = versions(store).await;
    for mode in [ImportMode::DryRun, ImportMode::Apply] {
        let r = products(store, p.vendor, &file, mode).await;
        let want = [
            "line 4, price: “twelve” is not a number (write 12.50, without a currency sign)".to_owned(),
            "line 4, weight_grams: “heavy” is not a whole number".into(),
            "line 5, option1_value: a value of Colour is needed".into(),
            "line 5, sku: SKU MUG-B is used by another variant here".into(),
            "line 5, barcode: not a GTIN: 8, 12, 13 or 14 digits with a correct check digit".into(),
            "line 6, category: no category “no-such/category” is in use (give its path, e.g. home/lighting, or its name)"
                .into(),
            "line 6, currency: “EURO” is not a currency code (three letters, e.g. EUR)".into(),
            "line 6, price: 9.999 has more than 2 decimal places".into(),
            format!("line 7, sku: SKU {taken} is already on another of this vendor's products"),
            "line 8, handle: the rows of one product must follow each other: “mug” also starts on line 2".into(),
            "line 9, price: a price is needed".into(),
            "line 10, handle: “Bad Handle” is not a handle: use lower-case letters, digits and dashes (linen-shirt)".into(),
            "line 11: 10 cells where the heading has 13 (a quote left open, or a stray “,”?)".into(),
        ];
        assert_eq!(problems(&r), want, "{mode:?}");
        assert_eq!((r.created, r.refused, r.applied), (1, 6, false), "{mode:?}: only the last product is fine");
        assert_eq!(versions(store).await, before, "{mode:?}: nothing written");
    }
    let _ = p.logistics;

    // The same products, fixed, with semicolons, a byte-order mark and decimal commas.
    let fixed = format!(
        "\u{feff}handle;name;description;category;currency;option1_name;option1_value;sku;price;weight_grams;stock\n\
         mug;\"Mug, \"\"big\"\"\";\"Holds tea.\nAnd coffee.\";{cat};EUR;Colour;Blue;MUG-B;12,50;350;4\n\
         mug;;;;;;Red;MUG-R;12,50;350;1\n\
         ok;Fine product;'-- fragile --;{cat};EUR;;;OK-1;2;1;1\n"
    );
    let r = products(store, p.vendor, &fixed, ImportMode::Apply).await;
    assert_eq!((problems(&r), r.created, r.delimiter.as_str(), r.applied), (vec![], 2, ";", true));
    let made: Vec<(String, String, i64)> = fetch_all_for!(
        store,
        "SELECT p.name, p.description, v.price_minor FROM products p JOIN product_variants v ON v.product_id = p.id \
         WHERE p.vendor_id = $1 AND p.slug IN ('mug', 'ok') ORDER BY v.sku",
        p.vendor.id
    );
    assert_eq!(
        made,
        [
            ("Mug, \"big\"".into(), "Holds tea.\nAnd coffee.".into(), 1250),
            ("Mug, \"big\"".into(), "Holds tea.\nAnd coffee.".into(), 1250),
            ("Fine product".into(), "-- fragile --".into(), 200),
        ]
    );

    // A 10 MB file: 500 products with long descriptions, the last price broken.
    let long = "Linen. ".repeat(2_855);
    let mut big = String::from(HEAD);
    for i in 0..500 {
        let price = if i == 499 { "1.2.3" } else { "19.90" };
        big.push_str(&format!("\nbig-{i},Big {i},{long},{cat},EUR,,,BIG-{i},,{price},,100,1"));
    }
    assert!(big.len() > 10_000_000, "{}", big.len());
    let before = versions(store).await;
    let r = products(store, p.vendor, &big, ImportMode::Apply).await;
    assert_eq!(problems(&r), ["line 501, price: “1.2.3” is not a number"]);
    assert_eq!((r.rows, r.created, r.refused, r.applied), (500, 499, 1, false));
    assert_eq!(versions(store).await, before, "one bad row in 500 and nothing is written");
}

async fn movements(store: &Store) -> Vec<(String, i64, String)> {
    fetch_all!(
        store,
        "SELECT v.sku, CAST(m.on_hand_delta AS BIGINT), coalesce(m.note, '') FROM stock_movements m \
         JOIN product_variants v ON v.id = m.variant_id WHERE m.kind = 'counted' ORDER BY v.sku"
    )
}

async fn a_stock_count_becomes_counted_movements_once(store: &Store) {
    let p = seeded(store).await;
    let rows: Vec<(String, i32)> = fetch_all_for!(
        store,
        "SELECT v.sku, v.stock_on_hand FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE p.vendor_id = $1 AND v.deleted_at IS NULL AND v.stock_reserved = 0 ORDER BY v.sku LIMIT 3",
        p.vendor.id
    );
    let [(a, a_n), (b, b_n), (c, c_n)] = [rows[0].clone(), rows[1].clone(), rows[2].clone()];
    let file = format!("SKU,Counted,Note\n{a},{},shelf 4\n{b},{},\n{c},{c_n},\n", a_n + 3, (b_n - 1).max(0));
    let dry = import_stock(store, p.logistics, "count.csv", file.as_bytes(), ImportMode::DryRun).await.unwrap();
    assert_eq!(dry.problems, vec![]);
    let changed = if b_n > 0 { 2 } else { 1 };
    assert_eq!((dry.updated, dry.unchanged, dry.applied), (changed, 3 - changed, false));
    assert_eq!(dry.outcomes[0].detail, format!("{a_n} → {} (+3)", a_n + 3));
    assert_eq!(movements(store).await, vec![], "a dry run records nothing");
    let applied = import_stock(store, p.logistics, "count.csv", file.as_bytes(), ImportMode::Apply).await.unwrap();
    assert!(applied.applied);
    let mut want = vec![(a.clone(), 3, "shelf 4".to_owned())];
    if b_n > 0 {
        want.push((b.clone(), -1, String::new()));
    }
    assert_eq!(movements(store).await, want);
    let again = import_stock(store, p.logistics, "count.csv", file.as_bytes(), ImportMode::Apply).await.unwrap();
    assert_eq!((again.updated, again.unchanged), (0, 3), "a count applied twice changes nothing the second time");
    assert_eq!(movements(store).await, want);

    let broken = format!("sku,counted\n{a},-1\nNOPE-1,4\n{b},x\n{c},2\n{c},3\n");
    let r = import_stock(store, p.vendor, "bad.csv", broken.as_bytes(), ImportMode::Apply).await.unwrap();
    assert_eq!(
        problems(&r),
        [
            "line 2, counted: -1 is outside 0 to 2147483647".to_owned(),
            "line 3, sku: no live variant has SKU NOPE-1".into(),
            "line 4, counted: “x” is not a whole number".into(),
            format!("line 6, sku: {c} is already counted on line 5"),
        ]
    );
    assert!(!r.applied);
    assert_eq!(movements(store).await, want, "nothing of a broken count is written");
    let refused = import_stock(store, p.finance, "x.csv", file.as_bytes(), ImportMode::DryRun).await;
    assert!(matches!(refused, Err(StoreError::AccessDenied(_))));
    let _ = p.admin;
}
