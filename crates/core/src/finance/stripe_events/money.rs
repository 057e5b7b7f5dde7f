//! Events about money moving: transfers reversed, refunds finished or failed,
//! payments taken or failed after the order, chargebacks opened and decided.

use super::*;
use crate::domain::notifications::NotificationKind;
use crate::finance::refunds::{ROW_SELECT, RefundRow, book_refund_on, fail_refund_on};
use crate::notifications::send::{Audience, Notice, notify_on_postgres};

/// A transfer (a vendor payout) reversed in whole or part: what came back is
/// owed to the vendor again. Cumulative: each event books only what the
/// ledger does not hold yet, so a later, larger reversal adds the difference.
pub(super) async fn transfer_changed(
    tx: &mut PgConnection,
    o: &Value,
    actor: Option<Uuid>,
) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "transfer")?;
    let found: Option<(Uuid, Uuid, String, i64, Currency, String)> = sqlx::query_as(
        "SELECT p.id, p.vendor_id, u.display_name, p.amount_minor, p.currency, p.status FROM payouts p \
         JOIN users u ON u.id = p.vendor_id WHERE p.stripe_transfer_id = $1 AND p.deleted_at IS NULL FOR UPDATE OF p",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((payout, vendor, name, amount, currency, status)) = found else {
        // A transfer made for a payout whose booking was interrupted.
        let group = text(o, "metadata.marketdesk_group").or_else(|| text(o, "transfer_group"));
        if let Some(p) = group.and_then(|g| g.strip_prefix("payout:")).and_then(|p| p.parse::<Uuid>().ok()) {
            let processing: Option<String> =
                sqlx::query_scalar("SELECT status FROM payouts WHERE id = $1").bind(p).fetch_optional(&mut *tx).await?;
            if processing.as_deref() == Some("processing") {
                return Ok(Outcome::Attention(format!(
                    "Stripe made transfer {id} for payout {p}, which is not booked yet: run its batch again to book it"
                )));
            }
        }
        return Ok(Outcome::Ignored(format!("transfer {id} is not a booked Marketdesk payout")));
    };
    let transferred = int(o, "amount").unwrap_or(amount);
    if transferred != amount {
        return Ok(Outcome::Attention(format!(
            "transfer {id} is for {transferred} minor units but payout {payout} booked {amount}"
        )));
    }
    let reversed = int(o, "amount_reversed").unwrap_or(0).clamp(0, amount);
    let booked: i64 = sqlx::query_scalar(
        "SELECT CAST(coalesce(-sum(e.amount_minor), 0) AS BIGINT) FROM ledger_entries e \
         JOIN ledger_transactions t ON t.id = e.transaction_id \
         WHERE t.payout_id = $1 AND t.code = 'payout_reversed' AND e.vendor_id = $2",
    )
    .bind(payout)
    .bind(vendor)
    .fetch_one(&mut *tx)
    .await?;
    let delta = reversed - booked;
    if delta <= 0 {
        return Ok(Outcome::Ignored(format!(
            "nothing more of payout {payout} came back ({reversed} reversed, {booked} booked)"
        )));
    }
    if status != "paid" && status != "reversed" {
        return Ok(Outcome::Attention(format!("transfer {id} was reversed but payout {payout} is {status}, not paid")));
    }
    let lines = payout_returned(vendor, delta, currency).map_err(|e| StoreError::Validation(e.to_string()))?;
    post(
        &mut *tx,
        &Posting {
            code: "payout_reversed",
            description: format!("Payout to {name} reversed in Stripe ({id})"),
            occurred_at: Timestamp::now(),
            order_id: None,
            payout_id: Some(payout),
            refund_id: None,
            idempotency_key: format!("payout-reversed:{payout}:{reversed}"),
            created_by: actor,
            lines,
        },
    )
    .await?;
    let whole = reversed == amount;
    sqlx::query(
        "UPDATE payouts SET status = CASE WHEN $2 THEN 'reversed' ELSE status END, failure_reason = $3, \
         version = version + 1, updated_at = now() WHERE id = $1",
    )
    .bind(payout)
    .bind(whole)
    .bind(if whole { "Reversed in Stripe".to_owned() } else { format!("{reversed} of {amount} reversed in Stripe") })
    .execute(&mut *tx)
    .await?;
    Ok(Outcome::Applied(format!(
        "{delta} {currency} of the payout to {name} came back and is owed to them again{}",
        if whole { " (payout reversed)" } else { "" }
    )))
}

/// A refund Stripe finished or failed after our call: a pending one is booked
/// or marked failed; one made outside Marketdesk is flagged, since money left
/// without a ledger posting.
pub(super) async fn refund_changed(
    tx: &mut PgConnection,
    o: &Value,
    actor: Option<Uuid>,
    bearer: CommissionBearer,
) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "refund")?;
    let status = text(o, "status").unwrap_or("pending");
    let ours = text(o, "metadata.marketdesk_refund").and_then(|r| r.parse::<Uuid>().ok());
    let found: Option<RefundRow> = sqlx::query_as(&format!(
        "{ROW_SELECT} WHERE (provider_refund_id = $1 OR id = $2) AND deleted_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE"
    ))
    .bind(id)
    .bind(ours)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = found else {
        let pi = id_of(o, "payment_intent");
        let paid_here: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM payments WHERE provider_payment_id = $1)")
                .bind(pi)
                .fetch_one(&mut *tx)
                .await?;
        return Ok(if paid_here && status == "succeeded" {
            Outcome::Attention(format!(
                "refund {id} of {} minor units on payment {} was made outside Marketdesk: the ledger does not hold it",
                int(o, "amount").unwrap_or(0),
                pi.unwrap_or("?")
            ))
        } else {
            Outcome::Ignored(format!("refund {id} is not one of Marketdesk's"))
        });
    };
    match (row.status.as_str(), status) {
        ("pending", "succeeded") => {
            book_refund_on(tx, &row, id, bearer, actor).await?;
            Ok(Outcome::Applied(format!(
                "refund {} finished at Stripe and is booked ({} minor units)",
                row.id, row.amount_minor
            )))
        }
        ("pending", "failed" | "canceled") => {
            let why = text(o, "failure_reason").map(|r| r.replace('_', " "));
            fail_refund_on(
                tx,
                row.id,
                &format!("Stripe could not return the money ({})", why.as_deref().unwrap_or("no reason given")),
            )
            .await?;
            Ok(Outcome::Applied(format!("refund {} failed at Stripe; nothing was booked", row.id)))
        }
        ("succeeded", "failed" | "canceled") => Ok(Outcome::Attention(format!(
            "refund {} ({} minor units) was booked, then Stripe failed it: the buyer has not been paid back",
            row.id, row.amount_minor
        ))),
        (ours, theirs) => Ok(Outcome::Ignored(format!("refund {} is {ours} here and {theirs} at Stripe", row.id))),
    }
}

/// A PaymentIntent Marketdesk does not know yet that a payment page made:
/// its metadata names our payment, which takes it as its own. True when it did.
async fn attach_intent(tx: &mut PgConnection, o: &Value, pi: &str) -> Result<bool, StoreError> {
    let Some(payment) = text(o, "metadata.marketdesk_payment").and_then(|p| p.parse::<Uuid>().ok()) else {
        return Ok(false);
    };
    let done = sqlx::query(
        "UPDATE payments SET provider_payment_id = $2, version = version + 1, updated_at = now() \
         WHERE id = $1 AND provider_payment_id IS NULL AND checkout_session_id IS NOT NULL AND deleted_at IS NULL",
    )
    .bind(payment)
    .bind(pi)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The payment row of a PaymentIntent, with its order, locked.
async fn payment_of_intent(tx: &mut PgConnection, pi: &str) -> Result<Option<PaymentRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.order_id, o.number, p.status, p.amount_minor, p.currency, p.fee_minor, o.shipping_minor \
         FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.provider_payment_id = $1 AND p.deleted_at IS NULL FOR UPDATE OF p",
    )
    .bind(pi)
    .fetch_optional(&mut *tx)
    .await?)
}

/// The payment row of a PaymentIntent, with its order.
#[derive(sqlx::FromRow)]
struct PaymentRow {
    id: Uuid,
    order_id: Uuid,
    number: String,
    status: String,
    amount_minor: i64,
    currency: Currency,
    fee_minor: i64,
    shipping_minor: i64,
}

/// A PaymentIntent settled, checked against the payment the storefront
/// recorded for the order. A success Marketdesk has not booked yet is booked
/// here: the payment marked succeeded, the capture posted through the same
/// rule as every capture, the pending order marked paid. A payment Stripe took
/// that Marketdesk holds no row for, amounts that differ, and a booked payment
/// Stripe then failed go to finance instead.
pub(super) async fn payment_changed(
    tx: &mut PgConnection,
    kind: &str,
    o: &Value,
    actor: Option<Uuid>,
) -> Result<Outcome, StoreError> {
    let pi = required(o, "id", "payment")?;
    let mut found = payment_of_intent(tx, pi).await?;
    if found.is_none() && attach_intent(tx, o, pi).await? {
        found = payment_of_intent(tx, pi).await?;
    }
    let succeeded = kind == "payment_intent.succeeded";
    let Some(row) = found else {
        let order = text(o, "metadata.marketdesk_order");
        return Ok(match order {
            Some(order) if succeeded => Outcome::Attention(format!(
                "Stripe took {} {} for order {order} ({pi}), but Marketdesk holds no payment for it",
                int(o, "amount_received").or_else(|| int(o, "amount")).unwrap_or(0),
                text(o, "currency").unwrap_or("").to_ascii_uppercase()
            )),
            _ => Outcome::Ignored(format!("payment {pi} is not one of Marketdesk's")),
        });
    };
    if !succeeded {
        let reason = text(o, "last_payment_error.message")
            .or_else(|| text(o, "cancellation_reason"))
            .map(|r| r.replace('_', " "))
            .unwrap_or_else(|| "no reason given".into());
        let (status, words) =
            if kind == "payment_intent.canceled" { ("cancelled", "cancelled it") } else { ("failed", "failed it") };
        if row.status == "succeeded" {
            return Ok(Outcome::Attention(format!(
                "the payment for {} is booked as taken, but Stripe {words} ({reason})",
                row.number
            )));
        }
        if row.status == status {
            return Ok(Outcome::Ignored(format!("the payment for {} is {status} already", row.number)));
        }
        sqlx::query(
            "UPDATE payments SET status = $2, failure_reason = $3, version = version + 1, updated_at = now() WHERE id = $1",
        )
        .bind(row.id)
        .bind(status)
        .bind(&reason)
        .execute(&mut *tx)
        .await?;
        return Ok(Outcome::Applied(format!("the payment for {} {status} at Stripe: {reason}", row.number)));
    }

    let received = int(o, "amount_received").or_else(|| int(o, "amount")).unwrap_or(0);
    let currency = currency_of(o)?;
    if received != row.amount_minor || currency != row.currency {
        return Ok(Outcome::Attention(format!(
            "Stripe took {received} {currency} for {}, but its payment says {} {}: nothing booked",
            row.number, row.amount_minor, row.currency
        )));
    }
    let at = when(int(o, "created")).unwrap_or_else(Timestamp::now);
    let key = format!("capture:{pi}");
    let booked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM ledger_transactions WHERE deleted_at IS NULL \
         AND (idempotency_key = $1 OR (code = 'payment_captured' AND order_id = $2)))",
    )
    .bind(&key)
    .bind(row.order_id)
    .fetch_one(&mut *tx)
    .await?;
    if booked && row.status == "succeeded" {
        return Ok(Outcome::Ignored(format!("the payment for {} agrees with the ledger", row.number)));
    }
    if !booked {
        let lines: Vec<SoldLine> = sqlx::query_as::<_, (Uuid, i32, i64, i64, i64)>(
            "SELECT vendor_id, quantity, subtotal_minor, tax_minor, commission_minor FROM order_items \
             WHERE order_id = $1 AND deleted_at IS NULL ORDER BY id",
        )
        .bind(row.order_id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(vendor_id, quantity, subtotal_minor, tax_minor, commission_minor)| SoldLine {
            vendor_id,
            quantity: u32::try_from(quantity).unwrap_or(0),
            subtotal_minor,
            tax_minor,
            commission_minor,
        })
        .collect();
        let capture = Capture { currency, lines, shipping_minor: row.shipping_minor, fee_minor: row.fee_minor };
        if capture.lines.is_empty() || capture.total_minor() != received {
            return Ok(Outcome::Attention(format!(
                "Stripe took {received} {currency} for {}, but its items and shipping come to {} {currency}: nothing booked",
                row.number,
                capture.total_minor()
            )));
        }
        let lines = payment_captured(&capture).map_err(|e| StoreError::Validation(e.to_string()))?;
        post(
            &mut *tx,
            &Posting {
                code: "payment_captured",
                description: format!("Payment for {}", row.number),
                occurred_at: at,
                order_id: Some(row.order_id),
                payout_id: None,
                refund_id: None,
                idempotency_key: key,
                created_by: actor,
                lines,
            },
        )
        .await?;
    }
    sqlx::query(
        "UPDATE payments SET status = 'succeeded', captured_at = coalesce(captured_at, $2), failure_reason = NULL, \
         version = version + 1, updated_at = now() WHERE id = $1",
    )
    .bind(row.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let paid: bool =
        sqlx::query_scalar("SELECT md_mark_order_paid($1, $2)").bind(row.order_id).bind(at).fetch_one(&mut *tx).await?;
    if paid {
        tell_vendors_of_sale(tx, row.order_id, &row.number, actor).await?;
    }
    Ok(Outcome::Applied(format!(
        "the payment for {} ({received} {currency}) {}{}",
        row.number,
        if booked { "was booked already and is now marked taken" } else { "is booked" },
        if paid { "; the order is paid" } else { "" }
    )))
}

/// Puts a newly paid order at the bell of each vendor selling in it: their
/// lines are now theirs to fulfil.
async fn tell_vendors_of_sale(
    tx: &mut PgConnection,
    order: Uuid,
    number: &str,
    actor: Option<Uuid>,
) -> Result<(), StoreError> {
    let sales: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT vendor_id, sum(quantity)::bigint FROM order_items WHERE order_id = $1 AND deleted_at IS NULL \
         GROUP BY vendor_id ORDER BY vendor_id",
    )
    .bind(order)
    .fetch_all(&mut *tx)
    .await?;
    for (vendor, units) in sales {
        let notice =
            Notice::new(NotificationKind::OrderPlaced, Audience::Person(vendor), format!("New order {number}"))
                .body(if units == 1 { "1 item to ship".to_owned() } else { format!("{units} items to ship") })
                .about("orders", order);
        notify_on_postgres(tx, actor, &notice).await?;
    }
    Ok(())
}

/// A chargeback opened, moved or closed. Lost, the disputed amount is taken
/// from the order's vendors (in proportion to what each sold in it) and
/// Stripe's fee from the platform, once.
pub(super) async fn dispute_changed(
    tx: &mut PgConnection,
    o: &Value,
    actor: Option<Uuid>,
) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "dispute")?;
    let stripe_status = text(o, "status").unwrap_or("needs_response");
    let status = match stripe_status {
        "warning_needs_response" | "needs_response" => "open",
        "warning_under_review" | "under_review" => "under_review",
        "won" => "resolved",
        "lost" | "warning_closed" => "closed",
        other => return Ok(Outcome::Attention(format!("dispute {id} has a status Marketdesk does not know: {other}"))),
    };
    let amount = int(o, "amount").unwrap_or(0);
    let currency = currency_of(o)?;
    let reason = text(o, "reason").unwrap_or("general").replace('_', " ");
    let dispute: Option<Uuid> = sqlx::query_scalar("SELECT md_record_chargeback($1, $2, $3, $4, $5, $6, $7)")
        .bind(id)
        .bind(id_of(o, "payment_intent"))
        .bind(amount)
        .bind(currency.as_str())
        .bind(status)
        .bind(when(int(o, "evidence_details.due_by")))
        .bind(format!("Chargeback: {reason}"))
        .fetch_one(&mut *tx)
        .await?;
    let Some(dispute) = dispute else {
        return Ok(Outcome::Ignored(format!("dispute {id} is about no payment of ours")));
    };
    if stripe_status != "lost" {
        return Ok(Outcome::Applied(format!("chargeback {id} is {}", stripe_status.replace('_', " "))));
    }
    let key = format!("dispute-lost:{id}");
    if posted(tx, &key).await? {
        return Ok(Outcome::Ignored(format!("chargeback {id} was booked as lost before")));
    }
    let order: Uuid =
        sqlx::query_scalar("SELECT order_id FROM disputes WHERE id = $1").bind(dispute).fetch_one(&mut *tx).await?;
    let sold: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT vendor_id, CAST(sum(subtotal_minor + tax_minor) AS BIGINT) FROM order_items \
         WHERE order_id = $1 AND deleted_at IS NULL GROUP BY vendor_id ORDER BY vendor_id",
    )
    .bind(order)
    .fetch_all(&mut *tx)
    .await?;
    let weights: Vec<u64> = sold.iter().map(|(_, s)| u64::try_from(*s).unwrap_or(0)).collect();
    let shares: Vec<(Uuid, i64)> = sold.iter().map(|(v, _)| *v).zip(allocate(amount, &weights)).collect();
    let fee: i64 = at(o, "balance_transactions")
        .and_then(Value::as_array)
        .map(|txs| txs.iter().filter_map(|t| int(t, "fee")).sum())
        .unwrap_or(0);
    let lines = dispute_lost(&shares, fee, currency).map_err(|e| StoreError::Validation(e.to_string()))?;
    post(
        &mut *tx,
        &Posting {
            code: "dispute",
            description: format!("Chargeback {id} lost ({reason})"),
            occurred_at: Timestamp::now(),
            order_id: Some(order),
            payout_id: None,
            refund_id: None,
            idempotency_key: key,
            created_by: actor,
            lines,
        },
    )
    .await?;
    Ok(Outcome::Applied(format!(
        "chargeback {id} lost: {amount} {currency} taken from {} vendor(s), Stripe's fee {fee}",
        shares.len()
    )))
}
