//! Vendor onboarding to Stripe Connect: the core against a real PostgreSQL and
//! the real async-stripe client against the local Stripe fake. One account
//! per vendor however often it is asked (and after a lost answer), the link
//! mailed through the outbox, and payouts enabled only once Stripe says so.

use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use marketdesk_test_support::money::{count, gateway, seeded_pg, user_id};
use marketdesk_test_support::stripe_fake::StripeFake;
use std::time::Duration;
use uuid::Uuid;

/// A vendor made to look new: no connected account, payouts not enabled.
async fn new_vendor(url: &str, store: &Store, login: &str) -> Uuid {
    let id = user_id(store, login).await;
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await.unwrap();
    sqlx::query(
        "UPDATE user_profiles SET stripe_account_id = NULL, payouts_enabled = false, \
         verification_status = 'unverified', verified_at = NULL WHERE user_id = $1",
    )
    .bind(id)
    .execute(&mut conn)
    .await
    .unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_is_onboarded_once_and_enabled_when_stripe_says_so() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let vendor = new_vendor(&db.url, &db.store, "vendor@marketdesk.demo").await;
    let before = db.store.connect_status(vendor).await.unwrap();
    assert_eq!((before.stripe_account_id.as_deref(), before.verification_status.as_str()), (None, "unverified"));

    let sent = db.store.start_connect_onboarding(&stripe, vendor, true).await.unwrap();
    let account = sent.status.stripe_account_id.clone().expect("an account was stored");
    {
        let state = fake.state.lock().unwrap();
        assert_eq!(state.accounts.len(), 1);
        assert_eq!(state.accounts[0]["email"], serde_json::json!(before.email));
        assert_eq!(state.accounts[0]["metadata"]["marketdesk_vendor"], serde_json::json!(vendor.to_string()));
        assert_eq!(state.links, vec![(account.clone(), sent.url.clone())]);
    }
    assert_eq!(sent.status.verification_status, "pending");
    assert!(!sent.status.payouts_enabled);
    // The link went out by mail, to the vendor, and nowhere else.
    let mail_id = sent.mail_id.expect("a mail was queued");
    let mailed = count(
        &db.url,
        &format!(
            "SELECT count(*) FROM email_outbox WHERE id = '{mail_id}' AND to_address = '{}' AND template = 'connect_onboarding' \
             AND position('{}' in body_text) > 0",
            before.email, sent.url
        ),
    )
    .await;
    assert_eq!(mailed, 1);

    // Asked again: a new link for the same account, no second account.
    let again = db.store.start_connect_onboarding(&stripe, vendor, false).await.unwrap();
    assert_eq!(again.status.stripe_account_id.as_deref(), Some(account.as_str()));
    assert_ne!(again.url, sent.url);
    assert!(again.mail_id.is_none());
    assert_eq!(fake.state.lock().unwrap().accounts.len(), 1);

    // Not finished on Stripe's side yet: still pending, with what Stripe needs.
    let check = db.store.refresh_connect_account(&stripe, vendor).await.unwrap();
    assert_eq!(check.status.verification_status, "pending");
    assert!(check.currently_due.contains(&"external_account".to_owned()), "{check:?}");
    assert_eq!(check.disabled_reason.as_deref(), Some("requirements.past_due"));

    fake.complete_onboarding(&account);
    let check = db.store.refresh_connect_account(&stripe, vendor).await.unwrap();
    assert_eq!(check.status.verification_status, "verified");
    assert!(check.status.payouts_enabled && check.status.verified_at.is_some());
    assert!(check.currently_due.is_empty() && check.disabled_reason.is_none());
    // The list shows vendors not ready first; this one is ready now.
    let all = db.store.connect_statuses(false).await.unwrap();
    assert!(all.vendors.windows(2).all(|w| w[0].payouts_enabled <= w[1].payouts_enabled));
    assert!(all.vendors.iter().any(|s| s.vendor_id == vendor && s.payouts_enabled));
    assert_eq!(all.total, all.vendors.len() as u64);
    assert_eq!(all.ready, all.vendors.iter().filter(|s| s.payouts_enabled).count() as u64);
    // Only those not ready: this one is gone, the counts are of every vendor still.
    let not_ready = db.store.connect_statuses(true).await.unwrap();
    assert!(not_ready.vendors.iter().all(|s| !s.payouts_enabled));
    assert!(!not_ready.vendors.iter().any(|s| s.vendor_id == vendor));
    assert_eq!((not_ready.total, not_ready.ready), (all.total, all.ready));
    assert_eq!(not_ready.vendors.len() as u64, all.total - all.ready);
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_or_a_stripe_outage_never_makes_a_second_account() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let vendor = new_vendor(&db.url, &db.store, "vendor@marketdesk.demo").await;

    // Stripe down: nothing made, nothing stored, a retryable error.
    fake.state.lock().unwrap().down = true;
    let err = db.store.start_connect_onboarding(&stripe, vendor, true).await.unwrap_err();
    assert!(matches!(err, StoreError::Busy(_)), "{err:?}");
    assert!(db.store.connect_status(vendor).await.unwrap().stripe_account_id.is_none());
    assert_eq!(count(&db.url, "SELECT count(*) FROM email_outbox WHERE template = 'connect_onboarding'").await, 0);
    fake.state.lock().unwrap().down = false;

    // Made, then the account id "lost" before it reached the database: the
    // retry's idempotency key brings back the same account.
    let first = db.store.start_connect_onboarding(&stripe, vendor, false).await.unwrap();
    new_vendor(&db.url, &db.store, "vendor@marketdesk.demo").await;
    let second = db.store.start_connect_onboarding(&stripe, vendor, false).await.unwrap();
    assert_eq!(first.status.stripe_account_id, second.status.stripe_account_id);
    assert_eq!(fake.state.lock().unwrap().accounts.len(), 1);

    // Bad asks are refused clearly.
    let nobody = Uuid::now_v7();
    assert!(matches!(
        db.store.start_connect_onboarding(&stripe, nobody, false).await,
        Err(StoreError::NotFound { .. })
    ));
    let other = new_vendor(&db.url, &db.store, "vendor2").await;
    let err = db.store.refresh_connect_account(&stripe, other).await.unwrap_err();
    assert!(matches!(&err, StoreError::Validation(m) if m.contains("onboarding link first")), "{err:?}");

    // Offline (a SQLite copy) there is no Stripe.
    let dir = tempfile::tempdir().unwrap();
    let lite = Store::open(&DatabaseUrl::sqlite(dir.path().join("copy.sqlite")), &OpenOptions::create()).await.unwrap();
    lite.migrate(|_| {}).await.unwrap();
    assert!(matches!(lite.start_connect_onboarding(&stripe, vendor, false).await, Err(StoreError::OnlineOnly(_))));
    assert!(matches!(lite.refresh_connect_account(&stripe, vendor).await, Err(StoreError::OnlineOnly(_))));
    lite.close().await;
    db.drop_database().await;
}
