//! The pipeline's steps: an admin records an application and invites the
//! applicant (a vendor login, its invitation mailed), the vendor fills in the
//! details and hands it in, an admin sends it back naming what is missing,
//! approves it (its details become the vendor's profile) or declines it with
//! a reason. Each step on the version read, in one transaction with its audit
//! entry and the notice to the other side; refusals name what is missing.

use super::applications::{VendorApplication, application_on};
use super::details::BusinessDetails;
use super::{admin_only, admin_or_vendor, begin, party, pg};
use crate::domain::notifications::NotificationKind;
use crate::domain::vendor_onboarding::{ApplicationFacts, OnboardingItem, OnboardingStep, list_in_words};
use crate::domain::{Role, Timestamp, new_id};
use crate::identity::SignInError;
use crate::identity::accounts::{Invitee, invite_in};
use crate::notifications::send::{Audience, Notice, notify_in};
use crate::orders::view::Reader;
use crate::store::audit::audit_row_in;
use crate::store::write_tx::WriteTx;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest note with a request or a decision.
pub const MAX_NOTE: usize = 2000;

/// A step on an application, as the desktop and the CLI send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ApplicationStep {
    /// Invite the applicant under this sign-in name.
    Invite {
        /// Their sign-in name.
        username: String,
    },
    /// Hand the application in.
    Submit,
    /// Send it back naming what is missing.
    RequestChanges {
        /// The items missing.
        items: Vec<OnboardingItem>,
        /// The admin's words.
        note: String,
    },
    /// Approve it.
    Approve,
    /// Decline it.
    Decline {
        /// Why (the applicant reads it).
        reason: String,
    },
}

impl ApplicationStep {
    fn kind(&self) -> OnboardingStep {
        match self {
            ApplicationStep::Invite { .. } => OnboardingStep::Invite,
            ApplicationStep::Submit => OnboardingStep::Submit,
            ApplicationStep::RequestChanges { .. } => OnboardingStep::RequestChanges,
            ApplicationStep::Approve => OnboardingStep::Approve,
            ApplicationStep::Decline { .. } => OnboardingStep::Decline,
        }
    }
}

fn note(text: &str, what: &str) -> Result<String, StoreError> {
    let t = text.trim();
    if t.chars().count() > MAX_NOTE {
        return Err(StoreError::Validation(format!("{what} has at most {MAX_NOTE} characters")));
    }
    Ok(t.to_owned())
}

fn link(id: Uuid) -> Option<String> {
    Some(format!("marketdesk://vendors/{id}"))
}

/// Records an application (admins): what the business sent through the
/// marketplace's form or by mail. Returns its id.
pub async fn record_application(store: &Store, actor: Reader, details: &BusinessDetails) -> Result<Uuid, StoreError> {
    admin_only(actor, "record vendor applications")?;
    let d = details.checked()?;
    let mut tx = begin(store).await?;
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM vendor_applications WHERE email = $1 AND deleted_at IS NULL \
         AND stage <> 'declined') OR EXISTS (SELECT 1 FROM users WHERE email = $1 AND deleted_at IS NULL)",
    )
    .bind(&d.email)
    .fetch_one(pg(&mut tx)?)
    .await?;
    if taken {
        return Err(StoreError::Validation(format!("{} already has an account or an open application", d.email)));
    }
    let (id, now) = (new_id(), Timestamp::now());
    bind_details(
        sqlx::query(
            "INSERT INTO vendor_applications (business_name, legal_name, tax_id, country, payout_currency, website, \
             phone, address_line1, city, postal_code, id, contact_name, email, created_by, version, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $15)",
        ),
        &d,
    )
    .bind(id)
    .bind(&d.contact_name)
    .bind(&d.email)
    .bind(actor.id)
    .bind(now)
    .execute(pg(&mut tx)?)
    .await
    .map_err(|e| StoreError::from_write("vendor application", e))?;
    let details = serde_json::json!({ "business": d.business_name, "email": d.email });
    audit_row_in(&mut tx, (actor.id, actor.role), "vendor.application_recorded", ("vendor_applications", id), details)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an application's business details on the version read: the vendor
/// while it is with them (not the contact's name or e-mail), an admin until
/// it is decided. Returns the new version.
pub async fn update_details(
    store: &Store,
    actor: Reader,
    id: Uuid,
    version: i64,
    details: &BusinessDetails,
) -> Result<i64, StoreError> {
    admin_or_vendor(actor, "change vendor applications")?;
    let d = details.checked()?;
    let mut tx = begin(store).await?;
    let app = application_on(pg(&mut tx)?, actor, id).await?;
    check_version(&app, version)?;
    if !app.stage.open_to(party(actor)) {
        return Err(StoreError::Validation(format!("the application is {} and cannot be changed now", app.stage)));
    }
    let (contact, email) = if actor.role == Role::Admin {
        (d.contact_name.clone(), d.email.clone())
    } else {
        (app.details.contact_name.clone(), app.details.email.clone())
    };
    let sets = "business_name = $1, legal_name = $2, tax_id = $3, country = $4, payout_currency = $5, website = $6, \
                phone = $7, address_line1 = $8, city = $9, postal_code = $10, version = version + 1, updated_at = now()";
    let sql = if actor.role == Role::Admin {
        format!(
            "UPDATE vendor_applications SET {sets}, contact_name = $13, email = $14 WHERE id = $11 AND version = $12"
        )
    } else {
        format!("UPDATE vendor_applications SET {sets} WHERE id = $11 AND version = $12")
    };
    let mut q = bind_details(sqlx::query(&sql), &d).bind(id).bind(version);
    if actor.role == Role::Admin {
        q = q.bind(&contact).bind(&email);
    }
    let done = q.execute(pg(&mut tx)?).await.map_err(|e| StoreError::from_write("vendor application", e))?;
    if done.rows_affected() != 1 {
        return Err(StoreError::VersionConflict {
            entity: "vendor application",
            id: id.to_string(),
            expected: version,
            actual: version + 1,
        });
    }
    audit_row_in(
        &mut tx,
        (actor.id, actor.role),
        "vendor.details_changed",
        ("vendor_applications", id),
        serde_json::json!({ "business": d.business_name }),
    )
    .await?;
    tx.commit().await?;
    Ok(version + 1)
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Binds `d`'s business details as `$1` to `$10` (name, legal name, tax id,
/// country, currency, web site, telephone, street, city, postal code).
fn bind_details<'q>(q: PgQuery<'q>, d: &'q BusinessDetails) -> PgQuery<'q> {
    q.bind(&d.business_name)
        .bind(&d.legal_name)
        .bind(&d.tax_id)
        .bind(&d.country)
        .bind(&d.payout_currency)
        .bind(&d.website)
        .bind(&d.phone)
        .bind(&d.address_line1)
        .bind(&d.city)
        .bind(&d.postal_code)
}

fn check_version(app: &VendorApplication, version: i64) -> Result<(), StoreError> {
    if app.version != version {
        return Err(StoreError::VersionConflict {
            entity: "vendor application",
            id: app.id.to_string(),
            expected: version,
            actual: app.version,
        });
    }
    Ok(())
}

fn invited_error(e: SignInError) -> StoreError {
    match e {
        SignInError::Store(s) => s,
        other => StoreError::Validation(other.to_string()),
    }
}

/// Takes `step` on application `id` for `actor`, on the version read. Returns
/// the application as it is afterwards.
pub async fn take_step(
    store: &Store,
    actor: Reader,
    id: Uuid,
    version: i64,
    step: &ApplicationStep,
) -> Result<VendorApplication, StoreError> {
    admin_or_vendor(actor, "work on vendor applications")?;
    let kind = step.kind();
    if !kind.taken_by(party(actor)) {
        return Err(StoreError::AccessDenied(format!("only an admin may {} an application", kind.label())));
    }
    let mut tx = begin(store).await?;
    let app = application_on(pg(&mut tx)?, actor, id).await?;
    check_version(&app, version)?;
    if kind.from(app.stage).is_none() {
        return Err(StoreError::Validation(format!(
            "an application that is {} cannot be {}",
            app.stage.as_str().replace('_', " "),
            match kind {
                OnboardingStep::Submit => "handed in",
                OnboardingStep::RequestChanges => "sent back",
                OnboardingStep::Invite => "invited",
                OnboardingStep::Approve => "approved",
                _ => "declined",
            }
        )));
    }
    let facts = ApplicationFacts {
        filled: app.details.filled(),
        documents: app.documents.iter().map(|d| (d.kind, d.review)).collect(),
        asked_for: app.requested_items.clone(),
    };
    let business = app.details.business_name.clone();
    let audit = match step {
        ApplicationStep::Invite { username } => {
            let who = Invitee {
                email: app.details.email.clone(),
                username: username.clone(),
                display_name: business.clone(),
                role: Role::Vendor,
            };
            let WriteTx::Postgres(t) = &mut tx else {
                return Err(StoreError::OnlineOnly("inviting needs the marketplace's server".into()));
            };
            let vendor = invite_in(t, &who).await.map_err(invited_error)?;
            sqlx::query(
                "UPDATE vendor_applications SET vendor_id = $1, stage = 'onboarding', version = version + 1, \
                 updated_at = now() WHERE id = $2",
            )
            .bind(vendor)
            .bind(id)
            .execute(pg(&mut tx)?)
            .await
            .map_err(|e| StoreError::from_write("vendor application", e))?;
            serde_json::json!({ "vendor": vendor, "username": username.trim() })
        }
        ApplicationStep::Submit => {
            let missing = facts.missing_to_submit();
            if !missing.is_empty() {
                return Err(StoreError::Validation(format!("before handing it in, add {}", list_in_words(&missing))));
            }
            sqlx::query(
                "UPDATE vendor_applications SET stage = 'in_review', submitted_at = now(), version = version + 1, \
                 updated_at = now() WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version)
            .execute(pg(&mut tx)?)
            .await
            .map_err(|e| StoreError::from_write("vendor application", e))?;
            let notice = Notice {
                kind: NotificationKind::VendorOnboarding,
                to: Audience::Role(Role::Admin),
                title: format!("Vendor application to review: {business}"),
                body: format!("{business} handed in their application with {} documents.", app.documents.len()),
                link: link(id),
            };
            notify_in(&mut tx, Some(actor.id), &notice).await?;
            serde_json::json!({ "documents": app.documents.len() })
        }
        ApplicationStep::RequestChanges { items, note: words } => {
            let words = note(words, "a request")?;
            if items.is_empty() && words.is_empty() {
                return Err(StoreError::Validation("name what is missing, or say what to change".into()));
            }
            let mut items = items.clone();
            items.sort();
            items.dedup();
            sqlx::query(
                "UPDATE vendor_applications SET stage = 'onboarding', requested_items = $1, request_note = $2, \
                 reviewed_by = $3, reviewed_at = now(), version = version + 1, updated_at = now() WHERE id = $4",
            )
            .bind(sqlx::types::Json(&items))
            .bind(Some(words.clone()).filter(|w| !w.is_empty()))
            .bind(actor.id)
            .bind(id)
            .execute(pg(&mut tx)?)
            .await
            .map_err(|e| StoreError::from_write("vendor application", e))?;
            let what =
                if items.is_empty() { words.clone() } else { format!("Still needed: {}.", list_in_words(&items)) };
            tell_vendor(&mut tx, actor, &app, "Your vendor application needs changes", &what).await?;
            serde_json::json!({ "items": items, "note": words })
        }
        ApplicationStep::Approve => {
            let missing = facts.missing_to_approve();
            if !missing.is_empty() {
                return Err(StoreError::Validation(format!(
                    "it cannot be approved yet: {} {} missing or not accepted",
                    list_in_words(&missing),
                    if missing.len() == 1 { "is" } else { "are" }
                )));
            }
            approve_in(&mut tx, actor, &app).await?;
            tell_vendor(
                &mut tx,
                actor,
                &app,
                "Your vendor application is approved",
                "Next: set up Stripe payouts from the link the marketplace sends you.",
            )
            .await?;
            serde_json::json!({ "business": business })
        }
        ApplicationStep::Decline { reason } => {
            let reason = note(reason, "a reason")?;
            if reason.is_empty() {
                return Err(StoreError::Validation(
                    "say why the application is declined: the applicant reads it".into(),
                ));
            }
            if app.traded {
                return Err(StoreError::Validation(format!(
                    "{business} has sold on the marketplace: suspend the vendor instead of declining"
                )));
            }
            sqlx::query(
                "UPDATE vendor_applications SET stage = 'declined', decision_reason = $1, reviewed_by = $2, \
                 reviewed_at = now(), version = version + 1, updated_at = now() WHERE id = $3",
            )
            .bind(&reason)
            .bind(actor.id)
            .bind(id)
            .execute(pg(&mut tx)?)
            .await
            .map_err(|e| StoreError::from_write("vendor application", e))?;
            if let Some(vendor) = app.vendor_id {
                sqlx::query("SELECT md_set_user_active($1, false)")
                    .bind(vendor)
                    .execute(pg(&mut tx)?)
                    .await
                    .map_err(|e| StoreError::from_write("vendor", e))?;
            }
            serde_json::json!({ "reason": reason })
        }
    };
    let action = format!("vendor.{}", kind_name(kind));
    audit_row_in(&mut tx, (actor.id, actor.role), &action, ("vendor_applications", id), audit).await?;
    let after = application_on(pg(&mut tx)?, actor, id).await?;
    tx.commit().await?;
    Ok(after)
}

fn kind_name(kind: OnboardingStep) -> &'static str {
    match kind {
        OnboardingStep::Invite => "invited",
        OnboardingStep::Submit => "submitted",
        OnboardingStep::RequestChanges => "changes_requested",
        OnboardingStep::Approve => "approved",
        OnboardingStep::Decline => "declined",
        OnboardingStep::Activate => "activated",
    }
}

async fn tell_vendor(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    app: &VendorApplication,
    title: &str,
    body: &str,
) -> Result<(), StoreError> {
    if let Some(vendor) = app.vendor_id {
        let notice = Notice {
            kind: NotificationKind::VendorOnboarding,
            to: Audience::Person(vendor),
            title: title.to_owned(),
            body: body.to_owned(),
            link: Some("marketdesk://application".to_owned()),
        };
        notify_in(tx, Some(actor.id), &notice).await?;
    }
    Ok(())
}

/// Approves `app` inside `tx`: its details become the vendor's profile
/// (verified), and the application is approved — or active at once when
/// Stripe already pays the vendor out.
async fn approve_in(tx: &mut WriteTx<'_>, actor: Reader, app: &VendorApplication) -> Result<(), StoreError> {
    let vendor = app.vendor_id.ok_or_else(|| StoreError::Validation("invite the applicant first".into()))?;
    let d = &app.details;
    sqlx::query(
        "INSERT INTO user_profiles (id, user_id, business_name, legal_name, tax_id, phone, website, support_email, \
         payout_currency, country, address_line1, city, postal_code, verification_status, verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'verified', now()) \
         ON CONFLICT (user_id) DO UPDATE SET business_name = excluded.business_name, legal_name = excluded.legal_name, \
         tax_id = excluded.tax_id, phone = excluded.phone, website = excluded.website, \
         support_email = coalesce(user_profiles.support_email, excluded.support_email), \
         payout_currency = excluded.payout_currency, country = excluded.country, address_line1 = excluded.address_line1, \
         city = excluded.city, postal_code = excluded.postal_code, verification_status = 'verified', \
         verified_at = coalesce(user_profiles.verified_at, now()), version = user_profiles.version + 1, updated_at = now()",
    )
    .bind(new_id())
    .bind(vendor)
    .bind(&d.business_name)
    .bind(&d.legal_name)
    .bind(&d.tax_id)
    .bind(&d.phone)
    .bind(&d.website)
    .bind(&d.email)
    .bind(&d.payout_currency)
    .bind(&d.country)
    .bind(&d.address_line1)
    .bind(&d.city)
    .bind(&d.postal_code)
    .execute(pg(tx)?)
    .await
    .map_err(|e| StoreError::from_write("vendor profile", e))?;
    sqlx::query(
        "UPDATE vendor_applications SET stage = CASE WHEN EXISTS (SELECT 1 FROM user_profiles p WHERE p.user_id = $1 \
         AND p.payouts_enabled AND p.deleted_at IS NULL) THEN 'active' ELSE 'approved' END, \
         requested_items = NULL, request_note = NULL, reviewed_by = $2, reviewed_at = now(), version = version + 1, \
         updated_at = now() WHERE id = $3",
    )
    .bind(vendor)
    .bind(actor.id)
    .bind(app.id)
    .execute(pg(tx)?)
    .await
    .map_err(|e| StoreError::from_write("vendor application", e))?;
    Ok(())
}
