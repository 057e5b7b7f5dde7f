//! The order facets (payment, fulfilment, refunds, disputes) on both engines:
//! each state lists exactly the orders the raw payments, shipments, refunds
//! and disputes put in it, the states of a dimension split the orders with no
//! overlap, and facets combine with each other and with the status filter.

use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::{DisputeState, FulfilmentState, OrderStatus, PaymentState, RefundState, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::{PageRequest, SortDir};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

on_both_engines!(each_state_lists_the_orders_its_rows_put_there);

/// What the raw rows say about one order.
#[derive(Default)]
struct Rows {
    status: String,
    total: i64,
    payments: Vec<String>,
    shipments: Vec<String>,
    refunds: Vec<(String, i64)>,
    disputes: Vec<String>,
}

impl Rows {
    fn payment(&self) -> PaymentState {
        if self.payments.iter().any(|s| s == "succeeded") {
            PaymentState::Paid
        } else if self.payments.iter().any(|s| s == "failed" || s == "cancelled") {
            PaymentState::Failed
        } else {
            PaymentState::Unpaid
        }
    }
    fn fulfilment(&self) -> FulfilmentState {
        let live: Vec<&String> = self.shipments.iter().filter(|s| *s != "cancelled").collect();
        if live.is_empty() {
            FulfilmentState::Unfulfilled
        } else if live.iter().any(|s| *s == "exception" || *s == "returned") {
            FulfilmentState::Problem
        } else if live.iter().all(|s| *s == "delivered") {
            FulfilmentState::Delivered
        } else {
            FulfilmentState::InProgress
        }
    }
    fn refund(&self) -> RefundState {
        let done: Vec<i64> = self.refunds.iter().filter(|r| r.0 == "succeeded").map(|r| r.1).collect();
        if done.is_empty() {
            RefundState::NotRefunded
        } else if done.iter().sum::<i64>() >= self.total {
            RefundState::FullyRefunded
        } else {
            RefundState::PartlyRefunded
        }
    }
    fn dispute(&self) -> DisputeState {
        if self.disputes.is_empty() {
            DisputeState::Undisputed
        } else if self.disputes.iter().any(|s| s != "resolved" && s != "closed") {
            DisputeState::Open
        } else {
            DisputeState::Settled
        }
    }
}

async fn rows(store: &Store) -> BTreeMap<Uuid, Rows> {
    let mut out: BTreeMap<Uuid, Rows> = BTreeMap::new();
    let orders: Vec<(Uuid, String, i64)> =
        fetch_all!(store, "SELECT id, status, total_minor FROM orders WHERE deleted_at IS NULL");
    for (id, status, total) in orders {
        out.insert(id, Rows { status, total, ..Rows::default() });
    }
    let live = |table: &str| format!("SELECT order_id, status FROM {table} WHERE deleted_at IS NULL");
    let payments: Vec<(Uuid, String)> = fetch_all!(store, &live("payments"));
    let shipments: Vec<(Uuid, String)> = fetch_all!(store, &live("shipments"));
    let disputes: Vec<(Uuid, String)> = fetch_all!(store, &live("disputes"));
    let refunds: Vec<(Uuid, String, i64)> =
        fetch_all!(store, "SELECT order_id, status, amount_minor FROM refunds WHERE deleted_at IS NULL");
    for (o, s) in payments {
        if let Some(r) = out.get_mut(&o) {
            r.payments.push(s);
        }
    }
    for (o, s) in shipments {
        if let Some(r) = out.get_mut(&o) {
            r.shipments.push(s);
        }
    }
    for (o, s) in disputes {
        if let Some(r) = out.get_mut(&o) {
            r.disputes.push(s);
        }
    }
    for (o, s, a) in refunds {
        if let Some(r) = out.get_mut(&o) {
            r.refunds.push((s, a));
        }
    }
    out
}

async fn listed(store: &Store, filter: &OrderFilter) -> BTreeSet<Uuid> {
    let mut out = BTreeSet::new();
    let mut page = PageRequest { sort: OrderSort::Total, dir: SortDir::Asc, after: None, limit: 500 };
    loop {
        let got = store.list_orders(&OrderLens::Full, filter, &page).await.expect("a page of orders");
        out.extend(got.items.iter().map(|o| o.id));
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => return out,
        }
    }
}

fn expected(rows: &BTreeMap<Uuid, Rows>, keep: impl Fn(&Rows) -> bool) -> BTreeSet<Uuid> {
    rows.iter().filter(|(_, r)| keep(r)).map(|(id, _)| *id).collect()
}

async fn each_state_lists_the_orders_its_rows_put_there(store: &Store) {
    let mut o = SeedOptions::new(400);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
    let rows = rows(store).await;
    let none = OrderFilter::default;

    let mut seen = 0;
    for s in PaymentState::ALL {
        let got = listed(store, &OrderFilter { payment: vec![*s], ..none() }).await;
        assert_eq!(got, expected(&rows, |r| r.payment() == *s), "payment {s}");
        seen += got.len();
    }
    assert_eq!(seen, rows.len(), "every order is in exactly one payment state");
    let mut seen = 0;
    for s in FulfilmentState::ALL {
        let got = listed(store, &OrderFilter { fulfilment: vec![*s], ..none() }).await;
        assert_eq!(got, expected(&rows, |r| r.fulfilment() == *s), "fulfilment {s}");
        seen += got.len();
    }
    assert_eq!(seen, rows.len(), "every order is in exactly one fulfilment state");
    let mut seen = 0;
    for s in RefundState::ALL {
        let got = listed(store, &OrderFilter { refund: vec![*s], ..none() }).await;
        assert_eq!(got, expected(&rows, |r| r.refund() == *s), "refund {s}");
        seen += got.len();
    }
    assert_eq!(seen, rows.len(), "every order is in exactly one refund state");
    let mut seen = 0;
    for s in DisputeState::ALL {
        let got = listed(store, &OrderFilter { dispute: vec![*s], ..none() }).await;
        assert_eq!(got, expected(&rows, |r| r.dispute() == *s), "dispute {s}");
        seen += got.len();
    }
    assert_eq!(seen, rows.len(), "every order is in exactly one dispute state");

    // The seed reaches enough states for the comparisons above to mean something.
    let kinds = |f: fn(&Rows) -> &'static str| rows.values().map(f).collect::<BTreeSet<_>>().len();
    assert!(kinds(|r| r.fulfilment().as_str()) >= 3, "the seed ships, delivers and leaves orders unshipped");
    assert!(kinds(|r| r.refund().as_str()) >= 2, "the seed refunds some orders");
    assert!(kinds(|r| r.dispute().as_str()) >= 2, "the seed disputes some orders");

    // Several states of one dimension are any of them; dimensions and statuses all apply.
    let combined = OrderFilter {
        statuses: vec![OrderStatus::Delivered, OrderStatus::PartiallyRefunded, OrderStatus::Disputed],
        payment: vec![PaymentState::Paid],
        fulfilment: vec![FulfilmentState::Delivered, FulfilmentState::Problem],
        refund: vec![RefundState::NotRefunded, RefundState::PartlyRefunded],
        ..none()
    };
    let want = expected(&rows, |r| {
        ["delivered", "partially_refunded", "disputed"].contains(&r.status.as_str())
            && r.payment() == PaymentState::Paid
            && matches!(r.fulfilment(), FulfilmentState::Delivered | FulfilmentState::Problem)
            && matches!(r.refund(), RefundState::NotRefunded | RefundState::PartlyRefunded)
    });
    assert!(!want.is_empty(), "the combination picks some orders");
    assert_eq!(listed(store, &combined).await, want);
}
