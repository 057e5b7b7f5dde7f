//! Orders taken by hand: a customer orders by phone or e-mail, an admin builds
//! the order from the catalog, and the customer pays on Stripe's hosted page
//! through a link sent by mail. The database writes the order (prices,
//! commission and free stock come from the catalog, not from the client) as
//! pending, with its units held; Stripe's `checkout.session.completed` event
//! books the payment and marks it paid, which turns the held units into sold
//! ones. A link that expires unpaid can be sent again; cancelling the order
//! releases what it held.
//!
//! Online only: the central PostgreSQL and Stripe.

use crate::domain::{Currency, Money, Role, Timestamp, new_id};
use crate::integrations::stripe::{CheckoutLine, CheckoutRequest, CheckoutSessions, GatewayError};
use crate::mail::outbox::{QUEUE_SQL, queue_params};
use crate::mail::templates::{Template, render};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::sql::bind;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Engine, Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most lines in one order taken by hand.
pub const MAX_LINES: usize = 100;
/// Most units of one line.
pub const MAX_QUANTITY: u32 = 10_000;
/// The platform setting naming the page customers land on after paying.
pub const RETURN_URL_SETTING: &str = "checkout.return_url";
/// How long a payment link works: Stripe allows at most 24 hours.
const LINK_HOURS: i64 = 24;

/// One line of an order taken by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManualLine {
    /// The variant sold.
    pub variant_id: Uuid,
    /// Units, 1 to [`MAX_QUANTITY`].
    pub quantity: u32,
}

/// An order an admin takes for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManualOrder {
    /// The customer (a `customer` user).
    pub customer_id: Uuid,
    /// The order's currency; every variant must be priced in it.
    pub currency: Currency,
    /// What they order; a variant named twice is added up.
    pub lines: Vec<ManualLine>,
    /// Shipping charged, minor units.
    pub shipping_minor: i64,
}

/// The payment page a customer was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PaymentLink {
    /// Stripe's page.
    pub url: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// Where the mail went.
    pub mailed_to: String,
}

/// An order taken, and whether its link went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManualOrderTaken {
    /// The new order.
    pub order_id: Uuid,
    /// Its number.
    pub number: String,
    /// What the customer pays, shipping included, minor units.
    pub total_minor: i64,
    /// The order's currency.
    pub currency: Currency,
    /// The link sent, when Stripe made one.
    pub link: Option<PaymentLink>,
    /// Why no link went out (the order is kept; send the link again later).
    pub link_error: Option<String>,
}

pub(crate) fn validate(req: &ManualOrder) -> Result<(), StoreError> {
    if req.lines.is_empty() {
        return Err(StoreError::Validation("an order needs at least one line".into()));
    }
    if req.lines.len() > MAX_LINES {
        return Err(StoreError::Validation(format!("an order taken by hand has at most {MAX_LINES} lines")));
    }
    if let Some(l) = req.lines.iter().find(|l| l.quantity == 0 || l.quantity > MAX_QUANTITY) {
        return Err(StoreError::Validation(format!("{} units: a line needs 1 to {MAX_QUANTITY} units", l.quantity)));
    }
    if !(0..=1_000_000_000).contains(&req.shipping_minor) {
        return Err(StoreError::Validation("shipping must be between 0 and 10,000,000.00".into()));
    }
    Ok(())
}

pub(crate) fn admin_online(store: &Store, actor: Reader) -> Result<(), StoreError> {
    if actor.role != Role::Admin {
        return Err(StoreError::AccessDenied("only admins take orders by hand".into()));
    }
    if store.engine() != Engine::Postgres {
        return Err(StoreError::OnlineOnly(
            "orders taken by hand are paid through Stripe: connect to the central database".into(),
        ));
    }
    Ok(())
}

/// Where customers land after paying, from the platform settings.
async fn return_url(store: &Store) -> Result<String, StoreError> {
    let value = store.platform_settings().await?.into_iter().find(|s| s.key == RETURN_URL_SETTING).map(|s| s.value);
    let url = value.and_then(|v| serde_json::from_str::<String>(&v).ok()).unwrap_or_default();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(StoreError::Validation(format!(
            "set the page customers land on after paying first: platform setting {RETURN_URL_SETTING} (an https:// address)"
        )));
    }
    Ok(url)
}

/// Takes the order, then makes and mails its payment link. The order stands
/// even when Stripe cannot be reached: the result says why no link went out.
pub async fn take_manual_order<S: CheckoutSessions>(
    store: &Store,
    actor: Reader,
    stripe: &S,
    req: &ManualOrder,
) -> Result<ManualOrderTaken, StoreError> {
    admin_online(store, actor)?;
    validate(req)?;
    return_url(store).await?;
    let (order_id, payment_id) = (new_id(), new_id());
    let number = format!("MD-{}", &order_id.simple().to_string()[20..].to_uppercase());
    let lines = serde_json::Value::Array(
        req.lines.iter().map(|l| serde_json::json!({ "variant": l.variant_id, "quantity": l.quantity })).collect(),
    );
    let mut tx = store.begin_write_tx().await?;
    let total: i64 =
        with_tx!(&mut tx, |c| sqlx::query_scalar("SELECT md_create_manual_order($1, $2, $3, $4, $5, $6, $7)")
            .bind(order_id)
            .bind(&number)
            .bind(req.customer_id)
            .bind(req.currency.as_str())
            .bind(&lines)
            .bind(req.shipping_minor)
            .bind(payment_id)
            .fetch_one(&mut *c)
            .await)
        .map_err(refusal)?;
    record_audit_in(
        &mut tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: "orders.create_manual".into(),
            entity_table: Some("orders".into()),
            entity_id: Some(order_id),
            details: Some(serde_json::json!({
                "number": number, "customer_id": req.customer_id, "lines": lines,
                "shipping_minor": req.shipping_minor, "total_minor": total, "currency": req.currency,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    let (link, link_error) = match send_payment_link(store, actor, stripe, order_id).await {
        Ok(l) => (Some(l), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(ManualOrderTaken { order_id, number, total_minor: total, currency: req.currency, link, link_error })
}

/// The database's refusal in its own words.
pub(crate) fn refusal(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        match db.code().as_deref() {
            Some("22023") => return StoreError::Validation(db.message().to_owned()),
            Some("42501") => return StoreError::AccessDenied(db.message().to_owned()),
            _ => {}
        }
    }
    StoreError::from_write("order", e)
}

#[derive(sqlx::FromRow)]
struct Waiting {
    payment_id: Uuid,
    payment_version: i64,
    payment_status: String,
    number: String,
    currency: String,
    amount_minor: i64,
    shipping_minor: i64,
    checkout_url: Option<String>,
    checkout_expires_at: Option<Timestamp>,
    display_name: String,
    email: String,
}

/// Mails the customer of a pending order taken by hand the page to pay on:
/// the link already made while it has more than an hour left, else a new one.
/// After the page's payment failed (a bank debit the bank refused), the new
/// link asks for a new payment attempt; the failed one stays as it was.
pub async fn send_payment_link<S: CheckoutSessions>(
    store: &Store,
    actor: Reader,
    stripe: &S,
    order_id: Uuid,
) -> Result<PaymentLink, StoreError> {
    admin_online(store, actor)?;
    let success_url = return_url(store).await?;
    let mut tx = store.begin_write_tx().await?;
    with_tx!(&mut tx, |c| sqlx::query_scalar::<_, bool>("SELECT md_new_payment_attempt($1, $2)")
        .bind(order_id)
        .bind(new_id())
        .fetch_one(&mut *c)
        .await)
    .map_err(refusal)?;
    tx.commit().await?;
    // Read, then ask Stripe, then write: no transaction stays open across the call.
    let w: Option<Waiting> = with_pool!(&store.db, |c| {
        sqlx::query_as(
        "SELECT p.id AS payment_id, p.version AS payment_version, p.status AS payment_status, o.number, o.currency, p.amount_minor, o.shipping_minor, \
         p.checkout_url, p.checkout_expires_at, u.display_name, u.email \
         FROM payments p JOIN orders o ON o.id = p.order_id JOIN users u ON u.id = o.customer_id \
         WHERE p.order_id = $1 AND p.provider = 'stripe' AND p.provider_payment_id IS NULL \
         AND p.status IN ('requires_payment', 'cancelled') AND p.deleted_at IS NULL \
         AND o.status = 'pending' AND o.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT 1",
    )
    .bind(order_id)
    .fetch_optional(c)
    .await
    })?;
    let w = w.ok_or_else(|| {
        StoreError::Validation(
            "this order is not waiting for a payment link (paid, cancelled, or not taken by hand)".into(),
        )
    })?;
    let currency = w.currency.parse::<Currency>().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let items: Vec<(String, String, String, i32, i64)> = with_pool!(&store.db, |c| sqlx::query_as(
        "SELECT product_name, variant_name, sku, quantity, unit_price_minor FROM order_items \
         WHERE order_id = $1 AND deleted_at IS NULL AND status <> 'cancelled' ORDER BY sku",
    )
    .bind(order_id)
    .fetch_all(c)
    .await)?;
    let now = Timestamp::now();
    let fresh = w.checkout_url.clone().zip(w.checkout_expires_at).filter(|(_, at)| {
        w.payment_status == "requires_payment" && at.unix_micros() - now.unix_micros() > 3_600_000_000
    });
    let made = match &fresh {
        Some(_) => None,
        None => {
            let mut lines: Vec<CheckoutLine> = items
                .iter()
                .map(|(product, variant, sku, qty, price)| CheckoutLine {
                    name: describe(product, variant, sku),
                    quantity: u32::try_from(*qty).unwrap_or(1),
                    unit_amount_minor: *price,
                })
                .collect();
            if w.shipping_minor > 0 {
                lines.push(CheckoutLine { name: "Shipping".into(), quantity: 1, unit_amount_minor: w.shipping_minor });
            }
            // The key names the minute the page is asked for: a retry within it
            // (an answer lost) replays Stripe's first page, a later one asks anew
            // rather than being refused for changed parameters.
            let expires = now.unix_micros() / 60_000_000 * 60 + LINK_HOURS * 3600 - 60;
            let made = stripe
                .create_checkout(&CheckoutRequest {
                    order_number: w.number.clone(),
                    payment_id: w.payment_id.to_string(),
                    customer_email: w.email.clone(),
                    currency,
                    lines,
                    expires_at: expires,
                    success_url: success_url.clone(),
                    idempotency_key: format!("checkout:{}:{}:{expires}", w.payment_id, w.payment_version),
                })
                .await
                .map_err(|e| match e {
                    GatewayError::Refused { reason, .. } => {
                        StoreError::Validation(format!("Stripe refused the payment page: {reason}"))
                    }
                    other => StoreError::Busy(format!("{other}; the order is kept, send the link again later")),
                })?;
            Some(made)
        }
    };
    let mut tx = store.begin_write_tx().await?;
    let (url, expires_at) = match (made, fresh) {
        (None, Some(link)) => link,
        (None, None) => return Err(StoreError::Busy("no payment page could be made; try again".into())),
        (Some(made), _) => {
            let at = Timestamp::from_unix_micros(made.expires_at * 1_000_000).unwrap_or(now);
            let attached: bool = with_tx!(&mut tx, |c| sqlx::query_scalar("SELECT md_attach_checkout($1, $2, $3, $4)")
                .bind(w.payment_id)
                .bind(&made.id)
                .bind(&made.url)
                .bind(at)
                .fetch_one(&mut *c)
                .await)
            .map_err(refusal)?;
            if !attached {
                return Err(StoreError::Busy("the order changed while its link was made; look at it again".into()));
            }
            (made.url, at)
        }
    };
    queue_link_mail(&mut tx, &w, currency, &items, &url, expires_at).await?;
    record_audit_in(
        &mut tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: "orders.payment_link".into(),
            entity_table: Some("orders".into()),
            entity_id: Some(order_id),
            details: Some(serde_json::json!({ "to": w.email, "expires_at": expires_at })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(PaymentLink { url, expires_at, mailed_to: w.email })
}

fn describe(product: &str, variant: &str, sku: &str) -> String {
    if variant.is_empty() || variant == product {
        format!("{product} ({sku})")
    } else {
        format!("{product} — {variant} ({sku})")
    }
}

async fn queue_link_mail(
    tx: &mut WriteTx<'_>,
    w: &Waiting,
    currency: Currency,
    items: &[(String, String, String, i32, i64)],
    url: &str,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    let mut lines: Vec<String> = items
        .iter()
        .map(|(product, variant, sku, qty, price)| {
            format!("{qty} × {} at {}", describe(product, variant, sku), Money::new(*price, currency))
        })
        .collect();
    if w.shipping_minor > 0 {
        lines.push(format!("Shipping {}", Money::new(w.shipping_minor, currency)));
    }
    let total = Money::new(w.amount_minor, currency).to_string();
    let expires = expires_at.as_datetime().format("%Y-%m-%d %H:%M UTC").to_string();
    let mail = render(&Template::PaymentLink {
        name: &w.display_name,
        number: &w.number,
        lines: &lines,
        total: &total,
        url,
        expires: &expires,
    })
    .map_err(|e| StoreError::Validation(format!("the payment mail could not be written: {e}")))?;
    let (_, params) = queue_params(&w.email, &mail);
    with_tx!(tx, |c| bind(sqlx::query(QUEUE_SQL), &params).execute(&mut *c).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("mail", e))
}
