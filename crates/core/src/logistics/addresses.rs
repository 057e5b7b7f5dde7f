//! Checking an address before a label is bought: the fields every carrier
//! needs and the postcode's format for the country, locally and offline; the
//! carrier's own check (where it has one) comes after, in `purchase`.

use crate::integrations::carriers::Party;
use serde::Serialize;

/// Why an address cannot take a label: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{side} address, {field}: {reason}")]
pub struct AddressProblem {
    /// `sender` or `recipient`.
    pub side: String,
    /// The field at fault (`postcode`, `city`, …).
    pub field: String,
    /// What is wrong, and what would be right.
    pub reason: String,
}

/// Postcode shapes per country: `9` a digit, `A` a letter, `?` an optional
/// space, anything else itself. Countries not listed take any 2–10 letters,
/// digits, spaces or hyphens.
fn postcode_shapes(country: &str) -> Option<&'static [&'static str]> {
    Some(match country {
        "US" | "PR" => &["99999", "99999-9999"],
        "CA" => &["A9A?9A9"],
        "DE" | "FR" | "IT" | "ES" | "FI" | "EE" | "HR" | "MX" => &["99999"],
        "NL" => &["9999?AA"],
        "BE" | "AT" | "CH" | "DK" | "NO" | "AU" | "NZ" | "HU" | "LU" | "SI" | "BG" | "CY" | "ZA" => &["9999"],
        "SE" | "CZ" | "SK" | "GR" => &["999?99"],
        "PL" => &["99-999"],
        "PT" => &["9999-999"],
        "IE" => &["A99?A9A9", "A99?AAAA", "A99?9AAA", "A99?99AA", "A99?AA9A", "A99?A99A", "A99?9A9A"],
        "JP" => &["999-9999", "9999999"],
        "BR" => &["99999-999", "99999999"],
        "IN" => &["999999"],
        "GB" => &["A9?9AA", "A99?9AA", "AA9?9AA", "AA99?9AA", "A9A?9AA", "AA9A?9AA"],
        _ => return None,
    })
}

fn fits(shape: &str, text: &str) -> bool {
    let mut t = text.chars().peekable();
    for s in shape.chars() {
        match s {
            '?' => {
                if t.peek() == Some(&' ') {
                    t.next();
                }
            }
            '9' => {
                if !t.next().is_some_and(|c| c.is_ascii_digit()) {
                    return false;
                }
            }
            'A' => {
                if !t.next().is_some_and(|c| c.is_ascii_uppercase()) {
                    return false;
                }
            }
            lit => {
                if t.next() != Some(lit) {
                    return false;
                }
            }
        }
    }
    t.next().is_none()
}

/// Countries whose carriers need a state or province code.
fn needs_region(country: &str) -> bool {
    matches!(country, "US" | "CA" | "AU" | "MX" | "BR" | "IN")
}

/// The first problem with `p` as the `side` of a label, if any.
pub fn check_party(side: &str, p: &Party) -> Result<(), AddressProblem> {
    let problem = |field: &str, reason: String| AddressProblem { side: side.into(), field: field.into(), reason };
    if p.name.trim().is_empty() {
        return Err(problem("name", "a name is required".into()));
    }
    if p.lines.iter().all(|l| l.trim().is_empty()) {
        return Err(problem("street", "a street line is required".into()));
    }
    if let Some(long) = p.lines.iter().find(|l| l.chars().count() > 35) {
        return Err(problem("street", format!("“{long}” is longer than the 35 characters carriers print")));
    }
    if p.city.trim().is_empty() {
        return Err(problem("city", "a city is required".into()));
    }
    let country = p.country.trim();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(problem("country", format!("“{country}” is not a two-letter country code (US, DE, GB)")));
    }
    if needs_region(country) && p.region.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(problem("region", format!("a state or province code is required in {country}")));
    }
    let postcode = p.postcode.trim().to_ascii_uppercase();
    match postcode_shapes(country) {
        Some(shapes) if !shapes.iter().any(|s| fits(s, &postcode)) => {
            let example = shapes[0].replace('9', "1").replace('A', "X").replace('?', " ");
            return Err(problem("postcode", format!("“{}” is not a {country} postcode (like {example})", p.postcode)));
        }
        None if !(2..=10).contains(&postcode.len())
            || !postcode.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') =>
        {
            return Err(problem("postcode", format!("“{}” is not a postcode", p.postcode)));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(country: &str, postcode: &str, region: Option<&str>) -> Party {
        Party {
            name: "Ada".into(),
            company: None,
            phone: String::new(),
            lines: vec!["1 Main St".into()],
            city: "Town".into(),
            region: region.map(Into::into),
            postcode: postcode.into(),
            country: country.into(),
        }
    }

    #[test]
    fn postcodes_follow_their_country() {
        assert!(check_party("recipient", &party("US", "38116", Some("TN"))).is_ok());
        assert!(check_party("recipient", &party("US", "38116-1234", Some("TN"))).is_ok());
        let e = check_party("recipient", &party("US", "3811", Some("TN"))).unwrap_err();
        assert_eq!((e.field.as_str(), e.side.as_str()), ("postcode", "recipient"));
        assert!(e.reason.contains("like 11111"), "{e}");
        assert!(check_party("recipient", &party("CA", "K1A 0B1", Some("ON"))).is_ok());
        assert!(check_party("recipient", &party("GB", "SW1A 1AA", None)).is_ok());
        assert!(check_party("recipient", &party("GB", "SW1A", None)).is_err());
        assert!(check_party("recipient", &party("NL", "1012 AB", None)).is_ok());
        assert!(check_party("recipient", &party("DE", "1011", None)).is_err());
        assert!(check_party("recipient", &party("ZZ", "AB-12", None)).is_ok());
    }

    #[test]
    fn missing_fields_are_named() {
        assert_eq!(check_party("sender", &party("US", "38116", None)).unwrap_err().field, "region");
        let mut p = party("DE", "10115", None);
        p.city = " ".into();
        assert_eq!(check_party("sender", &p).unwrap_err().field, "city");
        p.city = "Berlin".into();
        p.lines = vec!["x".repeat(36)];
        assert_eq!(check_party("sender", &p).unwrap_err().field, "street");
    }
}
