//! Refunds of buyers' payments.

use super::client::Idempotent;
use super::{GatewayError, StripeGateway};
use std::collections::HashMap;
use std::future::Future;
use stripe_core::refund::CreateRefund;

/// A refund to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The PaymentIntent refunded (`pi_…`).
    pub payment_intent: String,
    /// Minor units, > 0.
    pub amount_minor: i64,
    /// Saved before the call.
    pub idempotency_key: String,
    /// Our refund row, kept in Stripe's metadata.
    pub refund_id: String,
}

/// A refund Stripe accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundMade {
    /// Stripe's id (`re_…`).
    pub id: String,
    /// `succeeded`, `pending`, `failed`, …
    pub status: String,
}

/// Refunds of buyers' payments, as Marketdesk needs them.
pub trait Refunds: Send + Sync {
    /// Refunds (part of) a payment.
    fn refund(&self, req: &RefundRequest) -> impl Future<Output = Result<RefundMade, GatewayError>> + Send;
}

impl Refunds for StripeGateway {
    async fn refund(&self, req: &RefundRequest) -> Result<RefundMade, GatewayError> {
        let metadata = HashMap::from([("marketdesk_refund".to_owned(), req.refund_id.clone())]);
        let call =
            CreateRefund::new().payment_intent(req.payment_intent.clone()).amount(req.amount_minor).metadata(metadata);
        let r = call.idempotent(&self.client, &req.idempotency_key).await?;
        Ok(RefundMade { id: r.id.to_string(), status: r.status.unwrap_or_else(|| "pending".into()) })
    }
}
