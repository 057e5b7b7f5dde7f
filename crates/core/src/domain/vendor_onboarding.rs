//! The vendor onboarding pipeline as a table: its stages, the steps between
//! them and who takes each, and what an application still lacks before it can
//! be handed in or approved — named item by item, so a refusal says what is
//! missing rather than "incomplete".

use super::status::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Where an application stands.
    OnboardingStage, "onboarding stage" {
        Applied => "applied", Onboarding => "onboarding", InReview => "in_review",
        Approved => "approved", Active => "active", Declined => "declined",
    }
);

text_enum!(
    /// What a document sent with an application is.
    VendorDocumentKind, "vendor document kind" {
        BusinessRegistration => "business_registration", ProofOfIdentity => "proof_of_identity",
        TaxCertificate => "tax_certificate", BankStatement => "bank_statement", Other => "other",
    }
);

text_enum!(
    /// An admin's verdict on one document.
    DocumentReview, "document review" { Pending => "pending", Accepted => "accepted", Rejected => "rejected" }
);

impl OnboardingStage {
    /// Whether `party` may change an application at this stage — its
    /// details and documents, and (an admin) their verdicts: the vendor while
    /// it is with them, an admin until it is decided.
    pub fn open_to(self, party: OnboardingParty) -> bool {
        match party {
            OnboardingParty::Admin => {
                matches!(self, OnboardingStage::Applied | OnboardingStage::Onboarding | OnboardingStage::InReview)
            }
            OnboardingParty::Vendor => self == OnboardingStage::Onboarding,
            OnboardingParty::Stripe => false,
        }
    }
}

/// The documents every application needs before approval.
pub const REQUIRED_DOCUMENTS: [VendorDocumentKind; 2] =
    [VendorDocumentKind::BusinessRegistration, VendorDocumentKind::ProofOfIdentity];

impl VendorDocumentKind {
    /// In words, for screens and refusals.
    pub fn label(self) -> &'static str {
        match self {
            VendorDocumentKind::BusinessRegistration => "business registration",
            VendorDocumentKind::ProofOfIdentity => "proof of identity",
            VendorDocumentKind::TaxCertificate => "tax certificate",
            VendorDocumentKind::BankStatement => "bank statement",
            VendorDocumentKind::Other => "other document",
        }
    }
}

/// A move in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OnboardingStep {
    /// An admin invites the applicant: a vendor login is made for them.
    Invite,
    /// The vendor (or an admin for them) hands the application in.
    Submit,
    /// An admin sends it back naming what is missing.
    RequestChanges,
    /// An admin approves it: its details become the vendor's profile.
    Approve,
    /// An admin declines it with a reason.
    Decline,
    /// Stripe says the vendor can receive payouts (the database moves it).
    Activate,
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnboardingParty {
    /// A marketplace admin.
    Admin,
    /// The applicant, signed in as the vendor the invitation made.
    Vendor,
    /// Stripe, through the vendor's Connect account.
    Stripe,
}

impl OnboardingStep {
    /// Whether `party` may take this step.
    pub fn taken_by(self, party: OnboardingParty) -> bool {
        use OnboardingParty::{Admin, Stripe, Vendor};
        match self {
            OnboardingStep::Submit => matches!(party, Admin | Vendor),
            OnboardingStep::Activate => party == Stripe,
            _ => party == Admin,
        }
    }

    /// The stage this step leads to from `from`, when the table allows it.
    pub fn from(self, from: OnboardingStage) -> Option<OnboardingStage> {
        use OnboardingStage::{Active, Applied, Approved, Declined, InReview, Onboarding};
        match (self, from) {
            (OnboardingStep::Invite, Applied) => Some(Onboarding),
            (OnboardingStep::Submit, Onboarding) => Some(InReview),
            (OnboardingStep::RequestChanges, InReview) => Some(Onboarding),
            (OnboardingStep::Approve, InReview) => Some(Approved),
            (OnboardingStep::Decline, Applied | Onboarding | InReview) => Some(Declined),
            (OnboardingStep::Activate, Approved) => Some(Active),
            _ => None,
        }
    }

    /// In words ("approve").
    pub fn label(self) -> &'static str {
        match self {
            OnboardingStep::Invite => "invite",
            OnboardingStep::Submit => "hand in",
            OnboardingStep::RequestChanges => "send back",
            OnboardingStep::Approve => "approve",
            OnboardingStep::Decline => "decline",
            OnboardingStep::Activate => "activate",
        }
    }
}

/// Something an application must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OnboardingItem {
    /// The business's registered legal name.
    LegalName,
    /// Its tax or VAT number.
    TaxId,
    /// The country its payouts go to.
    PayoutCountry,
    /// The currency it is paid out in.
    PayoutCurrency,
    /// Its street address, city and postal code.
    Address,
    /// A business registration document.
    BusinessRegistration,
    /// A proof of identity of its representative.
    ProofOfIdentity,
    /// A tax certificate (asked for by an admin when needed).
    TaxCertificate,
    /// A bank statement (asked for by an admin when needed).
    BankStatement,
}

impl OnboardingItem {
    /// In words, as a refusal lists it.
    pub fn label(self) -> &'static str {
        match self {
            OnboardingItem::LegalName => "the legal name",
            OnboardingItem::TaxId => "the tax id",
            OnboardingItem::PayoutCountry => "the payout country",
            OnboardingItem::PayoutCurrency => "the payout currency",
            OnboardingItem::Address => "the business address",
            OnboardingItem::BusinessRegistration => "a business registration document",
            OnboardingItem::ProofOfIdentity => "a proof of identity",
            OnboardingItem::TaxCertificate => "a tax certificate",
            OnboardingItem::BankStatement => "a bank statement",
        }
    }

    /// The document this item asks for, when it is one.
    pub fn document(self) -> Option<VendorDocumentKind> {
        match self {
            OnboardingItem::BusinessRegistration => Some(VendorDocumentKind::BusinessRegistration),
            OnboardingItem::ProofOfIdentity => Some(VendorDocumentKind::ProofOfIdentity),
            OnboardingItem::TaxCertificate => Some(VendorDocumentKind::TaxCertificate),
            OnboardingItem::BankStatement => Some(VendorDocumentKind::BankStatement),
            _ => None,
        }
    }

    fn for_document(kind: VendorDocumentKind) -> Option<OnboardingItem> {
        [
            OnboardingItem::BusinessRegistration,
            OnboardingItem::ProofOfIdentity,
            OnboardingItem::TaxCertificate,
            OnboardingItem::BankStatement,
        ]
        .into_iter()
        .find(|i| i.document() == Some(kind))
    }
}

/// What an application holds, as the checks need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationFacts {
    /// Which of the business details are filled in.
    pub filled: Vec<OnboardingItem>,
    /// Each live document's kind and verdict.
    pub documents: Vec<(VendorDocumentKind, DocumentReview)>,
    /// Documents an admin asked for besides the required ones.
    pub asked_for: Vec<OnboardingItem>,
}

const DETAILS: [OnboardingItem; 5] = [
    OnboardingItem::LegalName,
    OnboardingItem::TaxId,
    OnboardingItem::PayoutCountry,
    OnboardingItem::PayoutCurrency,
    OnboardingItem::Address,
];

impl ApplicationFacts {
    fn wanted_documents(&self) -> Vec<VendorDocumentKind> {
        let mut kinds: Vec<VendorDocumentKind> = REQUIRED_DOCUMENTS.to_vec();
        for kind in self.asked_for.iter().filter_map(|i| i.document()) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds
    }

    /// What is still missing before the application can be handed in: each
    /// empty detail, and each wanted document with no file that was not
    /// rejected.
    pub fn missing_to_submit(&self) -> Vec<OnboardingItem> {
        let mut missing: Vec<OnboardingItem> = DETAILS.into_iter().filter(|d| !self.filled.contains(d)).collect();
        for kind in self.wanted_documents() {
            let sent = self.documents.iter().any(|(k, r)| *k == kind && *r != DocumentReview::Rejected);
            if !sent && let Some(item) = OnboardingItem::for_document(kind) {
                missing.push(item);
            }
        }
        missing
    }

    /// What stands in the way of approval: what is missing to hand it in,
    /// then each wanted document no admin has accepted yet.
    pub fn missing_to_approve(&self) -> Vec<OnboardingItem> {
        let mut missing = self.missing_to_submit();
        for kind in self.wanted_documents() {
            let accepted = self.documents.iter().any(|(k, r)| *k == kind && *r == DocumentReview::Accepted);
            if let Some(item) = OnboardingItem::for_document(kind)
                && !accepted
                && !missing.contains(&item)
            {
                missing.push(item);
            }
        }
        missing
    }
}

/// `items` as one phrase: "the tax id, the payout country and a proof of identity".
pub fn list_in_words(items: &[OnboardingItem]) -> String {
    let words: Vec<&str> = items.iter().map(|i| i.label()).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A tax id as written on documents: 4 to 30 letters and digits, with spaces,
/// dots and dashes between them.
pub fn tax_id_ok(tax_id: &str) -> bool {
    let t = tax_id.trim();
    (4..=30).contains(&t.chars().count())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.' | '/'))
        && t.chars().filter(char::is_ascii_alphanumeric).count() >= 4
}

/// An ISO 3166 alpha-2 country code in capitals.
pub fn country_ok(country: &str) -> bool {
    country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use OnboardingStage as S;
    use OnboardingStep as T;

    #[test]
    fn the_table_allows_only_its_moves() {
        let allowed: Vec<(T, S, S)> = [T::Invite, T::Submit, T::RequestChanges, T::Approve, T::Decline, T::Activate]
            .into_iter()
            .flat_map(|t| S::ALL.iter().filter_map(move |s| t.from(*s).map(|to| (t, *s, to))))
            .collect();
        assert_eq!(allowed.len(), 8, "{allowed:?}");
        for end in [S::Active, S::Declined] {
            assert!(allowed.iter().all(|(_, from, _)| *from != end), "{end} is an end");
        }
        assert_eq!(T::Decline.from(S::Approved), None, "an approved vendor is suspended, not declined");
        assert!(T::Submit.taken_by(OnboardingParty::Vendor) && !T::Approve.taken_by(OnboardingParty::Vendor));
        assert!(T::Activate.taken_by(OnboardingParty::Stripe) && !T::Activate.taken_by(OnboardingParty::Admin));
        assert!(S::InReview.open_to(OnboardingParty::Admin) && !S::InReview.open_to(OnboardingParty::Vendor));
        assert!(S::Onboarding.open_to(OnboardingParty::Vendor) && !S::Approved.open_to(OnboardingParty::Admin));
    }

    #[test]
    fn missing_items_are_named_before_submission_and_approval() {
        let mut facts = ApplicationFacts { filled: vec![OnboardingItem::LegalName], ..Default::default() };
        assert_eq!(
            list_in_words(&facts.missing_to_submit()),
            "the tax id, the payout country, the payout currency, the business address, \
             a business registration document and a proof of identity"
        );
        facts.filled = DETAILS.to_vec();
        facts.documents = vec![
            (VendorDocumentKind::BusinessRegistration, DocumentReview::Accepted),
            (VendorDocumentKind::ProofOfIdentity, DocumentReview::Rejected),
        ];
        assert_eq!(facts.missing_to_submit(), vec![OnboardingItem::ProofOfIdentity]);
        facts.documents.push((VendorDocumentKind::ProofOfIdentity, DocumentReview::Pending));
        assert!(facts.missing_to_submit().is_empty());
        assert_eq!(facts.missing_to_approve(), vec![OnboardingItem::ProofOfIdentity]);
        facts.asked_for = vec![OnboardingItem::BankStatement];
        assert_eq!(facts.missing_to_submit(), vec![OnboardingItem::BankStatement]);
        facts.documents[2].1 = DocumentReview::Accepted;
        facts.documents.push((VendorDocumentKind::BankStatement, DocumentReview::Accepted));
        assert!(facts.missing_to_approve().is_empty());
    }

    #[test]
    fn tax_ids_and_countries_are_checked() {
        assert!(tax_id_ok("DE 123456789") && tax_id_ok("12-3456789") && !tax_id_ok("x") && !tax_id_ok("DE12<script>"));
        assert!(country_ok("DE") && !country_ok("de") && !country_ok("DEU"));
    }
}
