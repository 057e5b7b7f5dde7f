//! Checkout Sessions: Stripe's hosted payment page, the link a customer who
//! ordered by phone or e-mail pays through. The money is booked later, from
//! Stripe's `checkout.session.completed` event, never from this answer.

use super::client::{Idempotent, currency};
use super::{GatewayError, StripeGateway};
use crate::domain::Currency;
use std::collections::HashMap;
use std::future::Future;
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionPaymentIntentData, ProductData,
};

/// One line of the page: what the customer sees and pays for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutLine {
    /// Shown to the customer ("Linen shirt — M (SKU LS-M)").
    pub name: String,
    /// Units, ≥ 1.
    pub quantity: u32,
    /// Price of one unit, minor units.
    pub unit_amount_minor: i64,
}

/// A payment page to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// Our order number, shown as the reference and kept in metadata.
    pub order_number: String,
    /// Our payment row, kept in the session's and the PaymentIntent's metadata.
    pub payment_id: String,
    /// Prefilled on the page; Stripe's receipt goes there.
    pub customer_email: String,
    /// The order's currency.
    pub currency: Currency,
    /// The lines, shipping included as a line of its own.
    pub lines: Vec<CheckoutLine>,
    /// When the link stops working (Unix seconds; Stripe allows 30 min to 24 h).
    pub expires_at: i64,
    /// Where the customer lands after paying.
    pub success_url: String,
    /// Saved before the call: the same key gives back the same page.
    pub idempotency_key: String,
}

/// The page Stripe made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutMade {
    /// Stripe's id (`cs_…`).
    pub id: String,
    /// The link to send the customer.
    pub url: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// Hosted payment pages, as Marketdesk needs them.
pub trait CheckoutSessions: Send + Sync {
    /// Makes a one-time payment page for an order.
    fn create_checkout(&self, req: &CheckoutRequest)
    -> impl Future<Output = Result<CheckoutMade, GatewayError>> + Send;
}

impl CheckoutSessions for StripeGateway {
    async fn create_checkout(&self, req: &CheckoutRequest) -> Result<CheckoutMade, GatewayError> {
        let cur = currency(req.currency)?;
        let metadata = HashMap::from([
            ("marketdesk_order".to_owned(), req.order_number.clone()),
            ("marketdesk_payment".to_owned(), req.payment_id.clone()),
        ]);
        let lines: Vec<CreateCheckoutSessionLineItems> = req
            .lines
            .iter()
            .map(|l| {
                let mut price = CreateCheckoutSessionLineItemsPriceData::new(cur.clone());
                price.product_data = Some(ProductData::new(l.name.clone()));
                price.unit_amount = Some(l.unit_amount_minor);
                let mut item = CreateCheckoutSessionLineItems::new();
                item.price_data = Some(price);
                item.quantity = Some(u64::from(l.quantity));
                item
            })
            .collect();
        let mut intent = CreateCheckoutSessionPaymentIntentData::new();
        intent.metadata = Some(metadata.clone());
        intent.description = Some(format!("Order {}", req.order_number));
        let call = CreateCheckoutSession::new()
            .mode(stripe_shared::CheckoutSessionMode::Payment)
            .client_reference_id(req.order_number.clone())
            .customer_email(req.customer_email.clone())
            .line_items(lines)
            .metadata(metadata)
            .payment_intent_data(intent)
            .expires_at(req.expires_at)
            .success_url(req.success_url.clone());
        let s = call.idempotent(&self.client, &req.idempotency_key).await?;
        let url = s.url.ok_or_else(|| GatewayError::Unavailable("Stripe made the page without a link".into()))?;
        Ok(CheckoutMade { id: s.id.to_string(), url, expires_at: s.expires_at })
    }
}
