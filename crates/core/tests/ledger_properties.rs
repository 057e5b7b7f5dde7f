//! Property tests of the money rules: 100,000 random postings (1,000 cases of
//! 100) keep every transaction balanced and every balance equal to the sum of
//! its entries; a full refund undoes a sale's effect on everyone but Stripe's
//! fee; allocation never loses a cent.

use marketdesk_core::domain::Currency;
use marketdesk_core::domain::accounts::Account;
use marketdesk_core::domain::ledger::Entry;
use marketdesk_core::domain::money::{allocate, apply_bps};
use marketdesk_core::finance::commission::{CommissionRule, RuleTarget};
use marketdesk_core::finance::postings::{
    Capture, CommissionBearer, Returned, SoldLine, dispute_lost, payment_captured, payout_executed, payout_returned,
    refund, reversal, subscription_paid,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

const POSTINGS_PER_CASE: usize = 100;

fn vendor(n: u8) -> Uuid {
    Uuid::from_u128(u128::from(n) + 1)
}

#[derive(Debug, Clone)]
enum Event {
    Sale {
        lines: Vec<(u8, u32, i64, u32, u32, i64)>,
        shipping: i64,
        refund_units: Vec<u32>,
        refund_shipping: bool,
        vendor_bears: bool,
    },
    Payout {
        vendor: u8,
        amount: i64,
        returned: bool,
    },
    Subscription {
        amount: i64,
    },
    Dispute {
        vendor: u8,
        amount: i64,
        fee: i64,
    },
    Mistake {
        amount: i64,
    },
}

fn event() -> impl Strategy<Value = Event> {
    let line = (0u8..4, 1u32..5, 0i64..100_000, 0u32..2_500, 0u32..=10_000, 0i64..500);
    prop_oneof![
        6 => (prop::collection::vec(line, 1..6), 0i64..5_000, prop::collection::vec(0u32..5, 0..6), any::<bool>(), any::<bool>())
            .prop_map(|(lines, shipping, refund_units, refund_shipping, vendor_bears)| Event::Sale { lines, shipping, refund_units, refund_shipping, vendor_bears }),
        2 => (0u8..4, 1i64..1_000_000, any::<bool>()).prop_map(|(vendor, amount, returned)| Event::Payout { vendor, amount, returned }),
        1 => (1i64..50_000).prop_map(|amount| Event::Subscription { amount }),
        1 => (0u8..4, 1i64..100_000, 0i64..2_000).prop_map(|(vendor, amount, fee)| Event::Dispute { vendor, amount, fee }),
        1 => (1i64..100_000).prop_map(|amount| Event::Mistake { amount }),
    ]
}

fn sold(l: &(u8, u32, i64, u32, u32, i64)) -> SoldLine {
    let (v, quantity, unit, tax_bps, commission_bps, fee) = *l;
    let subtotal = unit * i64::from(quantity);
    let rule = CommissionRule {
        id: Uuid::nil(),
        target: RuleTarget::Default,
        percent: Decimal::new(i64::from(commission_bps), 2),
        fixed_fee_minor: fee,
        created_at: marketdesk_core::domain::Timestamp::now(),
    };
    SoldLine {
        vendor_id: vendor(v),
        quantity,
        subtotal_minor: subtotal,
        tax_minor: apply_bps(subtotal, tax_bps),
        commission_minor: rule.commission_minor(subtotal),
    }
}

fn postings(e: &Event, currency: Currency) -> Vec<Vec<Entry<Account>>> {
    match e {
        Event::Sale { lines, shipping, refund_units, refund_shipping, vendor_bears } => {
            let lines: Vec<SoldLine> = lines.iter().map(sold).collect();
            let capture = Capture { currency, lines: lines.clone(), shipping_minor: *shipping, fee_minor: 0 };
            let fee = (apply_bps(capture.total_minor(), 290) + 30).min(capture.total_minor());
            let capture = Capture { fee_minor: fee, ..capture };
            let mut out = vec![payment_captured(&capture).expect("capture balances")];
            let returned: Vec<Returned> = lines
                .iter()
                .zip(refund_units)
                .filter(|(_, q)| **q > 0)
                .map(|(l, q)| Returned { line: *l, quantity: (*q).min(l.quantity), already_refunded: 0 })
                .collect();
            if !returned.is_empty() || *refund_shipping {
                let bearer = if *vendor_bears { CommissionBearer::Vendor } else { CommissionBearer::Platform };
                if let Ok((r, _)) = refund(currency, &returned, if *refund_shipping { *shipping } else { 0 }, bearer) {
                    out.push(r);
                }
            }
            out
        }
        Event::Payout { vendor: v, amount, returned } => {
            let mut out = vec![payout_executed(vendor(*v), *amount, currency).unwrap()];
            if *returned {
                out.push(payout_returned(vendor(*v), *amount, currency).unwrap());
            }
            out
        }
        Event::Subscription { amount } => vec![subscription_paid(*amount, currency).unwrap()],
        Event::Dispute { vendor: v, amount, fee } => {
            vec![dispute_lost(&[(vendor(*v), *amount)], *fee, currency).unwrap()]
        }
        Event::Mistake { amount } => {
            let wrong = subscription_paid(*amount, currency).unwrap();
            let fix = reversal(&wrong);
            vec![wrong, fix]
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn every_posting_balances_and_balances_are_their_entries(events in prop::collection::vec((event(), any::<bool>()), POSTINGS_PER_CASE)) {
        let mut running: HashMap<(Account, Currency), i64> = HashMap::new();
        let mut journal: Vec<Entry<Account>> = Vec::new();
        let mut count = 0;
        for (e, euro) in &events {
            let currency = if *euro { Currency::EUR } else { Currency::USD };
            for lines in postings(e, currency) {
                count += 1;
                for c in [Currency::USD, Currency::EUR] {
                    let sum: i64 = lines.iter().filter(|x| x.currency == c).map(|x| x.amount_minor).sum();
                    prop_assert_eq!(sum, 0, "unbalanced {:?}", lines);
                }
                prop_assert!(lines.iter().all(|x| x.amount_minor != 0));
                for x in &lines {
                    *running.entry((x.account, x.currency)).or_default() += x.amount_minor;
                }
                journal.extend(lines);
            }
        }
        prop_assert!(count >= POSTINGS_PER_CASE);
        let mut recomputed: HashMap<(Account, Currency), i64> = HashMap::new();
        for x in &journal {
            *recomputed.entry((x.account, x.currency)).or_default() += x.amount_minor;
        }
        prop_assert_eq!(&running, &recomputed);
        for c in [Currency::USD, Currency::EUR] {
            prop_assert_eq!(running.iter().filter(|((_, cur), _)| *cur == c).map(|(_, v)| *v).sum::<i64>(), 0);
        }
    }

    #[test]
    fn a_full_refund_leaves_only_the_stripe_fee(lines in prop::collection::vec((0u8..4, 1u32..5, 0i64..100_000, 0u32..2_500, 0u32..=10_000, 0i64..500), 1..6), shipping in 0i64..5_000) {
        let sold: Vec<SoldLine> = lines.iter().map(sold).collect();
        let capture = Capture { currency: Currency::USD, lines: sold.clone(), shipping_minor: shipping, fee_minor: 0 };
        let fee = (apply_bps(capture.total_minor(), 290) + 30).min(capture.total_minor());
        let capture = Capture { fee_minor: fee, ..capture };
        let returned: Vec<Returned> = sold.iter().map(|l| Returned { line: *l, quantity: l.quantity, already_refunded: 0 }).collect();
        let (back, amount) = refund(Currency::USD, &returned, shipping, CommissionBearer::Platform).unwrap();
        prop_assert_eq!(amount, capture.total_minor());
        let mut balances: HashMap<Account, i64> = HashMap::new();
        for x in payment_captured(&capture).unwrap().iter().chain(back.iter()) {
            *balances.entry(x.account).or_default() += x.amount_minor;
        }
        for (account, balance) in &balances {
            match account {
                Account::StripeClearing => prop_assert_eq!(*balance, -fee),
                Account::StripeFees => prop_assert_eq!(*balance, fee),
                _ => prop_assert_eq!(*balance, 0, "{:?} keeps {}", account, balance),
            }
        }
    }

    #[test]
    fn allocation_never_loses_a_cent(total in -1_000_000_000_000i64..1_000_000_000_000, weights in prop::collection::vec(0u64..1_000_000_000, 1..20)) {
        let parts = allocate(total, &weights);
        prop_assert_eq!(parts.len(), weights.len());
        prop_assert_eq!(parts.iter().sum::<i64>(), total);
        let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
        if sum > 0 {
            for (p, w) in parts.iter().zip(&weights) {
                let exact = i128::from(total.unsigned_abs()) * i128::from(*w) / i128::try_from(sum).unwrap();
                let got = i128::from(p.unsigned_abs());
                prop_assert!(got == exact || got == exact + 1, "part {} for weight {} (exact floor {})", p, w, exact);
            }
        }
    }
}
