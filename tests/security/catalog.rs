//! Attack class: a vendor's catalog past review. A vendor never approves a
//! product; while live edits are reviewed (the default) a vendor changes
//! nothing buyers see of a live product — its name, or its variants' SKUs,
//! prices, barcodes, sizes, a variant added or removed — without sending it
//! back to review, though its stock moves freely (through the movement log); a vendor never writes what
//! an admin approved (the snapshot the review diffs against), not even by
//! inserting a product with one; with live edits not reviewed, a live
//! product stays live through its vendor's edit, and still nobody but an
//! admin approves. A vendor answers their own products' reviews and never
//! publishes, hides or rewrites one.

use crate::{World, is_denied, world};
use uuid::Uuid;

async fn own(w: &mut World, status: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT p.id FROM products p WHERE p.vendor_id = $1 AND p.status = $2 AND p.deleted_at IS NULL \
         AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL) \
         ORDER BY p.id LIMIT 1",
    )
    .bind(w.vendor_a.id)
    .bind(status)
    .fetch_one(&mut w.owner)
    .await
    .unwrap_or_else(|e| panic!("vendor A has no {status} product: {e}"))
}

async fn refused(w: &mut World, sql: &str, id: Uuid) -> sqlx::Error {
    sqlx::query(sql).bind(id).execute(&mut w.vendor_a.conn).await.expect_err(sql)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_never_bypasses_the_review() {
    let mut w = world().await;
    let live = own(&mut w, "approved").await;
    sqlx::query("UPDATE products SET status = 'draft' WHERE id = (SELECT id FROM products WHERE vendor_id = $1 AND status = 'approved' AND id <> $2 ORDER BY id LIMIT 1)")
        .bind(w.vendor_a.id)
        .bind(live)
        .execute(&mut w.owner)
        .await
        .unwrap();
    let draft = own(&mut w, "draft").await;

    // Self-approval, whatever the path.
    let e = refused(&mut w, "UPDATE products SET status = 'approved' WHERE id = $1", draft).await;
    assert!(is_denied(&e), "a vendor approves its own draft: {e}");

    // What buyers see of a live product changes only through review.
    for sql in [
        "UPDATE products SET name = name || ' (new)' WHERE id = $1",
        "UPDATE product_variants SET price_minor = price_minor + 1 WHERE product_id = $1",
        "UPDATE product_variants SET sku = sku || '-X' WHERE product_id = $1",
        "UPDATE product_variants SET barcode = '4006381333931' WHERE product_id = $1",
        "UPDATE product_variants SET length_mm = 100 WHERE product_id = $1",
        "UPDATE product_variants SET deleted_at = now() WHERE product_id = $1",
    ] {
        let e = refused(&mut w, sql, live).await;
        assert!(is_denied(&e), "{sql}: {e}");
    }
    let e = sqlx::query(
        "INSERT INTO product_variants (id, product_id, sku, name, price_minor, currency, stock_on_hand) \
         VALUES ($1, $2, 'SNEAK-1', 'Sneaked in', 1, 'USD', 1)",
    )
    .bind(Uuid::now_v7())
    .bind(live)
    .execute(&mut w.vendor_a.conn)
    .await
    .unwrap_err();
    assert!(is_denied(&e), "a variant added to a live product: {e}");
    sqlx::query(
        "INSERT INTO stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta) \
         SELECT $2, id, product_id, $3, 'received', 1 FROM product_variants WHERE product_id = $1 AND deleted_at IS NULL LIMIT 1",
    )
    .bind(live)
    .bind(Uuid::now_v7())
    .bind(w.vendor_a.id)
    .execute(&mut w.vendor_a.conn)
    .await
    .expect("stock is not reviewed");

    // What was approved is the admin's to keep.
    let e = refused(&mut w, "UPDATE products SET approved_snapshot = '{}' WHERE id = $1", draft).await;
    assert!(is_denied(&e), "a vendor writes the approved snapshot: {e}");
    let forged = Uuid::now_v7();
    let category: Uuid = sqlx::query_scalar("SELECT id FROM categories LIMIT 1").fetch_one(&mut w.owner).await.unwrap();
    sqlx::query(
        "INSERT INTO products (id, vendor_id, category_id, name, slug, status, base_price_minor, currency, approved_snapshot) \
         VALUES ($1, $2, $3, 'Forged', 'forged-approval', 'pending_review', 100, 'USD', '{\"name\": \"Forged\"}')",
    )
    .bind(forged)
    .bind(w.vendor_a.id)
    .bind(category)
    .execute(&mut w.vendor_a.conn)
    .await
    .expect("a vendor proposes a product");
    let kept: Option<String> = sqlx::query_scalar("SELECT CAST(approved_snapshot AS text) FROM products WHERE id = $1")
        .bind(forged)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    assert_eq!(kept, None, "the database clears a snapshot a vendor brings");

    // Sent back to review, the same edit goes through.
    sqlx::query("UPDATE products SET status = 'pending_review' WHERE id = $1")
        .bind(live)
        .execute(&mut w.vendor_a.conn)
        .await
        .expect("a vendor sends a live product back to review");
    sqlx::query("UPDATE product_variants SET price_minor = price_minor + 1, length_mm = 300 WHERE product_id = $1")
        .bind(live)
        .execute(&mut w.vendor_a.conn)
        .await
        .expect("a product under review is edited, its packed size too");
    sqlx::query("UPDATE products SET options = '[]' WHERE id = $1")
        .bind(live)
        .execute(&mut w.vendor_a.conn)
        .await
        .expect("and its options");
    // An admin keeps what was approved.
    sqlx::query("UPDATE products SET approved_snapshot = '{}', options = '[]' WHERE id = $1")
        .bind(live)
        .execute(&mut w.admin.conn)
        .await
        .expect("an admin writes the approved snapshot");

    // Live edits not reviewed: a live product stays live through an edit; approval stays an admin's.
    sqlx::query(
        "INSERT INTO platform_settings (id, key, value, description) VALUES ($1, 'catalog.review_live_edits', 'false', 'x')",
    )
    .bind(Uuid::now_v7())
    .execute(&mut w.owner)
    .await
    .unwrap();
    let other_live = own(&mut w, "approved").await;
    sqlx::query("UPDATE products SET name = name || ' (new)' WHERE id = $1")
        .bind(other_live)
        .execute(&mut w.vendor_a.conn)
        .await
        .expect("with live edits not reviewed, a vendor edits a live product");
    sqlx::query("UPDATE product_variants SET price_minor = price_minor + 1 WHERE product_id = $1")
        .bind(other_live)
        .execute(&mut w.vendor_a.conn)
        .await
        .expect("and its variants");
    let e = refused(&mut w, "UPDATE products SET status = 'approved' WHERE id = $1", live).await;
    assert!(is_denied(&e), "a vendor approves a product under review: {e}");

    // Logistics reads a variant's packed size (for rates and boxes).
    sqlx::query("SELECT length_mm, width_mm, height_mm FROM product_variants LIMIT 1")
        .fetch_all(&mut w.logistics.conn)
        .await
        .expect("logistics reads the packed size");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_answers_reviews_but_never_moderates_them() {
    let mut w = world().await;
    let mine: Uuid = sqlx::query_scalar(
        "SELECT r.id FROM product_reviews r JOIN products p ON p.id = r.product_id WHERE p.vendor_id = $1 ORDER BY r.id LIMIT 1",
    )
    .bind(w.vendor_a.id)
    .fetch_one(&mut w.owner)
    .await
    .expect("vendor A has a review");
    for sql in [
        "UPDATE product_reviews SET status = 'published' WHERE id = $1",
        "UPDATE product_reviews SET status = 'hidden', hidden_reason = 'mine' WHERE id = $1",
        "UPDATE product_reviews SET moderated_by = md_uid() WHERE id = $1",
        "UPDATE product_reviews SET body = 'Great!' WHERE id = $1",
    ] {
        let e = refused(&mut w, sql, mine).await;
        assert!(is_denied(&e), "{sql}: {e}");
    }
    let answered =
        sqlx::query("UPDATE product_reviews SET vendor_reply = 'Thanks', version = version + 1 WHERE id = $1")
            .bind(mine)
            .execute(&mut w.vendor_a.conn)
            .await
            .unwrap();
    assert_eq!(answered.rows_affected(), 1);
    let theirs = sqlx::query("UPDATE product_reviews SET vendor_reply = 'Not mine' WHERE id = $1")
        .bind(mine)
        .execute(&mut w.vendor_b.conn)
        .await
        .unwrap();
    assert_eq!(theirs.rows_affected(), 0, "another vendor's review is out of reach");
    let e = sqlx::query("UPDATE product_reviews SET vendor_reply = '' WHERE id = $1")
        .bind(mine)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("product_reviews_vendor_reply_check"), "{e}");
}
