//! Money: integer minor units with an ISO 4217 currency; rates in basis points.
//!
//! Never a float. Arithmetic on rates goes through `rust_decimal` and rounds
//! half-even back to minor units; splits hand out the remainder so the parts
//! always sum to the whole.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code: exactly three ASCII upper-case letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub struct Currency([u8; 3]);

/// Why a text is not a currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a currency code (three capital letters, like EUR or USD)")]
pub struct CurrencyError(pub String);

impl Currency {
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point in the currency's minor unit (ISO 4217):
    /// 0 for the yen and its peers, 3 for the dinars, 2 for the rest.
    pub fn minor_digits(&self) -> u32 {
        match &self.0 {
            b"BIF" | b"CLP" | b"DJF" | b"GNF" | b"ISK" | b"JPY" | b"KMF" | b"KRW" | b"PYG" | b"RWF" | b"UGX"
            | b"UYI" | b"VND" | b"VUV" | b"XAF" | b"XOF" | b"XPF" => 0,
            b"BHD" | b"IQD" | b"JOD" | b"KWD" | b"LYD" | b"OMR" | b"TND" => 3,
            _ => 2,
        }
    }

    /// `amount` (in whole units, as a provider states a price: `14.57`) in
    /// minor units, exactly; `None` when it has more decimals than the currency
    /// has minor digits, or does not fit.
    pub fn to_minor(&self, amount: Decimal) -> Option<i64> {
        let scaled = amount.checked_mul(Decimal::from(10_i64.pow(self.minor_digits())))?;
        if scaled.fract() != Decimal::ZERO {
            return None;
        }
        i64::try_from(scaled).ok()
    }
}

impl std::str::FromStr for Currency {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Ok(Currency([b[0], b[1], b[2]]))
        } else {
            Err(CurrencyError(s.to_owned()))
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.trim_end().parse()
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An amount in minor units (cents) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Minor units; negative for credits where a sign is meaningful.
    pub minor: i64,
    /// The currency the amount is in.
    pub currency: Currency,
}

impl Money {
    /// An amount of `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }
}

impl std::fmt::Display for Money {
    /// `USD 12.34`: the currency's code and the amount with its minor digits.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.currency, Decimal::new(self.minor, self.currency.minor_digits()))
    }
}

/// `amount × bps / 10 000`, rounded half-even to minor units (a commission, a fee).
pub fn apply_bps(amount_minor: i64, bps: u32) -> i64 {
    let value = Decimal::from(amount_minor) * Decimal::from(bps) / Decimal::from(10_000u32);
    let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
    // |amount| ≤ i64::MAX and bps ≤ 10 000 keep the result in range.
    i64::try_from(rounded.mantissa()).unwrap_or(i64::MAX)
}

/// Splits `total` in proportion to `weights`, so the parts sum exactly to `total`.
///
/// Each part gets the floor of its share; the leftover minor units go one by one to
/// the parts with the largest remainders (ties to the earliest). All-zero weights
/// split evenly. Returns an empty vector for no weights.
pub fn allocate(total: i64, weights: &[u64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let weights: Vec<u128> =
        if sum == 0 { vec![1; weights.len()] } else { weights.iter().map(|w| u128::from(*w)).collect() };
    let sum: u128 = weights.iter().sum();
    let negative = total < 0;
    let magnitude = u128::from(total.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = magnitude * w;
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let handed: u128 = parts.iter().sum();
    let mut leftover = magnitude - handed;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if leftover == 0 {
            break;
        }
        parts[i] += 1;
        leftover -= 1;
    }
    parts
        .into_iter()
        .map(|p| {
            let p = i64::try_from(p).unwrap_or(i64::MAX);
            if negative { -p } else { p }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_units_become_exact_minor_units() {
        use std::str::FromStr;
        let d = |t: &str| Decimal::from_str(t).unwrap();
        assert_eq!(Currency::USD.to_minor(d("14.57")), Some(1457));
        assert_eq!(Currency::USD.to_minor(d("14.5")), Some(1450));
        assert_eq!(Currency::USD.to_minor(d("14.575")), None);
        assert_eq!("JPY".parse::<Currency>().unwrap().to_minor(d("1200")), Some(1200));
        assert_eq!("KWD".parse::<Currency>().unwrap().to_minor(d("1.250")), Some(1250));
    }

    #[test]
    fn currency_codes_are_validated() {
        assert_eq!("EUR".parse::<Currency>().unwrap(), Currency::EUR);
        assert!("eur".parse::<Currency>().is_err());
        assert!("EURO".parse::<Currency>().is_err());
        assert!("".parse::<Currency>().is_err());
        assert_eq!(Currency::try_from("USD ".to_owned()).unwrap(), Currency::USD);
    }

    #[test]
    fn bps_round_half_even() {
        assert_eq!(apply_bps(1000, 1000), 100);
        // 125 × 2% = 2.5 → 2 (even); 175 × 2% = 3.5 → 4 (even)
        assert_eq!(apply_bps(125, 200), 2);
        assert_eq!(apply_bps(175, 200), 4);
        assert_eq!(apply_bps(-175, 200), -4);
        assert_eq!(apply_bps(0, 1234), 0);
    }

    #[test]
    fn allocation_sums_to_the_whole() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(-100, &[1, 1, 1]), vec![-34, -33, -33]);
        assert_eq!(allocate(10, &[0, 0]), vec![5, 5]);
        assert_eq!(allocate(7, &[]), Vec::<i64>::new());
        for total in [0, 1, 99, 1001, 123_457] {
            let parts = allocate(total, &[3, 5, 7, 11]);
            assert_eq!(parts.iter().sum::<i64>(), total);
        }
    }
}
