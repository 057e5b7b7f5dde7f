//! Events about vendors' Stripe accounts and subscriptions: a connected
//! account that can now be paid, a subscription changed, an invoice paid.

use super::*;
use crate::finance::subscriptions::status_of;

/// A connected account changed: whether the vendor can be paid.
pub(super) async fn account_updated(tx: &mut PgConnection, o: &Value) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "account")?;
    let account = ConnectAccount {
        id: id.to_owned(),
        payouts_enabled: at(o, "payouts_enabled").and_then(Value::as_bool).unwrap_or(false),
        charges_enabled: at(o, "charges_enabled").and_then(Value::as_bool).unwrap_or(false),
        details_submitted: at(o, "details_submitted").and_then(Value::as_bool).unwrap_or(false),
        currently_due: Vec::new(),
        disabled_reason: text(o, "requirements.disabled_reason").map(str::to_owned),
    };
    let status = crate::finance::payout_setup::verification_of(&account);
    let vendor: Option<Uuid> = sqlx::query_scalar("SELECT md_sync_connect_account($1, $2, $3)")
        .bind(id)
        .bind(account.payouts_enabled)
        .bind(status)
        .fetch_one(&mut *tx)
        .await?;
    Ok(match vendor {
        Some(v) => Outcome::Applied(format!("vendor {v}'s Stripe account is {status}")),
        None => Outcome::Ignored(format!("no vendor holds Stripe account {id}")),
    })
}

/// A vendor's subscription changed at Stripe: status, plan (by its price),
/// period, cancellation. One Marketdesk did not start (made on Stripe's side
/// or by the storefront) is added when it names one of our vendors.
pub(super) async fn subscription_changed(tx: &mut PgConnection, o: &Value) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "subscription")?;
    let stripe_status = text(o, "status").unwrap_or("");
    let Some(status) = status_of(stripe_status) else {
        return Ok(Outcome::Attention(format!(
            "subscription {id} has a status Marketdesk does not know: {stripe_status}"
        )));
    };
    let item = at(o, "items.data").and_then(|d| d.get(0));
    // Newer API versions keep the period on the subscription's items.
    let period = |k: &str| int(o, k).or_else(|| item.and_then(|i| int(i, k)));
    let price = item.and_then(|i| id_of(i, "price"));
    let plan: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM subscription_plans WHERE stripe_price_id = $1 AND deleted_at IS NULL")
            .bind(price)
            .fetch_optional(&mut *tx)
            .await?;
    let updated = sqlx::query(
        "UPDATE subscriptions SET status = $2, plan_id = coalesce($8, plan_id), \
         current_period_start = coalesce($3, current_period_start), \
         current_period_end = coalesce($4, current_period_end), cancel_at_period_end = $5, \
         trial_ends_at = coalesce($6, trial_ends_at), \
         cancelled_at = CASE WHEN $2 = 'cancelled' THEN coalesce(cancelled_at, $7, now()) ELSE NULL END, \
         version = version + 1, updated_at = now() WHERE stripe_subscription_id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(status)
    .bind(when(period("current_period_start")))
    .bind(when(period("current_period_end")))
    .bind(at(o, "cancel_at_period_end").and_then(Value::as_bool).unwrap_or(false))
    .bind(when(int(o, "trial_end")))
    .bind(when(int(o, "canceled_at")))
    .bind(plan)
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write("subscription", e))?
    .rows_affected();
    if updated > 0 {
        return Ok(Outcome::Applied(format!("subscription {id} is {status}")));
    }
    let vendor: Option<Uuid> = sqlx::query_scalar(
        "SELECT u.id FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.role = 'vendor' \
         AND (u.id::text = $1 OR (p.stripe_customer_id IS NOT NULL AND p.stripe_customer_id = $2)) LIMIT 1",
    )
    .bind(text(o, "metadata.marketdesk_vendor").unwrap_or(""))
    .bind(id_of(o, "customer"))
    .fetch_optional(&mut *tx)
    .await?;
    let (Some(vendor), Some(plan)) = (vendor, plan) else {
        return Ok(Outcome::Ignored(format!("subscription {id} is not a vendor's subscription to one of our plans")));
    };
    if status == "cancelled" {
        return Ok(Outcome::Ignored(format!("subscription {id} ended before Marketdesk saw it")));
    }
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO subscriptions (id, vendor_id, plan_id, status, stripe_subscription_id, current_period_start, \
         current_period_end, trial_ends_at, cancel_at_period_end, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, now(), now())",
    )
    .bind(new_id())
    .bind(vendor)
    .bind(plan)
    .bind(status)
    .bind(id)
    .bind(when(period("current_period_start")).unwrap_or(now))
    .bind(when(period("current_period_end")).unwrap_or(now))
    .bind(when(int(o, "trial_end")))
    .bind(at(o, "cancel_at_period_end").and_then(Value::as_bool).unwrap_or(false))
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write("subscription", e))?;
    Ok(Outcome::Applied(format!("vendor {vendor} subscribed ({id}, {status})")))
}

/// A vendor paid a subscription invoice: subscription revenue, once.
pub(super) async fn invoice_paid(tx: &mut PgConnection, o: &Value, actor: Option<Uuid>) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "invoice")?;
    let subscription = id_of(o, "subscription").or_else(|| id_of(o, "parent.subscription_details.subscription"));
    let vendor: Option<String> = sqlx::query_scalar(
        "SELECT u.display_name FROM subscriptions s JOIN users u ON u.id = s.vendor_id WHERE s.stripe_subscription_id = $1",
    )
    .bind(subscription)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(vendor) = vendor else {
        return Ok(Outcome::Ignored(format!("invoice {id} is not for a vendor subscription")));
    };
    let paid = int(o, "amount_paid").unwrap_or(0);
    if paid <= 0 {
        return Ok(Outcome::Ignored(format!("invoice {id} paid nothing")));
    }
    let key = format!("invoice:{id}");
    if posted(tx, &key).await? {
        return Ok(Outcome::Ignored(format!("invoice {id} was booked before")));
    }
    let currency = currency_of(o)?;
    let lines = subscription_paid(paid, currency).map_err(|e| StoreError::Validation(e.to_string()))?;
    post(
        &mut *tx,
        &Posting {
            code: "subscription_paid",
            description: format!("Subscription of {vendor} ({id})"),
            occurred_at: when(int(o, "status_transitions.paid_at")).unwrap_or_else(Timestamp::now),
            order_id: None,
            payout_id: None,
            refund_id: None,
            idempotency_key: key,
            created_by: actor,
            lines,
        },
    )
    .await?;
    Ok(Outcome::Applied(format!("{vendor} paid {paid} {currency} of subscription")))
}
