//! `vendors`: the onboarding pipeline and suspension from a terminal — the
//! applications by stage, one shown with what it lacks, each step (record,
//! invite, details, documents, hand in, send back, approve, decline) and a
//! vendor suspended or reactivated, through the same core functions as the
//! desktop. Against the marketplace's server only.

use super::Result;
use super::catalog_files::reader;
use super::orders::parsed;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::disputes::attachments::NewAttachment;
use marketdesk_core::domain::vendor_onboarding::{OnboardingItem, OnboardingStage, VendorDocumentKind, list_in_words};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_core::vendors::applications::{
    ApplicationFilter, ApplicationSort, VendorApplication, application, list_applications,
};
use marketdesk_core::vendors::details::BusinessDetails;
use marketdesk_core::vendors::documents::{DocumentVerdict, add_document, document, review_document};
use marketdesk_core::vendors::profile::{ProfileEdit, update_vendor_profile, vendor_profile};
use marketdesk_core::vendors::review::{ApplicationStep, record_application, take_step, update_details};
use marketdesk_core::vendors::suspension::set_vendor_suspended;
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

fn item(text: &str) -> std::result::Result<OnboardingItem, String> {
    serde_json::from_value(serde_json::Value::String(text.replace('-', "_"))).map_err(|_| {
        format!(
            "“{text}” is not an item: legal_name, tax_id, payout_country, payout_currency, address, \
             business_registration, proof_of_identity, tax_certificate or bank_statement"
        )
    })
}

/// What `vendors` does.
#[derive(Debug, Subcommand)]
pub enum VendorsAction {
    /// Applications, last changed first (an admin: all; a vendor: their own).
    Applications {
        /// Only this stage (applied, onboarding, in_review, approved, active, declined).
        #[arg(long, value_parser = parsed::<OnboardingStage>)]
        stage: Option<OnboardingStage>,
        /// Words in the business's or contact's name or e-mail.
        #[arg(long)]
        search: Option<String>,
        /// How many to show (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// One application: details, documents, what it lacks, the steps open.
    Show {
        /// The application's id.
        application: Uuid,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Records a business's application (admins).
    Apply {
        /// The business's name.
        #[arg(long)]
        business: String,
        /// The contact person.
        #[arg(long)]
        contact: String,
        /// Their e-mail (the invitation goes there).
        #[arg(long)]
        email: String,
        /// Payout country (two letters).
        #[arg(long)]
        country: Option<String>,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Changes an application's business details; fields not given stay.
    Details {
        /// The application's id.
        application: Uuid,
        /// Registered legal name.
        #[arg(long)]
        legal_name: Option<String>,
        /// Tax or VAT number.
        #[arg(long)]
        tax_id: Option<String>,
        /// Payout country (two letters).
        #[arg(long)]
        country: Option<String>,
        /// Payout currency (three letters).
        #[arg(long)]
        currency: Option<String>,
        /// Street and number.
        #[arg(long)]
        street: Option<String>,
        /// City.
        #[arg(long)]
        city: Option<String>,
        /// Postal code.
        #[arg(long)]
        postal_code: Option<String>,
        /// As the vendor (or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Sends a file as one of the application's documents.
    Document {
        /// The application's id.
        application: Uuid,
        /// business_registration, proof_of_identity, tax_certificate, bank_statement or other.
        #[arg(long, value_parser = parsed::<VendorDocumentKind>)]
        kind: VendorDocumentKind,
        /// The file (PDF, photo or .txt, 10 MB at most).
        file: PathBuf,
        /// As the vendor (or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Accepts or rejects a document (admins).
    Review {
        /// The document's id.
        document: Uuid,
        /// Accept it.
        #[arg(long, conflicts_with = "reject")]
        accept: bool,
        /// Reject it (say why with --note).
        #[arg(long)]
        reject: bool,
        /// Why, or a remark.
        #[arg(long, default_value = "")]
        note: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Invites the applicant: a vendor login, its invitation mailed (admins).
    Invite {
        /// The application's id.
        application: Uuid,
        /// Their sign-in name.
        #[arg(long)]
        username: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Hands the application in for review.
    Submit {
        /// The application's id.
        application: Uuid,
        /// As the vendor (or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Sends it back naming what is missing (admins).
    Request {
        /// The application's id.
        application: Uuid,
        /// A missing item (repeat or separate with commas).
        #[arg(long = "item", value_delimiter = ',', value_parser = item)]
        items: Vec<OnboardingItem>,
        /// What to change, in words.
        #[arg(long, default_value = "")]
        note: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Approves it: its details become the vendor's profile (admins).
    Approve {
        /// The application's id.
        application: Uuid,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Declines it with a reason (admins; a vendor who sold is suspended instead).
    Decline {
        /// The application's id.
        application: Uuid,
        /// Why (the applicant reads it).
        #[arg(long)]
        reason: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Shows a vendor's business profile, or changes the fields given.
    Profile {
        /// The vendor: user id, username or e-mail.
        vendor: String,
        /// The name buyers see.
        #[arg(long)]
        business: Option<String>,
        /// Where buyers write to.
        #[arg(long)]
        support_email: Option<String>,
        /// Telephone.
        #[arg(long)]
        phone: Option<String>,
        /// Web site.
        #[arg(long)]
        website: Option<String>,
        /// What they sell.
        #[arg(long)]
        description: Option<String>,
        /// As the vendor themselves or an admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Suspends a vendor: sign-in closed, live products hidden, payouts held.
    Suspend {
        /// The vendor: user id, username or e-mail.
        vendor: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Reactivates a suspended vendor.
    Reactivate {
        /// The vendor: user id, username or e-mail.
        vendor: String,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
}

fn print(a: &VendorApplication) {
    println!("{}  {}  {}", a.id, a.stage.as_str(), a.details.business_name);
    println!("    contact: {} <{}>", a.details.contact_name, a.details.email);
    if a.suspended {
        println!("    the vendor is suspended");
    }
    for d in &a.documents {
        let note = d.review_note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
        println!("    document {}  {:<21} {:<8} {}{note}", d.id, d.kind.as_str(), d.review.as_str(), d.file_name);
    }
    if !a.requested_items.is_empty() || a.request_note.is_some() {
        println!(
            "    asked for: {} {}",
            list_in_words(&a.requested_items),
            a.request_note.as_deref().unwrap_or_default()
        );
    }
    if let Some(reason) = &a.decision_reason {
        println!("    declined: {reason}");
    }
    if !a.missing_to_submit.is_empty() {
        println!("    to hand it in, add {}", list_in_words(&a.missing_to_submit));
    } else if !a.missing_to_approve.is_empty() {
        println!("    before approval: {}", list_in_words(&a.missing_to_approve));
    }
    let steps: Vec<&str> = a.steps.iter().map(|s| s.label()).collect();
    println!("    steps open: {}", if steps.is_empty() { "none".to_owned() } else { steps.join(", ") });
}

fn keep(new: Option<String>, old: &Option<String>) -> Option<String> {
    new.or_else(|| old.clone())
}

/// Runs one `vendors` action.
pub async fn run(loc: &Location, action: VendorsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        VendorsAction::Applications { stage, search, limit, r#as } => {
            let who = reader(&store, &r#as).await?;
            let filter = ApplicationFilter { stage, suspended: false, search };
            let page = PageRequest { sort: ApplicationSort::UpdatedAt, dir: SortDir::Desc, after: None, limit };
            let found = list_applications(&store, who, &filter, &page).await?;
            if found.items.is_empty() {
                println!("No applications match.");
            }
            for a in &found.items {
                println!(
                    "{}  {:<10} {:<32} {} <{}>  {} document(s)",
                    a.id,
                    a.stage.as_str(),
                    a.business_name,
                    a.contact_name,
                    a.email,
                    a.documents
                );
            }
        }
        VendorsAction::Show { application: id, r#as } => {
            let who = reader(&store, &r#as).await?;
            print(&application(&store, who, id).await?);
        }
        VendorsAction::Apply { business, contact, email, country, r#as } => {
            let who = reader(&store, &r#as).await?;
            let details = BusinessDetails {
                business_name: business,
                contact_name: contact,
                email,
                country,
                ..Default::default()
            };
            let id = record_application(&store, who, &details).await?;
            print(&application(&store, who, id).await?);
        }
        VendorsAction::Details {
            application: id,
            legal_name,
            tax_id,
            country,
            currency,
            street,
            city,
            postal_code,
            r#as,
        } => {
            let who = reader(&store, &r#as).await?;
            let seen = application(&store, who, id).await?;
            let d = &seen.details;
            let details = BusinessDetails {
                legal_name: keep(legal_name, &d.legal_name),
                tax_id: keep(tax_id, &d.tax_id),
                country: keep(country, &d.country),
                payout_currency: keep(currency, &d.payout_currency),
                address_line1: keep(street, &d.address_line1),
                city: keep(city, &d.city),
                postal_code: keep(postal_code, &d.postal_code),
                ..d.clone()
            };
            update_details(&store, who, id, seen.version, &details).await?;
            print(&application(&store, who, id).await?);
        }
        VendorsAction::Document { application: id, kind, file, r#as } => {
            let who = reader(&store, &r#as).await?;
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let doc = add_document(&store, who, id, kind, &NewAttachment { name, bytes }).await?;
            println!("{}  {}  {} ({} bytes)", doc.id, doc.kind.as_str(), doc.file_name, doc.byte_size);
        }
        VendorsAction::Review { document: document_id, accept, reject, note, r#as } => {
            let who = reader(&store, &r#as).await?;
            if accept == reject {
                return Err("say --accept or --reject".into());
            }
            let version = document(&store, who, document_id).await?.version;
            review_document(&store, who, &DocumentVerdict { document_id, version, accept, note }).await?;
            println!("{} {document_id}", if accept { "Accepted" } else { "Rejected" });
        }
        VendorsAction::Invite { application: id, username, r#as } => {
            step(&store, &r#as, id, ApplicationStep::Invite { username }).await?;
        }
        VendorsAction::Submit { application: id, r#as } => step(&store, &r#as, id, ApplicationStep::Submit).await?,
        VendorsAction::Request { application: id, items, note, r#as } => {
            step(&store, &r#as, id, ApplicationStep::RequestChanges { items, note }).await?;
        }
        VendorsAction::Approve { application: id, r#as } => step(&store, &r#as, id, ApplicationStep::Approve).await?,
        VendorsAction::Decline { application: id, reason, r#as } => {
            step(&store, &r#as, id, ApplicationStep::Decline { reason }).await?;
        }
        VendorsAction::Profile { vendor, business, support_email, phone, website, description, r#as } => {
            let who = reader(&store, &r#as).await?;
            let vendor = person_id(&store, &vendor).await?;
            let mut p = vendor_profile(&store, who, vendor).await?;
            let changes = [
                business.is_some(),
                support_email.is_some(),
                phone.is_some(),
                website.is_some(),
                description.is_some(),
            ];
            if changes.contains(&true) {
                let edit = ProfileEdit {
                    business_name: business.or(p.edit.business_name.clone()),
                    support_email: support_email.or(p.edit.support_email.clone()),
                    phone: phone.or(p.edit.phone.clone()),
                    website: website.or(p.edit.website.clone()),
                    description: description.or(p.edit.description.clone()),
                    ..p.edit.clone()
                };
                update_vendor_profile(&store, who, vendor, p.version, &edit).await?;
                p = vendor_profile(&store, who, vendor).await?;
            }
            let e = &p.edit;
            let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
            println!("{}  {}", p.vendor_id, or_dash(&e.business_name));
            println!("    legal name: {}   tax id: {}", or_dash(&e.legal_name), or_dash(&e.tax_id));
            println!(
                "    support: {}   phone: {}   web: {}",
                or_dash(&e.support_email),
                or_dash(&e.phone),
                or_dash(&e.website)
            );
            println!(
                "    payouts in {}; verification {}; Stripe payouts {}{}",
                or_dash(&p.payout_currency),
                p.verification_status,
                if p.payouts_enabled { "enabled" } else { "not yet" },
                if p.suspended { "; suspended" } else { "" }
            );
            if let Some(d) = &e.description {
                println!("    {d}");
            }
        }
        VendorsAction::Suspend { vendor, reason, r#as } => {
            let who = reader(&store, &r#as).await?;
            let vendor = person_id(&store, &vendor).await?;
            let impact = set_vendor_suspended(&store, who, vendor, true, &reason).await?;
            println!(
                "Suspended {}: {} live product(s) hidden, {} payout(s) waiting will be held.",
                impact.vendor_name, impact.live_products, impact.payouts_waiting
            );
        }
        VendorsAction::Reactivate { vendor, r#as } => {
            let who = reader(&store, &r#as).await?;
            let vendor = person_id(&store, &vendor).await?;
            let impact = set_vendor_suspended(&store, who, vendor, false, "").await?;
            println!("Reactivated {}: {} product(s) live again.", impact.vendor_name, impact.live_products);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn step(store: &marketdesk_core::Store, who: &str, id: Uuid, step: ApplicationStep) -> Result<()> {
    let who = reader(store, who).await?;
    let seen = application(store, who, id).await?;
    print(&take_step(store, who, id, seen.version, &step).await?);
    Ok(())
}
