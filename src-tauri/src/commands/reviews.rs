//! Buyers' reviews: the moderation queue (admins: every review; vendors: their
//! own products'), publishing or hiding one with a reason, and the vendor's
//! public reply. Changes go to the server at once.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::catalog::customer_reviews::{
    CustomerReview, Moderation, ReviewCounts, ReviewFilter, ReviewSort, list_reviews as list,
    moderate_review as moderate, reply_to_review as answer, review_counts as counts,
};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::{Page, PageRequest, StoreError};
use tauri::{AppHandle, State};
use tauri_specta::Event;

const READERS: &[Role] = &[Role::Admin, Role::Vendor];

fn reader(active: &Active) -> Reader {
    Reader { id: active.me.id, role: active.me.role }
}

fn online(active: &Active) -> Result<(), AppError> {
    if active.queues {
        return Err(StoreError::OnlineOnly("reviews are moderated on the server: connect first".into()).into());
    }
    Ok(())
}

/// A page of reviews.
#[tauri::command]
#[specta::specta]
pub async fn list_reviews(
    state: State<'_, AppState>,
    filter: ReviewFilter,
    page: PageRequest<ReviewSort>,
) -> Result<Page<CustomerReview>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see reviews")?;
    Ok(list(&active.store, reader(&active), &filter, &page).await?)
}

/// How many reviews are pending, published, hidden and unanswered.
#[tauri::command]
#[specta::specta]
pub async fn review_counts(state: State<'_, AppState>) -> Result<ReviewCounts, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see reviews")?;
    Ok(counts(&active.store, reader(&active)).await?)
}

/// Publishes a review or hides it with a reason (admins).
#[tauri::command]
#[specta::specta]
pub async fn moderate_review(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    decision: Moderation,
) -> Result<CustomerReview, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "moderate reviews")?;
    online(&active)?;
    let id = parse_id(&id, "review")?;
    let done = moderate(&active.store, reader(&active), id, version, &decision).await?;
    DataChanged::now("reviews", Some(id)).emit(&app).ok();
    Ok(done)
}

/// Answers a published review in public, changes the answer, or takes it back (`reply` null).
#[tauri::command]
#[specta::specta]
pub async fn reply_to_review(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    reply: Option<String>,
) -> Result<CustomerReview, AppError> {
    let active = state.active().await?;
    active.require(READERS, "answer reviews")?;
    online(&active)?;
    let id = parse_id(&id, "review")?;
    let done = answer(&active.store, reader(&active), id, version, reply.as_deref()).await?;
    DataChanged::now("reviews", Some(id)).emit(&app).ok();
    Ok(done)
}
