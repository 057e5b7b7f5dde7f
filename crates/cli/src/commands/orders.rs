//! `orders`: the orders list as the desktop shows it — searched by number or
//! customer, filtered by status, payment, parcels, refunds and disputes — for
//! the operator, or as a named person sees it (`--as`).

use super::Result;
use crate::format::format_minor;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::domain::{DisputeState, FulfilmentState, OrderStatus, PaymentState, RefundState, Role};
use marketdesk_core::orders::cancel::{CancelOrder, CancelReason, cancel_order};
use marketdesk_core::orders::list::orders_for;
use marketdesk_core::orders::status::move_order;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::{PageRequest, SortDir, StoreError};
use std::process::ExitCode;
use uuid::Uuid;

/// What `orders` does.
#[derive(Debug, Subcommand)]
pub enum OrdersAction {
    /// Orders, newest first: number, placed, status, total, customer.
    List {
        /// An order number (or its start) or words of the customer's name or e-mail.
        #[arg(long)]
        search: Option<String>,
        /// Only these statuses (comma-separated: paid,shipped).
        #[arg(long, value_delimiter = ',', value_parser = parsed::<OrderStatus>)]
        status: Vec<OrderStatus>,
        /// Only these payment states (paid, unpaid, failed).
        #[arg(long, value_delimiter = ',', value_parser = parsed::<PaymentState>)]
        payment: Vec<PaymentState>,
        /// Only these parcel states (unfulfilled, in_progress, delivered, problem).
        #[arg(long, value_delimiter = ',', value_parser = parsed::<FulfilmentState>)]
        fulfilment: Vec<FulfilmentState>,
        /// Only these refund states (not_refunded, partly_refunded, fully_refunded).
        #[arg(long, value_delimiter = ',', value_parser = parsed::<RefundState>)]
        refund: Vec<RefundState>,
        /// Only these dispute states (undisputed, open, settled).
        #[arg(long, value_delimiter = ',', value_parser = parsed::<DisputeState>)]
        dispute: Vec<DisputeState>,
        /// List as this person sees orders (username, e-mail or id); default: everything.
        #[arg(long = "as")]
        r#as: Option<String>,
        /// How many orders to show (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Moves an order one step on (processing, shipped, delivered …) as a person whose role makes that move.
    Move {
        /// The order number (MD-…).
        number: String,
        /// The status to move it to.
        #[arg(value_parser = parsed::<OrderStatus>)]
        to: OrderStatus,
        /// Who makes the move (username, e-mail or id): an admin or logistics.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Takes an order by hand for a customer (phone, e-mail): units held, a Stripe payment link mailed.
    Take(super::manual_orders::TakeArgs),
    /// Mails the payment link of a pending order taken by hand again (a new one once it expired).
    PaymentLink {
        /// The order number (MD-…).
        number: String,
        /// Who sends it (username, e-mail or id): an admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Cancels an order, or one vendor's part of it: units back on the shelf, the buyer and vendors mailed.
    Cancel {
        /// The order number (MD-…).
        number: String,
        /// Why: customer_request, out_of_stock, suspected_fraud, payment_problem, duplicate, other.
        #[arg(long, value_parser = parsed::<CancelReason>)]
        reason: CancelReason,
        /// Only this vendor's lines (username, e-mail or id).
        #[arg(long)]
        vendor: Option<String>,
        /// More words (required with --reason other).
        #[arg(long, default_value = "")]
        note: String,
        /// Who cancels (username, e-mail or id): an admin.
        #[arg(long = "as")]
        r#as: String,
    },
}

/// A stored enum's text, for clap.
pub(crate) fn parsed<T: std::str::FromStr<Err = marketdesk_core::domain::status::UnknownValue>>(
    s: &str,
) -> std::result::Result<T, String> {
    s.trim().parse::<T>().map_err(|e| e.to_string())
}

pub async fn run(loc: &Location, action: OrdersAction) -> Result<ExitCode> {
    let (search, status, payment, fulfilment, refund, dispute, r#as, limit) = match action {
        OrdersAction::List { search, status, payment, fulfilment, refund, dispute, r#as, limit } => {
            (search, status, payment, fulfilment, refund, dispute, r#as, limit)
        }
        OrdersAction::Move { number, to, r#as } => return move_one(loc, &number, to, &r#as).await,
        OrdersAction::Take(args) => return super::manual_orders::take(loc, args).await,
        OrdersAction::PaymentLink { number, r#as } => {
            return super::manual_orders::payment_link(loc, &number, &r#as).await;
        }
        OrdersAction::Cancel { number, reason, vendor, note, r#as } => {
            return cancel(loc, &number, reason, vendor.as_deref(), note, &r#as).await;
        }
    };
    let store = location::open(loc, false).await?;
    let reader = match r#as {
        Some(who) => {
            let id = person_id(&store, &who).await?;
            let user = store.user(id).await?;
            Reader { id, role: user.role }
        }
        None => Reader { id: Uuid::nil(), role: Role::Admin },
    };
    let filter =
        OrderFilter { statuses: status, search, payment, fulfilment, refund, dispute, ..OrderFilter::default() };
    let page = PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit };
    let found = orders_for(&store, reader, &filter, &page).await?;
    if found.items.is_empty() {
        println!("No orders match.");
    }
    for o in &found.items {
        let customer = match (&o.customer_email, o.customer_name.as_str()) {
            (Some(e), "") => e.clone(),
            (Some(e), n) => format!("{n} <{e}>"),
            (None, n) => n.to_owned(),
        };
        println!(
            "{:<16} {:<16} {:<18} {:>12} {}  {}",
            o.number,
            o.placed_at.as_datetime().format("%Y-%m-%d %H:%M"),
            o.status.as_str(),
            format_minor(o.total_minor),
            o.currency,
            customer
        );
    }
    if found.next_cursor.is_some() {
        println!("… more: raise --limit or narrow the search.");
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The person `who` as a reader, and the order numbered `number`.
async fn person_and_order(store: &Store, who: &str, number: &str) -> Result<(Reader, Uuid)> {
    let id = person_id(store, who).await?;
    let user = store.user(id).await?;
    let order = store
        .order_id_by_number(number)
        .await?
        .ok_or_else(|| StoreError::Validation(format!("there is no order {}", number.trim())))?;
    Ok((Reader { id, role: user.role }, order))
}

async fn move_one(loc: &Location, number: &str, to: OrderStatus, who: &str) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let (reader, order) = person_and_order(&store, who, number).await?;
    let version = store.order(&reader.lens()?, order).await?.order.version;
    move_order(&store, reader, order, version, to).await?;
    println!("{} is now {}.", number.trim().to_ascii_uppercase(), to.as_str().replace('_', " "));
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn cancel(
    loc: &Location,
    number: &str,
    reason: CancelReason,
    vendor: Option<&str>,
    note: String,
    who: &str,
) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let (reader, order) = person_and_order(&store, who, number).await?;
    let vendor_id = match vendor {
        Some(v) => Some(person_id(&store, v).await?),
        None => None,
    };
    let version = store.order(&reader.lens()?, order).await?.order.version;
    let done = cancel_order(&store, reader, &CancelOrder { order_id: order, version, vendor_id, reason, note }).await?;
    println!(
        "{}: {} line(s) cancelled, {} unit(s) back, order {}; {} mail(s) queued.",
        number.trim().to_ascii_uppercase(),
        done.lines,
        done.units,
        done.status.as_str().replace('_', " "),
        done.mails
    );
    if done.refund_due_minor > 0 {
        println!(
            "{} {} is due back to the buyer: finance refunds it from the order in the app.",
            format_minor(done.refund_due_minor),
            done.currency
        );
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
