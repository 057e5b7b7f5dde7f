//! A business's details as an application holds them, and the checks they
//! pass at the edge: trimmed, empty fields as none, the e-mail, tax id,
//! country and currency in the shapes the rest of the marketplace expects.

use crate::domain::Currency;
use crate::domain::vendor_onboarding::{OnboardingItem, country_ok, tax_id_ok};
use crate::store::StoreError;
use serde::{Deserialize, Serialize};

/// Longest free-text field.
pub const MAX_FIELD: usize = 200;

/// Who the business is and where it is paid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BusinessDetails {
    /// The name buyers see.
    pub business_name: String,
    /// The registered legal name.
    pub legal_name: Option<String>,
    /// The person the marketplace deals with.
    pub contact_name: String,
    /// Their e-mail (the invitation goes there).
    pub email: String,
    /// Tax or VAT number.
    pub tax_id: Option<String>,
    /// Payout country (ISO 3166 alpha-2, e.g. "DE").
    pub country: Option<String>,
    /// Payout currency (ISO 4217, e.g. "EUR").
    pub payout_currency: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Street and number.
    pub address_line1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
}

fn text(label: &str, value: &str) -> Result<String, StoreError> {
    let v = value.trim();
    if v.chars().count() > MAX_FIELD || v.chars().any(char::is_control) {
        return Err(StoreError::Validation(format!("the {label} must be one line of at most {MAX_FIELD} characters")));
    }
    Ok(v.to_owned())
}

/// An optional one-line field, trimmed; empty is none.
pub(crate) fn optional(label: &str, value: &Option<String>) -> Result<Option<String>, StoreError> {
    match value {
        None => Ok(None),
        Some(v) => Ok(Some(text(label, v)?).filter(|t| !t.is_empty())),
    }
}

/// An e-mail address as written by people: a name, an `@`, a dotted domain.
pub(crate) fn email(value: String) -> Result<String, StoreError> {
    let email = value.to_lowercase();
    if email.contains(' ') || !email.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.')) {
        return Err(StoreError::Validation(format!("“{email}” is not an e-mail address")));
    }
    Ok(email)
}

/// A tax id's shape (see `tax_id_ok`).
pub(crate) fn tax_id(value: Option<String>) -> Result<Option<String>, StoreError> {
    match value {
        Some(t) if !tax_id_ok(&t) => Err(StoreError::Validation(format!(
            "“{t}” is not a tax id: 4 to 30 letters and digits, with spaces, dots or dashes"
        ))),
        other => Ok(other),
    }
}

/// An ISO country code, in capitals.
pub(crate) fn country(value: Option<String>) -> Result<Option<String>, StoreError> {
    match value.map(|c| c.to_uppercase()) {
        Some(c) if !country_ok(&c) => {
            Err(StoreError::Validation(format!("“{c}” is not a country code (two letters, e.g. DE)")))
        }
        other => Ok(other),
    }
}

/// A web address (http or https).
pub(crate) fn website(value: Option<String>) -> Result<Option<String>, StoreError> {
    match value {
        Some(w) if !(w.starts_with("https://") || w.starts_with("http://")) => {
            Err(StoreError::Validation(format!("“{w}” is not a web address (https://…)")))
        }
        other => Ok(other),
    }
}

impl BusinessDetails {
    /// The details cleaned and checked, or the first field that is wrong,
    /// named.
    pub fn checked(&self) -> Result<BusinessDetails, StoreError> {
        let business_name = text("business name", &self.business_name)?;
        let contact_name = text("contact name", &self.contact_name)?;
        if business_name.is_empty() || contact_name.is_empty() {
            return Err(StoreError::Validation("enter the business's name and the contact person's name".into()));
        }
        let email = email(text("e-mail", &self.email)?)?;
        let tax_id = tax_id(optional("tax id", &self.tax_id)?)?;
        let country = country(optional("country", &self.country)?)?;
        let payout_currency = optional("currency", &self.payout_currency)?.map(|c| c.to_uppercase());
        if let Some(c) = &payout_currency {
            c.parse::<Currency>().map_err(|_| {
                StoreError::Validation(format!("“{c}” is not a currency code (three letters, e.g. EUR)"))
            })?;
        }
        Ok(BusinessDetails {
            business_name,
            legal_name: optional("legal name", &self.legal_name)?,
            contact_name,
            email,
            tax_id,
            country,
            payout_currency,
            website: website(optional("web site", &self.website)?)?,
            phone: optional("telephone", &self.phone)?,
            address_line1: optional("street", &self.address_line1)?,
            city: optional("city", &self.city)?,
            postal_code: optional("postal code", &self.postal_code)?,
        })
    }

    /// Which of the details an approval needs are filled in.
    pub fn filled(&self) -> Vec<OnboardingItem> {
        let mut out = Vec::new();
        let has = |v: &Option<String>| v.as_deref().is_some_and(|t| !t.trim().is_empty());
        if has(&self.legal_name) {
            out.push(OnboardingItem::LegalName);
        }
        if has(&self.tax_id) {
            out.push(OnboardingItem::TaxId);
        }
        if has(&self.country) {
            out.push(OnboardingItem::PayoutCountry);
        }
        if has(&self.payout_currency) {
            out.push(OnboardingItem::PayoutCurrency);
        }
        if has(&self.address_line1) && has(&self.city) && has(&self.postal_code) {
            out.push(OnboardingItem::Address);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BusinessDetails {
        BusinessDetails {
            business_name: " Nordlicht Tees ".into(),
            contact_name: "Ada Berg".into(),
            email: "Ada@Nordlicht.example".into(),
            ..Default::default()
        }
    }

    #[test]
    fn details_are_cleaned_and_each_bad_field_named() {
        let d = BusinessDetails { country: Some("de".into()), tax_id: Some("  ".into()), ..base() }.checked().unwrap();
        assert_eq!((d.business_name.as_str(), d.email.as_str()), ("Nordlicht Tees", "ada@nordlicht.example"));
        assert_eq!((d.country.as_deref(), d.tax_id), (Some("DE"), None));
        let err = |d: BusinessDetails| d.checked().unwrap_err().to_string();
        assert!(err(BusinessDetails { email: "ada".into(), ..base() }).contains("not an e-mail"));
        assert!(err(BusinessDetails { country: Some("Germany".into()), ..base() }).contains("not a country code"));
        assert!(err(BusinessDetails { payout_currency: Some("EU".into()), ..base() }).contains("not a currency"));
        assert!(err(BusinessDetails { tax_id: Some("1".into()), ..base() }).contains("not a tax id"));
        assert!(err(BusinessDetails { website: Some("nordlicht".into()), ..base() }).contains("web address"));
        assert!(err(BusinessDetails { business_name: " ".into(), ..base() }).contains("business's name"));
    }

    #[test]
    fn the_address_counts_only_when_whole() {
        let mut d = base();
        d.address_line1 = Some("Hafenstraße 1".into());
        d.city = Some("Kiel".into());
        assert!(!d.filled().contains(&OnboardingItem::Address));
        d.postal_code = Some("24103".into());
        assert!(d.filled().contains(&OnboardingItem::Address));
    }
}
