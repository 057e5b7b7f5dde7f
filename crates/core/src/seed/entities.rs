//! What the demo seed's world is made of, before orders: vendors,
//! customers, products and their variants, shipping methods and each
//! currency's platform ledger accounts.

use crate::domain::Currency;
use uuid::Uuid;

/// A vendor of the demo marketplace.
pub(super) struct Vendor {
    pub id: Uuid,
    pub name: String,
    pub currency: Currency,
    pub created: i64,
    pub commission_bps: u32,
    pub plan_price: i64,
    pub products: Vec<usize>,
    pub payable_account: Uuid,
}

pub(super) struct Customer {
    pub id: Uuid,
    pub email: String,
    pub created: i64,
    pub address: Uuid,
}

pub(super) struct Product {
    pub id: Uuid,
    pub name: String,
    pub variants: Vec<usize>,
}

pub(super) struct Variant {
    pub id: Uuid,
    pub product: usize,
    pub sku: String,
    pub name: String,
    pub price: i64,
    pub weight: i64,
}

/// (code, name, carrier, service code, base rate, most days in transit)
pub(super) type MethodDef = (&'static str, &'static str, &'static str, &'static str, i64, i64);

pub(super) struct Method {
    pub id: Uuid,
    pub carrier: &'static str,
    pub service: &'static str,
    pub rate: i64,
    pub max_days: i64,
}

/// Platform ledger accounts of one currency.
pub(super) struct Accounts {
    pub clearing: Uuid,
    pub fees: Uuid,
    pub commission: Uuid,
    pub subscriptions: Uuid,
    pub tax: Uuid,
    pub shipping: Uuid,
    pub dispute_losses: Uuid,
}
