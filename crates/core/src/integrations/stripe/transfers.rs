//! Transfers to vendors' connected accounts: what pays a payout.

use super::client::{Idempotent, currency, explain};
use super::{GatewayError, StripeGateway};
use crate::domain::Currency;
use std::collections::HashMap;
use std::future::Future;
use stripe_connect::transfer::{CreateTransfer, ListTransfer};

/// A transfer to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest {
    /// Minor units, > 0.
    pub amount_minor: i64,
    /// Currency of the platform balance it comes from.
    pub currency: Currency,
    /// The vendor's connected account (`acct_…`).
    pub destination: String,
    /// Saved before the call; the same key always means the same transfer.
    pub idempotency_key: String,
    /// Finds the transfer again later (`payout:<id>`).
    pub group: String,
    /// Shown in the vendor's Stripe dashboard.
    pub description: String,
}

/// A transfer Stripe made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferMade {
    /// Stripe's id (`tr_…`).
    pub id: String,
    /// Minor units.
    pub amount_minor: i64,
    /// The connected account paid.
    pub destination: Option<String>,
}

/// Transfers to vendors' connected accounts: what pays a payout, as Marketdesk needs them.
pub trait Transfers: Send + Sync {
    /// Creates a transfer to a connected account (or returns the one already
    /// made with the same idempotency key).
    fn transfer(&self, req: &TransferRequest) -> impl Future<Output = Result<TransferMade, GatewayError>> + Send;
    /// The transfer tagged with `group`, if Stripe has one.
    fn find_transfer(&self, group: &str) -> impl Future<Output = Result<Option<TransferMade>, GatewayError>> + Send;
}

impl Transfers for StripeGateway {
    async fn transfer(&self, req: &TransferRequest) -> Result<TransferMade, GatewayError> {
        let metadata = HashMap::from([("marketdesk_group".to_owned(), req.group.clone())]);
        let call = CreateTransfer::new(currency(req.currency)?, req.destination.clone())
            .amount(req.amount_minor)
            .transfer_group(req.group.clone())
            .description(req.description.clone())
            .metadata(metadata);
        let t = call.idempotent(&self.client, &req.idempotency_key).await?;
        Ok(made(t))
    }

    async fn find_transfer(&self, group: &str) -> Result<Option<TransferMade>, GatewayError> {
        let list = ListTransfer::new().transfer_group(group).limit(1).send(&self.client).await.map_err(explain)?;
        Ok(list.data.into_iter().next().map(made))
    }
}

fn made(t: stripe_shared::Transfer) -> TransferMade {
    TransferMade {
        id: t.id.to_string(),
        amount_minor: t.amount,
        destination: t.destination.map(|d| d.id().to_string()),
    }
}
