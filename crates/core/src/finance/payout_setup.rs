//! Vendors' Stripe Connect accounts: an admin creates a vendor's connected
//! account, sends the vendor a link to Stripe's hosted onboarding (by mail,
//! through the outbox, and shown to the admin to copy), and checks with Stripe
//! whether payouts are enabled yet. Only then can a payout run pay the vendor.
//!
//! Online only: Stripe is called with the platform's key, which lives on staff
//! machines, and the account id must land in the central database at once so
//! no other desktop makes a second account (the idempotency key
//! `marketdesk-connect-<vendor>` makes a retry return the same account).

use crate::domain::Timestamp;
use crate::integrations::stripe::{ConnectAccount, ConnectAccounts, GatewayError, NewConnectAccount};
use crate::mail::outbox;
use crate::mail::templates::{Template, render};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where Stripe sends a vendor after onboarding, unless the platform setting
/// `stripe.connect_return_url` says otherwise.
pub const DEFAULT_RETURN_URL: &str = "https://marketdesk.app/connect/done";
/// Where Stripe sends a vendor whose link expired, unless
/// `stripe.connect_refresh_url` says otherwise.
pub const DEFAULT_REFRESH_URL: &str = "https://marketdesk.app/connect/expired";

/// A vendor's payout set-up as Marketdesk knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectStatus {
    /// The vendor (a user id).
    pub vendor_id: Uuid,
    /// Business name, else display name.
    pub vendor_name: String,
    /// Where onboarding links are mailed.
    pub email: String,
    /// The connected account, once created.
    pub stripe_account_id: Option<String>,
    /// Whether Stripe pays this vendor out (as of the last check).
    pub payouts_enabled: bool,
    /// `unverified` (no account), `pending` (onboarding not finished),
    /// `verified` (payouts enabled) or `rejected` (Stripe closed it).
    pub verification_status: String,
    /// When the vendor was last verified.
    pub verified_at: Option<Timestamp>,
}

/// What a fresh check with Stripe found, beside the stored status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectCheck {
    /// The status now stored.
    pub status: ConnectStatus,
    /// What Stripe still needs from the vendor, in Stripe's field names.
    pub currently_due: Vec<String>,
    /// Why Stripe disabled the account, if it did.
    pub disabled_reason: Option<String>,
}

/// An onboarding link made for a vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OnboardingSent {
    /// The vendor's status after the account was made.
    pub status: ConnectStatus,
    /// Stripe's onboarding page (works once).
    pub url: String,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// The outbox mail carrying the link, when one was queued.
    pub mail_id: Option<Uuid>,
}

/// The admin's list of vendors' payout set-up, with the counts of every vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectStatusList {
    /// The vendors asked for, those not ready first, then by name.
    pub vendors: Vec<ConnectStatus>,
    /// Every vendor, whatever was asked.
    pub total: u64,
    /// Vendors Stripe pays out (payouts enabled as of the last check), whatever was asked.
    pub ready: u64,
}

/// A vendor ready for payouts: Stripe pays them out, as of the last check (trusted SQL text).
const READY: &str = "coalesce(p.payouts_enabled, false) = true";

const SELECT_STATUS: &str = "SELECT u.id AS vendor_id, coalesce(p.business_name, u.display_name) AS vendor_name, \
     u.email, p.stripe_account_id, coalesce(p.payouts_enabled, false) AS payouts_enabled, \
     coalesce(p.verification_status, 'unverified') AS verification_status, p.verified_at \
     FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.role = 'vendor' AND u.deleted_at IS NULL";

fn gateway_error(e: GatewayError) -> StoreError {
    match e {
        GatewayError::Refused { reason, .. } => StoreError::Validation(format!("Stripe refused: {reason}")),
        GatewayError::Unavailable(why) => StoreError::Busy(format!("Stripe did not answer ({why}); try again")),
        GatewayError::NotConfigured => StoreError::Validation(GatewayError::NotConfigured.to_string()),
    }
}

/// The stored verification status for what Stripe reports.
pub(crate) fn verification_of(a: &ConnectAccount) -> &'static str {
    match (&a.disabled_reason, a.payouts_enabled) {
        (Some(r), _) if r.starts_with("rejected") => "rejected",
        (_, true) => "verified",
        _ => "pending",
    }
}

impl Store {
    /// Every vendor's payout set-up (only those not ready when `only_not_ready`),
    /// those not ready first, then by name; with how many vendors there are and
    /// are ready (of every vendor).
    pub async fn connect_statuses(&self, only_not_ready: bool) -> Result<ConnectStatusList, StoreError> {
        let only = if only_not_ready { format!(" AND NOT ({READY})") } else { String::new() };
        let sql = format!(
            "{SELECT_STATUS}{only} ORDER BY coalesce(p.payouts_enabled, false), lower(coalesce(p.business_name, u.display_name)), u.id"
        );
        let vendors: Vec<ConnectStatus> = with_pool!(&self.db, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
        let counts = format!(
            "SELECT count(*) AS total, count(CASE WHEN {READY} THEN 1 END) AS ready \
             FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.role = 'vendor' AND u.deleted_at IS NULL"
        );
        let (total, ready): (i64, i64) = with_pool!(&self.db, |p| sqlx::query_as(&counts).fetch_one(p).await)?;
        Ok(ConnectStatusList {
            vendors,
            total: u64::try_from(total).unwrap_or(0),
            ready: u64::try_from(ready).unwrap_or(0),
        })
    }

    /// One vendor's payout set-up.
    pub async fn connect_status(&self, vendor: Uuid) -> Result<ConnectStatus, StoreError> {
        let sql = format!("{SELECT_STATUS} AND u.id = $1");
        let found: Option<ConnectStatus> =
            with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(vendor).fetch_optional(p).await)?;
        found.ok_or_else(|| StoreError::NotFound { entity: "vendor", id: vendor.to_string() })
    }

    /// Makes the vendor's connected account if there is none yet, then an
    /// onboarding link; queues it in a mail to the vendor when `mail` is set.
    pub async fn start_connect_onboarding<G: ConnectAccounts>(
        &self,
        gateway: &G,
        vendor: Uuid,
        mail: bool,
    ) -> Result<OnboardingSent, StoreError> {
        let pool = self.pg_pool().ok_or_else(|| {
            StoreError::OnlineOnly("Stripe onboarding is done online only: connect to the marketplace server".into())
        })?;
        let status = self.connect_status(vendor).await?;
        if status.verification_status == "rejected" {
            return Err(StoreError::Validation(format!(
                "Stripe rejected {}'s account; it cannot be onboarded again from here",
                status.vendor_name
            )));
        }
        let account = match &status.stripe_account_id {
            Some(id) => id.clone(),
            None => {
                let (country, business_name): (Option<String>, Option<String>) = sqlx::query_as(
                    "SELECT p.country, p.business_name FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id \
                     WHERE u.id = $1",
                )
                .bind(vendor)
                .fetch_one(pool)
                .await?;
                let made = gateway
                    .create_account(&NewConnectAccount {
                        email: status.email.clone(),
                        country,
                        business_name,
                        vendor_id: vendor.to_string(),
                        idempotency_key: format!("marketdesk-connect-{vendor}"),
                    })
                    .await
                    .map_err(gateway_error)?;
                self.save_account(vendor, &made).await?;
                made.id
            }
        };
        let refresh = self.setting_text("stripe.connect_refresh_url").await?;
        let back = self.setting_text("stripe.connect_return_url").await?;
        let link = gateway
            .onboarding_link(
                &account,
                refresh.as_deref().unwrap_or(DEFAULT_REFRESH_URL),
                back.as_deref().unwrap_or(DEFAULT_RETURN_URL),
            )
            .await
            .map_err(gateway_error)?;
        let expires_at = chrono::DateTime::from_timestamp(link.expires_at, 0)
            .map(Timestamp::from)
            .ok_or_else(|| StoreError::Corrupt(format!("Stripe's link expiry {} is not a time", link.expires_at)))?;
        let status = self.connect_status(vendor).await?;
        let mail_id = if mail {
            let rendered = render(&Template::ConnectOnboarding {
                name: &status.vendor_name,
                url: &link.url,
                expires: &expires_at.as_datetime().format("%Y-%m-%d %H:%M UTC").to_string(),
            })
            .map_err(|e| StoreError::Corrupt(format!("mail template: {e}")))?;
            Some(outbox::queue(self, &status.email, &rendered).await?)
        } else {
            None
        };
        Ok(OnboardingSent { status, url: link.url, expires_at, mail_id })
    }

    /// Asks Stripe about the vendor's account and stores whether payouts are enabled.
    pub async fn refresh_connect_account<G: ConnectAccounts>(
        &self,
        gateway: &G,
        vendor: Uuid,
    ) -> Result<ConnectCheck, StoreError> {
        if self.pg_pool().is_none() {
            return Err(StoreError::OnlineOnly(
                "Stripe is asked online only: connect to the marketplace server".into(),
            ));
        }
        let status = self.connect_status(vendor).await?;
        let Some(id) = status.stripe_account_id else {
            return Err(StoreError::Validation(format!(
                "{} has no Stripe account yet: send them an onboarding link first",
                status.vendor_name
            )));
        };
        let account = gateway.account(&id).await.map_err(gateway_error)?;
        if account.id != id {
            return Err(StoreError::Corrupt(format!("Stripe answered for {} when asked about {id}", account.id)));
        }
        self.save_account(vendor, &account).await?;
        Ok(ConnectCheck {
            status: self.connect_status(vendor).await?,
            currently_due: account.currently_due,
            disabled_reason: account.disabled_reason,
        })
    }

    /// Stores the account id and what Stripe says of it on the vendor's
    /// profile (made if missing), never replacing a different account id.
    async fn save_account(&self, vendor: Uuid, a: &ConnectAccount) -> Result<(), StoreError> {
        let pool = self.pg_pool().ok_or_else(|| StoreError::OnlineOnly("Stripe accounts are stored online".into()))?;
        let now = Timestamp::now();
        let verification = verification_of(a);
        let verified_at = (verification == "verified").then_some(now);
        let mut tx = pool.begin().await?;
        let current: Option<Option<String>> =
            sqlx::query_scalar("SELECT stripe_account_id FROM user_profiles WHERE user_id = $1 FOR UPDATE")
                .bind(vendor)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(existing) = current.flatten().filter(|e| *e != a.id) {
            return Err(StoreError::Validation(format!(
                "the vendor already has Stripe account {existing}; {} was not stored",
                a.id
            )));
        }
        sqlx::query(
            "INSERT INTO user_profiles (id, user_id, stripe_account_id, payouts_enabled, verification_status, verified_at, \
             version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) \
             ON CONFLICT (user_id) DO UPDATE SET stripe_account_id = excluded.stripe_account_id, \
             payouts_enabled = excluded.payouts_enabled, verification_status = excluded.verification_status, \
             verified_at = coalesce(excluded.verified_at, CASE WHEN excluded.verification_status = 'verified' \
             THEN user_profiles.verified_at END), version = user_profiles.version + 1, updated_at = excluded.updated_at",
        )
        .bind(crate::domain::new_id())
        .bind(vendor)
        .bind(&a.id)
        .bind(a.payouts_enabled)
        .bind(verification)
        .bind(verified_at)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write("vendor profile", e))?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(payouts: bool, disabled: Option<&str>) -> ConnectAccount {
        ConnectAccount {
            id: "acct_1".into(),
            payouts_enabled: payouts,
            charges_enabled: payouts,
            details_submitted: payouts,
            currently_due: Vec::new(),
            disabled_reason: disabled.map(str::to_owned),
        }
    }

    #[test]
    fn stripe_states_map_to_verification() {
        assert_eq!(verification_of(&account(true, None)), "verified");
        assert_eq!(verification_of(&account(false, None)), "pending");
        assert_eq!(verification_of(&account(false, Some("requirements.past_due"))), "pending");
        assert_eq!(verification_of(&account(false, Some("rejected.fraud"))), "rejected");
    }
}
