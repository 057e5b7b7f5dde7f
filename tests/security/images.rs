//! Attack class: another vendor's pictures. An image file is added only in
//! one's own name, a vendor reads only the originals of their own products'
//! images (or files they uploaded), and never hangs an image on another
//! vendor's product; staff read every original.

use crate::{is_denied, rls_violation, scalar_i64, world};
use uuid::Uuid;

/// A tiny valid-looking row: the content is not decoded by the database.
fn sha(n: u8) -> String {
    format!("{:064x}", n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_reads_and_adds_only_their_own_images() {
    let mut w = world().await;
    let insert = "INSERT INTO image_files (id, sha256, format, width, height, byte_size, content, created_by) \
                  VALUES (gen_random_uuid(), $1, 'png', 1, 1, 3, '\\x010203', $2)";

    // A file in someone else's name is refused.
    let e = sqlx::query(insert).bind(sha(1)).bind(w.vendor_b.id).execute(&mut w.vendor_a.conn).await.unwrap_err();
    assert!(rls_violation(&e) || is_denied(&e), "{e}");
    sqlx::query(insert).bind(sha(1)).bind(w.vendor_a.id).execute(&mut w.vendor_a.conn).await.unwrap();

    // Nobody rewrites or removes a stored file.
    for sql in ["UPDATE image_files SET content = '\\x00'", "DELETE FROM image_files"] {
        let e = sqlx::query(sql).execute(&mut w.vendor_a.conn).await.unwrap_err();
        assert!(is_denied(&e), "{sql}: {e}");
    }

    // Hung on vendor A's product, vendor A reads it; vendor B does not.
    let product: Uuid = sqlx::query_scalar("SELECT id FROM products WHERE vendor_id = $1 ORDER BY id LIMIT 1")
        .bind(w.vendor_a.id)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO product_images (id, product_id, url, content_sha256, format, byte_size, uploaded_by) \
         VALUES ($1, $2, 'local://images/x.png', $3, 'png', 3, $4)",
    )
    .bind(Uuid::now_v7())
    .bind(product)
    .bind(sha(1))
    .bind(w.vendor_a.id)
    .execute(&mut w.vendor_a.conn)
    .await
    .unwrap();
    let count = format!("SELECT count(*) FROM image_files WHERE sha256 = '{}'", sha(1));
    assert_eq!(scalar_i64(&mut w.vendor_a.conn, &count).await, 1);
    assert_eq!(scalar_i64(&mut w.vendor_b.conn, &count).await, 0, "another vendor's original");
    assert_eq!(scalar_i64(&mut w.logistics.conn, &count).await, 1);
    assert_eq!(scalar_i64(&mut w.finance.conn, &count).await, 1);

    // Vendor B cannot hang an image on vendor A's product.
    let e = sqlx::query(
        "INSERT INTO product_images (id, product_id, url, content_sha256) VALUES ($1, $2, 'local://images/y.png', $3)",
    )
    .bind(Uuid::now_v7())
    .bind(product)
    .bind(sha(1))
    .execute(&mut w.vendor_b.conn)
    .await
    .unwrap_err();
    assert!(rls_violation(&e) || is_denied(&e), "{e}");
}
