//! Shipping zones and rate tables: which zone an address falls in (zones are
//! tried in their order, the first that covers the address wins, as in the
//! checkout of most shops), and what a parcel costs by a method's table in
//! that zone — flat, by weight band, or a base plus a price per kilogram,
//! free over an order value. Amounts are integer minor units of the table's
//! currency; nothing here rounds in the buyer's favour by accident.

use serde::{Deserialize, Serialize};

/// A rule that a zone area or rate table breaks, in words an admin can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RateRuleError(pub String);

fn refuse<T>(words: impl Into<String>) -> Result<T, RateRuleError> {
    Err(RateRuleError(words.into()))
}

/// The largest amount a rate may name (ten billion in minor units).
pub const MAX_RATE_MINOR: i64 = 10_000_000_000;

/// One area of a zone: every country (`*`), a country (`FR`), a region of it
/// (`US/CA`), or postcodes in it (`FR:75*` by prefix, `US/CA:94000..94999`
/// as a range of equally long codes, `NL:1012AB` exactly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ZoneArea {
    /// ISO 3166 alpha-2 country; none for every country.
    pub country: Option<String>,
    /// Region (state, province) as addresses spell it; none for all of them.
    pub region: Option<String>,
    /// Postcodes: `75*`, `94000..94999` or one code; none for all of them.
    pub postcode_pattern: Option<String>,
}

fn squeeze(postcode: &str) -> String {
    postcode.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

fn check_pattern(pattern: &str) -> Result<(), RateRuleError> {
    let p = squeeze(pattern);
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if let Some(prefix) = p.strip_suffix('*') {
        if plain(prefix) {
            return Ok(());
        }
    } else if let Some((low, high)) = p.split_once("..") {
        if plain(low) && plain(high) && low.len() == high.len() && low <= high {
            return Ok(());
        }
        return refuse(format!(
            "postcode range {pattern:?}: both ends need the same length and the first must not come after the second"
        ));
    } else if plain(&p) {
        return Ok(());
    }
    refuse(format!("postcode pattern {pattern:?}: use a code (1012AB), a prefix (75*) or a range (94000..94999)"))
}

impl ZoneArea {
    /// Reads `*`, `CC`, `CC/REGION`, `CC:PATTERN` or `CC/REGION:PATTERN`.
    pub fn parse(text: &str) -> Result<ZoneArea, RateRuleError> {
        let text = text.trim();
        if text == "*" {
            return Ok(ZoneArea { country: None, region: None, postcode_pattern: None });
        }
        let (place, pattern) = match text.split_once(':') {
            Some((place, pattern)) => (place, Some(pattern.trim().to_owned())),
            None => (text, None),
        };
        let (country, region) = match place.split_once('/') {
            Some((c, r)) => (c.trim(), Some(r.trim().to_owned())),
            None => (place.trim(), None),
        };
        let area = ZoneArea { country: Some(country.to_ascii_uppercase()), region, postcode_pattern: pattern };
        area.check()?;
        Ok(area)
    }

    /// Checks the country code, region and postcode pattern.
    pub fn check(&self) -> Result<(), RateRuleError> {
        match &self.country {
            None if self.region.is_some() || self.postcode_pattern.is_some() => {
                return refuse("an area for every country cannot name a region or postcodes");
            }
            None => return Ok(()),
            Some(c) if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) => {
                return refuse(format!("{c:?} is not a two-letter country code (FR, US, NL …)"));
            }
            Some(_) => {}
        }
        if let Some(r) = &self.region
            && (r.trim().is_empty() || r.chars().count() > 60)
        {
            return refuse("a region is 1 to 60 characters");
        }
        if let Some(p) = &self.postcode_pattern {
            check_pattern(p)?;
        }
        Ok(())
    }

    /// Whether an address in `country`, `region` with `postcode` lies here.
    pub fn covers(&self, country: &str, region: Option<&str>, postcode: &str) -> bool {
        let Some(own) = &self.country else { return true };
        if !own.eq_ignore_ascii_case(country.trim()) {
            return false;
        }
        if let Some(want) = &self.region
            && !region.is_some_and(|r| r.trim().eq_ignore_ascii_case(want.trim()))
        {
            return false;
        }
        let Some(pattern) = &self.postcode_pattern else { return true };
        let code = squeeze(postcode);
        let pattern = squeeze(pattern);
        if let Some(prefix) = pattern.strip_suffix('*') {
            code.starts_with(prefix)
        } else if let Some((low, high)) = pattern.split_once("..") {
            code.get(..low.len()).is_some_and(|head| head >= low && head <= high)
        } else {
            code == pattern
        }
    }
}

impl std::fmt::Display for ZoneArea {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(country) = &self.country else { return f.write_str("*") };
        f.write_str(country)?;
        if let Some(r) = &self.region {
            write!(f, "/{r}")?;
        }
        if let Some(p) = &self.postcode_pattern {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

/// The first of `zones` (in their order) with an area covering the address.
pub fn zone_for<'a, Z>(
    zones: &'a [Z],
    areas: impl Fn(&Z) -> &[ZoneArea],
    country: &str,
    region: Option<&str>,
    postcode: &str,
) -> Option<&'a Z> {
    zones.iter().find(|z| areas(z).iter().any(|a| a.covers(country, region, postcode)))
}

/// One weight band: parcels up to `up_to_grams` (none: any heavier parcel)
/// cost `amount_minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeightBand {
    /// The heaviest parcel in the band, in grams; none for no limit.
    pub up_to_grams: Option<i32>,
    /// Its price in minor units.
    pub amount_minor: i64,
}

/// How a table prices a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum RatePlan {
    /// One price whatever the weight.
    Flat {
        /// The price.
        amount_minor: i64,
    },
    /// A price per weight band, lightest first; a parcel heavier than the
    /// last limited band is not taken by this method.
    WeightBands {
        /// The bands, by rising limit; only the last may have no limit.
        bands: Vec<WeightBand>,
    },
    /// A base price plus a price per kilogram, charged pro rata to the gram
    /// and rounded up to the minor unit.
    PerKg {
        /// The price of any parcel.
        base_minor: i64,
        /// The price of each kilogram.
        per_kg_minor: i64,
    },
}

/// A method's rate table in one zone and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RateTable {
    /// How a parcel is priced.
    pub plan: RatePlan,
    /// Shipping is free when the goods in the parcel's order are worth at
    /// least this much (minor units).
    pub free_over_minor: Option<i64>,
}

fn amount(what: &str, value: i64) -> Result<(), RateRuleError> {
    if !(0..=MAX_RATE_MINOR).contains(&value) {
        return refuse(format!("{what} must be between 0 and {MAX_RATE_MINOR} minor units, not {value}"));
    }
    Ok(())
}

impl RateTable {
    /// Checks amounts and bands.
    pub fn check(&self) -> Result<(), RateRuleError> {
        match &self.plan {
            RatePlan::Flat { amount_minor } => amount("the flat price", *amount_minor)?,
            RatePlan::PerKg { base_minor, per_kg_minor } => {
                amount("the base price", *base_minor)?;
                amount("the price per kg", *per_kg_minor)?;
            }
            RatePlan::WeightBands { bands } => {
                if bands.is_empty() {
                    return refuse("a weight-band table needs at least one band");
                }
                let mut previous = 0;
                for (i, band) in bands.iter().enumerate() {
                    amount(&format!("band {}'s price", i + 1), band.amount_minor)?;
                    match band.up_to_grams {
                        None if i + 1 < bands.len() => {
                            return refuse(format!("band {} has no weight limit, so only the last band may", i + 1));
                        }
                        None => {}
                        Some(g) if g <= previous => {
                            return refuse(format!(
                                "band {} must end above {previous} g (bands go from lightest to heaviest)",
                                i + 1
                            ));
                        }
                        Some(g) => previous = g,
                    }
                }
            }
        }
        if let Some(t) = self.free_over_minor {
            if t <= 0 {
                return refuse("free shipping needs an order value above 0");
            }
            amount("the free-shipping threshold", t)?;
        }
        Ok(())
    }

    /// What a parcel of `weight_grams` costs when the goods in its order are
    /// worth `goods_minor`; `None` when the table does not take the weight.
    pub fn price(&self, weight_grams: i64, goods_minor: i64) -> Option<i64> {
        let weight = weight_grams.max(0);
        let price = match &self.plan {
            RatePlan::Flat { amount_minor } => *amount_minor,
            RatePlan::WeightBands { bands } => {
                bands.iter().find(|b| b.up_to_grams.is_none_or(|limit| weight <= i64::from(limit)))?.amount_minor
            }
            RatePlan::PerKg { base_minor, per_kg_minor } => {
                let part = (i128::from(*per_kg_minor) * i128::from(weight) + 999) / 1000;
                base_minor.checked_add(i64::try_from(part).ok()?)?
            }
        };
        match self.free_over_minor {
            Some(threshold) if goods_minor >= threshold => Some(0),
            _ => Some(price),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(text: &str) -> ZoneArea {
        ZoneArea::parse(text).unwrap()
    }

    #[test]
    fn areas_read_and_match_countries_regions_and_postcodes() {
        assert!(area("*").covers("JP", None, "100-0001"));
        assert!(area("fr").covers("FR", None, "75001"));
        assert!(!area("FR").covers("BE", None, "1000"));
        assert!(area("US/CA").covers("US", Some("ca"), "94105"));
        assert!(!area("US/CA").covers("US", Some("NY"), "10001"));
        assert!(!area("US/CA").covers("US", None, "94105"));
        assert!(area("FR:75*").covers("FR", None, "75011"));
        assert!(!area("FR:75*").covers("FR", None, "69001"));
        let range = area("US/CA:94000..94999");
        assert!(range.covers("US", Some("CA"), "94105-1234"));
        assert!(!range.covers("US", Some("CA"), "95014"));
        assert!(!range.covers("US", Some("CA"), "94"));
        assert!(area("GB:SW1A1AA").covers("GB", None, "sw1a 1aa"));
        assert_eq!(area("US/CA:94000..94999").to_string(), "US/CA:94000..94999");
        assert_eq!(area("*").to_string(), "*");
    }

    #[test]
    fn bad_areas_say_what_is_wrong() {
        assert!(ZoneArea::parse("France").unwrap_err().0.contains("two-letter"));
        assert!(ZoneArea::parse("US:95000..94000").unwrap_err().0.contains("must not come after"));
        assert!(ZoneArea::parse("US:940..94999").unwrap_err().0.contains("same length"));
        assert!(ZoneArea::parse("FR:75%").unwrap_err().0.contains("prefix"));
        let everywhere = ZoneArea { country: None, region: Some("CA".into()), postcode_pattern: None };
        assert!(everywhere.check().is_err());
    }

    #[test]
    fn the_first_zone_in_order_that_covers_the_address_wins() {
        let zones = vec![("Paris", vec![area("FR:75*")]), ("France", vec![area("FR")]), ("World", vec![area("*")])];
        let pick = |c: &str, p: &str| zone_for(&zones, |z| z.1.as_slice(), c, None, p).map(|z| z.0);
        assert_eq!(pick("FR", "75002"), Some("Paris"));
        assert_eq!(pick("FR", "13001"), Some("France"));
        assert_eq!(pick("DE", "10115"), Some("World"));
        assert_eq!(zone_for(&zones[..2], |z| z.1.as_slice(), "DE", None, "10115").map(|z| z.0), None);
    }

    #[test]
    fn tables_price_parcels_exactly() {
        let flat = RateTable { plan: RatePlan::Flat { amount_minor: 490 }, free_over_minor: Some(5000) };
        assert_eq!(flat.price(12_000, 4999), Some(490));
        assert_eq!(flat.price(12_000, 5000), Some(0));
        let bands = RateTable {
            plan: RatePlan::WeightBands {
                bands: vec![
                    WeightBand { up_to_grams: Some(500), amount_minor: 350 },
                    WeightBand { up_to_grams: Some(2000), amount_minor: 600 },
                ],
            },
            free_over_minor: None,
        };
        assert_eq!(bands.price(500, 0), Some(350));
        assert_eq!(bands.price(501, 0), Some(600));
        assert_eq!(bands.price(2001, 0), None);
        let per_kg = RateTable { plan: RatePlan::PerKg { base_minor: 300, per_kg_minor: 125 }, free_over_minor: None };
        assert_eq!(per_kg.price(1000, 0), Some(425));
        assert_eq!(per_kg.price(1001, 0), Some(426), "a part of a minor unit is rounded up");
        assert_eq!(per_kg.price(0, 0), Some(300));
    }

    #[test]
    fn tables_that_cannot_price_are_refused() {
        let bands = |b: Vec<WeightBand>| RateTable { plan: RatePlan::WeightBands { bands: b }, free_over_minor: None };
        assert!(bands(vec![]).check().is_err());
        let open_first = bands(vec![
            WeightBand { up_to_grams: None, amount_minor: 1 },
            WeightBand { up_to_grams: Some(10), amount_minor: 2 },
        ]);
        assert!(open_first.check().unwrap_err().0.contains("only the last"));
        let falling = bands(vec![
            WeightBand { up_to_grams: Some(100), amount_minor: 1 },
            WeightBand { up_to_grams: Some(100), amount_minor: 2 },
        ]);
        assert!(falling.check().unwrap_err().0.contains("end above 100 g"));
        let negative = RateTable { plan: RatePlan::Flat { amount_minor: -1 }, free_over_minor: None };
        assert!(negative.check().is_err());
        let free_at_zero = RateTable { plan: RatePlan::Flat { amount_minor: 1 }, free_over_minor: Some(0) };
        assert!(free_at_zero.check().is_err());
    }
}
