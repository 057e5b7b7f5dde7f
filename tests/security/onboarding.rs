//! Attack class: another business's application. The onboarding pipeline is
//! walked by real logins — an admin records and invites, the invited vendor
//! signs in with the mailed code, fills in the details and documents and
//! hands them in, the admin sends it back naming what is missing, then
//! approves, and Stripe's word (through finance's reconciliation) makes the
//! vendor active — while another vendor tries to read or write any of it,
//! and the applicant tries to approve themselves. Then suspension: a traded
//! vendor is suspended (not declined), their products refuse new orders and
//! their payouts are held, until reactivation.

use crate::{PASSWORD, is_denied, rls_violation, scalar_i64, uuid_of, world};
use marketdesk_core::disputes::attachments::NewAttachment;
use marketdesk_core::domain::vendor_onboarding::{OnboardingItem, OnboardingStage, OnboardingStep, VendorDocumentKind};
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::finance::payout_runs::PrepareBatch;
use marketdesk_core::identity::{Backoff, Session, set_own_password, sign_in_online};
use marketdesk_core::mail::outbox;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::orders::NewOrder;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, PageRequest, Store, StoreError};
use marketdesk_core::vendors::applications::{
    ApplicationFilter, application, application_counts, application_of_vendor, list_applications,
};
use marketdesk_core::vendors::details::BusinessDetails;
use marketdesk_core::vendors::documents::{DocumentVerdict, add_document, document_content, review_document};
use marketdesk_core::vendors::profile::{ProfileEdit, update_vendor_profile, vendor_profile};
use marketdesk_core::vendors::review::{ApplicationStep, record_application, take_step, update_details};
use marketdesk_core::vendors::suspension::set_vendor_suspended;
use sqlx::Connection;
use uuid::Uuid;

fn reader(s: &Session) -> Reader {
    Reader { id: s.me.id, role: s.me.role }
}

fn pdf() -> NewAttachment {
    NewAttachment { name: "registration.pdf".into(), bytes: b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n".to_vec() }
}

fn png(name: &str) -> NewAttachment {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    NewAttachment { name: name.into(), bytes }
}

fn message(e: StoreError) -> String {
    e.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_is_walked_by_real_logins_and_guarded_from_others() {
    let mut w = world().await;
    let server = format!("postgres://127.0.0.1:{}/postgres", w.cluster.port);
    let admin = sign_in_online(&server, "admin", PASSWORD, None, &mut Backoff::default()).await.expect("admin");
    let a = reader(&admin);

    // Recorded by an admin only; the same address twice is refused.
    let details = BusinessDetails {
        business_name: "Nordlicht Tees".into(),
        contact_name: "Ada Berg".into(),
        email: "ada@nordlicht.example".into(),
        country: Some("de".into()),
        ..BusinessDetails::default()
    };
    let id = record_application(&admin.store, a, &details).await.unwrap();
    let dup = record_application(&admin.store, a, &details).await.unwrap_err();
    assert!(message(dup).contains("already has an account or an open application"));
    let vendor_b = sign_in_online(&server, "vendor1", PASSWORD, None, &mut Backoff::default()).await.expect("vendor B");
    let b = reader(&vendor_b);
    assert!(matches!(record_application(&vendor_b.store, b, &details).await, Err(StoreError::AccessDenied(_))));
    let page = PageRequest::default();
    assert!(
        list_applications(&vendor_b.store, b, &ApplicationFilter::default(), &page).await.unwrap().items.is_empty()
    );
    assert!(matches!(application(&vendor_b.store, b, id).await, Err(StoreError::NotFound { .. })));
    assert_eq!(application_counts(&admin.store, a).await.unwrap().applied, 1);

    // Invited: a vendor login, its mail queued in the same transaction.
    let app = application(&admin.store, a, id).await.unwrap();
    assert_eq!(app.steps, vec![OnboardingStep::Invite, OnboardingStep::Decline]);
    let app = take_step(&admin.store, a, id, app.version, &ApplicationStep::Invite { username: "nordlicht".into() })
        .await
        .unwrap();
    assert_eq!(app.stage, OnboardingStage::Onboarding);
    let vendor_id = app.vendor_id.expect("a vendor login was made");
    let mail = outbox::list(&admin.store, 500)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.template == "invitation" && m.to_address == "ada@nordlicht.example")
        .expect("the invitation is queued");
    let code = mail.body_text.lines().find_map(|l| l.trim().strip_prefix("one-time code: ")).unwrap().to_owned();
    let mut fresh = sign_in_online(&server, "nordlicht", &code, None, &mut Backoff::default()).await.unwrap();
    set_own_password(&mut fresh, "nordlicht-long-password", None).await.unwrap();
    fresh.store.close().await;
    let vendor =
        sign_in_online(&server, "nordlicht", "nordlicht-long-password", None, &mut Backoff::default()).await.unwrap();
    let v = reader(&vendor);
    assert_eq!(v.id, vendor_id);

    // Handing in an empty application names everything missing.
    let mine = application_of_vendor(&vendor.store, v, v.id).await.unwrap().expect("their own application");
    assert_eq!(mine.steps, vec![OnboardingStep::Submit]);
    let refused = take_step(&vendor.store, v, id, mine.version, &ApplicationStep::Submit).await.unwrap_err();
    assert_eq!(
        message(refused),
        "before handing it in, add the legal name, the tax id, the payout currency, the business address, \
         a business registration document and a proof of identity"
    );

    // The vendor fills it in (their contact e-mail stays as recorded) and sends documents.
    let filled = BusinessDetails {
        legal_name: Some("Nordlicht Textil GmbH".into()),
        tax_id: Some("DE 123456789".into()),
        payout_currency: Some("eur".into()),
        address_line1: Some("Hafenstraße 1".into()),
        city: Some("Kiel".into()),
        postal_code: Some("24103".into()),
        email: "someone@else.example".into(),
        ..details.clone()
    };
    let version = update_details(&vendor.store, v, id, mine.version, &filled).await.unwrap();
    let stale = update_details(&vendor.store, v, id, mine.version, &filled).await.unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { .. }), "{stale}");
    let text = NewAttachment { name: "notes.exe".into(), bytes: b"MZ\x90\x00".to_vec() };
    let bad = add_document(&vendor.store, v, id, VendorDocumentKind::Other, &text).await.unwrap_err();
    assert!(message(bad).contains("is not a photo"), "a file is recognised by its bytes");
    add_document(&vendor.store, v, id, VendorDocumentKind::BusinessRegistration, &pdf()).await.unwrap();
    let passport =
        add_document(&vendor.store, v, id, VendorDocumentKind::ProofOfIdentity, &png("passport.png")).await.unwrap();
    let (_, media, bytes) = document_content(&vendor.store, v, passport.id).await.unwrap();
    assert_eq!((media.as_str(), bytes.len()), ("image/png", 72));

    // Another vendor reads and writes none of it, through the core or raw SQL.
    assert!(matches!(document_content(&vendor_b.store, b, passport.id).await, Err(StoreError::NotFound { .. })));
    for sql in ["SELECT count(*) FROM vendor_applications", "SELECT count(*) FROM vendor_documents"] {
        let seen = scalar_i64(&mut w.vendor_b.conn, &format!("{sql} WHERE true")).await;
        assert_eq!(seen, 0, "{sql}");
    }
    let e = sqlx::query(
        "INSERT INTO vendor_documents (id, application_id, kind, file_name, media_type, byte_size, sha256, content, uploaded_by) \
         VALUES (gen_random_uuid(), $1, 'other', 'x.txt', 'text/plain', 1, repeat('a', 64), 'x', $2)",
    )
    .bind(id)
    .bind(w.vendor_b.id)
    .execute(&mut w.vendor_b.conn)
    .await
    .unwrap_err();
    assert!(rls_violation(&e), "a document on another's application: {e}");
    let moved = sqlx::query("UPDATE vendor_applications SET tax_id = 'XX 0000' WHERE id = $1")
        .bind(id)
        .execute(&mut w.vendor_b.conn)
        .await
        .unwrap();
    assert_eq!(moved.rows_affected(), 0, "another's application is out of reach");
    for p in [&mut w.logistics, &mut w.finance] {
        let e = sqlx::query("SELECT count(*) FROM vendor_documents").execute(&mut p.conn).await.unwrap_err();
        assert!(is_denied(&e), "{} reads no documents: {e}", p.name);
    }

    // The applicant cannot approve themselves, nor review a document.
    let mut own = sqlx::PgConnection::connect(&format!(
        "postgres://md_u_nordlicht:nordlicht-long-password@127.0.0.1:{}/postgres",
        w.cluster.port
    ))
    .await
    .unwrap();
    let e = sqlx::query("UPDATE vendor_applications SET stage = 'approved' WHERE id = $1")
        .bind(id)
        .execute(&mut own)
        .await
        .unwrap_err();
    assert!(rls_violation(&e), "a vendor approving themselves: {e}");
    let e = sqlx::query("UPDATE vendor_documents SET review = 'accepted'").execute(&mut own).await.unwrap_err();
    assert!(is_denied(&e), "a vendor accepting their own document: {e}");
    let e = sqlx::query("UPDATE vendor_applications SET decision_reason = 'x' WHERE id = $1")
        .bind(id)
        .execute(&mut own)
        .await
        .unwrap_err();
    assert!(is_denied(&e), "review columns are the admin's: {e}");
    let approve = take_step(&vendor.store, v, id, version, &ApplicationStep::Approve).await.unwrap_err();
    assert!(matches!(approve, StoreError::AccessDenied(_)), "{approve}");

    // Handed in: the admins hear of it.
    let app = take_step(&vendor.store, v, id, version, &ApplicationStep::Submit).await.unwrap();
    assert_eq!((app.stage, app.details.email.as_str()), (OnboardingStage::InReview, "ada@nordlicht.example"));
    let told = scalar_i64(
        &mut w.owner,
        &format!(
            "SELECT count(*) FROM notifications WHERE user_id = '{}' AND kind = 'vendor_onboarding' AND channel = 'in_app'",
            a.id
        ),
    )
    .await;
    assert_eq!(told, 1, "the admin's bell");
    let late = message(add_document(&vendor.store, v, id, VendorDocumentKind::Other, &pdf()).await.unwrap_err());
    assert!(late.contains("while the application is with the vendor"), "{late}");

    // Approval waits for accepted documents; the admin rejects one and asks for more.
    let app = application(&admin.store, a, id).await.unwrap();
    let early = take_step(&admin.store, a, id, app.version, &ApplicationStep::Approve).await.unwrap_err();
    assert_eq!(
        message(early),
        "it cannot be approved yet: a business registration document and a proof of identity are missing or not accepted"
    );
    let verdict = DocumentVerdict { document_id: passport.id, version: 1, accept: false, note: String::new() };
    assert!(message(review_document(&admin.store, a, &verdict).await.unwrap_err()).contains("say why"));
    let verdict = DocumentVerdict { note: "The photo page is cut off.".into(), ..verdict };
    review_document(&admin.store, a, &verdict).await.unwrap();
    let request = ApplicationStep::RequestChanges {
        items: vec![OnboardingItem::ProofOfIdentity, OnboardingItem::BankStatement],
        note: "Please send the whole photo page.".into(),
    };
    let app = take_step(&admin.store, a, id, app.version, &request).await.unwrap();
    assert_eq!(app.stage, OnboardingStage::Onboarding);
    let mine = application(&vendor.store, v, id).await.unwrap();
    assert_eq!(mine.missing_to_submit, vec![OnboardingItem::ProofOfIdentity, OnboardingItem::BankStatement]);
    assert_eq!(mine.documents[1].review_note.as_deref(), Some("The photo page is cut off."));
    let refused = take_step(&vendor.store, v, id, mine.version, &ApplicationStep::Submit).await.unwrap_err();
    assert_eq!(message(refused), "before handing it in, add a proof of identity and a bank statement");
    add_document(&vendor.store, v, id, VendorDocumentKind::ProofOfIdentity, &png("passport-2.png")).await.unwrap();
    add_document(&vendor.store, v, id, VendorDocumentKind::BankStatement, &pdf()).await.unwrap();
    let app = take_step(&vendor.store, v, id, mine.version, &ApplicationStep::Submit).await.unwrap();

    // Approved once every wanted document is accepted: the details become the profile.
    for d in app.documents.iter().filter(|d| d.id != passport.id) {
        let ok = DocumentVerdict { document_id: d.id, version: d.version, accept: true, note: String::new() };
        review_document(&admin.store, a, &ok).await.unwrap();
    }
    let app = application(&admin.store, a, id).await.unwrap();
    assert!(app.missing_to_approve.is_empty(), "{:?}", app.missing_to_approve);
    let app = take_step(&admin.store, a, id, app.version, &ApplicationStep::Approve).await.unwrap();
    assert_eq!(app.stage, OnboardingStage::Approved);
    let (tax, status, currency): (Option<String>, String, Option<String>) =
        sqlx::query_as("SELECT tax_id, verification_status, payout_currency FROM user_profiles WHERE user_id = $1")
            .bind(vendor_id)
            .fetch_one(&mut w.owner)
            .await
            .unwrap();
    assert_eq!((tax.as_deref(), status.as_str(), currency.as_deref()), (Some("DE 123456789"), "verified", Some("EUR")));

    // The vendor keeps their profile; another vendor neither reads nor writes it,
    // and the payout currency stays the marketplace's.
    let profile = vendor_profile(&vendor.store, v, vendor_id).await.unwrap();
    assert_eq!(profile.edit.legal_name.as_deref(), Some("Nordlicht Textil GmbH"));
    let edit =
        ProfileEdit { description: Some("Organic cotton tees, printed in Kiel.".into()), ..profile.edit.clone() };
    let next = update_vendor_profile(&vendor.store, v, vendor_id, profile.version, &edit).await.unwrap();
    let stale = update_vendor_profile(&vendor.store, v, vendor_id, profile.version, &edit).await.unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { .. }), "{stale}");
    let bad = ProfileEdit { support_email: Some("not-mail".into()), ..edit.clone() };
    assert!(
        message(update_vendor_profile(&vendor.store, v, vendor_id, next, &bad).await.unwrap_err())
            .contains("not an e-mail")
    );
    assert!(matches!(vendor_profile(&vendor_b.store, b, vendor_id).await, Err(StoreError::NotFound { .. })));
    assert!(update_vendor_profile(&vendor_b.store, b, vendor_id, next, &edit).await.is_err());
    let untouched = sqlx::query("UPDATE user_profiles SET description = 'x' WHERE user_id = $1")
        .bind(vendor_id)
        .execute(&mut w.vendor_b.conn)
        .await
        .unwrap();
    assert_eq!(untouched.rows_affected(), 0, "another vendor's profile");
    let e = sqlx::query("UPDATE user_profiles SET payout_currency = 'USD'").execute(&mut own).await.unwrap_err();
    assert!(is_denied(&e), "the payout currency is the marketplace's: {e}");
    assert_eq!(
        vendor_profile(&admin.store, a, vendor_id).await.unwrap().edit.description.as_deref(),
        Some("Organic cotton tees, printed in Kiel.")
    );

    // Stripe's word, reconciled by finance, makes the vendor active by itself.
    sqlx::query("UPDATE user_profiles SET stripe_account_id = 'acct_nordlicht' WHERE user_id = $1")
        .bind(vendor_id)
        .execute(&mut w.owner)
        .await
        .unwrap();
    let synced: Option<Uuid> = sqlx::query_scalar("SELECT md_sync_connect_account('acct_nordlicht', true, 'verified')")
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    assert_eq!(synced, Some(vendor_id));
    assert_eq!(application(&admin.store, a, id).await.unwrap().stage, OnboardingStage::Active);
    let audit = scalar_i64(
        &mut w.owner,
        &format!("SELECT count(*) FROM audit_log WHERE entity_id = '{id}' AND action LIKE 'vendor.%'"),
    )
    .await;
    assert!(audit >= 12, "every step is in the audit trail ({audit})");

    // A vendor who traded is suspended, never declined.
    let traded = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO vendor_applications (id, vendor_id, business_name, contact_name, email, stage) \
         VALUES ($1, $2, 'Vendor A', 'A', 'a@vendor.example', 'in_review')",
    )
    .bind(traded)
    .bind(w.vendor_a.id)
    .execute(&mut w.owner)
    .await
    .unwrap();
    let app = application(&admin.store, a, traded).await.unwrap();
    assert!(app.traded && !app.steps.contains(&OnboardingStep::Decline));
    let decline = ApplicationStep::Decline { reason: "Not a fit.".into() };
    let e = take_step(&admin.store, a, traded, app.version, &decline).await.unwrap_err();
    assert!(message(e).contains("suspend the vendor instead"));

    // Suspended: their products take no new order, their payouts are held.
    assert!(
        message(set_vendor_suspended(&admin.store, a, w.vendor_a.id, true, " ").await.unwrap_err()).contains("say why")
    );
    let impact = set_vendor_suspended(&admin.store, a, w.vendor_a.id, true, "Fraud check").await.unwrap();
    assert!(impact.suspended && impact.live_products > 0, "{impact:?}");
    let owner_store = Store::open(
        &DatabaseUrl::parse(&w.cluster.url(&w.cluster.password, "postgres")).unwrap(),
        &OpenOptions::default(),
    )
    .await
    .unwrap();
    let (variant, currency, product): (Uuid, String, Uuid) = sqlx::query_as(
        "SELECT v.id, v.currency, p.id FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE p.vendor_id = $1 AND p.status = 'approved' ORDER BY v.id LIMIT 1",
    )
    .bind(w.vendor_a.id)
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    let customer =
        uuid_of(&mut w.owner, "SELECT id FROM users WHERE role = 'customer' AND status = 'active' LIMIT 1").await;
    let order = NewOrder {
        customer_id: customer,
        currency: currency.parse::<Currency>().unwrap(),
        lines: vec![(variant, 1)],
        shipping_minor: 0,
        commission_bps: 1000,
    };
    assert!(owner_store.product(product).await.unwrap().hidden, "the catalog shows it hidden");
    let e = owner_store.place_order(&order).await.unwrap_err();
    assert!(message(e).contains("suspended vendor"), "a hidden product takes no order");
    let balances = owner_store.vendor_balances(None, Some(w.vendor_a.id)).await.unwrap();
    assert!(!balances.is_empty() && balances.iter().all(|b| b.held));
    let preview = owner_store
        .payout_preview(&PrepareBatch { currency: balances[0].currency, minimum_minor: Some(1), vendor_ids: None })
        .await
        .unwrap();
    assert!(preview.lines.iter().filter(|l| l.balance.vendor_id == w.vendor_a.id).all(|l| l.would_pay_minor.is_none()));
    let signed_in = sign_in_online(&server, "vendor", PASSWORD, None, &mut Backoff::default()).await;
    assert!(signed_in.is_err(), "a suspended vendor cannot sign in");

    let impact = set_vendor_suspended(&admin.store, a, w.vendor_a.id, false, "").await.unwrap();
    assert!(!impact.suspended);
    assert!(owner_store.vendor_balances(None, Some(w.vendor_a.id)).await.unwrap().iter().all(|b| !b.held));
    owner_store.place_order(&order).await.expect("reactivated: the product sells again");
    assert!(!owner_store.product(product).await.unwrap().hidden);
    assert_eq!(admin.me.role, Role::Admin);
    owner_store.close().await;
}
