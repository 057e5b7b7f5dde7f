//! The change feed kept short: a prune deletes only what every copy seen
//! lately has pulled, a copy away longer is left behind and copied again on
//! its next round (never silently missing changes), and only admins prune.

use crate::{Person, local_copy, local_scalar, site, sync};
use marketdesk_core::Store;
use marketdesk_core::domain::OrderStatus;
use marketdesk_core::sync::outbox::record;
use marketdesk_core::sync::pull::pull;
use marketdesk_core::sync::retention::prune;
use marketdesk_core::sync::{Mutation, SyncError};
use uuid::Uuid;

async fn cursor(local: &Store) -> i64 {
    local_scalar(local, "SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'pull.cursor'").await
}

async fn note_in_copy(local: &Store, order: Uuid, note: &str) -> i64 {
    local_scalar(local, &format!("SELECT count(*) FROM orders WHERE id = x'{}' AND notes = '{note}'", order.simple()))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_is_pruned_below_the_slowest_copy_and_a_copy_left_behind_resyncs() {
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let logistics = site.person("logistics@marketdesk.demo").await;
    let (_a, admin_copy, _) = local_copy().await;
    let (_l, slow_copy, _) = local_copy().await;
    sync(&admin, &admin_copy).await;
    sync(&logistics, &slow_copy).await;
    let order: Uuid =
        sqlx::query_scalar("SELECT id FROM orders ORDER BY id LIMIT 1").fetch_one(&mut site.owner).await.unwrap();
    let change =
        |note: &'static str| format!("UPDATE orders SET notes = '{note}', version = version + 1 WHERE id = '{order}'");
    sqlx::query(&change("first")).execute(&mut site.owner).await.unwrap();
    let admin_round = sync(&admin, &admin_copy).await;
    assert!(admin_round.pull.is_some());

    // Both copies were seen lately: the floor waits for the slower one.
    let report = prune(&admin.server, 30).await.unwrap();
    assert_eq!(report.clients, 2, "{report:?}");
    assert_eq!(report.left_behind, 0);
    assert_eq!(report.floor_txid, cursor(&slow_copy).await, "the floor is the slowest copy's cursor");
    let below = format!("SELECT count(*) FROM sync_change_feed WHERE txid < '{}'::xid8", report.floor_txid);
    assert_eq!(site.scalar(&below).await, 0, "nothing is left below the floor");
    pull(&logistics.server, &slow_copy).await.unwrap();
    assert_eq!(note_in_copy(&slow_copy, order, "first").await, 1, "the slow copy still gets the change");

    // The slow copy stays away for longer than the feed is kept.
    sqlx::query("UPDATE sync_clients SET seen_at = now() - interval '40 days' WHERE user_id = $1")
        .bind(logistics.id)
        .execute(&mut site.owner)
        .await
        .unwrap();
    sqlx::query(&change("second")).execute(&mut site.owner).await.unwrap();
    sync(&admin, &admin_copy).await;
    let slow_cursor = cursor(&slow_copy).await;
    let report = prune(&admin.server, 30).await.unwrap();
    assert_eq!((report.clients, report.left_behind), (1, 1), "{report:?}");
    assert_eq!(report.floor_txid, cursor(&admin_copy).await);
    assert!(report.pruned > 0, "the change the slow copy has not pulled is gone: {report:?}");
    assert!(slow_cursor < report.floor_txid);

    // Its next pull says so instead of missing the change; a round copies it again.
    match pull(&logistics.server, &slow_copy).await {
        Err(SyncError::LeftBehind { cursor, floor }) => {
            assert_eq!((cursor, floor), (slow_cursor, report.floor_txid));
        }
        other => panic!("a copy left behind must not pull: {other:?}"),
    }
    assert_eq!(note_in_copy(&slow_copy, order, "second").await, 0);
    let round = sync(&logistics, &slow_copy).await;
    assert!(round.copy.is_some() && round.pull.is_none(), "copied again: {round:?}");
    assert_eq!(note_in_copy(&slow_copy, order, "second").await, 1, "the fresh copy holds the change");
    assert!(cursor(&slow_copy).await >= report.floor_txid);
    let seen_again = site
        .scalar(&format!(
            "SELECT count(*) FROM sync_clients WHERE user_id = '{}' AND seen_at > now() - interval '1 day'",
            logistics.id
        ))
        .await;
    assert_eq!(seen_again, 1, "the copy checked in again");

    // An offline change the admin's copy pushed: remembered until the copy has
    // checked in well after it (it then knows the change went through), not before.
    let (paid, version): (Uuid, i64) =
        sqlx::query_as("SELECT id, version FROM orders WHERE status = 'paid' ORDER BY id LIMIT 1")
            .fetch_one(admin_copy.sqlite_pool().unwrap())
            .await
            .unwrap();
    let change = Mutation::OrderStatus { order: paid, version, to: OrderStatus::Processing };
    record(&admin_copy, admin.id, &change).await.unwrap();
    sync(&admin, &admin_copy).await;
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 1);
    assert_eq!(prune(&admin.server, 30).await.unwrap().mutations_forgotten, 0, "applied just now");
    sqlx::query("UPDATE sync_applied_mutations SET applied_at = now() - interval '2 hours'")
        .execute(&mut site.owner)
        .await
        .unwrap();
    sync(&admin, &admin_copy).await;
    assert_eq!(prune(&admin.server, 30).await.unwrap().mutations_forgotten, 1);
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 0);

    // Only admins prune; a day at least is kept.
    refused(&logistics).await;
    assert!(prune(&admin.server, 0).await.is_err());
}

async fn refused(p: &Person) {
    let e = prune(&p.server, 30).await.unwrap_err();
    assert!(e.to_string().contains("permission denied") || e.to_string().contains("only an admin"), "{e}");
}
