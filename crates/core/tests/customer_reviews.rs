//! Buyers' reviews moderated, on both engines: the queue narrowed by status,
//! stars, search and "unanswered" and paged in the database; an admin
//! publishes a held review and hides one with a reason (never without one,
//! never on a stale version); the vendor answers a published review of their
//! own product, changes and takes back the answer, and never reaches another
//! vendor's reviews or the moderation; every step in the audit trail.

use marketdesk_core::Store;
use marketdesk_core::catalog::customer_reviews::{
    Moderation, ReviewFilter, ReviewSort, ReviewStatus, list_reviews, moderate_review, reply_to_review, review,
    review_counts,
};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::{PageRequest, SortDir, StoreError};
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use uuid::Uuid;

on_both_engines!(reviews_are_moderated_and_answered,);

fn first_page(limit: u32) -> PageRequest<ReviewSort> {
    PageRequest { sort: ReviewSort::CreatedAt, dir: SortDir::Desc, after: None, limit }
}

async fn reviews_are_moderated_and_answered(store: &Store) {
    let mut o = SeedOptions::new(400);
    o.seed = 3;
    seed(store, &o, |_| {}).await.expect("seed");
    let people: Vec<(Uuid, Role)> =
        fetch_all!(store, "SELECT id, role FROM users WHERE role IN ('admin', 'logistics') ORDER BY created_at, id");
    let admin = Reader { id: people.iter().find(|p| p.1 == Role::Admin).unwrap().0, role: Role::Admin };
    let logistics = Reader { id: people.iter().find(|p| p.1 == Role::Logistics).unwrap().0, role: Role::Logistics };

    let counts = review_counts(store, admin).await.unwrap();
    let all: Vec<(i64, i64)> = fetch_all!(
        store,
        "SELECT sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'published' THEN 1 ELSE 0 END) \
         FROM product_reviews"
    );
    assert_eq!((counts.pending, counts.published), all[0]);
    assert!(counts.pending > 0 && counts.published > 1, "{counts:?}");

    // The queue: pending ones, paged in the database.
    let held = ReviewFilter { status: Some(ReviewStatus::Pending), ..ReviewFilter::default() };
    let page = list_reviews(store, admin, &held, &first_page(2)).await.unwrap();
    assert!(page.items.iter().all(|r| r.status == ReviewStatus::Pending && r.rating == 1));
    assert_eq!(page.next_cursor.is_some(), counts.pending > 2);
    let pending = page.items[0].clone();

    // Publish the held one; hiding needs a reason; a stale version is refused.
    let e = moderate_review(store, admin, pending.id, pending.version, &Moderation::Hide { reason: "  ".into() }).await;
    assert!(matches!(&e, Err(StoreError::Validation(m)) if m == "write the reason for hiding it"), "{e:?}");
    let published = moderate_review(store, admin, pending.id, pending.version, &Moderation::Publish).await.unwrap();
    assert_eq!((published.status, published.version), (ReviewStatus::Published, pending.version + 1));
    assert!(published.moderated_at.is_some());
    let stale = moderate_review(store, admin, pending.id, pending.version, &Moderation::Publish).await;
    assert!(matches!(stale, Err(StoreError::Validation(_))), "published already: {stale:?}");
    let hide = Moderation::Hide { reason: "Names a person".into() };
    let stale = moderate_review(store, admin, pending.id, pending.version, &hide).await;
    assert!(matches!(stale, Err(StoreError::VersionConflict { .. })), "{stale:?}");
    let hidden = moderate_review(store, admin, pending.id, published.version, &hide).await.unwrap();
    assert_eq!((hidden.status, hidden.hidden_reason.as_deref()), (ReviewStatus::Hidden, Some("Names a person")));

    // The vendor of a published review answers it; another vendor never sees it.
    let answered = ReviewFilter { unanswered: true, search: Some("ARRIVED quickly".into()), ..ReviewFilter::default() };
    let open = list_reviews(store, admin, &answered, &first_page(1)).await.unwrap().items.remove(0);
    let vendor = Reader { id: open.vendor_id, role: Role::Vendor };
    let others: Vec<(Uuid,)> =
        fetch_all_for!(store, "SELECT id FROM users WHERE role = 'vendor' AND id <> $1 ORDER BY id LIMIT 1", vendor.id);
    let other = Reader { id: others[0].0, role: Role::Vendor };
    let mine = list_reviews(store, vendor, &ReviewFilter::default(), &first_page(500)).await.unwrap();
    assert!(mine.items.iter().all(|r| r.vendor_id == vendor.id) && mine.items.iter().any(|r| r.id == open.id));
    assert!(matches!(review(store, other, open.id).await, Err(StoreError::NotFound { .. })));
    let e = reply_to_review(store, other, open.id, open.version, Some("Not mine")).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    let e = moderate_review(store, vendor, open.id, open.version, &Moderation::Publish).await;
    assert!(matches!(e, Err(StoreError::AccessDenied(_))), "{e:?}");
    assert!(matches!(review_counts(store, logistics).await, Err(StoreError::AccessDenied(_))));

    let replied = reply_to_review(store, vendor, open.id, open.version, Some(" Thank you! ")).await.unwrap();
    assert_eq!(replied.vendor_reply.as_deref(), Some("Thank you!"));
    assert!(replied.vendor_replied_at.is_some());
    let e = reply_to_review(store, vendor, open.id, replied.version, Some(&"x".repeat(2001))).await;
    assert!(matches!(e, Err(StoreError::Validation(_))));
    let e = reply_to_review(store, vendor, hidden.id, hidden.version, Some("Hello")).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. }) | Err(StoreError::Validation(_))), "{e:?}");
    let taken_back = reply_to_review(store, vendor, open.id, replied.version, None).await.unwrap();
    assert_eq!((taken_back.vendor_reply, taken_back.vendor_replied_at), (None, None));
    assert_eq!(review_counts(store, vendor).await.unwrap().unanswered, {
        let v = list_reviews(
            store,
            vendor,
            &ReviewFilter { unanswered: true, ..ReviewFilter::default() },
            &first_page(500),
        )
        .await
        .unwrap();
        v.items.len() as i64
    });

    let trail: Vec<(String,)> =
        fetch_all!(store, "SELECT action FROM audit_log WHERE action LIKE 'reviews.%' ORDER BY occurred_at, action");
    let actions: Vec<&str> = trail.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(actions, ["reviews.published", "reviews.hidden", "reviews.replied", "reviews.reply_removed"]);
}
