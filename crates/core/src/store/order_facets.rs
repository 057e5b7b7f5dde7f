//! The order facets of [`crate::domain::order_facets`] as SQL: one condition
//! per state over the order's payments, shipments, refunds and disputes, each
//! a correlated `EXISTS` served by the `order_id` indexes. Appended after
//! [`OrderLens::select`], they read its derived table `o`; for a vendor they
//! count only the vendor's own parcels, refunds and disputes, on either engine.

use super::order_lens::OrderLens;
use super::sql::{Param, Sql};
use crate::domain::{DisputeState, FulfilmentState, PaymentState, RefundState};

/// The chosen states of each dimension (empty: any state).
pub(crate) struct Facets<'a> {
    pub payment: &'a [PaymentState],
    pub fulfilment: &'a [FulfilmentState],
    pub refund: &'a [RefundState],
    pub dispute: &'a [DisputeState],
}

const PAID: &str =
    "EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.deleted_at IS NULL AND p.status = 'succeeded')";
const PAYMENT_FAILED: &str = "EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.deleted_at IS NULL \
     AND p.status IN ('failed', 'cancelled'))";

/// Appends `AND (state OR state …)` for every dimension with chosen states.
pub(crate) fn push_facets(sql: &mut Sql, lens: &OrderLens, facets: &Facets<'_>) {
    any_of(sql, facets.payment, |sql, state| {
        match state {
            PaymentState::Paid => sql.push(PAID),
            PaymentState::Failed => sql.push(&format!("NOT {PAID} AND {PAYMENT_FAILED}")),
            PaymentState::Unpaid => sql.push(&format!("NOT {PAID} AND NOT {PAYMENT_FAILED}")),
        };
    });
    any_of(sql, facets.fulfilment, |sql, state| {
        let live = |sql: &mut Sql, more: &str| {
            sql.push("EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.deleted_at IS NULL AND s.status <> 'cancelled'");
            if let OrderLens::Vendor(v) = lens {
                sql.push(" AND s.vendor_id = ").bind(Param::Uuid(*v));
            }
            sql.push(more).push(")");
        };
        let problem = " AND s.status IN ('exception', 'returned')";
        match state {
            FulfilmentState::Unfulfilled => {
                sql.push("NOT ");
                live(sql, "");
            }
            FulfilmentState::Problem => live(sql, problem),
            FulfilmentState::Delivered => {
                live(sql, "");
                sql.push(" AND NOT ");
                live(sql, " AND s.status <> 'delivered'");
            }
            FulfilmentState::InProgress => {
                live(sql, " AND s.status <> 'delivered'");
                sql.push(" AND NOT ");
                live(sql, problem);
            }
        }
    });
    any_of(sql, facets.refund, |sql, state| {
        let refunds = |sql: &mut Sql| {
            sql.push(" FROM refunds r WHERE r.order_id = o.id AND r.deleted_at IS NULL AND r.status = 'succeeded'");
            if let OrderLens::Vendor(v) = lens {
                sql.push(" AND r.order_item_id IN (SELECT i.id FROM order_items i WHERE i.order_id = o.id AND i.vendor_id = ")
                    .bind(Param::Uuid(*v))
                    .push(")");
            }
        };
        match state {
            RefundState::NotRefunded => {
                sql.push("NOT EXISTS (SELECT 1");
                refunds(sql);
                sql.push(")");
            }
            RefundState::PartlyRefunded | RefundState::FullyRefunded => {
                sql.push("EXISTS (SELECT 1");
                refunds(sql);
                sql.push(") AND (SELECT coalesce(sum(r.amount_minor), 0)");
                refunds(sql);
                sql.push(if state == RefundState::FullyRefunded { ") >= o.total_minor" } else { ") < o.total_minor" });
            }
        }
    });
    any_of(sql, facets.dispute, |sql, state| {
        let disputes = |sql: &mut Sql, more: &str| {
            sql.push("EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id AND d.deleted_at IS NULL");
            if let OrderLens::Vendor(v) = lens {
                sql.push(" AND d.vendor_id = ").bind(Param::Uuid(*v));
            }
            sql.push(more).push(")");
        };
        let settled = " AND d.status IN ('resolved', 'closed')";
        let open = " AND d.status NOT IN ('resolved', 'closed')";
        match state {
            DisputeState::Undisputed => {
                sql.push("NOT ");
                disputes(sql, "");
            }
            DisputeState::Open => disputes(sql, open),
            DisputeState::Settled => {
                disputes(sql, settled);
                sql.push(" AND NOT ");
                disputes(sql, open);
            }
        }
    });
}

/// `AND ((c1) OR (c2) …)` over the chosen states; nothing when none is chosen.
fn any_of<T: Copy>(sql: &mut Sql, states: &[T], mut condition: impl FnMut(&mut Sql, T)) {
    if states.is_empty() {
        return;
    }
    sql.push(" AND (");
    for (n, state) in states.iter().enumerate() {
        sql.push(if n == 0 { "(" } else { " OR (" });
        condition(sql, *state);
        sql.push(")");
    }
    sql.push(")");
}
