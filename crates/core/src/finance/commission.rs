//! Commission rules: a percentage and/or a fixed fee set on a product, a vendor,
//! a category (at any depth of the tree), a subscription plan, or the platform.
//! The most specific rule that applies wins; among equally specific ones, the
//! oldest.

use crate::domain::Timestamp;
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

/// What a rule is set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTarget {
    /// One product.
    Product(Uuid),
    /// Everything a vendor sells.
    Vendor(Uuid),
    /// A category and everything below it.
    Category(Uuid),
    /// Vendors on a subscription plan.
    Plan(Uuid),
    /// The platform default.
    Default,
}

/// A commission rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionRule {
    /// Rule id (breaks the last ties).
    pub id: Uuid,
    /// What it is set on.
    pub target: RuleTarget,
    /// Percentage of the line subtotal, e.g. `12.5` for 12.5 %.
    pub percent: Decimal,
    /// Fixed fee per order line, minor units.
    pub fixed_fee_minor: i64,
    /// When it was made (older wins a tie).
    pub created_at: Timestamp,
}

/// Where a sold line sits, for finding its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineContext {
    /// The product sold.
    pub product_id: Uuid,
    /// Its vendor.
    pub vendor_id: Uuid,
    /// Its category and the category's ancestors, leaf first.
    pub categories: Vec<Uuid>,
    /// The vendor's subscription plan, if any.
    pub plan_id: Option<Uuid>,
}

/// Why a rule is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// Percent outside 0–100.
    #[error("a commission is between 0 % and 100 %, not {0} %")]
    Percent(Decimal),
    /// A negative fee.
    #[error("a fixed fee cannot be negative")]
    NegativeFee,
}

impl CommissionRule {
    /// Checks the rule's numbers.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.percent < Decimal::ZERO || self.percent > Decimal::ONE_HUNDRED {
            return Err(RuleError::Percent(self.percent));
        }
        if self.fixed_fee_minor < 0 {
            return Err(RuleError::NegativeFee);
        }
        Ok(())
    }

    /// How specific the rule is for `line` (higher wins), or `None` when it
    /// does not apply. A deeper category beats a shallower one.
    fn specificity(&self, line: &LineContext) -> Option<u32> {
        match self.target {
            RuleTarget::Product(p) if p == line.product_id => Some(1000),
            RuleTarget::Vendor(v) if v == line.vendor_id => Some(900),
            RuleTarget::Category(c) => line
                .categories
                .iter()
                .position(|x| *x == c)
                .map(|depth_from_leaf| 800 - u32::try_from(depth_from_leaf).unwrap_or(700).min(700)),
            RuleTarget::Plan(p) if Some(p) == line.plan_id => Some(50),
            RuleTarget::Default => Some(10),
            _ => None,
        }
    }

    /// The commission on a line of `subtotal_minor`: percent rounded half-even
    /// to minor units, plus the fixed fee, never more than the line itself.
    pub fn commission_minor(&self, subtotal_minor: i64) -> i64 {
        let rate = self.percent / Decimal::ONE_HUNDRED;
        let share =
            (Decimal::from(subtotal_minor) * rate).round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
        let share = i64::try_from(share.mantissa()).unwrap_or(i64::MAX);
        share.saturating_add(self.fixed_fee_minor).clamp(0, subtotal_minor.max(0))
    }
}

/// The rule that applies to `line`: the most specific, ties to the oldest (then
/// the smallest id, so the choice never depends on input order).
pub fn applicable<'a>(rules: &'a [CommissionRule], line: &LineContext) -> Option<&'a CommissionRule> {
    rules
        .iter()
        .filter_map(|r| r.specificity(line).map(|s| (s, r)))
        .max_by(|(sa, a), (sb, b)| sa.cmp(sb).then(b.created_at.cmp(&a.created_at)).then(b.id.cmp(&a.id)))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_unix_micros(secs * 1_000_000).unwrap()
    }

    fn rule(n: u128, target: RuleTarget, percent: Decimal, fee: i64, created: i64) -> CommissionRule {
        CommissionRule { id: Uuid::from_u128(n), target, percent, fixed_fee_minor: fee, created_at: at(created) }
    }

    #[test]
    fn the_most_specific_rule_wins_and_ties_go_to_the_oldest() {
        let (product, vendor, leaf, parent, plan) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4), Uuid::from_u128(5));
        let line =
            LineContext { product_id: product, vendor_id: vendor, categories: vec![leaf, parent], plan_id: Some(plan) };
        let mut rules = vec![
            rule(10, RuleTarget::Default, dec!(15), 0, 1),
            rule(11, RuleTarget::Plan(plan), dec!(10), 0, 2),
            rule(12, RuleTarget::Category(parent), dec!(9), 0, 3),
        ];
        assert_eq!(applicable(&rules, &line).unwrap().id, Uuid::from_u128(12));
        rules.push(rule(13, RuleTarget::Category(leaf), dec!(8), 0, 4));
        assert_eq!(applicable(&rules, &line).unwrap().id, Uuid::from_u128(13), "deeper category wins");
        rules.push(rule(14, RuleTarget::Vendor(vendor), dec!(7), 0, 5));
        assert_eq!(applicable(&rules, &line).unwrap().id, Uuid::from_u128(14));
        rules.push(rule(16, RuleTarget::Product(product), dec!(6), 0, 9));
        rules.push(rule(15, RuleTarget::Product(product), dec!(5), 0, 6));
        assert_eq!(applicable(&rules, &line).unwrap().id, Uuid::from_u128(15), "the older of two product rules");
        let mut reversed = rules.clone();
        reversed.reverse();
        assert_eq!(applicable(&reversed, &line).unwrap().id, Uuid::from_u128(15), "input order does not matter");
        let other = LineContext {
            product_id: Uuid::from_u128(99),
            vendor_id: Uuid::from_u128(98),
            categories: vec![],
            plan_id: None,
        };
        assert_eq!(applicable(&rules, &other).unwrap().id, Uuid::from_u128(10));
        assert!(applicable(&rules[1..], &other).is_none());
    }

    #[test]
    fn commissions_round_half_even_and_never_exceed_the_line() {
        let r = rule(1, RuleTarget::Default, dec!(12.5), 0, 0);
        assert_eq!(r.commission_minor(1000), 125);
        assert_eq!(r.commission_minor(4), 0); // 0.5 → 0
        assert_eq!(r.commission_minor(12), 2); // 1.5 → 2
        let fee = rule(2, RuleTarget::Default, dec!(10), 30, 0);
        assert_eq!(fee.commission_minor(1000), 130);
        assert_eq!(fee.commission_minor(20), 20, "capped at the line");
        assert_eq!(rule(3, RuleTarget::Default, dec!(100.1), 0, 0).validate(), Err(RuleError::Percent(dec!(100.1))));
        assert_eq!(rule(4, RuleTarget::Default, dec!(1), -1, 0).validate(), Err(RuleError::NegativeFee));
    }
}
