//! The local courier's labels issued offline at the packing bench: shown on
//! the copy at once, pushed as the warehouse person with the rows they were
//! made with (so a pull brings no second label), a parcel changed on the
//! server meanwhile held back as a conflict, a replay writing nothing twice,
//! and a carrier's parcel refused before anything is queued.

use crate::{Person, Site, local_copy, local_scalar, site, sync};
use marketdesk_core::domain::new_id;
use marketdesk_core::logistics::local_label::LocalLabelIds;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_core::sync::conflicts::{Resolution, open, resolve};
use marketdesk_core::sync::push::push;
use marketdesk_core::sync::status::status;
use marketdesk_core::sync::{Mutation, perform};
use marketdesk_test_support::parcels::ready;
use uuid::Uuid;

async fn local_version(local: &Store, shipment: Uuid) -> i64 {
    local_scalar(local, &format!("SELECT version FROM shipments WHERE id = x'{}'", shipment.simple())).await
}

/// A seeded site with parcels made pending for `carriers` (one each), and the
/// logistics person's copy synced, holding their own account as an online
/// sign-in leaves it.
pub(crate) async fn warehouse_copy(carriers: &[(&str, &str)]) -> (Site, Person, tempfile::TempDir, Store, Vec<Uuid>) {
    let mut site = site().await;
    let owner_url = site.cluster.url(&site.cluster.password, "postgres");
    let owner = Store::open(&DatabaseUrl::parse(&owner_url).unwrap(), &OpenOptions::default()).await.unwrap();
    let parcels: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM shipments WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT $1")
            .bind(carriers.len() as i64)
            .fetch_all(&mut site.owner)
            .await
            .unwrap();
    for (parcel, (carrier, service)) in parcels.iter().zip(carriers) {
        ready(&owner, *parcel, carrier, service).await;
    }
    let lou = site.person("logistics@marketdesk.demo").await;
    let (dir, local, _) = local_copy().await;
    sync(&lou, &local).await;
    let (email, username, name): (String, String, String) =
        sqlx::query_as("SELECT email, username, display_name FROM users WHERE id = $1")
            .bind(lou.id)
            .fetch_one(&mut site.owner)
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO users (id, email, username, display_name, role, status, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'logistics', 'active', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(lou.id)
    .bind(email)
    .bind(username)
    .bind(name)
    .execute(local.sqlite_pool().unwrap())
    .await
    .unwrap();
    (site, lou, dir, local, parcels)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_label_issued_offline_reaches_the_server_once_with_its_own_rows() {
    let local_carrier = ("local", "SAME_DAY");
    let (mut site, lou, _dir, local, parcels) =
        warehouse_copy(&[local_carrier, local_carrier, ("fedex", "FEDEX_GROUND")]).await;
    let (a, b, fedex) = (parcels[0], parcels[1], parcels[2]);
    let vendors = "SELECT count(*) FROM users WHERE role = 'vendor'";
    assert_eq!(local_scalar(&local, vendors).await, 0, "a warehouse copy holds no vendor's account");

    // Offline at the bench: both parcels get their labels on the copy at once.
    let ids_a = LocalLabelIds { purchase: new_id(), label: new_id() };
    let ids_b = LocalLabelIds { purchase: new_id(), label: new_id() };
    let (va, vb) = (local_version(&local, a).await, local_version(&local, b).await);
    perform(&local, lou.id, true, &Mutation::LocalLabel { shipment: a, version: va, ids: ids_a }).await.unwrap();
    perform(&local, lou.id, true, &Mutation::LocalLabel { shipment: b, version: vb, ids: ids_b }).await.unwrap();
    let labelled = |id: Uuid| {
        format!(
            "SELECT count(*) FROM shipments s JOIN shipping_labels l ON l.shipment_id = s.id \
             WHERE s.id = x'{}' AND s.status = 'label_purchased' AND l.status <> 'voided' \
             AND l.tracking_number = s.tracking_number",
            id.simple()
        )
    };
    assert_eq!(local_scalar(&local, &labelled(a)).await, 1, "the copy shows the label at once");
    assert_eq!(status(&local).await.unwrap().pending, 2);
    let tracking_a: String = sqlx::query_scalar("SELECT tracking_number FROM shipments WHERE id = $1")
        .bind(a)
        .fetch_one(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    let number: String =
        sqlx::query_scalar("SELECT o.number FROM orders o JOIN shipments s ON s.order_id = o.id WHERE s.id = $1")
            .bind(a)
            .fetch_one(&mut site.owner)
            .await
            .unwrap();
    assert!(tracking_a.starts_with(&format!("{number}-")), "the parcel's own reference: {tracking_a}");

    // A carrier's parcel is refused on the copy: nothing is queued.
    let vf = local_version(&local, fedex).await;
    let ids_f = LocalLabelIds { purchase: new_id(), label: new_id() };
    let refused =
        perform(&local, lou.id, true, &Mutation::LocalLabel { shipment: fedex, version: vf, ids: ids_f }).await;
    assert!(refused.as_ref().is_err_and(|e| e.to_string().contains("bought")), "{refused:?}");
    assert_eq!(status(&local).await.unwrap().pending, 2);

    // Meanwhile the office re-weighs parcel b on the server.
    sqlx::query("UPDATE shipments SET weight_grams = 2000, version = version + 1 WHERE id = $1")
        .bind(b)
        .execute(&mut site.owner)
        .await
        .unwrap();
    let report = push(&lou.server, &local, lou.id).await.unwrap();
    assert_eq!((report.applied, report.conflicts, report.parked), (1, 1, 0), "{report:?}");
    let on_server = |what: &str, id: Uuid| format!("SELECT count(*) FROM {what} WHERE id = '{id}'");
    assert_eq!(site.scalar(&on_server("shipping_labels", ids_a.label)).await, 1, "the same rows on the server");
    assert_eq!(
        site.scalar(&format!(
            "SELECT count(*) FROM label_purchases WHERE id = '{}' AND state = 'purchased' AND requested_by = '{}' \
             AND tracking_number = '{tracking_a}'",
            ids_a.purchase, lou.id
        ))
        .await,
        1
    );
    assert_eq!(
        site.scalar(&format!(
            "SELECT count(*) FROM shipments WHERE id = '{a}' AND status = 'label_purchased' \
             AND tracking_number = '{tracking_a}'"
        ))
        .await,
        1
    );
    assert_eq!(site.scalar(&on_server("shipping_labels", ids_b.label)).await, 0, "b waits for its person");

    // A pull brings the server's rows over the copy's own: one label each.
    sync(&lou, &local).await;
    let live = |id: Uuid| {
        format!("SELECT count(*) FROM shipping_labels WHERE shipment_id = x'{}' AND status <> 'voided'", id.simple())
    };
    assert_eq!(local_scalar(&local, &live(a)).await, 1);
    assert_eq!(local_scalar(&local, &live(b)).await, 1, "the person's label on b stays while it waits");

    // Kept over the re-weighed parcel, it goes through.
    let conflicts = open(&local).await.unwrap();
    assert_eq!(conflicts.len(), 1);
    resolve(&local, conflicts[0].id, &Resolution::KeepMine, lou.id).await.unwrap();
    let report = push(&lou.server, &local, lou.id).await.unwrap();
    assert_eq!((report.applied, report.conflicts), (1, 0), "{report:?}");
    assert_eq!(
        site.scalar(&format!(
            "SELECT count(*) FROM shipments s JOIN shipping_labels l ON l.shipment_id = s.id \
             WHERE s.id = '{b}' AND s.status = 'label_purchased' AND s.weight_grams = 2000 AND l.id = '{}'",
            ids_b.label
        ))
        .await,
        1
    );

    // Both answers lost: the replay issues nothing twice.
    sqlx::query("UPDATE sync_outbox SET status = 'pending'").execute(local.sqlite_pool().unwrap()).await.unwrap();
    let report = push(&lou.server, &local, lou.id).await.unwrap();
    assert_eq!((report.applied, report.replayed), (2, 2), "{report:?}");
    let both = format!("('{a}', '{b}')");
    assert_eq!(
        site.scalar(&format!(
            "SELECT count(*) FROM shipping_labels WHERE shipment_id IN {both} AND status <> 'voided'"
        ))
        .await,
        2
    );
    assert_eq!(site.scalar(&format!("SELECT count(*) FROM label_purchases WHERE shipment_id IN {both}")).await, 2);
    sync(&lou, &local).await;
    let s = status(&local).await.unwrap();
    assert_eq!((s.pending, s.conflicts, s.parked), (0, 0, 0));
    assert_eq!(local_scalar(&local, &live(a)).await + local_scalar(&local, &live(b)).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_label_set_aside_for_the_servers_parcel_leaves_no_label_behind() {
    let (mut site, lou, _dir, local, parcels) = warehouse_copy(&[("local", "SAME_DAY")]).await;
    let parcel = parcels[0];
    let ids = LocalLabelIds { purchase: new_id(), label: new_id() };
    let version = local_version(&local, parcel).await;
    perform(&local, lou.id, true, &Mutation::LocalLabel { shipment: parcel, version, ids }).await.unwrap();
    sqlx::query("UPDATE shipments SET weight_grams = 2000, version = version + 1 WHERE id = $1")
        .bind(parcel)
        .execute(&mut site.owner)
        .await
        .unwrap();
    let report = push(&lou.server, &local, lou.id).await.unwrap();
    assert_eq!(report.conflicts, 1, "{report:?}");

    // "Take theirs": the label made offline goes with the change.
    let conflict = open(&local).await.unwrap().remove(0);
    resolve(&local, conflict.id, &Resolution::TakeTheirs, lou.id).await.unwrap();
    let made = format!(
        "SELECT (SELECT count(*) FROM shipping_labels WHERE id = x'{}') + \
         (SELECT count(*) FROM label_purchases WHERE id = x'{}')",
        ids.label.simple(),
        ids.purchase.simple()
    );
    assert_eq!(local_scalar(&local, &made).await, 0, "no label left on the copy");
    sync(&lou, &local).await;
    let pending = format!(
        "SELECT count(*) FROM shipments WHERE id = x'{}' AND status = 'pending' AND tracking_number IS NULL \
         AND weight_grams = 2000",
        parcel.simple()
    );
    assert_eq!(local_scalar(&local, &pending).await, 1, "the parcel as the server has it");
    assert_eq!(site.scalar(&format!("SELECT count(*) FROM shipping_labels WHERE id = '{}'", ids.label)).await, 0);
    let s = status(&local).await.unwrap();
    assert_eq!((s.pending, s.conflicts), (0, 0));
}
