//! A product as its editor holds it: name, description, category, options
//! (size, colour …) and one variant per combination of their values, each
//! with its SKU, barcode, prices, weight and dimensions. The rules a draft
//! must keep live here, once, and every problem is named by its field so the
//! editor can put it beside the input at fault.

use crate::domain::Currency;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The most options a product may have.
pub const MAX_OPTIONS: usize = 3;
/// The most variants a product may have.
pub const MAX_VARIANTS: usize = 100;
/// The largest price, in minor units (ten million in major units).
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000;
/// The heaviest parcel-able variant, in grams (carriers stop at 70 kg).
pub const MAX_WEIGHT_GRAMS: i32 = 70_000;
/// The longest side a variant may have, in millimetres.
pub const MAX_SIDE_MM: i32 = 3_000;

/// One option a product comes in, with the values offered, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductOption {
    /// Its name ("Size").
    pub name: String,
    /// Its values ("S", "M", "L").
    pub values: Vec<String>,
}

/// One variant as edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VariantDraft {
    /// The variant's id: an existing variant's, or one made for a new one.
    pub id: Uuid,
    /// Its value for each of the product's options, by option name.
    pub options: BTreeMap<String, String>,
    /// Stock-keeping unit, unique among the vendor's live variants.
    pub sku: String,
    /// GTIN (EAN-8, UPC-A, EAN-13 or GTIN-14), if it has one.
    pub barcode: Option<String>,
    /// Price, minor units.
    pub price_minor: i64,
    /// The "was" price shown struck through; above the price when set.
    pub compare_at_price_minor: Option<i64>,
    /// Shipping weight, grams.
    pub weight_grams: i32,
    /// Packed length, millimetres.
    pub length_mm: Option<i32>,
    /// Packed width, millimetres.
    pub width_mm: Option<i32>,
    /// Packed height, millimetres.
    pub height_mm: Option<i32>,
    /// At or below this many available units it is low on stock.
    pub low_stock_threshold: i32,
    /// Units on hand when a new variant is created; ignored for a variant
    /// that exists (its stock changes by adjustments, never typed over).
    pub initial_stock: i32,
}

/// A whole product as edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductDraft {
    /// The vendor selling it.
    pub vendor_id: Uuid,
    /// Its category.
    pub category_id: Uuid,
    /// Name shown to buyers.
    pub name: String,
    /// Description shown to buyers.
    pub description: String,
    /// Currency of every price.
    pub currency: Currency,
    /// The options; none for a product sold in one form.
    pub options: Vec<ProductOption>,
    /// The variants; exactly one when there are no options.
    pub variants: Vec<VariantDraft>,
}

/// A problem with one field of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftProblem {
    /// The field: `name`, `options[1].values`, `variants[2].sku` …
    pub field: String,
    /// What is wrong, in words the person can act on.
    pub message: String,
}

impl DraftProblem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        DraftProblem { field: field.into(), message: message.into() }
    }
}

/// Every combination of the options' values, in the order the options and
/// their values are listed (the first option changes slowest).
pub fn combinations(options: &[ProductOption]) -> Vec<BTreeMap<String, String>> {
    let mut out = vec![BTreeMap::new()];
    for option in options {
        let mut next = Vec::with_capacity(out.len() * option.values.len());
        for partial in &out {
            for value in &option.values {
                let mut combo = partial.clone();
                combo.insert(option.name.trim().to_owned(), value.trim().to_owned());
                next.push(combo);
            }
        }
        out = next;
    }
    out
}

/// A variant's name from its option values, in the options' order
/// ("M / Red"); "Default" for a product without options.
pub fn variant_name(options: &[ProductOption], values: &BTreeMap<String, String>) -> String {
    let parts: Vec<&str> = options.iter().filter_map(|o| values.get(o.name.trim()).map(String::as_str)).collect();
    if parts.is_empty() { "Default".into() } else { parts.join(" / ") }
}

/// Whether `code` is a GTIN with a correct check digit (8, 12, 13 or 14 digits).
pub fn gtin_is_valid(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != code.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body.iter().rev().enumerate().map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d }).sum();
    (10 - sum % 10) % 10 == check[0]
}

impl ProductDraft {
    /// Trims what people type around words and drops empty barcodes.
    pub fn tidied(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        for o in &mut self.options {
            o.name = o.name.trim().to_owned();
            for v in &mut o.values {
                *v = v.trim().to_owned();
            }
        }
        for v in &mut self.variants {
            v.sku = v.sku.trim().to_owned();
            v.barcode = v.barcode.take().map(|b| b.trim().to_owned()).filter(|b| !b.is_empty());
            v.options = std::mem::take(&mut v.options)
                .into_iter()
                .map(|(k, val)| (k.trim().to_owned(), val.trim().to_owned()))
                .collect();
        }
        self
    }

    /// Every problem with the draft, each named by its field; empty when it
    /// may be saved.
    pub fn problems(&self) -> Vec<DraftProblem> {
        let mut out = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 300 {
            out.push(DraftProblem::new("name", "a product name needs 1–300 characters"));
        }
        if self.description.chars().count() > 20_000 {
            out.push(DraftProblem::new("description", "a description holds at most 20,000 characters"));
        }
        self.option_problems(&mut out);
        self.variant_problems(&mut out);
        out
    }

    fn option_problems(&self, out: &mut Vec<DraftProblem>) {
        if self.options.len() > MAX_OPTIONS {
            out.push(DraftProblem::new("options", format!("a product has at most {MAX_OPTIONS} options")));
        }
        let mut names = BTreeSet::new();
        for (i, o) in self.options.iter().enumerate() {
            let name = o.name.trim();
            if name.is_empty() || name.chars().count() > 40 {
                out.push(DraftProblem::new(format!("options[{i}].name"), "an option's name needs 1–40 characters"));
            } else if !names.insert(name.to_lowercase()) {
                out.push(DraftProblem::new(format!("options[{i}].name"), format!("“{name}” is listed twice")));
            }
            let mut values = BTreeSet::new();
            if o.values.is_empty() {
                out.push(DraftProblem::new(format!("options[{i}].values"), "an option needs at least one value"));
            }
            for v in &o.values {
                let v = v.trim();
                if v.is_empty() || v.chars().count() > 60 {
                    out.push(DraftProblem::new(format!("options[{i}].values"), "each value needs 1–60 characters"));
                } else if !values.insert(v.to_lowercase()) {
                    out.push(DraftProblem::new(format!("options[{i}].values"), format!("“{v}” is listed twice")));
                }
            }
        }
    }

    fn variant_problems(&self, out: &mut Vec<DraftProblem>) {
        if self.variants.is_empty() {
            out.push(DraftProblem::new("variants", "a product needs at least one variant"));
            return;
        }
        if self.variants.len() > MAX_VARIANTS {
            out.push(DraftProblem::new("variants", format!("a product has at most {MAX_VARIANTS} variants")));
        }
        let option_names: BTreeSet<String> = self.options.iter().map(|o| o.name.trim().to_owned()).collect();
        if self.options.is_empty() && self.variants.len() > 1 {
            out.push(DraftProblem::new("variants", "several variants need an option that tells them apart"));
        }
        let (mut skus, mut combos, mut ids) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for (i, v) in self.variants.iter().enumerate() {
            let at = |field: &str| format!("variants[{i}].{field}");
            if !ids.insert(v.id) {
                out.push(DraftProblem::new(at("id"), "two variants share one id"));
            }
            let keys: BTreeSet<String> = v.options.keys().cloned().collect();
            if keys != option_names {
                out.push(DraftProblem::new(at("options"), "a variant needs one value for each option, and no other"));
            } else if let Some((name, value)) = v.options.iter().find(|(name, value)| {
                !self
                    .options
                    .iter()
                    .any(|o| o.name.trim() == name.as_str() && o.values.iter().any(|x| x.trim() == *value))
            }) {
                out.push(DraftProblem::new(at("options"), format!("“{value}” is not a value of {name}")));
            } else if !combos.insert(v.options.clone()) {
                out.push(DraftProblem::new(at("options"), "another variant has the same values"));
            }
            let sku = v.sku.trim();
            if sku.is_empty() || sku.chars().count() > 64 || sku.chars().any(char::is_whitespace) {
                out.push(DraftProblem::new(at("sku"), "a SKU needs 1–64 characters and no spaces"));
            } else if !skus.insert(sku.to_lowercase()) {
                out.push(DraftProblem::new(at("sku"), format!("SKU {sku} is used by another variant here")));
            }
            if let Some(code) = v.barcode.as_deref().map(str::trim).filter(|b| !b.is_empty())
                && !gtin_is_valid(code)
            {
                out.push(DraftProblem::new(
                    at("barcode"),
                    "not a GTIN: 8, 12, 13 or 14 digits with a correct check digit",
                ));
            }
            if !(0..=MAX_PRICE_MINOR).contains(&v.price_minor) {
                out.push(DraftProblem::new(at("price_minor"), "a price is from 0 to 10,000,000"));
            }
            if let Some(was) = v.compare_at_price_minor
                && (was <= v.price_minor || was > MAX_PRICE_MINOR)
            {
                out.push(DraftProblem::new(at("compare_at_price_minor"), "a “was” price must be above the price"));
            }
            if !(0..=MAX_WEIGHT_GRAMS).contains(&v.weight_grams) {
                out.push(DraftProblem::new(at("weight_grams"), "a weight is from 0 to 70,000 g"));
            }
            for (field, side) in [("length_mm", v.length_mm), ("width_mm", v.width_mm), ("height_mm", v.height_mm)] {
                if side.is_some_and(|s| !(1..=MAX_SIDE_MM).contains(&s)) {
                    out.push(DraftProblem::new(at(field), "a side is from 1 to 3,000 mm"));
                }
            }
            if v.low_stock_threshold < 0 {
                out.push(DraftProblem::new(at("low_stock_threshold"), "a threshold cannot be negative"));
            }
            if v.initial_stock < 0 {
                out.push(DraftProblem::new(at("initial_stock"), "stock received cannot be negative"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(name: &str, values: &[&str]) -> ProductOption {
        ProductOption { name: name.into(), values: values.iter().map(|v| (*v).into()).collect() }
    }

    fn variant(sku: &str, options: &[(&str, &str)]) -> VariantDraft {
        VariantDraft {
            id: crate::domain::new_id(),
            options: options.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect(),
            sku: sku.into(),
            barcode: None,
            price_minor: 1500,
            compare_at_price_minor: None,
            weight_grams: 300,
            length_mm: None,
            width_mm: None,
            height_mm: None,
            low_stock_threshold: 2,
            initial_stock: 5,
        }
    }

    fn draft(options: Vec<ProductOption>, variants: Vec<VariantDraft>) -> ProductDraft {
        ProductDraft {
            vendor_id: crate::domain::new_id(),
            category_id: crate::domain::new_id(),
            name: "Linen shirt".into(),
            description: String::new(),
            currency: "EUR".parse().unwrap(),
            options,
            variants,
        }
    }

    #[test]
    fn combinations_follow_the_options_order() {
        let opts = [option("Size", &["S", "M"]), option("Colour", &["Red", "Blue", "Green"])];
        let all = combinations(&opts);
        assert_eq!(all.len(), 6);
        assert_eq!(variant_name(&opts, &all[0]), "S / Red");
        assert_eq!(variant_name(&opts, &all[5]), "M / Green");
        assert_eq!(combinations(&[]), vec![BTreeMap::new()]);
        assert_eq!(variant_name(&[], &BTreeMap::new()), "Default");
    }

    #[test]
    fn gtins_are_checked_by_their_check_digit() {
        for good in ["4006381333931", "96385074", "036000291452", "10614141000415"] {
            assert!(gtin_is_valid(good), "{good}");
        }
        for bad in ["4006381333932", "1234", "40063813339a1", "", "0360002914521 "] {
            assert!(!gtin_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn a_good_draft_has_no_problems() {
        let opts = vec![option("Size", &["S", "M"])];
        let d = draft(opts, vec![variant("SH-S", &[("Size", "S")]), variant("SH-M", &[("Size", "M")])]);
        assert_eq!(d.problems(), vec![]);
    }

    #[test]
    fn every_problem_names_its_field() {
        let opts = vec![option("Size", &["S", "S"]), option("", &[])];
        let mut a = variant("SH S", &[("Size", "S")]);
        a.barcode = Some("4006381333932".into());
        a.compare_at_price_minor = Some(100);
        a.length_mm = Some(0);
        let mut b = variant("sh s", &[("Size", "XL"), ("", "x")]);
        b.price_minor = -1;
        b.id = a.id;
        let mut d = draft(opts, vec![a, b]);
        d.name = "  ".into();
        let fields: Vec<String> = d.problems().into_iter().map(|p| p.field).collect();
        for f in [
            "name",
            "options[0].values",
            "options[1].name",
            "options[1].values",
            "variants[0].sku",
            "variants[0].barcode",
            "variants[0].compare_at_price_minor",
            "variants[0].length_mm",
            "variants[1].id",
            "variants[1].price_minor",
            "variants[1].options",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn variants_must_match_the_options() {
        let opts = vec![option("Size", &["S", "M"])];
        let d = draft(opts.clone(), vec![variant("A", &[("Size", "S")]), variant("B", &[("Size", "S")])]);
        assert_eq!(d.problems()[0].message, "another variant has the same values");
        let d = draft(vec![], vec![variant("A", &[]), variant("B", &[])]);
        assert_eq!(d.problems()[0].field, "variants");
        let d = draft(opts, vec![variant("A", &[("Colour", "S")])]);
        assert_eq!(d.problems()[0].field, "variants[0].options");
    }
}
