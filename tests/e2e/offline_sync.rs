//! Offline work that syncs, as an admin lives it: the copy is filled in the
//! background while online; the server goes away; the admin signs in offline,
//! moves an order on and approves a product, and the top bar says "2 pending";
//! the server comes back, a colleague has edited the same product meanwhile,
//! and a sync brings the order's change to PostgreSQL and the product's to a
//! conflict with both versions side by side, which the admin settles.

use super::harness::{App, SECOND};
use super::{ADMIN_PASSWORD, central_and_desk, sign_in, sign_out};
use marketdesk_test_support::PrivateCluster;
use sqlx::Connection;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_works_offline_and_the_changes_reach_the_server() {
    let (cluster, owner_url, app, _, _stripe) = central_and_desk(200).await;
    let result = offline_day(&app, &cluster, &owner_url).await;
    app.stop().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}

async fn scalar_text(url: &str, sql: &str) -> Result<String, String> {
    let mut c = sqlx::PgConnection::connect(url).await.map_err(|e| e.to_string())?;
    sqlx::query_scalar(sql).fetch_one(&mut c).await.map_err(|e| format!("{sql}: {e}"))
}

async fn offline_day(app: &App, cluster: &PrivateCluster, owner_url: &str) -> Result<(), String> {
    let order_number =
        scalar_text(owner_url, "SELECT number FROM orders WHERE status = 'paid' ORDER BY placed_at DESC LIMIT 1")
            .await?;
    let product: Uuid = {
        let mut c = sqlx::PgConnection::connect(owner_url).await.map_err(|e| e.to_string())?;
        sqlx::query_scalar("SELECT id FROM products WHERE status = 'pending_review' ORDER BY created_at LIMIT 1")
            .fetch_one(&mut c)
            .await
            .map_err(|e| e.to_string())?
    };
    let product_name = scalar_text(owner_url, &format!("SELECT name FROM products WHERE id = '{product}'")).await?;
    let s = app.session().await?;
    let outcome = async {
        // Online: the copy fills in the background.
        sign_in(&s, "admin", ADMIN_PASSWORD).await?;
        s.wait_for_text("[data-testid=user-name]", "Alex Admin", 30 * SECOND).await?;
        s.wait_for_text("[data-testid=sync-badge-text]", "Synced", 90 * SECOND).await?;
        app.shot(&s, "60-sync-online-copy-ready").await?;
        sign_out(&s).await?;

        // The server goes away; the admin works on this computer's copy.
        cluster.stop();
        sign_in(&s, "admin", ADMIN_PASSWORD).await?;
        s.wait_for_text("[data-testid=connection]", "Offline", 30 * SECOND).await?;
        let orders = s.wait_for("[data-testid=nav-orders]", 10 * SECOND).await?;
        s.click(&orders).await?;
        let search = s.wait_for("input[placeholder='Order number, customer or email']", 20 * SECOND).await?;
        s.type_into(&search, &order_number).await?;
        s.wait_for_text("[data-testid=grid-orders] [data-row-key]", &order_number, 20 * SECOND).await?;
        let row = s.wait_for("[data-testid=grid-orders] [data-row-key]", SECOND).await?;
        s.click(&row).await?;
        let processing = s.wait_for("[data-testid=order-action-processing]", 10 * SECOND).await?;
        s.click(&processing).await?;
        let confirm = s.wait_for("[data-testid=confirm]", 5 * SECOND).await?;
        s.click(&confirm).await?;
        s.wait_for_text("[data-testid=order-status]", "Processing", 10 * SECOND).await?;

        let approvals = s.wait_for("[data-testid=nav-approvals]", 5 * SECOND).await?;
        s.click(&approvals).await?;
        s.wait_for_text("[data-testid=grid-approvals]", &product_name, 20 * SECOND).await?;
        let clicked = s
            .execute(
                "const row = [...document.querySelectorAll('[data-testid=grid-approvals] [data-row-key]')]
                   .find(e => e.innerText.includes(arguments[0]));
                 if (!row) return false; row.click(); return true;",
                vec![serde_json::json!(product_name)],
            )
            .await?;
        if clicked != serde_json::json!(true) {
            return Err(format!("“{product_name}” is not in the approval queue offline"));
        }
        // The order's toast may still cover the panel's buttons: press them as the keyboard would.
        s.wait_for("[data-testid=approve]", 5 * SECOND).await?;
        s.execute("document.querySelector('[data-testid=approve]').click();", vec![]).await?;
        s.wait_for("[data-testid=confirm]", 5 * SECOND).await?;
        s.execute("document.querySelector('[data-testid=confirm]').click();", vec![]).await?;
        s.wait_for_text("[data-testid=toast]", "approved", 10 * SECOND).await?;
        s.wait_for_text("[data-testid=sync-badge-text]", "2 pending", 10 * SECOND).await?;
        app.shot(&s, "61-offline-two-pending").await?;

        // The server is back, and a colleague edited the same product meanwhile.
        cluster.start_again();
        {
            let mut c = sqlx::PgConnection::connect(owner_url).await.map_err(|e| e.to_string())?;
            sqlx::query(
                "UPDATE products SET description = 'Edited by a colleague', version = version + 1, updated_at = now() \
                 WHERE id = $1",
            )
            .bind(product)
            .execute(&mut c)
            .await
            .map_err(|e| e.to_string())?;
        }
        let badge = s.wait_for("[data-testid=sync-badge]", SECOND).await?;
        s.click(&badge).await?;
        let now = s.wait_for("[data-testid=sync-now]", 10 * SECOND).await?;
        s.click(&now).await?;
        s.wait_for_text("[data-testid=sync-badge-text]", "1 conflict", 60 * SECOND).await?;
        let status =
            scalar_text(owner_url, &format!("SELECT status FROM orders WHERE number = '{order_number}'")).await?;
        if status != "processing" {
            return Err(format!("the order's offline change did not reach the server: it is {status}"));
        }
        s.wait_for_text("[data-testid=conflict-theirs]", "Edited by a colleague", 20 * SECOND).await?;
        s.wait_for_text("[data-testid=conflict-mine]", "Product approved", SECOND).await?;
        app.shot(&s, "62-sync-conflict-side-by-side").await?;

        // Keep mine: the approval goes again over the colleague's version; both stay.
        let keep = s.wait_for("[data-testid=keep-mine]", SECOND).await?;
        s.click(&keep).await?;
        s.wait_for_text("[data-testid=sync-badge-text]", "Synced", 60 * SECOND).await?;
        let (status, description) = (
            scalar_text(owner_url, &format!("SELECT status FROM products WHERE id = '{product}'")).await?,
            scalar_text(owner_url, &format!("SELECT description FROM products WHERE id = '{product}'")).await?,
        );
        if status != "approved" || description != "Edited by a colleague" {
            return Err(format!("after keeping the approval the product is {status}, “{description}”"));
        }
        app.shot(&s, "63-sync-settled").await?;
        Ok::<(), String>(())
    }
    .await;
    let ended = s.end().await;
    outcome.and(ended)
}
