//! Events about the payment pages of orders taken by hand: the customer paid
//! on the page (the PaymentIntent it made becomes the payment's, and the
//! money is booked by the same rule as every captured payment), the payment
//! started there failed later, or the page expired unpaid.

use super::money::payment_changed;
use super::*;

#[derive(sqlx::FromRow)]
struct SessionPayment {
    id: Uuid,
    number: String,
    status: String,
    provider_payment_id: Option<String>,
}

async fn payment_of_session(tx: &mut PgConnection, session: &str) -> Result<Option<SessionPayment>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id, o.number, p.status, p.provider_payment_id FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.checkout_session_id = $1 AND p.deleted_at IS NULL FOR UPDATE OF p",
    )
    .bind(session)
    .fetch_optional(&mut *tx)
    .await?)
}

/// The customer finished the page: paid now (a card), later (a bank debit,
/// `async_payment_succeeded`), or not at all (`async_payment_failed`).
pub(super) async fn checkout_changed(
    tx: &mut PgConnection,
    kind: &str,
    o: &Value,
    actor: Option<Uuid>,
) -> Result<Outcome, StoreError> {
    let session = required(o, "id", "payment page")?;
    let Some(row) = payment_of_session(tx, session).await? else {
        return Ok(Outcome::Ignored(format!("payment page {session} is not one of Marketdesk's")));
    };
    let Some(pi) = id_of(o, "payment_intent") else {
        return Ok(Outcome::Attention(format!(
            "the payment page of {} was completed, but Stripe names no payment for it",
            row.number
        )));
    };
    if let Some(known) = row.provider_payment_id.as_deref().filter(|k| *k != pi) {
        return Ok(Outcome::Attention(format!(
            "the payment page of {} was paid with {pi}, but its payment is {known}: nothing booked",
            row.number
        )));
    }
    if row.provider_payment_id.is_none() {
        sqlx::query(
            "UPDATE payments SET provider_payment_id = $2, version = version + 1, updated_at = now() WHERE id = $1",
        )
        .bind(row.id)
        .bind(pi)
        .execute(&mut *tx)
        .await?;
    }
    let intent = serde_json::json!({
        "id": pi,
        "amount_received": int(o, "amount_total"),
        "currency": text(o, "currency"),
        "created": int(o, "created"),
        "last_payment_error": { "message": "the bank did not pay the debit the customer started on the payment page" },
    });
    match (kind, text(o, "payment_status")) {
        ("checkout.session.async_payment_failed", _) => {
            payment_changed(tx, "payment_intent.payment_failed", &intent, actor).await
        }
        (_, Some("paid" | "no_payment_required")) => {
            payment_changed(tx, "payment_intent.succeeded", &intent, actor).await
        }
        _ => {
            if row.status == "requires_payment" {
                sqlx::query("UPDATE payments SET status = 'processing', version = version + 1, updated_at = now() WHERE id = $1")
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
            }
            Ok(Outcome::Applied(format!(
                "the customer of {} finished the payment page; the money is on its way ({pi})",
                row.number
            )))
        }
    }
}

/// The page expired unpaid. The order keeps its units held until an admin
/// sends a new link or cancels it.
pub(super) async fn checkout_expired(tx: &mut PgConnection, o: &Value) -> Result<Outcome, StoreError> {
    let session = required(o, "id", "payment page")?;
    let Some(row) = payment_of_session(tx, session).await? else {
        return Ok(Outcome::Ignored(format!("payment page {session} is not one of Marketdesk's")));
    };
    if row.status != "requires_payment" || row.provider_payment_id.is_some() {
        return Ok(Outcome::Ignored(format!("the payment page of {} is no longer the one waiting", row.number)));
    }
    sqlx::query(
        "UPDATE payments SET status = 'cancelled', failure_reason = 'the payment link expired unpaid', \
         version = version + 1, updated_at = now() WHERE id = $1",
    )
    .bind(row.id)
    .execute(&mut *tx)
    .await?;
    Ok(Outcome::Applied(format!(
        "the payment link of {} expired unpaid; its units stay held until a new link is sent or the order is cancelled",
        row.number
    )))
}
