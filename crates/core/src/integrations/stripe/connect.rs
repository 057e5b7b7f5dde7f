//! Vendors' connected accounts (Stripe Connect, Express): created, onboarded
//! through Stripe's hosted pages, and checked for whether they may be paid.

use super::client::{Idempotent, explain};
use super::{GatewayError, StripeGateway};
use std::collections::HashMap;
use std::future::Future;
use stripe_connect::account::{
    CreateAccount, CreateAccountBusinessProfile, CreateAccountCapabilities, CreateAccountCapabilitiesTransfers,
    CreateAccountType, RetrieveAccount,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};

/// A vendor's connected account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConnectAccount {
    /// Where Stripe writes to the vendor.
    pub email: String,
    /// Two-letter country of the business, when known.
    pub country: Option<String>,
    /// The business's name, shown on Stripe's onboarding pages.
    pub business_name: Option<String>,
    /// Our vendor's id, kept in Stripe's metadata.
    pub vendor_id: String,
    /// The same key always means the same account (a retry never makes two).
    pub idempotency_key: String,
}

/// A connected account as Stripe sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectAccount {
    /// Stripe's id (`acct_…`).
    pub id: String,
    /// Whether Stripe will pay transfers out to the vendor's bank.
    pub payouts_enabled: bool,
    /// Whether the account may take charges.
    pub charges_enabled: bool,
    /// Whether the vendor finished the onboarding form.
    pub details_submitted: bool,
    /// What Stripe still needs from the vendor (`external_account`, `individual.id_number`, …).
    pub currently_due: Vec<String>,
    /// Why the account is disabled, in Stripe's code (`requirements.past_due`, `rejected.fraud`, …).
    pub disabled_reason: Option<String>,
}

/// A link to Stripe's hosted onboarding for one vendor; it works once and expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardingLink {
    /// The page to open.
    pub url: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// Vendors' connected accounts (Stripe Connect, Express): created, onboarded, as Marketdesk needs them.
pub trait ConnectAccounts: Send + Sync {
    /// Creates a vendor's connected account (Express, transfers requested).
    fn create_account(
        &self,
        req: &NewConnectAccount,
    ) -> impl Future<Output = Result<ConnectAccount, GatewayError>> + Send;
    /// A fresh onboarding link for `account`; Stripe sends the vendor to
    /// `return_url` when done and to `refresh_url` when the link has expired.
    fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> impl Future<Output = Result<OnboardingLink, GatewayError>> + Send;
    /// The connected account `id` as Stripe sees it now.
    fn account(&self, id: &str) -> impl Future<Output = Result<ConnectAccount, GatewayError>> + Send;
}

impl ConnectAccounts for StripeGateway {
    async fn create_account(&self, req: &NewConnectAccount) -> Result<ConnectAccount, GatewayError> {
        let metadata = HashMap::from([("marketdesk_vendor".to_owned(), req.vendor_id.clone())]);
        let mut capabilities = CreateAccountCapabilities::new();
        capabilities.transfers = Some(CreateAccountCapabilitiesTransfers { requested: Some(true) });
        let mut call = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .email(req.email.clone())
            .capabilities(capabilities)
            .metadata(metadata);
        if let Some(country) = &req.country {
            call = call.country(country.clone());
        }
        if let Some(name) = &req.business_name {
            let mut profile = CreateAccountBusinessProfile::new();
            profile.name = Some(name.clone());
            call = call.business_profile(profile);
        }
        let a = call.idempotent(&self.client, &req.idempotency_key).await?;
        Ok(connect_account(a))
    }

    async fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<OnboardingLink, GatewayError> {
        let link = CreateAccountLink::new(account, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(explain)?;
        Ok(OnboardingLink { url: link.url, expires_at: link.expires_at })
    }

    async fn account(&self, id: &str) -> Result<ConnectAccount, GatewayError> {
        let a = RetrieveAccount::new(id).send(&self.client).await.map_err(explain)?;
        Ok(connect_account(a))
    }
}

fn connect_account(a: stripe_shared::Account) -> ConnectAccount {
    let requirements = a.requirements.as_ref();
    ConnectAccount {
        id: a.id.to_string(),
        payouts_enabled: a.payouts_enabled.unwrap_or(false),
        charges_enabled: a.charges_enabled.unwrap_or(false),
        details_submitted: a.details_submitted.unwrap_or(false),
        currently_due: requirements.and_then(|r| r.currently_due.clone()).unwrap_or_default(),
        disabled_reason: requirements.and_then(|r| r.disabled_reason.as_ref()).map(|d| d.as_str().to_owned()),
    }
}
