//! Offline changes: queued with their local effect, pushed once, a stale
//! version turned into a conflict that later changes to the row wait behind,
//! a refusal parked with its reason, and a replay after a lost answer that
//! applies nothing twice.

use crate::{local_copy, local_scalar, site, sync};
use marketdesk_core::domain::OrderStatus;
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::conflicts::{Resolution, open, resolve};
use marketdesk_core::sync::outbox::{QueueState, list, record};
use marketdesk_core::sync::push::push;
use marketdesk_core::sync::status::status;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_changes_reach_the_server_once_and_a_conflict_holds_back_its_row() {
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let (_dir, local, _) = local_copy().await;
    sync(&admin, &local).await;
    let (order, order_v): (Uuid, i64) =
        sqlx::query_as("SELECT id, version FROM orders WHERE status = 'paid' ORDER BY id LIMIT 1")
            .fetch_one(local.sqlite_pool().unwrap())
            .await
            .unwrap();
    let (product, product_v): (Uuid, i64) =
        sqlx::query_as("SELECT id, version FROM products WHERE status = 'pending_review' ORDER BY id LIMIT 1")
            .fetch_one(local.sqlite_pool().unwrap())
            .await
            .unwrap();

    // Offline: two moves of one order and an approval, each applied here at once.
    let to_processing = Mutation::OrderStatus { order, version: order_v, to: OrderStatus::Processing };
    record(&local, admin.id, &to_processing).await.unwrap();
    let to_shipped = Mutation::OrderStatus { order, version: order_v + 1, to: OrderStatus::Shipped };
    record(&local, admin.id, &to_shipped).await.unwrap();
    let approve = Mutation::ProductReview { product, version: product_v, approve: true, reason: None };
    record(&local, admin.id, &approve).await.unwrap();
    let order_is = |s: &str| format!("SELECT count(*) FROM orders WHERE id = x'{}' AND status = '{s}'", order.simple());
    assert_eq!(local_scalar(&local, &order_is("shipped")).await, 1, "the local copy shows the change at once");
    assert_eq!(status(&local).await.unwrap().pending, 3);

    // Meanwhile someone else changes the order on the server.
    sqlx::query("UPDATE orders SET notes = 'customer phoned', version = version + 1 WHERE id = $1")
        .bind(order)
        .execute(&mut site.owner)
        .await
        .unwrap();
    let report = push(&admin.server, &local, admin.id).await.unwrap();
    assert_eq!((report.applied, report.conflicts, report.waiting, report.parked), (1, 1, 1, 0), "{report:?}");
    assert_eq!(
        site.scalar(&format!("SELECT count(*) FROM products WHERE id = '{product}' AND status = 'approved'")).await,
        1
    );
    assert_eq!(
        site.scalar(&format!("SELECT count(*) FROM orders WHERE id = '{order}' AND status = 'paid'")).await,
        1,
        "nothing overwritten"
    );
    // A pull keeps the person's own change on the row while it waits.
    sync(&admin, &local).await;
    assert_eq!(local_scalar(&local, &order_is("shipped")).await, 1);

    let conflicts = open(&local).await.unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!((c.expected_version, c.actual_version), (order_v, order_v + 1));
    let field =
        |name: &str| c.fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no {name}: {:?}", c.fields));
    let notes = field("notes");
    assert_eq!((notes.mine.as_deref(), notes.theirs.as_deref()), (None, Some("customer phoned")), "both sides shown");
    let moved = field("status");
    assert_eq!((moved.mine.as_deref(), moved.theirs.as_deref()), (Some("shipped"), Some("paid")));
    assert!(c.fields.iter().take_while(|f| f.differs).any(|f| f.name == "status"), "what differs comes first");
    assert!(c.fields.iter().any(|f| !f.differs), "and the rest of the row after it");
    assert_eq!(c.mine, to_processing);

    resolve(&local, c.id, &Resolution::KeepMine, admin.id).await.unwrap();
    let report = push(&admin.server, &local, admin.id).await.unwrap();
    assert_eq!((report.applied, report.conflicts, report.waiting), (2, 0, 0), "{report:?}");
    assert_eq!(
        site.scalar(&format!(
            "SELECT count(*) FROM orders WHERE id = '{order}' AND status = 'shipped' AND notes = 'customer phoned'"
        ))
        .await,
        1
    );
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 3);
    assert!(list(&local, false, 10).await.unwrap().iter().all(|q| q.state == QueueState::Applied));

    // The answer to the last push is lost (the app killed before it kept it):
    // the replay applies nothing twice.
    let version = site.scalar(&format!("SELECT version FROM orders WHERE id = '{order}'")).await;
    sqlx::query("UPDATE sync_outbox SET status = 'pending'").execute(local.sqlite_pool().unwrap()).await.unwrap();
    let report = push(&admin.server, &local, admin.id).await.unwrap();
    assert_eq!((report.applied, report.replayed), (3, 3), "{report:?}");
    assert_eq!(site.scalar(&format!("SELECT version FROM orders WHERE id = '{order}'")).await, version);
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 3);
    assert_eq!(status(&local).await.unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_server_refuses_is_parked_with_its_reason_and_blocks_nothing() {
    let mut site = site().await;
    let vendor = site.person("vendor@marketdesk.demo").await;
    let (_dir, local, _) = local_copy().await;
    sync(&vendor, &local).await;
    let pool = local.sqlite_pool().unwrap();
    let (product, version): (Uuid, i64) =
        sqlx::query_as("SELECT id, version FROM products ORDER BY id LIMIT 1").fetch_one(pool).await.unwrap();
    sqlx::query("UPDATE products SET status = 'pending_review' WHERE id = $1")
        .bind(product)
        .execute(pool)
        .await
        .unwrap();
    let variant: Uuid =
        sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 1").fetch_one(pool).await.unwrap();
    let stock =
        site.scalar(&format!("SELECT stock_on_hand::bigint FROM product_variants WHERE id = '{variant}'")).await;

    // The local copy has no row-level security: a vendor's approval of their
    // own product is taken here, and refused by the server.
    record(&local, vendor.id, &Mutation::ProductReview { product, version, approve: true, reason: None })
        .await
        .unwrap();
    record(&local, vendor.id, &Mutation::stock(variant, 5)).await.unwrap();
    let report = push(&vendor.server, &local, vendor.id).await.unwrap();
    assert_eq!((report.applied, report.parked), (1, 1), "{report:?}");
    assert_eq!(
        site.scalar(&format!("SELECT stock_on_hand::bigint FROM product_variants WHERE id = '{variant}'")).await,
        stock + 5
    );
    let parked: Vec<_> = list(&local, true, 10).await.unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].state, QueueState::Parked);
    assert!(parked[0].last_error.as_deref().is_some_and(|e| !e.is_empty()), "{:?}", parked[0]);
    assert_eq!(status(&local).await.unwrap().parked, 1);
    // The refused approval is undone here: the row is the server's again.
    let server_status: String = sqlx::query_scalar("SELECT status FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(&mut site.owner)
        .await
        .unwrap();
    let local_status: String =
        sqlx::query_scalar("SELECT status FROM products WHERE id = $1").bind(product).fetch_one(pool).await.unwrap();
    assert_eq!(local_status, server_status);
}
