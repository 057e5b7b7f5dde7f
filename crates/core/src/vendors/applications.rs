//! Applications as people read them: the pipeline list (admins: every
//! application by stage; a vendor: their own), the count per stage for the
//! tabs, and one application with its documents, what it still lacks and the
//! steps open to the reader.

use super::details::BusinessDetails;
use super::documents::{VendorDocument, documents_of};
use super::{admin_or_vendor, online};
use crate::domain::vendor_onboarding::{ApplicationFacts, OnboardingItem, OnboardingStage, OnboardingStep};
use crate::domain::{Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::page::{SortKey, SortValue, finish_query, into_page};
use crate::store::sql::{Param, Sql, bind_as, search_pattern};
use crate::store::{Page, PageRequest, Store, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// An application as the pipeline list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplicationSummary {
    /// The application.
    pub id: Uuid,
    /// The vendor login made when the applicant was invited.
    pub vendor_id: Option<Uuid>,
    /// The business.
    pub business_name: String,
    /// The contact person.
    pub contact_name: String,
    /// Their e-mail.
    pub email: String,
    /// Payout country.
    pub country: Option<String>,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub stage: OnboardingStage,
    /// Documents sent.
    pub documents: i64,
    /// When it was last handed in.
    pub submitted_at: Option<Timestamp>,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Whether the vendor is suspended.
    pub suspended: bool,
}

/// Narrows the pipeline list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplicationFilter {
    /// Only this stage.
    pub stage: Option<OnboardingStage>,
    /// Only suspended vendors.
    #[serde(default)]
    pub suspended: bool,
    /// Words in the business's or contact's name or e-mail.
    pub search: Option<String>,
}

/// How the pipeline list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationSort {
    /// By the last change.
    #[default]
    UpdatedAt,
    /// By when it was recorded.
    CreatedAt,
}

impl SortKey for ApplicationSort {
    fn name(&self) -> &'static str {
        match self {
            ApplicationSort::UpdatedAt => "updated_at",
            ApplicationSort::CreatedAt => "created_at",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            ApplicationSort::UpdatedAt => "a.updated_at",
            ApplicationSort::CreatedAt => "a.created_at",
        }
    }
}

/// How many applications stand at each stage, for the tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplicationCounts {
    /// Recorded, not invited yet.
    pub applied: i64,
    /// With the vendor.
    pub onboarding: i64,
    /// Handed in, waiting for an admin.
    pub in_review: i64,
    /// Approved, Stripe payouts not set up yet.
    pub approved: i64,
    /// Selling and paid out.
    pub active: i64,
    /// Declined.
    pub declined: i64,
    /// Vendors suspended (at any stage).
    pub suspended: i64,
}

/// One application as its reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorApplication {
    /// The application.
    pub id: Uuid,
    /// Its version, for the next change.
    pub version: i64,
    /// The vendor login, once invited.
    pub vendor_id: Option<Uuid>,
    /// The business's details.
    pub details: BusinessDetails,
    /// Where it stands.
    pub stage: OnboardingStage,
    /// What the last request for changes named.
    pub requested_items: Vec<OnboardingItem>,
    /// The admin's words with that request.
    pub request_note: Option<String>,
    /// Why it was declined.
    pub decision_reason: Option<String>,
    /// When it was last handed in.
    pub submitted_at: Option<Timestamp>,
    /// When an admin last decided on it.
    pub reviewed_at: Option<Timestamp>,
    /// That admin's name.
    pub reviewer_name: Option<String>,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Whether the vendor is suspended.
    pub suspended: bool,
    /// Whether the vendor has sold on the marketplace (then it is suspended,
    /// never declined).
    pub traded: bool,
    /// Its documents, oldest first.
    pub documents: Vec<VendorDocument>,
    /// What must be added before it can be handed in.
    pub missing_to_submit: Vec<OnboardingItem>,
    /// What stands in the way of approval.
    pub missing_to_approve: Vec<OnboardingItem>,
    /// The steps the reader may take now.
    pub steps: Vec<OnboardingStep>,
    /// Whether the reader may change its details and documents now (and,
    /// an admin, give their verdict on the documents).
    pub editable: bool,
}

const SUMMARY: &str = "SELECT a.id, a.vendor_id, a.business_name, a.contact_name, a.email, a.country, a.stage, \
     (SELECT count(*) FROM vendor_documents d WHERE d.application_id = a.id AND d.deleted_at IS NULL) AS documents, \
     a.submitted_at, a.created_at, a.updated_at, coalesce(u.status = 'suspended', false) AS suspended \
     FROM vendor_applications a LEFT JOIN users u ON u.id = a.vendor_id WHERE a.deleted_at IS NULL";

fn scoped(sql: &mut Sql, reader: Reader) {
    if reader.role == Role::Vendor {
        sql.push(" AND a.vendor_id = ").bind(Param::Uuid(reader.id));
    }
}

/// A page of applications for `reader`.
pub async fn list_applications(
    store: &Store,
    reader: Reader,
    filter: &ApplicationFilter,
    page: &PageRequest<ApplicationSort>,
) -> Result<Page<ApplicationSummary>, StoreError> {
    admin_or_vendor(reader, "see vendor applications")?;
    let pool = online(store)?;
    let mut sql = Sql::new(SUMMARY);
    scoped(&mut sql, reader);
    if let Some(stage) = filter.stage {
        sql.push(" AND a.stage = ").bind(Param::Text(stage.as_str().into()));
    }
    if filter.suspended {
        sql.push(" AND u.status = 'suspended'");
    }
    if let Some(like) = search_pattern(filter.search.as_deref())? {
        sql.push(" AND lower(a.business_name || ' ' || a.contact_name || ' ' || a.email) LIKE ")
            .bind(like)
            .push(" ESCAPE '\\'");
    }
    finish_query(&mut sql, page, "a.id")?;
    let rows: Vec<ApplicationSummary> = bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(pool).await?;
    Ok(into_page(rows, page, |r: &ApplicationSummary| {
        let at = match page.sort {
            ApplicationSort::UpdatedAt => r.updated_at,
            ApplicationSort::CreatedAt => r.created_at,
        };
        (SortValue::from(at), r.id)
    }))
}

/// How many applications `reader` sees at each stage.
pub async fn application_counts(store: &Store, reader: Reader) -> Result<ApplicationCounts, StoreError> {
    admin_or_vendor(reader, "see vendor applications")?;
    let pool = online(store)?;
    let count = |stage: &str| format!("count(*) FILTER (WHERE a.stage = '{stage}') AS {stage}");
    let mut sql = Sql::new(&format!(
        "SELECT {}, {}, {}, {}, {}, {}, count(*) FILTER (WHERE u.status = 'suspended') AS suspended \
         FROM vendor_applications a LEFT JOIN users u ON u.id = a.vendor_id WHERE a.deleted_at IS NULL",
        count("applied"),
        count("onboarding"),
        count("in_review"),
        count("approved"),
        count("active"),
        count("declined")
    ));
    scoped(&mut sql, reader);
    Ok(bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_one(pool).await?)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    version: i64,
    vendor_id: Option<Uuid>,
    business_name: String,
    legal_name: Option<String>,
    contact_name: String,
    email: String,
    tax_id: Option<String>,
    country: Option<String>,
    payout_currency: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    address_line1: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    stage: String,
    requested_items: Option<sqlx::types::Json<Vec<OnboardingItem>>>,
    request_note: Option<String>,
    decision_reason: Option<String>,
    submitted_at: Option<Timestamp>,
    reviewed_at: Option<Timestamp>,
    reviewer_name: Option<String>,
    created_at: Timestamp,
    updated_at: Timestamp,
    suspended: bool,
    traded: bool,
}

/// One application, read on `conn` (a transaction's, to decide on it), for
/// `reader`: a vendor only their own.
pub(crate) async fn application_on(
    conn: &mut PgConnection,
    reader: Reader,
    id: Uuid,
) -> Result<VendorApplication, StoreError> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT a.id, a.version, a.vendor_id, a.business_name, a.legal_name, a.contact_name, a.email, a.tax_id, \
         a.country, a.payout_currency, a.website, a.phone, a.address_line1, a.city, a.postal_code, a.stage, \
         a.requested_items, a.request_note, a.decision_reason, a.submitted_at, a.reviewed_at, r.display_name AS reviewer_name, \
         a.created_at, a.updated_at, coalesce(u.status = 'suspended', false) AS suspended, \
         (a.vendor_id IS NOT NULL AND EXISTS (SELECT 1 FROM order_items i WHERE i.vendor_id = a.vendor_id)) AS traded \
         FROM vendor_applications a LEFT JOIN users u ON u.id = a.vendor_id LEFT JOIN users r ON r.id = a.reviewed_by \
         WHERE a.id = $1 AND a.deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row
        .filter(|r| reader.role == Role::Admin || r.vendor_id == Some(reader.id))
        .ok_or(StoreError::NotFound { entity: "vendor application", id: id.to_string() })?;
    let stage: OnboardingStage = row.stage.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
    let documents = documents_of(&mut *conn, id).await?;
    let details = BusinessDetails {
        business_name: row.business_name,
        legal_name: row.legal_name,
        contact_name: row.contact_name,
        email: row.email,
        tax_id: row.tax_id,
        country: row.country,
        payout_currency: row.payout_currency,
        website: row.website,
        phone: row.phone,
        address_line1: row.address_line1,
        city: row.city,
        postal_code: row.postal_code,
    };
    let requested_items = row.requested_items.map(|j| j.0).unwrap_or_default();
    let facts = ApplicationFacts {
        filled: details.filled(),
        documents: documents.iter().map(|d| (d.kind, d.review)).collect(),
        asked_for: requested_items.clone(),
    };
    let party = super::party(reader);
    let steps = [
        OnboardingStep::Invite,
        OnboardingStep::Submit,
        OnboardingStep::RequestChanges,
        OnboardingStep::Approve,
        OnboardingStep::Decline,
    ]
    .into_iter()
    .filter(|s| s.taken_by(party) && s.from(stage).is_some())
    .filter(|s| !(*s == OnboardingStep::Decline && row.traded))
    .collect();
    Ok(VendorApplication {
        id: row.id,
        version: row.version,
        vendor_id: row.vendor_id,
        missing_to_submit: facts.missing_to_submit(),
        missing_to_approve: facts.missing_to_approve(),
        details,
        stage,
        requested_items,
        request_note: row.request_note,
        decision_reason: row.decision_reason,
        submitted_at: row.submitted_at,
        reviewed_at: row.reviewed_at,
        reviewer_name: row.reviewer_name,
        created_at: row.created_at,
        updated_at: row.updated_at,
        suspended: row.suspended,
        traded: row.traded,
        documents,
        steps,
        editable: stage.open_to(party),
    })
}

/// One application for `reader`.
pub async fn application(store: &Store, reader: Reader, id: Uuid) -> Result<VendorApplication, StoreError> {
    admin_or_vendor(reader, "see vendor applications")?;
    let mut conn = online(store)?.acquire().await?;
    application_on(&mut conn, reader, id).await
}

/// The application of `vendor` (a vendor reading their own), if they have one.
pub async fn application_of_vendor(
    store: &Store,
    reader: Reader,
    vendor: Uuid,
) -> Result<Option<VendorApplication>, StoreError> {
    admin_or_vendor(reader, "see vendor applications")?;
    let mut conn = online(store)?.acquire().await?;
    let id: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM vendor_applications WHERE vendor_id = $1 AND deleted_at IS NULL")
            .bind(vendor)
            .fetch_optional(&mut *conn)
            .await?;
    match id {
        Some(id) => Ok(Some(application_on(&mut conn, reader, id).await?)),
        None => Ok(None),
    }
}
