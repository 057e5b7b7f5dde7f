//! `orders`: the orders list as the desktop shows it — searched by number or
//! customer, filtered by status, payment, parcels, refunds and disputes — for
//! the operator, or as a named person sees it (`--as`).

use super::Result;
use crate::format::format_minor;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::domain::{DisputeState, FulfilmentState, OrderStatus, PaymentState, RefundState, Role};
use marketdesk_core::orders::list::orders_for;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::{PageRequest, SortDir};
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
}

/// A stored enum's text, for clap.
pub(crate) fn parsed<T: std::str::FromStr<Err = marketdesk_core::domain::status::UnknownValue>>(
    s: &str,
) -> std::result::Result<T, String> {
    s.trim().parse::<T>().map_err(|e| e.to_string())
}

pub async fn run(loc: &Location, action: OrdersAction) -> Result<ExitCode> {
    let OrdersAction::List { search, status, payment, fulfilment, refund, dispute, r#as, limit } = action;
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
