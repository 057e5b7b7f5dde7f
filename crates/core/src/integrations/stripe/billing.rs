//! Billing vendors for the platform's plans: customers and subscriptions whose
//! invoices Stripe mails.

use super::client::{Idempotent, explain};
use super::{GatewayError, StripeGateway};
use std::collections::HashMap;
use std::future::Future;
use stripe_billing::subscription::{
    CreateSubscription, CreateSubscriptionItems, RetrieveSubscription, UpdateSubscription, UpdateSubscriptionItems,
    UpdateSubscriptionProrationBehavior,
};
use stripe_core::customer::CreateCustomer;

/// A vendor to make a Stripe customer of (for subscriptions to the platform's plans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    /// Where Stripe sends invoices.
    pub email: String,
    /// The business's name on invoices.
    pub name: String,
    /// Our vendor's id, kept in Stripe's metadata.
    pub vendor_id: String,
    /// The same key always means the same customer.
    pub idempotency_key: String,
}

/// A vendor's subscription to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    /// The vendor's customer (`cus_…`).
    pub customer: String,
    /// The plan's price (`price_…`).
    pub price: String,
    /// Our vendor's id, kept in Stripe's metadata.
    pub vendor_id: String,
    /// Days the vendor has to pay each invoice Stripe mails them.
    pub days_until_due: u32,
    /// The same key always means the same subscription.
    pub idempotency_key: String,
}

/// What to change on a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionChange {
    /// Move the item (`si_…`) to this price (prorated).
    pub price: Option<(String, String)>,
    /// End at the period's end instead of renewing (or renew again).
    pub cancel_at_period_end: Option<bool>,
    /// The same key always means the same change.
    pub idempotency_key: String,
}

/// A subscription as Stripe sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionState {
    /// Stripe's id (`sub_…`).
    pub id: String,
    /// Stripe's status (`active`, `incomplete`, `past_due`, `canceled`, …).
    pub status: String,
    /// Ends at the period's end.
    pub cancel_at_period_end: bool,
    /// Its one item (`si_…`).
    pub item: Option<String>,
    /// The item's price (`price_…`).
    pub price: Option<String>,
    /// The current period (Unix seconds).
    pub period: Option<(i64, i64)>,
}

/// Billing vendors for the platform's plans: customers and subscriptions whose, as Marketdesk needs them.
pub trait Billing: Send + Sync {
    /// Makes a vendor a Stripe customer; returns the customer (`cus_…`).
    fn create_customer(&self, req: &NewCustomer) -> impl Future<Output = Result<String, GatewayError>> + Send;
    /// Starts a subscription billed by invoices Stripe mails to the vendor.
    fn create_subscription(
        &self,
        req: &NewSubscription,
    ) -> impl Future<Output = Result<SubscriptionState, GatewayError>> + Send;
    /// The subscription `id` as Stripe sees it now.
    fn subscription(&self, id: &str) -> impl Future<Output = Result<SubscriptionState, GatewayError>> + Send;
    /// Changes the subscription `id`.
    fn change_subscription(
        &self,
        id: &str,
        change: &SubscriptionChange,
    ) -> impl Future<Output = Result<SubscriptionState, GatewayError>> + Send;
}

impl Billing for StripeGateway {
    async fn create_customer(&self, req: &NewCustomer) -> Result<String, GatewayError> {
        let metadata = HashMap::from([("marketdesk_vendor".to_owned(), req.vendor_id.clone())]);
        let c = CreateCustomer::new()
            .email(req.email.clone())
            .name(req.name.clone())
            .metadata(metadata)
            .idempotent(&self.client, &req.idempotency_key)
            .await?;
        Ok(c.id.to_string())
    }

    async fn create_subscription(&self, req: &NewSubscription) -> Result<SubscriptionState, GatewayError> {
        let metadata = HashMap::from([("marketdesk_vendor".to_owned(), req.vendor_id.clone())]);
        let mut item = CreateSubscriptionItems::new();
        item.price = Some(req.price.clone());
        item.quantity = Some(1);
        let s = CreateSubscription::new()
            .customer(req.customer.clone())
            .items(vec![item])
            .collection_method(stripe_shared::SubscriptionCollectionMethod::SendInvoice)
            .days_until_due(req.days_until_due)
            .metadata(metadata)
            .idempotent(&self.client, &req.idempotency_key)
            .await?;
        Ok(subscription_state(s))
    }

    async fn subscription(&self, id: &str) -> Result<SubscriptionState, GatewayError> {
        let s = RetrieveSubscription::new(id).send(&self.client).await.map_err(explain)?;
        Ok(subscription_state(s))
    }

    async fn change_subscription(
        &self,
        id: &str,
        change: &SubscriptionChange,
    ) -> Result<SubscriptionState, GatewayError> {
        let mut call = UpdateSubscription::new(id);
        if let Some((item, price)) = &change.price {
            let mut moved = UpdateSubscriptionItems::new();
            moved.id = Some(item.clone());
            moved.price = Some(price.clone());
            call = call.items(vec![moved]).proration_behavior(UpdateSubscriptionProrationBehavior::CreateProrations);
        }
        if let Some(cancel) = change.cancel_at_period_end {
            call = call.cancel_at_period_end(cancel);
        }
        let s = call.idempotent(&self.client, &change.idempotency_key).await?;
        Ok(subscription_state(s))
    }
}

fn subscription_state(s: stripe_shared::Subscription) -> SubscriptionState {
    let item = s.items.data.first();
    SubscriptionState {
        id: s.id.to_string(),
        status: s.status.as_str().to_owned(),
        cancel_at_period_end: s.cancel_at_period_end,
        item: item.map(|i| i.id.to_string()),
        price: item.map(|i| i.price.id.to_string()),
        period: item.map(|i| (i.current_period_start, i.current_period_end)),
    }
}
