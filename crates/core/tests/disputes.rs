//! Disputes on both engines: opened by an admin or a vendor, answered,
//! escalated by the clock (a fake one) and marked overdue once, resolved
//! with a refund finance then makes through Stripe (the local fake) and the
//! ledger; bad steps refused with nothing changed; each party told through
//! notifications; files sent with a message (all or nothing, checked by
//! their bytes), staff notes' files kept from the vendor. On PostgreSQL the database's transition table equals the
//! domain's.

use marketdesk_core::Store;
use marketdesk_core::disputes::analytics::dispute_analytics;
use marketdesk_core::disputes::attachments::{NewAttachment, attachment_content, post_message_with_files};
use marketdesk_core::disputes::refund::{due_refunds, refund_dispute};
use marketdesk_core::disputes::sla::run_clock;
use marketdesk_core::disputes::thread::post_message;
use marketdesk_core::disputes::view::dispute_detail;
use marketdesk_core::disputes::{DisputeStep, OpenDispute, open_dispute, take_step};
use marketdesk_core::domain::dispute_lifecycle::{
    DISPUTE_TRANSITIONS, DisputeAction as A, DisputeKind, DisputeOutcome,
};
use marketdesk_core::domain::{DisputeStatus, Role, Timestamp};
use marketdesk_core::finance::refunds::RefundLine;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_test_support::money::{assert_ledger_whole, count, gateway, seeded_pg, user_id};
use marketdesk_test_support::stripe_fake::StripeFake;
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;

on_both_engines!(
    a_dispute_is_worked_through_by_both_sides,
    the_clock_escalates_then_marks_overdue_once,
    bad_steps_are_refused_and_change_nothing,
    files_travel_with_their_message_and_stay_with_its_readers,
);

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(40);
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
}

/// A paid order with an open line and no dispute: its number, the line, its vendor.
async fn undisputed(store: &Store) -> (String, Uuid, Uuid) {
    let rows: Vec<(String, Uuid, Uuid)> = fetch_all!(
        store,
        "SELECT o.number, i.id, i.vendor_id FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE o.status IN ('paid', 'processing', 'shipped', 'delivered') AND i.status NOT IN ('cancelled', 'refunded') \
         AND i.refunded_quantity = 0 AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id) \
         ORDER BY o.number LIMIT 1"
    );
    rows.into_iter().next().expect("the seeded history has an undisputed paid order")
}

async fn admin(store: &Store) -> Reader {
    let rows: Vec<(Uuid,)> = fetch_all!(store, "SELECT id FROM users WHERE email = 'admin@marketdesk.demo'");
    Reader { id: rows[0].0, role: Role::Admin }
}

async fn another_vendor(store: &Store, not: Uuid) -> Reader {
    let rows: Vec<(Uuid,)> =
        fetch_all_for!(store, "SELECT id FROM users WHERE role = 'vendor' AND id <> $1 LIMIT 1", not);
    Reader { id: rows[0].0, role: Role::Vendor }
}

/// How many notifications of `kind` reached `who`'s bell.
async fn bell(store: &Store, who: Uuid, kind: &str) -> usize {
    let rows: Vec<(String,)> =
        fetch_all_for!(store, "SELECT kind FROM notifications WHERE user_id = $1 AND channel = 'in_app'", who);
    rows.into_iter().filter(|r| r.0 == kind).count()
}

async fn status_of(store: &Store, id: Uuid) -> String {
    let rows: Vec<(String,)> = fetch_all_for!(store, "SELECT status FROM disputes WHERE id = $1", id);
    rows[0].0.clone()
}

fn step(id: Uuid, version: i64, action: A, message: &str) -> DisputeStep {
    DisputeStep {
        dispute_id: id,
        version,
        action,
        message: message.into(),
        internal: false,
        resolution: None,
        refund: vec![],
    }
}

fn open_req(number: &str, vendor: Option<Uuid>) -> OpenDispute {
    OpenDispute {
        order_number: number.into(),
        order_item_id: None,
        vendor_id: vendor,
        kind: DisputeKind::Damaged,
        subject: "Arrived broken".into(),
        message: "The buyer sent photos of the broken item.".into(),
        amount_minor: None,
    }
}

async fn a_dispute_is_worked_through_by_both_sides(store: &Store) {
    seeded(store).await;
    let admin = admin(store).await;
    let (number, line, vendor_id) = undisputed(store).await;
    let vendor = Reader { id: vendor_id, role: Role::Vendor };
    let before = bell(store, vendor.id, "dispute_opened").await;

    let opened = open_dispute(store, admin, &open_req(&number, Some(vendor.id))).await.unwrap();
    assert_eq!(opened.status, DisputeStatus::AwaitingVendor, "an admin's dispute starts with the vendor");
    assert!(opened.amount_minor > 0);
    let due = opened.stage_due_at.expect("the vendor's stage has a deadline");
    let hours = (due.unix_micros() - Timestamp::now().unix_micros()) / 3_600_000_000;
    assert!((71..=72).contains(&hours), "three days by default, got {hours} h");
    assert_eq!(bell(store, vendor.id, "dispute_opened").await, before + 1, "the vendor is told");

    // The vendor reads it without the staff's notes, and answers.
    post_message(store, admin, opened.id, "Buyer is a regular; likely genuine.", true).await.unwrap();
    let seen = dispute_detail(store, vendor, opened.id).await.unwrap();
    assert_eq!(seen.messages.len(), 1, "the internal note is hidden from the vendor");
    assert!(seen.steps.contains(&A::Answer) && !seen.steps.contains(&A::Review));
    assert!(seen.outcomes.iter().all(|r| r.open_to(marketdesk_core::domain::dispute_lifecycle::DisputeParty::Vendor)));
    assert_eq!(seen.lines.iter().filter(|l| l.id == line).count(), 1, "the line is in the dispute's scope");
    let admin_before = bell(store, admin.id, "dispute_answered").await;
    let answered = take_step(
        store,
        vendor,
        &step(opened.id, seen.dispute.version, A::Answer, "Packed with care; courier's fault."),
    )
    .await
    .unwrap();
    assert_eq!(answered.status, DisputeStatus::UnderReview);
    assert_eq!(bell(store, admin.id, "dispute_answered").await, admin_before + 1, "the admin handling it is told");
    assert!(dispute_detail(store, admin, opened.id).await.unwrap().messages.len() == 3, "the admin sees all three");

    // Another vendor cannot see or touch it.
    let stranger = another_vendor(store, vendor.id).await;
    assert!(matches!(dispute_detail(store, stranger, opened.id).await, Err(StoreError::NotFound { .. })));
    let r = take_step(store, stranger, &step(opened.id, answered.version, A::Escalate, "mine")).await;
    assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");

    // The admin resolves with a partial refund of one unit of the line.
    let mut resolve = step(opened.id, answered.version, A::Resolve, "One unit refunded as a goodwill gesture.");
    resolve.resolution = Some(DisputeOutcome::RefundPartial);
    resolve.refund = vec![RefundLine { order_item_id: line, quantity: 1 }];
    let vendor_told = bell(store, vendor.id, "dispute_answered").await;
    let resolved = take_step(store, admin, &resolve).await.unwrap();
    assert_eq!(resolved.status, DisputeStatus::Resolved);
    assert!(resolved.refund_minor.is_some_and(|m| m > 0 && m <= opened.amount_minor));
    assert_eq!(resolved.stage_due_at, None, "an ended dispute has no deadline");
    assert_eq!(bell(store, vendor.id, "dispute_answered").await, vendor_told + 1, "the vendor hears the outcome");
    let outcome = dispute_detail(store, vendor, opened.id).await.unwrap();
    assert_eq!(outcome.dispute.resolution, Some(DisputeOutcome::RefundPartial));
    assert_eq!(outcome.dispute.refund_state.as_deref(), Some("due"));
    assert_eq!(outcome.refund_lines, vec![RefundLine { order_item_id: line, quantity: 1 }]);
    assert!(outcome.steps.is_empty(), "nothing more to do once it ended");
    assert!(due_refunds(store, 50).await.unwrap().iter().any(|d| d.dispute_id == opened.id), "finance's list has it");

    let audit: Vec<(String,)> = fetch_all_for!(
        store,
        "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'disputes.%' ORDER BY occurred_at",
        opened.id
    );
    let actions: Vec<&str> = audit.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(actions, ["disputes.open", "disputes.answer", "disputes.resolve"]);

    let figures = dispute_analytics(store, Timestamp::now(), Timestamp::now().minus_days(1)).await.unwrap();
    assert!(figures.ended >= 1 && figures.median_hours == Some(0));
    assert!(
        figures
            .outcomes
            .iter()
            .any(|o| o.vendor_id == Some(vendor.id) && o.resolution == DisputeOutcome::RefundPartial)
    );

    // A vendor opens one with the platform; every admin hears of it.
    let (other_number, _, other_vendor) = undisputed(store).await;
    let v2 = Reader { id: other_vendor, role: Role::Vendor };
    let heard = bell(store, admin.id, "dispute_opened").await;
    let mine = open_dispute(store, v2, &open_req(&other_number, None)).await.unwrap();
    assert_eq!(mine.status, DisputeStatus::Open, "a vendor's dispute starts with the platform");
    assert_eq!(bell(store, admin.id, "dispute_opened").await, heard + 1);
}

async fn the_clock_escalates_then_marks_overdue_once(store: &Store) {
    seeded(store).await;
    let admin = admin(store).await;
    let (number, _, vendor_id) = undisputed(store).await;
    let opened = open_dispute(store, admin, &open_req(&number, Some(vendor_id))).await.unwrap();
    let now = Timestamp::now();
    let at = |hours: i64| Timestamp::from_unix_micros(now.unix_micros() + hours * 3_600_000_000).unwrap();
    // Seeded disputes have no deadlines: only ours is on the clock.
    assert_eq!(run_clock(store, at(71), None).await.unwrap().escalated, 0, "not yet");
    assert_eq!(status_of(store, opened.id).await, "awaiting_vendor");
    let told = bell(store, vendor_id, "dispute_escalated").await;
    let round = run_clock(store, at(73), None).await.unwrap();
    assert_eq!((round.escalated, round.overdue), (1, 0));
    assert_eq!(status_of(store, opened.id).await, "escalated");
    assert_eq!(bell(store, vendor_id, "dispute_escalated").await, told + 1, "the vendor hears it went to the platform");
    assert_eq!(run_clock(store, at(74), None).await.unwrap(), Default::default(), "the platform's 48 h start now");
    let overdue_before = bell(store, admin.id, "dispute_overdue").await;
    let round = run_clock(store, at(73 + 49), None).await.unwrap();
    assert_eq!((round.escalated, round.overdue), (0, 1));
    assert_eq!(bell(store, admin.id, "dispute_overdue").await, overdue_before + 1, "the admin is told");
    assert_eq!(run_clock(store, at(400), None).await.unwrap(), Default::default(), "overdue is said once");
    let listed = store
        .list_disputes(
            &marketdesk_core::store::disputes::DisputeFilter { overdue: true, ..Default::default() },
            &marketdesk_core::store::PageRequest {
                sort: marketdesk_core::store::disputes::DisputeSort::OpenedAt,
                dir: marketdesk_core::store::SortDir::Desc,
                after: None,
                limit: 50,
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.items.iter().map(|d| d.id).collect::<Vec<_>>(), vec![opened.id], "shown as overdue");

    // The platform's setting shortens the vendor's time.
    store.put_setting("disputes.sla_vendor_hours", "2", "Hours a vendor has to answer a dispute").await.unwrap();
    let (n2, _, v2) = undisputed(store).await;
    let short = open_dispute(store, admin, &open_req(&n2, Some(v2))).await.unwrap();
    let hours = (short.stage_due_at.unwrap().unix_micros() - Timestamp::now().unix_micros()) / 3_600_000_000;
    assert!((1..=2).contains(&hours), "{hours} h");
}

async fn bad_steps_are_refused_and_change_nothing(store: &Store) {
    seeded(store).await;
    let admin = admin(store).await;
    let (number, line, vendor_id) = undisputed(store).await;
    let vendor = Reader { id: vendor_id, role: Role::Vendor };
    let d = open_dispute(store, admin, &open_req(&number, Some(vendor.id))).await.unwrap();
    let v = dispute_detail(store, admin, d.id).await.unwrap().dispute.version;

    let again = open_dispute(store, admin, &open_req(&number, Some(vendor.id))).await;
    assert!(matches!(&again, Err(StoreError::Validation(m)) if m.contains("still open")), "{again:?}");
    let mut chargeback = open_req(&number, None);
    chargeback.kind = DisputeKind::Chargeback;
    assert!(matches!(open_dispute(store, admin, &chargeback).await, Err(StoreError::Validation(_))));
    assert!(matches!(open_dispute(store, admin, &open_req("MD-NOPE", None)).await, Err(StoreError::NotFound { .. })));
    let finance = Reader { id: admin.id, role: Role::Finance };
    assert!(matches!(open_dispute(store, finance, &open_req(&number, None)).await, Err(StoreError::AccessDenied(_))));

    let mut reject = step(d.id, v, A::Resolve, "No.");
    reject.resolution = Some(DisputeOutcome::Rejected);
    let r = take_step(store, vendor, &reject).await;
    assert!(matches!(&r, Err(StoreError::Validation(m)) if m.contains("vendor cannot end")), "{r:?}");
    let r = take_step(store, admin, &step(d.id, v, A::Timeout, "")).await;
    assert!(matches!(r, Err(StoreError::AccessDenied(_))), "only the clock times out: {r:?}");
    let r = take_step(store, vendor, &step(d.id, v, A::Answer, "  ")).await;
    assert!(matches!(r, Err(StoreError::Validation(_))), "an answer needs words: {r:?}");
    let mut note = step(d.id, v, A::Answer, "secret");
    note.internal = true;
    assert!(matches!(take_step(store, vendor, &note).await, Err(StoreError::AccessDenied(_))));
    let r = take_step(store, admin, &step(d.id, v, A::Review, "")).await;
    assert!(matches!(r, Err(StoreError::Validation(_))), "no review from the vendor's stage: {r:?}");
    let mut too_much = step(d.id, v, A::Resolve, "");
    too_much.resolution = Some(DisputeOutcome::RefundPartial);
    too_much.refund = vec![RefundLine { order_item_id: line, quantity: 10_000 }];
    let r = take_step(store, admin, &too_much).await;
    assert!(matches!(&r, Err(StoreError::Validation(m)) if m.contains("left to refund")), "{r:?}");
    too_much.refund = vec![RefundLine { order_item_id: Uuid::now_v7(), quantity: 1 }];
    assert!(matches!(take_step(store, admin, &too_much).await, Err(StoreError::Validation(_))));
    let r = take_step(store, vendor, &step(d.id, v - 1, A::Answer, "old")).await;
    assert!(matches!(r, Err(StoreError::VersionConflict { .. })), "{r:?}");

    let after = dispute_detail(store, admin, d.id).await.unwrap();
    assert_eq!((after.dispute.version, after.dispute.status), (v, DisputeStatus::AwaitingVendor), "nothing changed");
    assert_eq!(after.messages.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_outcome_is_made_once_and_balances_the_ledger() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let store = &db.store;
    let admin = Reader { id: user_id(store, "admin@marketdesk.demo").await, role: Role::Admin };
    let finance = Reader { id: user_id(store, "finance@marketdesk.demo").await, role: Role::Finance };
    let (number, line, vendor_id, _units): (String, Uuid, Uuid, i32) = sqlx::query_as(
        "SELECT o.number, i.id, i.vendor_id, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE o.status = 'delivered' AND i.refunded_quantity = 0 AND i.status NOT IN ('cancelled', 'refunded') \
         AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.provider = 'stripe' AND p.status = 'succeeded') \
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id) ORDER BY o.number LIMIT 1",
    )
    .fetch_one(store.pg_pool().unwrap())
    .await
    .expect("a Stripe-paid delivered order");
    let mut req = open_req(&number, Some(vendor_id));
    req.order_item_id = Some(line);
    let d = open_dispute(store, admin, &req).await.unwrap();
    let v = dispute_detail(store, admin, d.id).await.unwrap().dispute.version;
    let mut resolve = step(d.id, v, A::Resolve, "Refund one unit.");
    resolve.resolution = Some(DisputeOutcome::RefundPartial);
    resolve.refund = vec![RefundLine { order_item_id: line, quantity: 1 }];
    let planned = take_step(store, admin, &resolve).await.unwrap().refund_minor.unwrap();

    assert!(matches!(refund_dispute(store, admin, d.id, &gateway(&fake)).await, Err(StoreError::AccessDenied(_))));
    let made = refund_dispute(store, finance, d.id, &gateway(&fake)).await.unwrap();
    assert_eq!((made.refunded_minor, made.pending), (planned, 0), "the outcome's amount, nothing left pending");
    let state: String = sqlx::query_scalar("SELECT refund_state FROM disputes WHERE id = $1")
        .bind(d.id)
        .fetch_one(store.pg_pool().unwrap())
        .await
        .unwrap();
    assert_eq!(state, "refunded");
    assert_eq!(
        count(&db.url, &format!("SELECT count(*) FROM refunds WHERE dispute_id = '{}' AND status = 'succeeded'", d.id))
            .await,
        1
    );
    assert_eq!(
        count(&db.url, &format!("SELECT CAST(refunded_quantity AS BIGINT) FROM order_items WHERE id = '{line}'")).await,
        1
    );
    let again = refund_dispute(store, finance, d.id, &gateway(&fake)).await;
    assert!(matches!(&again, Err(StoreError::Validation(m)) if m.contains("already made")), "{again:?}");
    assert_eq!(fake.state.lock().unwrap().refunds.len(), 1, "Stripe was asked once");
    assert_ledger_whole(store, &db.url).await;
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE number = $1")
        .bind(&number)
        .fetch_one(store.pg_pool().unwrap())
        .await
        .unwrap();
    assert!(matches!(status.as_str(), "partially_refunded" | "refunded"), "the order shows the refund: {status}");
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_holds_the_same_transitions() {
    let db = marketdesk_test_support::databases::pg().await;
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT from_status, to_status, action, mover FROM md_dispute_transitions()")
            .fetch_all(db.store.pg_pool().unwrap())
            .await
            .unwrap();
    let held: BTreeSet<(String, String, String, String)> = rows.into_iter().collect();
    let domain: BTreeSet<(String, String, String, String)> = DISPUTE_TRANSITIONS
        .iter()
        .flat_map(|t| t.by.iter().map(|m| (t.from.to_string(), t.to.to_string(), t.action.to_string(), m.to_string())))
        .collect();
    assert_eq!(held, domain, "md_dispute_transitions() must list exactly the domain's moves");
    db.finish().await;
}

async fn files_travel_with_their_message_and_stay_with_its_readers(store: &Store) {
    seeded(store).await;
    let admin = admin(store).await;
    let (number, _, vendor_id) = undisputed(store).await;
    let vendor = Reader { id: vendor_id, role: Role::Vendor };
    let other = another_vendor(store, vendor_id).await;
    let d = open_dispute(store, admin, &open_req(&number, Some(vendor_id))).await.unwrap().id;
    let file = |name: &str, bytes: &[u8]| NewAttachment { name: name.into(), bytes: bytes.to_vec() };
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

    // One file that is not evidence refuses the whole message.
    let before = dispute_detail(store, vendor, d).await.unwrap().messages.len();
    let bad = post_message_with_files(
        store,
        vendor,
        d,
        "Photos attached",
        false,
        &[file("report.pdf", pdf), file("virus.exe", b"MZ\x90\x00")],
    )
    .await;
    assert!(matches!(&bad, Err(StoreError::Validation(m)) if m.contains("virus.exe")), "{bad:?}");
    assert_eq!(dispute_detail(store, vendor, d).await.unwrap().messages.len(), before, "nothing was written");

    let sent = post_message_with_files(
        store,
        vendor,
        d,
        "The carrier's report",
        false,
        &[file("/home/v/report.pdf", pdf), file("note.txt", b"Box crushed on arrival.\n")],
    )
    .await
    .unwrap();
    assert_eq!(
        sent.attachments.iter().map(|a| (a.file_name.as_str(), a.media_type.as_str())).collect::<Vec<_>>(),
        [("report.pdf", "application/pdf"), ("note.txt", "text/plain")]
    );
    let note = post_message_with_files(store, admin, d, "Looks staged", true, &[file("check.txt", b"staff only")])
        .await
        .unwrap();
    let vendor_view = dispute_detail(store, vendor, d).await.unwrap();
    let files: Vec<&str> =
        vendor_view.messages.iter().flat_map(|m| m.attachments.iter().map(|a| a.file_name.as_str())).collect();
    assert_eq!(files, ["report.pdf", "note.txt"], "the staff note's file stays with staff");
    let admin_view = dispute_detail(store, admin, d).await.unwrap();
    assert_eq!(admin_view.messages.iter().map(|m| m.attachments.len()).sum::<usize>(), 3);

    let (name, kind, bytes) = attachment_content(store, vendor, sent.attachments[0].id).await.unwrap();
    assert_eq!((name.as_str(), kind.as_str(), bytes.as_slice()), ("report.pdf", "application/pdf", &pdf[..]));
    for (who, id) in [(vendor, note.attachments[0].id), (other, sent.attachments[0].id)] {
        let e = attachment_content(store, who, id).await;
        assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    }
    let too_many: Vec<NewAttachment> = (0..6).map(|i| file(&format!("n{i}.txt"), b"x")).collect();
    let e = post_message_with_files(store, vendor, d, "Six", false, &too_many).await;
    assert!(matches!(e, Err(StoreError::Validation(_))), "{e:?}");
}
