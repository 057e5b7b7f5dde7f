//! What a reader may see of orders, which decides the columns the orders
//! queries read.
//!
//! On the server a login is refused any column its role holds no grant on, and
//! row-level security hides rows: a vendor reads no order's whole money (it
//! includes other vendors' lines) and no customer, logistics reads no e-mail
//! and no line price. So the orders queries ask each reader only for what their
//! role may read, and fill the rest with what is theirs to see (a vendor's
//! total is the sum of their own lines, the customer they know is the name on
//! the parcel). The same queries run on a local copy, so a person gets the same
//! answer offline as online.

use super::sql::{Param, Sql};
use crate::domain::Role;
use uuid::Uuid;

/// The share of orders a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderLens {
    /// Admins and finance: every order whole, the customer's e-mail included.
    Full,
    /// Logistics: every order with its total and the customer's name; no
    /// e-mail and no line prices.
    Warehouse,
    /// A vendor: the orders holding their lines, only those lines, totals of
    /// those lines, and the name on the shipping address.
    Vendor(Uuid),
}

impl OrderLens {
    /// The lens of a person with `role` whose users row is `id` (a vendor's id
    /// is their vendor id); `None` for customers, who read no orders here.
    pub fn of(role: Role, id: Uuid) -> Option<Self> {
        match role {
            Role::Admin | Role::Finance => Some(Self::Full),
            Role::Logistics => Some(Self::Warehouse),
            Role::Vendor => Some(Self::Vendor(id)),
            Role::Customer => None,
        }
    }

    /// Whether the reader sees line prices and commissions.
    pub fn sees_prices(&self) -> bool {
        !matches!(self, Self::Warehouse)
    }

    /// `SELECT o.* FROM (…) o WHERE TRUE`, where the derived table `o` holds the
    /// orders the lens shows with the columns of [`super::orders::Order`]
    /// (plus subtotal, shipping and tax when `detail`). Conditions appended
    /// after it read those columns.
    pub(crate) fn select(&self, detail: bool) -> Sql {
        let mut sql = Sql::new("SELECT o.* FROM (SELECT o.id, o.number, ");
        match self {
            Self::Full | Self::Warehouse => {
                sql.push("o.customer_id, coalesce(u.display_name, '') AS customer_name, ");
                sql.push(if *self == Self::Full { "u.email" } else { "CAST(NULL AS TEXT)" });
                sql.push(" AS customer_email, o.status, o.currency, o.total_minor, o.placed_at, o.version");
                if detail {
                    sql.push(", o.subtotal_minor, o.shipping_minor, o.tax_minor");
                }
                sql.push(" FROM orders o LEFT JOIN users u ON u.id = o.customer_id WHERE o.deleted_at IS NULL");
            }
            Self::Vendor(vendor) => {
                sql.push(
                    // The name on the parcel is read per row shown (a subquery the
                    // page's sort leaves for after the limit), not joined for
                    // every order the vendor sells in: each address passes the
                    // vendor's policy on shipping addresses.
                    "CAST(NULL AS uuid) AS customer_id, coalesce((SELECT a.recipient_name FROM shipping_addresses a \
                     WHERE a.id = o.shipping_address_id), '') AS customer_name, \
                     CAST(NULL AS TEXT) AS customer_email, o.status, o.currency, ",
                );
                own_lines_total(&mut sql, *vendor);
                sql.push(" AS total_minor, o.placed_at, o.version");
                if detail {
                    sql.push(", ");
                    own_lines_total(&mut sql, *vendor);
                    sql.push(
                        " AS subtotal_minor, CAST(NULL AS BIGINT) AS shipping_minor, CAST(NULL AS BIGINT) AS tax_minor",
                    );
                }
                sql.push(
                    " FROM orders o WHERE o.deleted_at IS NULL AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id \
                     AND i.deleted_at IS NULL AND i.vendor_id = ",
                )
                .bind(Param::Uuid(*vendor))
                .push(")");
            }
        }
        sql.push(") o WHERE TRUE");
        sql
    }

    /// The lines of order `order` the lens shows, in the order they were added,
    /// with the columns of [`super::orders::OrderItem`].
    pub(crate) fn items(&self, order: Uuid) -> Sql {
        let mut sql = Sql::new(
            "SELECT i.id, i.vendor_id, coalesce((SELECT u.display_name FROM users u WHERE u.id = i.vendor_id), '') AS vendor_name, \
             i.variant_id, i.sku, i.product_name, i.quantity, ",
        );
        sql.push(if self.sees_prices() {
            "i.unit_price_minor, i.subtotal_minor, i.commission_minor"
        } else {
            "CAST(NULL AS BIGINT) AS unit_price_minor, CAST(NULL AS BIGINT) AS subtotal_minor, \
             CAST(NULL AS BIGINT) AS commission_minor"
        });
        sql.push(" FROM order_items i WHERE i.deleted_at IS NULL AND i.order_id = ").bind(Param::Uuid(order));
        if let Self::Vendor(vendor) = self {
            sql.push(" AND i.vendor_id = ").bind(Param::Uuid(*vendor));
        }
        sql.push(" ORDER BY i.created_at, i.id");
        sql
    }
}

/// The sum of vendor's live lines of order `o`, as a BIGINT on both engines.
fn own_lines_total(sql: &mut Sql, vendor: Uuid) {
    sql.push(
        "(SELECT CAST(coalesce(sum(i.subtotal_minor), 0) AS BIGINT) FROM order_items i \
         WHERE i.order_id = o.id AND i.deleted_at IS NULL AND i.vendor_id = ",
    )
    .bind(Param::Uuid(vendor))
    .push(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_its_lens() {
        let id = Uuid::now_v7();
        assert_eq!(OrderLens::of(Role::Finance, id), Some(OrderLens::Full));
        assert_eq!(OrderLens::of(Role::Logistics, id), Some(OrderLens::Warehouse));
        assert_eq!(OrderLens::of(Role::Vendor, id), Some(OrderLens::Vendor(id)));
        assert_eq!(OrderLens::of(Role::Customer, id), None);
    }

    #[test]
    fn only_the_full_lens_reads_contacts_and_the_warehouse_reads_no_price() {
        let id = Uuid::now_v7();
        assert!(OrderLens::Full.select(false).text.contains("u.email"));
        for lens in [OrderLens::Warehouse, OrderLens::Vendor(id)] {
            assert!(!lens.select(true).text.contains("u.email"), "{lens:?}");
        }
        let vendor = OrderLens::Vendor(id).select(true);
        assert!(!vendor.text.contains("o.total_minor") && !vendor.text.contains("o.customer_id"));
        assert!(!OrderLens::Warehouse.items(id).text.contains("i.unit_price_minor"));
    }
}
