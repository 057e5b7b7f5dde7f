//! Orders and their items. One order can hold items of several vendors; each item
//! belongs to exactly one vendor.

use super::order_facets::{Facets, push_facets};
use super::order_lens::OrderLens;
use super::order_search::push_order_search;
use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, bind_as};
use super::stock_movements::{NewMovement, record_movement_in};
use super::write_tx::{WriteTx, with_tx};
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::customer::CustomerStatus;
use crate::domain::money::apply_bps;
use crate::domain::stock::StockMovementKind;
use crate::domain::{
    Currency, DisputeState, FulfilmentState, OrderStatus, PaymentState, RefundState, Timestamp, new_id,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An order as the orders list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Order {
    /// Row id.
    pub id: Uuid,
    /// Human order number (`MD-0000042`).
    pub number: String,
    /// The buyer (`None` when the reader may not know who: vendors).
    pub customer_id: Option<Uuid>,
    /// The buyer's name; for a vendor, the name on the shipping address.
    pub customer_name: String,
    /// The buyer's e-mail (`None` when the reader may not read it).
    pub customer_email: Option<String>,
    /// Lifecycle state.
    pub status: OrderStatus,
    /// Currency of every amount.
    pub currency: Currency,
    /// Grand total, minor units; for a vendor, the total of their own lines.
    pub total_minor: i64,
    /// When the buyer placed it.
    pub placed_at: Timestamp,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OrderItem {
    /// Row id.
    pub id: Uuid,
    /// The vendor who sells and ships this line.
    pub vendor_id: Uuid,
    /// The vendor's display name (empty when the reader may not see it).
    pub vendor_name: String,
    /// The variant bought.
    pub variant_id: Uuid,
    /// Its SKU at the time of sale.
    pub sku: String,
    /// Product name at the time of sale.
    pub product_name: String,
    /// Units.
    pub quantity: i32,
    /// Price per unit, minor units (`None` when the reader sees no prices: logistics).
    pub unit_price_minor: Option<i64>,
    /// quantity × unit price (`None` like the price).
    pub subtotal_minor: Option<i64>,
    /// Platform commission on this line, minor units (`None` like the price).
    pub commission_minor: Option<i64>,
}

/// An order with its lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OrderDetail {
    /// The order.
    pub order: Order,
    /// Subtotal before shipping, tax and discounts; for a vendor, of their own lines.
    pub subtotal_minor: i64,
    /// Shipping charged (`None` for a vendor: the order's, not theirs).
    pub shipping_minor: Option<i64>,
    /// Tax charged (`None` for a vendor, like shipping).
    pub tax_minor: Option<i64>,
    /// Its lines, in the order they were added.
    pub items: Vec<OrderItem>,
    /// The statuses the reader may move the order to now (filled by
    /// `orders::view` for the person reading; empty from the store).
    #[serde(default)]
    pub next: Vec<OrderStatus>,
    /// Whether the reader may refund the order now (filled like `next`).
    #[serde(default)]
    pub refundable: bool,
    /// Whether the reader may cancel the order, or a vendor's part of it, now
    /// (filled like `next`).
    #[serde(default)]
    pub cancellable: bool,
    /// For an admin, the payment page of a pending order taken by hand
    /// (filled like `next`; none otherwise).
    #[serde(default)]
    pub awaiting_payment: Option<AwaitingPayment>,
}

/// The Stripe payment page a pending order taken by hand waits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AwaitingPayment {
    /// Where the page stands.
    pub state: LinkState,
    /// The page sent, if one was made.
    pub url: Option<String>,
    /// When it stops (stopped) working.
    pub expires_at: Option<Timestamp>,
    /// Why the last page did not bring the money (expired unpaid, the bank
    /// refused the debit …), if so.
    pub problem: Option<String>,
}

/// Where the payment page of an order taken by hand stands, and so what an
/// admin can do: mail it again (waiting), send a new one (not sent, expired,
/// failed), or wait for the bank (processing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// No page has been made yet (Stripe could not be reached).
    NotSent,
    /// The page works and waits for the customer.
    Waiting,
    /// The page expired unpaid.
    Expired,
    /// The customer finished the page with a bank debit; the money is on its way.
    Processing,
    /// The payment started on the page failed later.
    Failed,
}

/// An order to record (as the storefront or a test would place it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrder {
    /// The buyer.
    pub customer_id: Uuid,
    /// Currency; every variant must be priced in it.
    pub currency: Currency,
    /// Variants and quantities.
    pub lines: Vec<(Uuid, i32)>,
    /// Shipping charged, minor units.
    pub shipping_minor: i64,
    /// Platform commission on every line, in basis points.
    pub commission_bps: u32,
}

/// Narrows the orders list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OrderFilter {
    /// Only these statuses (any of them); empty for all.
    pub statuses: Vec<OrderStatus>,
    /// Only this buyer's orders.
    pub customer_id: Option<Uuid>,
    /// Only orders holding an item of this vendor.
    pub vendor_id: Option<Uuid>,
    /// Placed at or after.
    pub placed_from: Option<Timestamp>,
    /// Placed before.
    pub placed_to: Option<Timestamp>,
    /// Text in the order number or the buyer's name or e-mail.
    pub search: Option<String>,
    /// Only orders in one of these payment states; empty for all.
    #[serde(default)]
    pub payment: Vec<PaymentState>,
    /// Only orders in one of these fulfilment states; empty for all.
    #[serde(default)]
    pub fulfilment: Vec<FulfilmentState>,
    /// Only orders in one of these refund states; empty for all.
    #[serde(default)]
    pub refund: Vec<RefundState>,
    /// Only orders in one of these dispute states; empty for all.
    #[serde(default)]
    pub dispute: Vec<DisputeState>,
}

/// How the orders list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OrderSort {
    /// By time placed.
    #[default]
    PlacedAt,
    /// By grand total.
    Total,
    /// By order number.
    Number,
}

impl SortKey for OrderSort {
    fn name(&self) -> &'static str {
        match self {
            OrderSort::PlacedAt => "placed_at",
            OrderSort::Total => "total",
            OrderSort::Number => "number",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            OrderSort::PlacedAt => "o.placed_at",
            OrderSort::Total => "o.total_minor",
            OrderSort::Number => "o.number",
        }
    }
}

#[derive(sqlx::FromRow)]
struct PricedVariant {
    id: Uuid,
    vendor_id: Uuid,
    sku: String,
    product_name: String,
    price_minor: i64,
    currency: Currency,
}

impl Store {
    /// A page of orders as `lens` shows them.
    pub async fn list_orders(
        &self,
        lens: &OrderLens,
        filter: &OrderFilter,
        page: &PageRequest<OrderSort>,
    ) -> Result<Page<Order>, StoreError> {
        let mut sql = lens.select(false);
        if !filter.statuses.is_empty() {
            sql.push(" AND o.status IN ").bind_list(filter.statuses.iter().map(|x| Param::Text(x.as_str().into())));
        }
        if let Some(c) = filter.customer_id {
            sql.push(" AND o.customer_id = ").bind(Param::Uuid(c));
        }
        if let Some(v) = filter.vendor_id {
            sql.push(" AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.vendor_id = ")
                .bind(Param::Uuid(v))
                .push(")");
        }
        if let Some(t) = filter.placed_from {
            sql.push(" AND o.placed_at >= ").bind(Param::Time(t));
        }
        if let Some(t) = filter.placed_to {
            sql.push(" AND o.placed_at < ").bind(Param::Time(t));
        }
        push_order_search(&mut sql, lens, self.engine(), filter.search.as_deref())?;
        let facets = Facets {
            payment: &filter.payment,
            fulfilment: &filter.fulfilment,
            refund: &filter.refund,
            dispute: &filter.dispute,
        };
        push_facets(&mut sql, lens, &facets);
        finish_query(&mut sql, page, "o.id")?;
        let rows: Vec<Order> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |o: &Order| {
            let v = match page.sort {
                OrderSort::PlacedAt => SortValue::from(o.placed_at),
                OrderSort::Total => SortValue::Int(o.total_minor),
                OrderSort::Number => SortValue::Text(o.number.clone()),
            };
            (v, o.id)
        }))
    }

    /// One order with its lines as `lens` shows them; not found when the lens
    /// shows none of it.
    pub async fn order(&self, lens: &OrderLens, id: Uuid) -> Result<OrderDetail, StoreError> {
        let mut sql = lens.select(true);
        sql.push(" AND o.id = ").bind(Param::Uuid(id));
        #[derive(sqlx::FromRow)]
        struct Head {
            #[sqlx(flatten)]
            order: Order,
            subtotal_minor: i64,
            shipping_minor: Option<i64>,
            tax_minor: Option<i64>,
        }
        let head: Option<Head> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_optional(p).await)?;
        let head = head.ok_or(StoreError::NotFound { entity: "order", id: id.to_string() })?;
        let lines = lens.items(id);
        let items: Vec<OrderItem> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&lines.text), &lines.params).fetch_all(p).await)?;
        Ok(OrderDetail {
            order: head.order,
            subtotal_minor: head.subtotal_minor,
            shipping_minor: head.shipping_minor,
            tax_minor: head.tax_minor,
            items,
            next: Vec::new(),
            refundable: false,
            cancellable: false,
            awaiting_payment: None,
        })
    }

    /// The Stripe payment page a pending order waits on (an order taken by
    /// hand), if it is one: its latest Stripe payment, made through a page or
    /// still waiting for one.
    pub async fn awaiting_payment(&self, order_id: Uuid) -> Result<Option<AwaitingPayment>, StoreError> {
        let sql = "SELECT status, checkout_url, checkout_expires_at, failure_reason FROM payments \
                   WHERE order_id = $1 AND provider = 'stripe' AND deleted_at IS NULL \
                   AND (provider_payment_id IS NULL OR checkout_session_id IS NOT NULL) \
                   ORDER BY created_at DESC, id DESC LIMIT 1";
        #[derive(sqlx::FromRow)]
        struct Last {
            status: String,
            checkout_url: Option<String>,
            checkout_expires_at: Option<Timestamp>,
            failure_reason: Option<String>,
        }
        let row: Option<Last> = with_pool!(&self.db, |p| sqlx::query_as(sql).bind(order_id).fetch_optional(p).await)?;
        let Some(Last { status, checkout_url: url, checkout_expires_at: expires_at, failure_reason: problem }) = row
        else {
            return Ok(None);
        };
        let now = Timestamp::now();
        let state = match (status.as_str(), &url, expires_at) {
            ("requires_payment", None, _) => LinkState::NotSent,
            ("requires_payment", Some(_), Some(at)) if at > now => LinkState::Waiting,
            ("requires_payment" | "cancelled", ..) => LinkState::Expired,
            ("processing", ..) => LinkState::Processing,
            ("failed", ..) => LinkState::Failed,
            _ => return Ok(None),
        };
        Ok(Some(AwaitingPayment { state, url, expires_at, problem }))
    }

    /// The id of the order numbered `number` (any case), if there is one.
    pub async fn order_id_by_number(&self, number: &str) -> Result<Option<Uuid>, StoreError> {
        let sql = "SELECT id FROM orders WHERE number = $1 AND deleted_at IS NULL";
        let number = number.trim().to_ascii_uppercase();
        Ok(with_pool!(&self.db, |p| sqlx::query_scalar(sql).bind(&number).fetch_optional(p).await)?)
    }

    /// Records a paid order: takes the stock of every line and writes the order
    /// and its items in one transaction. A blocked customer's order is refused,
    /// and so is a line of a suspended vendor's product. If any line fails (unknown variant, other
    /// currency, not enough stock) nothing at all is written.
    pub async fn place_order(&self, new: &NewOrder) -> Result<OrderDetail, StoreError> {
        if new.lines.is_empty() {
            return Err(StoreError::Validation("an order needs at least one line".into()));
        }
        if new.lines.iter().any(|(_, q)| *q <= 0) {
            return Err(StoreError::Validation("every line needs a quantity of at least 1".into()));
        }
        if new.shipping_minor < 0 || new.commission_bps > 10_000 {
            return Err(StoreError::Validation("shipping cannot be negative and commission is at most 100%".into()));
        }
        let id = new_id();
        let now = Timestamp::now();
        let number = format!("MD-{}", &id.simple().to_string()[20..].to_uppercase());
        let mut tx = self.begin_write_tx().await?;
        let buyer: Option<(String, String, String)> = with_tx!(&mut tx, |c| sqlx::query_as(
            "SELECT role, status, display_name FROM users WHERE id = $1 AND deleted_at IS NULL"
        )
        .bind(new.customer_id)
        .fetch_optional(&mut *c)
        .await)?;
        match buyer {
            None => return Err(StoreError::NotFound { entity: "customer", id: new.customer_id.to_string() }),
            Some((role, _, name)) if role != "customer" => {
                return Err(StoreError::Validation(format!("{name} is not a customer: only customers place orders")));
            }
            Some((_, status, name)) if status == CustomerStatus::Blocked.user_status() => {
                return Err(StoreError::Validation(format!(
                    "{name} is blocked: their new orders are refused until the block is lifted"
                )));
            }
            Some(_) => {}
        }
        let mut lines = Vec::with_capacity(new.lines.len());
        for (variant_id, qty) in &new.lines {
            let v: Option<PricedVariant> = with_tx!(&mut tx, |c| sqlx::query_as(
                "SELECT v.id, p.vendor_id, v.sku, p.name AS product_name, v.price_minor, v.currency \
                 FROM product_variants v JOIN products p ON p.id = v.product_id \
                 WHERE v.id = $1 AND v.deleted_at IS NULL AND p.deleted_at IS NULL",
            )
            .bind(variant_id)
            .fetch_optional(&mut *c)
            .await)?;
            let v = v.ok_or(StoreError::NotFound { entity: "product variant", id: variant_id.to_string() })?;
            let seller: Option<String> =
                with_tx!(&mut tx, |c| sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
                    .bind(v.vendor_id)
                    .fetch_optional(&mut *c)
                    .await)?;
            if seller.as_deref() == Some("suspended") {
                return Err(StoreError::Validation(format!(
                    "SKU {} is sold by a suspended vendor: their products are hidden until they are reactivated",
                    v.sku
                )));
            }
            if v.currency != new.currency {
                return Err(StoreError::Validation(format!(
                    "SKU {} is priced in {}, the order is in {}",
                    v.sku, v.currency, new.currency
                )));
            }
            lines.push((v, *qty));
        }
        let subtotal: i64 = lines.iter().map(|(v, q)| v.price_minor * i64::from(*q)).sum();
        let total = subtotal + new.shipping_minor;
        // The sales rollups count an order when it becomes sold: on PostgreSQL
        // also when a line is written into an order already paid; SQLite's
        // only when the status changes, so there the order enters pending and
        // is moved to paid once its lines are in.
        let sqlite = matches!(tx, WriteTx::Sqlite(_));
        let status = if sqlite { "pending" } else { "paid" };
        with_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO orders (id, number, customer_id, status, currency, subtotal_minor, shipping_minor, tax_minor, discount_minor, \
             total_minor, placed_at, paid_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $9, $4, $5, $6, 0, 0, $7, $8, $8, 1, $8, $8)",
        )
        .bind(id)
        .bind(&number)
        .bind(new.customer_id)
        .bind(new.currency)
        .bind(subtotal)
        .bind(new.shipping_minor)
        .bind(total)
        .bind(now)
        .bind(status)
        .execute(&mut *c)
        .await.map(|_| ()))
        .map_err(|e| StoreError::from_write("order", e))?;
        for (v, qty) in &lines {
            let line_total = v.price_minor * i64::from(*qty);
            with_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO order_items (id, order_id, vendor_id, product_id, variant_id, sku, product_name, quantity, unit_price_minor, \
                 currency, subtotal_minor, tax_minor, commission_bps, commission_minor, status, refunded_quantity, version, created_at, updated_at) \
                 SELECT $1, $2, $3, v.product_id, v.id, $4, $5, $6, $7, $8, $9, 0, $10, $11, 'paid', 0, 1, $12, $12 \
                 FROM product_variants v WHERE v.id = $13",
            )
            .bind(new_id())
            .bind(id)
            .bind(v.vendor_id)
            .bind(&v.sku)
            .bind(&v.product_name)
            .bind(qty)
            .bind(v.price_minor)
            .bind(new.currency)
            .bind(line_total)
            .bind(i32::try_from(new.commission_bps).unwrap_or(10_000))
            .bind(apply_bps(line_total, new.commission_bps))
            .bind(now)
            .bind(v.id)
            .execute(&mut *c)
            .await.map(|_| ()))
            .map_err(|e| StoreError::from_write("order item", e))?;
        }
        for (v, qty) in &lines {
            let mut sold = NewMovement::on_hand(new_id(), v.id, StockMovementKind::Sold, -*qty);
            sold.order = Some(id);
            record_movement_in(&mut tx, &sold).await.map_err(|e| match e {
                StoreError::Validation(_) => {
                    StoreError::Validation(format!("not enough stock of SKU {} for {qty} units", v.sku))
                }
                other => other,
            })?;
        }
        if sqlite {
            with_tx!(&mut tx, |c| sqlx::query("UPDATE orders SET status = 'paid' WHERE id = $1")
                .bind(id)
                .execute(&mut *c)
                .await
                .map(|_| ()))?;
        }
        tx.commit().await?;
        self.order(&OrderLens::Full, id).await
    }
}
