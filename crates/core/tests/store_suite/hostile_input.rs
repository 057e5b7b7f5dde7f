//! Search text, cursors and table names a hostile person types are inert:
//! bound as values, matched as words, refused when no person types them.

use super::{category, page, product, user};
use marketdesk_core::Store;
use marketdesk_core::domain::Role;
use marketdesk_core::store::products::{ProductFilter, ProductSort};
use marketdesk_core::store::users::{UserFilter, UserSort};
use marketdesk_core::store::{PageRequest, SortDir, StoreError};

pub(super) async fn hostile_input_is_inert(store: &Store) {
    let vendor = user(store, "vendor1", Role::Vendor).await;
    let cat = category(store).await;
    store.create_product(&product(vendor, cat, "100% Cotton Tee", &[("TEE", 1500, 1)])).await.unwrap();
    store.create_product(&product(vendor, cat, "Plain_Tee", &[("PLT", 1500, 1)])).await.unwrap();
    store.create_product(&product(vendor, cat, "Robert'); DROP TABLE products;--", &[("BOB", 1, 1)])).await.unwrap();
    for attack in
        ["'; DROP TABLE products; --", "\" OR 1=1 --", "%' OR '1'='1", "\\", "') UNION SELECT id, email FROM users --"]
    {
        let found = store
            .list_products(
                &ProductFilter { search: Some(attack.into()), ..Default::default() },
                &page(ProductSort::Name, SortDir::Asc, 50),
            )
            .await;
        let found = found.unwrap_or_else(|e| panic!("{attack:?}: {e}"));
        // Punctuation separates words; only the words of the text are searched for.
        let names: Vec<&str> = found.items.iter().map(|p| p.name.as_str()).collect();
        let expected: &[&str] =
            if attack.starts_with("'; DROP TABLE products") { &["Robert'); DROP TABLE products;--"] } else { &[] };
        assert_eq!(names, expected, "{attack:?}");
        let users = store
            .list_users(
                &UserFilter { search: Some(attack.into()), ..Default::default() },
                &page(UserSort::Email, SortDir::Asc, 50),
            )
            .await
            .unwrap();
        assert!(users.items.is_empty(), "{attack:?}");
    }
    for unprintable in ["a\u{0}b", "\u{7}", &"x".repeat(201)] {
        let filter = ProductFilter { search: Some(unprintable.into()), ..Default::default() };
        let err = store.list_products(&filter, &page(ProductSort::Name, SortDir::Asc, 10)).await.unwrap_err();
        assert!(matches!(err, StoreError::Validation(_)), "{unprintable:?}: {err:?}");
    }
    let literal = |s: &str| ProductFilter { search: Some(s.into()), ..Default::default() };
    let names = |p: marketdesk_core::store::Page<marketdesk_core::store::products::Product>| {
        p.items.into_iter().map(|p| p.name).collect::<Vec<_>>()
    };
    // Wildcards of LIKE are plain punctuation: no words, nothing found.
    for wildcard in ["%", "_", "%_%"] {
        let got = store.list_products(&literal(wildcard), &page(ProductSort::Name, SortDir::Asc, 50)).await.unwrap();
        assert!(got.items.is_empty(), "{wildcard:?}");
    }
    let tees = store.list_products(&literal("te"), &page(ProductSort::Name, SortDir::Asc, 50)).await.unwrap();
    assert_eq!(names(tees), ["100% Cotton Tee", "Plain_Tee"], "words begin after punctuation");
    let hundred = store.list_products(&literal("100%"), &page(ProductSort::Name, SortDir::Asc, 50)).await.unwrap();
    assert_eq!(names(hundred), ["100% Cotton Tee"]);
    let bobby = store.list_products(&literal("drop table"), &page(ProductSort::Name, SortDir::Asc, 50)).await.unwrap();
    assert_eq!(names(bobby), ["Robert'); DROP TABLE products;--"], "stored verbatim and found by its words");
    assert_eq!(store.count_rows("products").await.unwrap(), 3);
    for cursor in ["", "not base64!", "eyJzIjoieCJ9", "'; DROP TABLE orders; --"] {
        let req = PageRequest { after: Some(cursor.into()), ..page(ProductSort::Name, SortDir::Asc, 10) };
        assert!(
            matches!(store.list_products(&ProductFilter::default(), &req).await, Err(StoreError::BadCursor)),
            "{cursor:?}"
        );
    }
    assert!(matches!(store.count_rows("users; DROP TABLE users").await, Err(StoreError::Validation(_))));
}
