//! Both engines hold the same tables with the same columns in the same order.

use marketdesk_test_support::databases as support;

#[tokio::test]
async fn postgres_and_sqlite_have_the_same_tables_and_columns() {
    let pg = support::pg().await;
    let lite = support::sqlite().await;
    let a = pg.store.columns().await.unwrap();
    let b = lite.store.columns().await.unwrap();
    assert!(a.len() >= 40, "only {} tables", a.len());
    let only_pg: Vec<_> = a.keys().filter(|t| !b.contains_key(*t)).collect();
    let only_lite: Vec<_> = b.keys().filter(|t| !a.contains_key(*t)).collect();
    assert!(
        only_pg.is_empty() && only_lite.is_empty(),
        "tables only in PostgreSQL: {only_pg:?}; only in SQLite: {only_lite:?}"
    );
    for (table, cols) in &a {
        assert_eq!(cols, &b[table], "columns of {table}");
    }
    // Every synced table follows the conventions.
    for (table, cols) in &a {
        if table.starts_with("sync_") {
            continue;
        }
        assert_eq!(cols.first().map(String::as_str), Some("id"), "{table}");
        // The first migration ends each table with the sync columns; later
        // migrations may only append after them.
        let at = cols.iter().position(|c| c == "version").unwrap_or_else(|| panic!("{table} has no version"));
        assert_eq!(&cols[at..at + 4], ["version", "created_at", "updated_at", "deleted_at"], "{table}");
        assert!(!cols.iter().any(|c| c.ends_with("_amount") || c == "amount"), "{table}: money must be *_minor");
    }
    pg.finish().await;
    lite.finish().await;
}
