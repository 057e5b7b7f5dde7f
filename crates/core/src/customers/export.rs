//! Everything the marketplace holds about one customer, for a request to see
//! it: the record, every address (retired ones too), orders with their lines,
//! payments, refunds, disputes with their threads, reviews, and staff notes.
//! As one JSON document, or as a folder of CSV files (one per section, with
//! the JSON document beside them). Admins only.

use super::addresses::{Address, addresses_of};
use super::list::Customer;
use super::may_keep;
use super::notes::{CustomerNote, notes_of};
use super::profile::{LifetimeValue, customer_profile, lifetime_of};
use crate::documents::spreadsheet::{Cell, ExportFormat, SheetError, Sink};
use crate::domain::{Currency, Timestamp};
use crate::orders::view::Reader;
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// An order of the customer's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportOrder {
    /// Order number.
    pub number: String,
    /// Where it stands.
    pub status: String,
    /// Its currency.
    pub currency: Currency,
    /// Goods, minor units.
    pub subtotal_minor: i64,
    /// Shipping.
    pub shipping_minor: i64,
    /// Tax.
    pub tax_minor: i64,
    /// Discount.
    pub discount_minor: i64,
    /// What was charged.
    pub total_minor: i64,
    /// When it was placed.
    pub placed_at: Timestamp,
}

/// A line of one of the customer's orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportLine {
    /// The order's number.
    pub order_number: String,
    /// SKU bought.
    pub sku: String,
    /// Product name at the time.
    pub product_name: String,
    /// Units.
    pub quantity: i64,
    /// Price per unit, minor units.
    pub unit_price_minor: i64,
    /// Units given back.
    pub refunded_quantity: i64,
    /// Where the line stands.
    pub status: String,
}

/// A payment or a refund on one of the customer's orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportMoney {
    /// The order's number.
    pub order_number: String,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: Currency,
    /// Where it stands.
    pub status: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// A dispute about one of the customer's orders, with its thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportDispute {
    /// The order's number.
    pub order_number: String,
    /// What it was about.
    pub kind: String,
    /// Where it stands.
    pub status: String,
    /// How it ended.
    pub resolution: Option<String>,
    /// One-line subject.
    pub subject: String,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// The thread, oldest first (`[internal]` marks staff notes).
    #[sqlx(skip)]
    pub messages: Vec<String>,
    /// Row id.
    pub id: Uuid,
}

/// A review the customer wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportReview {
    /// The product's name.
    pub product_name: String,
    /// 1 to 5.
    pub rating: i64,
    /// Title.
    pub title: Option<String>,
    /// Text.
    pub body: Option<String>,
    /// Moderation state.
    pub status: String,
    /// When it was written.
    pub created_at: Timestamp,
}

/// Everything held about one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomerExport {
    /// When the export was made.
    pub generated_at: Timestamp,
    /// The record.
    pub customer: Customer,
    /// Every address, retired ones too.
    pub addresses: Vec<Address>,
    /// Spent and refunded per currency.
    pub lifetime: Vec<LifetimeValue>,
    /// Orders, oldest first.
    pub orders: Vec<ExportOrder>,
    /// Their lines.
    pub lines: Vec<ExportLine>,
    /// Payments.
    pub payments: Vec<ExportMoney>,
    /// Refunds.
    pub refunds: Vec<ExportMoney>,
    /// Disputes with their threads.
    pub disputes: Vec<ExportDispute>,
    /// Reviews written.
    pub reviews: Vec<ExportReview>,
    /// Staff notes.
    pub notes: Vec<CustomerNote>,
}

/// Gathers everything held about customer `id`, for `reader` (an admin).
pub async fn export_customer(store: &Store, reader: Reader, id: Uuid) -> Result<CustomerExport, StoreError> {
    may_keep(reader, "export a customer's data")?;
    let customer = customer_profile(store, reader, id).await?.customer;
    let of = "JOIN orders o ON o.id = x.order_id WHERE o.customer_id = $1 AND x.deleted_at IS NULL";
    let orders_sql = "SELECT number, status, currency, subtotal_minor, shipping_minor, tax_minor, discount_minor, \
                      total_minor, placed_at FROM orders WHERE customer_id = $1 ORDER BY placed_at, id";
    let orders: Vec<ExportOrder> = with_pool!(&store.db, |p| sqlx::query_as(orders_sql).bind(id).fetch_all(p).await)?;
    let lines_sql = format!(
        "SELECT o.number AS order_number, x.sku, x.product_name, CAST(x.quantity AS bigint) AS quantity, \
         x.unit_price_minor, CAST(x.refunded_quantity AS bigint) AS refunded_quantity, x.status \
         FROM order_items x {of} ORDER BY o.placed_at, o.id, x.created_at, x.id"
    );
    let lines: Vec<ExportLine> = with_pool!(&store.db, |p| sqlx::query_as(&lines_sql).bind(id).fetch_all(p).await)?;
    let money = |table: &str| {
        format!(
            "SELECT o.number AS order_number, x.amount_minor, x.currency, x.status, x.created_at \
             FROM {table} x {of} ORDER BY x.created_at, x.id"
        )
    };
    let (payments_sql, refunds_sql) = (money("payments"), money("refunds"));
    let payments: Vec<ExportMoney> =
        with_pool!(&store.db, |p| sqlx::query_as(&payments_sql).bind(id).fetch_all(p).await)?;
    let refunds: Vec<ExportMoney> =
        with_pool!(&store.db, |p| sqlx::query_as(&refunds_sql).bind(id).fetch_all(p).await)?;
    let disputes_sql = format!(
        "SELECT x.id, o.number AS order_number, x.kind, x.status, x.resolution, x.subject, x.opened_at \
         FROM disputes x {of} ORDER BY x.opened_at, x.id"
    );
    let mut disputes: Vec<ExportDispute> =
        with_pool!(&store.db, |p| sqlx::query_as(&disputes_sql).bind(id).fetch_all(p).await)?;
    for d in &mut disputes {
        d.messages = store
            .dispute_messages(d.id)
            .await?
            .into_iter()
            .map(|m| {
                let mark = if m.is_internal { "[internal] " } else { "" };
                format!("{} {}{}: {}", m.created_at.to_text(), mark, m.author_name, m.body)
            })
            .collect();
    }
    let reviews_sql = "SELECT coalesce((SELECT p.name FROM products p WHERE p.id = r.product_id), '') AS product_name, \
                       CAST(r.rating AS bigint) AS rating, r.title, r.body, r.status, r.created_at \
                       FROM product_reviews r WHERE r.customer_id = $1 AND r.deleted_at IS NULL ORDER BY r.created_at, r.id";
    let reviews: Vec<ExportReview> =
        with_pool!(&store.db, |p| sqlx::query_as(reviews_sql).bind(id).fetch_all(p).await)?;
    Ok(CustomerExport {
        generated_at: Timestamp::now(),
        customer,
        addresses: addresses_of(store, id, true).await?,
        lifetime: lifetime_of(store, id).await?,
        orders,
        lines,
        payments,
        refunds,
        disputes,
        reviews,
        notes: notes_of(store, id).await?,
    })
}

fn sheet(dir: &Path, name: &str, header: &[&str], rows: Vec<Vec<Cell<'_>>>) -> Result<PathBuf, SheetError> {
    let path = dir.join(format!("{name}.csv"));
    let file = std::fs::File::create(&path).map_err(|e| SheetError(format!("{}: {e}", path.display())))?;
    let mut sink = Sink::open(ExportFormat::Csv, file)?;
    sink.header(header, &[])?;
    for row in rows {
        sink.row(&row)?;
    }
    sink.finish()?;
    Ok(path)
}

fn text(t: &Option<String>) -> Cell<'_> {
    t.as_deref().map_or(Cell::Empty, Cell::Text)
}

/// Writes `export` into the folder `dir` (made if missing): `customer.json`
/// and one CSV file per section. Returns the files written.
pub fn write_export_folder(export: &CustomerExport, dir: &Path) -> Result<Vec<PathBuf>, SheetError> {
    std::fs::create_dir_all(dir).map_err(|e| SheetError(format!("{}: {e}", dir.display())))?;
    let json = dir.join("customer.json");
    let body = serde_json::to_vec_pretty(export).map_err(|e| SheetError(e.to_string()))?;
    std::fs::write(&json, body).map_err(|e| SheetError(format!("{}: {e}", json.display())))?;
    let mut files = vec![json];
    files.push(sheet(
        dir,
        "addresses",
        &[
            "label",
            "recipient",
            "line1",
            "line2",
            "city",
            "region",
            "postcode",
            "country",
            "default",
            "added",
            "retired",
        ],
        export
            .addresses
            .iter()
            .map(|a| {
                vec![
                    Cell::Text(&a.label),
                    Cell::Text(&a.recipient_name),
                    Cell::Text(&a.line1),
                    text(&a.line2),
                    Cell::Text(&a.city),
                    text(&a.region),
                    Cell::Text(&a.postal_code),
                    Cell::Text(&a.country),
                    Cell::Text(if a.is_default { "yes" } else { "no" }),
                    Cell::Time(a.created_at),
                    a.retired_at.map_or(Cell::Empty, Cell::Time),
                ]
            })
            .collect(),
    )?);
    files.push(sheet(
        dir,
        "orders",
        &["number", "status", "currency", "subtotal", "shipping", "tax", "discount", "total", "placed"],
        export
            .orders
            .iter()
            .map(|o| {
                vec![
                    Cell::Text(&o.number),
                    Cell::Text(&o.status),
                    Cell::Text(o.currency.as_str()),
                    Cell::Money(o.subtotal_minor),
                    Cell::Money(o.shipping_minor),
                    Cell::Money(o.tax_minor),
                    Cell::Money(o.discount_minor),
                    Cell::Money(o.total_minor),
                    Cell::Time(o.placed_at),
                ]
            })
            .collect(),
    )?);
    files.push(sheet(
        dir,
        "order_lines",
        &["order", "sku", "product", "quantity", "unit_price", "refunded_quantity", "status"],
        export
            .lines
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(&l.order_number),
                    Cell::Text(&l.sku),
                    Cell::Text(&l.product_name),
                    Cell::Count(l.quantity),
                    Cell::Money(l.unit_price_minor),
                    Cell::Count(l.refunded_quantity),
                    Cell::Text(&l.status),
                ]
            })
            .collect(),
    )?);
    for (name, rows) in [("payments", &export.payments), ("refunds", &export.refunds)] {
        files.push(sheet(
            dir,
            name,
            &["order", "amount", "currency", "status", "made"],
            rows.iter()
                .map(|m| {
                    vec![
                        Cell::Text(&m.order_number),
                        Cell::Money(m.amount_minor),
                        Cell::Text(m.currency.as_str()),
                        Cell::Text(&m.status),
                        Cell::Time(m.created_at),
                    ]
                })
                .collect(),
        )?);
    }
    let threads: Vec<String> = export.disputes.iter().map(|d| d.messages.join("\n")).collect();
    files.push(sheet(
        dir,
        "disputes",
        &["order", "kind", "status", "resolution", "subject", "opened", "thread"],
        export
            .disputes
            .iter()
            .zip(&threads)
            .map(|(d, thread)| {
                vec![
                    Cell::Text(&d.order_number),
                    Cell::Text(&d.kind),
                    Cell::Text(&d.status),
                    text(&d.resolution),
                    Cell::Text(&d.subject),
                    Cell::Time(d.opened_at),
                    Cell::Text(thread),
                ]
            })
            .collect(),
    )?);
    files.push(sheet(
        dir,
        "reviews",
        &["product", "rating", "title", "body", "status", "written"],
        export
            .reviews
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(&r.product_name),
                    Cell::Count(r.rating),
                    text(&r.title),
                    text(&r.body),
                    Cell::Text(&r.status),
                    Cell::Time(r.created_at),
                ]
            })
            .collect(),
    )?);
    files.push(sheet(
        dir,
        "notes",
        &["written", "by", "note"],
        export
            .notes
            .iter()
            .map(|n| vec![Cell::Time(n.created_at), Cell::Text(&n.author_name), Cell::Text(&n.body)])
            .collect(),
    )?);
    Ok(files)
}
