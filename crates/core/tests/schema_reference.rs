//! `docs/schema.md` is the schema the migrations build: rendered from a
//! freshly migrated PostgreSQL database and compared with the checked-in
//! file (`MARKETDESK_WRITE_SCHEMA_DOC=1` writes it again).

use marketdesk_test_support::databases::pg;
use marketdesk_test_support::schema_reference::render;
use std::path::PathBuf;

#[tokio::test]
async fn the_schema_reference_matches_the_migrations() {
    let db = pg().await;
    let rendered = render(db.store.pg_pool().unwrap()).await.unwrap();
    db.finish().await;
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema.md");
    if std::env::var_os("MARKETDESK_WRITE_SCHEMA_DOC").is_some() {
        std::fs::write(&file, &rendered).unwrap();
        return;
    }
    assert!(rendered.contains("worker_heartbeats") && rendered.contains("erDiagram"), "{rendered}");
    let current = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        current == rendered,
        "docs/schema.md is stale: run MARKETDESK_WRITE_SCHEMA_DOC=1 cargo nextest run -p marketdesk-core \
         -E 'binary(schema_reference)' and commit it"
    );
}
