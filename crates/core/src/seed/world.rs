//! The seeded marketplace's cast and catalog: staff, plans, vendors, customers,
//! categories, products, shipping methods and ledger accounts.

pub(super) use super::entities::{Accounts, Customer, Method, MethodDef, Product, Variant, Vendor};
use super::rows::{ascii, at, id, size_option, size_value, synced};
use super::tables::Tables;
use super::vocabulary::*;
use super::{DEMO_PASSWORD, DemoLogin, SeedError, SeedOptions};
use crate::domain::{Currency, Role, Timestamp};
use crate::store::bulk::Cell;
use crate::store::users::hash_password;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) const DAY: i64 = 86_400_000_000;
/// History length: 18 months.
pub(super) const HISTORY_DAYS: i64 = 548;

pub(super) struct World {
    pub start: i64,
    pub end: i64,
    pub admins: Vec<Uuid>,
    pub finance: Uuid,
    pub vendors: Vec<Vendor>,
    /// Vendor indices per currency, in joining order.
    pub vendors_by_currency: Vec<(Currency, Vec<usize>)>,
    pub customers: Vec<Customer>,
    pub customer_currency: Vec<Currency>,
    pub products: Vec<Product>,
    pub variants: Vec<Variant>,
    pub methods: Vec<(Currency, Vec<Method>)>,
    /// When the staff, catalogue and shipping setup were made.
    pub staff_time: Timestamp,
    pub accounts: HashMap<Currency, Accounts>,
    /// Each vendor's payable account, by vendor id.
    pub payable_of: HashMap<Uuid, Uuid>,
    pub logins: Vec<DemoLogin>,
}

pub(super) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

impl World {
    pub fn build(rng: &mut ChaCha8Rng, out: &mut Tables, options: &SeedOptions) -> Result<World, SeedError> {
        let end = options.end.unix_micros();
        let start = end - HISTORY_DAYS * DAY;
        let n = options.orders;
        let vendor_count = (n / 500).clamp(4, 2_000) as usize;
        let customer_count = (n / 4).clamp(20, 200_000) as usize;
        let staff_time = at(start - 400 * DAY);
        let password_hash = hash_password(DEMO_PASSWORD)?;

        let mut logins = Vec::new();
        let mut staff = |rng: &mut ChaCha8Rng, out: &mut Tables, role: Role, user: &str, name: &str, demo: bool| {
            let uid = id(rng, staff_time);
            let email = format!("{user}{}", super::DEMO_DOMAIN);
            out.users.push(synced(
                uid,
                staff_time,
                vec![
                    email.clone().into(),
                    user.into(),
                    name.into(),
                    role.as_str().into(),
                    "active".into(),
                    if demo { Cell::Text(password_hash.clone()) } else { Cell::Null },
                    staff_time.into(),
                    Cell::Time(at(end - DAY)),
                ],
            ));
            if demo {
                logins.push(DemoLogin { role, email, username: user.to_owned() });
            }
            uid
        };
        let admin = staff(rng, out, Role::Admin, "admin", "Alex Admin", true);
        let admin2 = staff(rng, out, Role::Admin, "morgan", "Morgan Reyes", false);
        let finance = staff(rng, out, Role::Finance, "finance", "Fran Finance", true);
        staff(rng, out, Role::Logistics, "logistics", "Lou Logistics", true);
        staff(rng, out, Role::Logistics, "sam", "Sam Okafor", false);

        // Subscription plans: (code, name, price, commission, hold days, max products)
        let plans: Vec<(Uuid, u32, i64)> = [
            ("starter", "Starter", 0_i64, 1500_u32, 14_i64, 50_i64),
            ("growth", "Growth", 2900, 1000, 7, 500),
            ("pro", "Pro", 9900, 700, 3, 5000),
        ]
        .iter()
        .map(|(code, name, price, bps, hold, max)| {
            let pid = id(rng, staff_time);
            out.subscription_plans.push(synced(
                pid,
                staff_time,
                vec![
                    (*code).into(),
                    (*name).into(),
                    format!("{name} plan for marketplace vendors").into(),
                    (*price).into(),
                    "USD".into(),
                    "month".into(),
                    format!("price_{code}_monthly").into(),
                    i64::from(*bps).into(),
                    (*max).into(),
                    (*hold).into(),
                    true.into(),
                ],
            ));
            (pid, *bps, *price)
        })
        .collect();

        let mut methods = Vec::new();
        let method_defs: [(Currency, &[MethodDef]); 2] = [
            (
                Currency::USD,
                &[
                    ("ups_ground", "UPS Ground", "ups", "03", 799, 5),
                    ("ups_2day", "UPS 2nd Day Air", "ups", "02", 1899, 2),
                    ("fedex_ground", "FedEx Ground", "fedex", "FEDEX_GROUND", 849, 5),
                    ("fedex_overnight", "FedEx Priority Overnight", "fedex", "PRIORITY_OVERNIGHT", 3499, 1),
                ],
            ),
            (
                Currency::EUR,
                &[
                    ("ups_standard_eu", "UPS Standard (EU)", "ups", "11", 690, 4),
                    ("local_courier_eu", "City courier", "local", "SAME_DAY", 990, 1),
                ],
            ),
        ];
        for (currency, defs) in method_defs {
            let mut list = Vec::new();
            for &(code, name, carrier, service, rate, max_days) in defs {
                let mid = id(rng, staff_time);
                out.shipping_methods.push(synced(
                    mid,
                    staff_time,
                    vec![
                        code.into(),
                        name.into(),
                        carrier.into(),
                        service.into(),
                        rate.into(),
                        currency.as_str().into(),
                        150_i64.into(),
                        1_i64.min(max_days).into(),
                        max_days.into(),
                        true.into(),
                    ],
                ));
                list.push(Method { id: mid, carrier, service, rate, max_days });
            }
            methods.push((currency, list));
        }

        let mut accounts = HashMap::new();
        for currency in CURRENCIES {
            let account = |rng: &mut ChaCha8Rng, out: &mut Tables, code: &str, name: &str, kind: &str| {
                let aid = id(rng, staff_time);
                out.ledger_accounts.push(synced(
                    aid,
                    staff_time,
                    vec![
                        format!("platform:{code}:{currency}").into(),
                        format!("{name} ({currency})").into(),
                        kind.into(),
                        Cell::Null,
                        currency.as_str().into(),
                        true.into(),
                    ],
                ));
                aid
            };
            accounts.insert(
                currency,
                Accounts {
                    clearing: account(rng, out, "stripe_clearing", "Stripe balance", "asset"),
                    fees: account(rng, out, "stripe_fees", "Stripe fees", "expense"),
                    commission: account(rng, out, "commission_revenue", "Commission revenue", "revenue"),
                    subscriptions: account(rng, out, "subscription_revenue", "Subscription revenue", "revenue"),
                    tax: account(rng, out, "tax_payable", "Sales tax payable", "liability"),
                    shipping: account(rng, out, "shipping_revenue", "Shipping revenue", "revenue"),
                    dispute_losses: account(rng, out, "dispute_losses", "Dispute losses and fees", "expense"),
                },
            );
        }

        let mut leaves = Vec::new();
        for (i, (top, subs)) in CATEGORIES.iter().enumerate() {
            let cid = id(rng, staff_time);
            let slug = crate::store::products::slugify(top);
            out.categories.push(synced(
                cid,
                staff_time,
                vec![
                    Cell::Null,
                    (*top).into(),
                    slug.clone().into(),
                    format!("/{slug}/").into(),
                    format!("All of {top}").into(),
                    i64::try_from(i).unwrap_or(0).into(),
                    true.into(),
                ],
            ));
            for (j, sub) in subs.iter().enumerate() {
                let sid = id(rng, staff_time);
                let sub_slug = format!("{slug}-{}", crate::store::products::slugify(sub));
                out.categories.push(synced(
                    sid,
                    staff_time,
                    vec![
                        cid.into(),
                        (*sub).into(),
                        sub_slug.clone().into(),
                        format!("/{slug}/{sub_slug}/").into(),
                        format!("{sub} in {top}").into(),
                        i64::try_from(j).unwrap_or(0).into(),
                        true.into(),
                    ],
                ));
                leaves.push(sid);
            }
        }

        // Vendors join between a year before the history and a month before its end.
        let vendor_span = (HISTORY_DAYS + 365 - 30) * DAY;
        let mut vendors = Vec::with_capacity(vendor_count);
        let mut products = Vec::new();
        let mut variants = Vec::new();
        let mut by_currency: Vec<(Currency, Vec<usize>)> = CURRENCIES.iter().map(|c| (*c, Vec::new())).collect();
        for v in 0..vendor_count {
            let created = start - 365 * DAY + share(vendor_span, v, vendor_count);
            let t = at(created);
            let vid = id(rng, t);
            let currency = if v % 7 == 3 { Currency::EUR } else { Currency::USD };
            let name = format!(
                "{} {}",
                pick(rng, STORE_WORDS),
                pick(rng, &["Goods", "Supply", "Studio", "Works", "Outfitters", "Market", "Co."])
            );
            let (username, email, demo) = if v == 0 {
                ("vendor".to_owned(), "vendor@marketdesk.demo".to_owned(), true)
            } else {
                (format!("vendor{v}"), format!("vendor{v}@vendors.marketdesk.demo"), false)
            };
            out.users.push(synced(
                vid,
                t,
                vec![
                    email.clone().into(),
                    username.clone().into(),
                    name.clone().into(),
                    "vendor".into(),
                    "active".into(),
                    if demo { Cell::Text(password_hash.clone()) } else { Cell::Null },
                    t.into(),
                    Cell::Time(at(end - DAY * rng.gen_range(1..30))),
                ],
            ));
            if demo {
                logins.push(DemoLogin { role: Role::Vendor, email: email.clone(), username });
            }
            let plan = if v == 0 {
                1
            } else {
                match rng.gen_range(0..100) {
                    0..50 => 0,
                    50..85 => 1,
                    _ => 2,
                }
            };
            let (plan_id, bps, plan_price) = plans[plan];
            let (city, region, country) = *pick(rng, CITIES);
            let _ = region;
            out.user_profiles.push(synced(
                id(rng, t),
                t,
                vec![
                    vid.into(),
                    name.clone().into(),
                    format!("{name} LLC").into(),
                    format!("+1 555 {:04}", v % 10_000).into(),
                    format!("support+{v}@vendors.marketdesk.demo").into(),
                    format!("{name} sells through Marketdesk.").into(),
                    currency.as_str().into(),
                    format!("acct_seed{v:08}").into(),
                    true.into(),
                    Cell::Null,
                    "verified".into(),
                    t.into(),
                    format!("{} Market Street", 10 + v % 900).into(),
                    city.into(),
                    format!("{:05}", 10_000 + v % 89_999).into(),
                    country.into(),
                ],
            ));
            let status = match rng.gen_range(0..100) {
                0..90 => "active",
                90..95 => "past_due",
                _ => "active",
            };
            let period_start = end - rng.gen_range(0..28) * DAY;
            out.subscriptions.push(synced(
                id(rng, t),
                t,
                vec![
                    vid.into(),
                    plan_id.into(),
                    status.into(),
                    format!("sub_seed{v:08}").into(),
                    Cell::Time(at(period_start)),
                    Cell::Time(at(period_start + 30 * DAY)),
                    false.into(),
                    Cell::Null,
                ],
            ));
            let payable = id(rng, t);
            out.ledger_accounts.push(synced(
                payable,
                t,
                vec![
                    format!("vendor:{vid}:payable").into(),
                    format!("{name} payable").into(),
                    "liability".into(),
                    vid.into(),
                    currency.as_str().into(),
                    true.into(),
                ],
            ));

            let mut own = Vec::new();
            let product_count = rng.gen_range(4..=20);
            for k in 0..product_count {
                let pt = at(created + i64::from(k) * DAY / 2);
                let pid = id(rng, pt);
                let pname = format!("{} {} {}", pick(rng, ADJECTIVES), pick(rng, COLOURS), pick(rng, NOUNS));
                let status = if k == 0 {
                    "approved"
                } else {
                    match rng.gen_range(0..100) {
                        0..85 => "approved",
                        85..90 => "pending_review",
                        90..94 => "draft",
                        94..97 => "rejected",
                        _ => "archived",
                    }
                };
                let base: i64 = *pick(rng, PRICE_POINTS);
                let approved = status == "approved" || status == "archived";
                out.products.push(synced(
                    pid,
                    pt,
                    vec![
                        vid.into(),
                        (*pick(rng, &leaves)).into(),
                        pname.clone().into(),
                        format!("{}-{k}", crate::store::products::slugify(&pname)).into(),
                        format!("{pname}, made for everyday use.").into(),
                        status.into(),
                        if status == "rejected" {
                            Cell::Text("Photos do not show the product clearly".into())
                        } else {
                            Cell::Null
                        },
                        pt.into(),
                        if approved { admin.into() } else { Cell::Null },
                        if approved { pt.into() } else { Cell::Null },
                        base.into(),
                        currency.as_str().into(),
                        (k == 0 && v % 5 == 0).into(),
                        Cell::Null,
                    ],
                ));
                out.product_images.push(synced(
                    id(rng, pt),
                    pt,
                    vec![
                        pid.into(),
                        format!("local://images/{pid}.jpg").into(),
                        pname.clone().into(),
                        0_i64.into(),
                        1200_i64.into(),
                        1200_i64.into(),
                    ],
                ));
                let pidx = products.len();
                let mut own_variants = Vec::new();
                let sized = rng.gen_bool(0.4);
                let vcount = if sized { rng.gen_range(2..=4) } else { 1 };
                let labels: &[&str] = if sized { &SIZES[..vcount] } else { &["STD"] };
                if sized {
                    out.products.set_last("options", size_option(labels));
                }
                for (s, label) in labels.iter().enumerate() {
                    let vt = pt;
                    let var_id = id(rng, vt);
                    let vname = if sized { (*label).to_owned() } else { "Default".to_owned() };
                    let sku = format!("V{v:04}-P{k:02}-{label}");
                    let price = base + i64::try_from(s).unwrap_or(0) * 200;
                    let weight = rng.gen_range(100..4000);
                    let stock = if rng.gen_bool(0.05) { 0 } else { rng.gen_range(1..400) };
                    out.product_variants.push(synced(
                        var_id,
                        vt,
                        vec![
                            Cell::Uuid(pid),
                            sku.clone().into(),
                            vname.clone().into(),
                            price.into(),
                            currency.as_str().into(),
                            Cell::Int(stock),
                            0_i64.into(),
                            5_i64.into(),
                            weight.into(),
                            if sized { size_value(label) } else { Cell::Null },
                        ],
                    ));
                    if stock > 0 {
                        out.stock_movements.push(synced(
                            Uuid::new_v5(&var_id, b"opening stock"),
                            vt,
                            vec![
                                var_id.into(),
                                pid.into(),
                                vid.into(),
                                "opening".into(),
                                Cell::Int(stock),
                                0_i64.into(),
                                Cell::Int(stock),
                                0_i64.into(),
                            ],
                        ));
                    }
                    own_variants.push(variants.len());
                    variants.push(Variant { id: var_id, product: pidx, sku, name: vname, price, weight });
                }
                products.push(Product { id: pid, name: pname, variants: own_variants });
                if status == "approved" {
                    own.push(pidx);
                }
            }
            if let Some((_, list)) = by_currency.iter_mut().find(|(c, _)| *c == currency) {
                list.push(v);
            }
            vendors.push(Vendor {
                id: vid,
                name,
                currency,
                created,
                commission_bps: bps,
                plan_price,
                products: own,
                payable_account: payable,
            });
        }

        // Customers sign up from half a year before the history to its last day.
        let cstart = start - 180 * DAY;
        let cspan = end - DAY - cstart;
        let mut customers = Vec::with_capacity(customer_count);
        let mut customer_currency = Vec::with_capacity(customer_count);
        for c in 0..customer_count {
            let created = cstart + share(cspan, c, customer_count);
            let t = at(created);
            let cid = id(rng, t);
            let (first, last) = (pick(rng, FIRST), pick(rng, LAST));
            let email = format!("{}.{}{c}@customers.marketdesk.demo", ascii(first), ascii(last));
            out.users.push(synced(
                cid,
                t,
                vec![
                    email.clone().into(),
                    format!("customer{c}").into(),
                    format!("{first} {last}").into(),
                    "customer".into(),
                    "active".into(),
                    Cell::Null,
                    t.into(),
                    Cell::Null,
                ],
            ));
            let (city, region, country) = *pick(rng, CITIES);
            let currency = if country == "US" { Currency::USD } else { Currency::EUR };
            let address = id(rng, t);
            out.shipping_addresses.push(synced(
                address,
                t,
                vec![
                    cid.into(),
                    "Home".into(),
                    format!("{first} {last}").into(),
                    format!("{} {} Street", 1 + c % 500, pick(rng, STORE_WORDS)).into(),
                    city.into(),
                    region.into(),
                    format!("{:05}", 10_000 + c % 89_999).into(),
                    country.into(),
                    true.into(),
                ],
            ));
            customers.push(Customer { id: cid, email, created, address });
            customer_currency.push(currency);
        }

        let now = at(end);
        for (key, value, description) in [
            ("commission.default_bps", "1500", "Commission when no plan, vendor or category rule applies"),
            ("payouts.hold_days", "7", "Days after delivery before a vendor's earnings become available"),
            ("payouts.minimum_minor", "2500", "Smallest payout made, in minor units"),
            ("payouts.release_after_days", "30", "Days after payment when undelivered earnings are released anyway"),
            ("payouts.second_approval", "false", "Whether a payout batch needs a second finance approver"),
            ("refunds.commission_bearer", "\"platform\"", "Who bears the commission on a refunded item"),
            ("marketplace.currencies", "[\"USD\", \"EUR\"]", "Currencies the marketplace sells in"),
            ("session.idle_lock_minutes", "15", "Minutes of inactivity before the app locks"),
        ] {
            out.platform_settings.push(synced(
                id(rng, staff_time),
                staff_time,
                vec![key.into(), Cell::Json(value.into()), description.into()],
            ));
        }
        for (name, kind, def) in [
            ("Monthly revenue", "revenue", r#"{"group_by":"month"}"#),
            ("Commissions due this quarter", "commissions", r#"{"range":"this_quarter","group_by":"vendor"}"#),
            ("Top products, last 90 days", "products", r#"{"range":"last_90_days","limit":20}"#),
        ] {
            out.reports.push(synced(
                id(rng, staff_time),
                staff_time,
                vec![
                    name.into(),
                    format!("Saved report: {name}").into(),
                    kind.into(),
                    finance.into(),
                    Cell::Json(def.into()),
                    true.into(),
                ],
            ));
        }
        for uid in [admin, finance] {
            for kind in ["dispute_opened", "payout_failed"] {
                out.notification_preferences.push(synced(
                    id(rng, staff_time),
                    staff_time,
                    vec![uid.into(), kind.into(), "email".into(), true.into()],
                ));
            }
        }
        out.audit_log.push(synced(
            id(rng, now),
            now,
            vec![
                Cell::Null,
                Cell::Null,
                "demo_data_seeded".into(),
                Cell::Null,
                Cell::Json(format!(r#"{{"orders":{},"seed":{}}}"#, options.orders, options.seed)),
                now.into(),
            ],
        ));

        let payable_of = vendors.iter().map(|v| (v.id, v.payable_account)).collect();
        Ok(World {
            staff_time,
            payable_of,
            start,
            end,
            admins: vec![admin, admin2],
            finance,
            vendors,
            vendors_by_currency: by_currency,
            customers,
            customer_currency,
            products,
            variants,
            methods,
            accounts,
            logins,
        })
    }
}

/// The point `k / n` of the way along `span`, computed wide: at a million
/// orders, microseconds of years times a customer's index overflow an `i64`.
fn share(span: i64, k: usize, n: usize) -> i64 {
    let wide = i128::from(span) * i128::try_from(k).unwrap_or(0) / i128::try_from(n.max(1)).unwrap_or(1);
    i64::try_from(wide).unwrap_or(span)
}
