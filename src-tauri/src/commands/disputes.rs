//! Disputes: the list and one dispute as the signed-in person may see them,
//! opening one, its steps and thread (queued offline and decided again by the
//! server at sync), assignment, the clock's round, finance's refunds of
//! outcomes, and the platform's figures.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::disputes::analytics::{DisputeAnalytics, dispute_analytics as figures};
use marketdesk_core::disputes::refund::{DueRefund, due_refunds, refund_dispute as make_refund};
use marketdesk_core::disputes::sla::{SlaRound, run_clock};
use marketdesk_core::disputes::step::assign_dispute as assign;
use marketdesk_core::disputes::view::{DisputeDetail, dispute_detail as detail};
use marketdesk_core::disputes::{DisputeMoved, DisputeOpened, DisputeStep, OpenDispute, open_dispute as open};
use marketdesk_core::domain::{Role, Timestamp};
use marketdesk_core::finance::refunds::RefundOutcome;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::disputes::{Dispute, DisputeFilter, DisputeSort};
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::sync::{Mutation, Outcome, perform};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use uuid::Uuid;

/// Who reads disputes: admins, finance, and vendors (their own).
const READERS: &[Role] = &[Role::Admin, Role::Finance, Role::Vendor];
/// Who works them.
const PARTIES: &[Role] = &[Role::Admin, Role::Vendor];

fn reader(active: &Active) -> Reader {
    Reader { id: active.me.id, role: active.me.role }
}

fn changed(app: &AppHandle, queued: bool, dispute: Option<Uuid>) {
    if queued {
        DataChanged::now("sync", None).emit(app).ok();
    }
    DataChanged::now("disputes", dispute).emit(app).ok();
}

fn online_only(active: &Active, what: &str) -> Result<(), AppError> {
    if active.queues {
        return Err(AppError::new(ErrorKind::Offline, format!("{what} needs the marketplace server: connect first")));
    }
    Ok(())
}

/// A page of disputes (a vendor: those they are party to).
#[tauri::command]
#[specta::specta]
pub async fn list_disputes(
    state: State<'_, AppState>,
    mut filter: DisputeFilter,
    page: PageRequest<DisputeSort>,
) -> Result<Page<Dispute>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see disputes")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_disputes(&filter, &page).await?)
}

/// One dispute with its lines, thread and the steps the signed-in person may
/// take now (a vendor never sees internal notes).
#[tauri::command]
#[specta::specta]
pub async fn dispute_detail(state: State<'_, AppState>, id: String) -> Result<DisputeDetail, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see disputes")?;
    let id = parse_id(&id, "dispute")?;
    Ok(detail(&active.store, reader(&active), id).await?)
}

/// Opens a dispute on an order (by its number) or one of its lines.
#[tauri::command]
#[specta::specta]
pub async fn open_dispute(
    app: AppHandle,
    state: State<'_, AppState>,
    request: OpenDispute,
) -> Result<DisputeOpened, AppError> {
    let active = state.active().await?;
    active.require(PARTIES, "open disputes")?;
    online_only(&active, "Opening a dispute")?;
    let opened = open(&active.store, reader(&active), &request).await?;
    changed(&app, false, Some(opened.id));
    Ok(opened)
}

/// Takes a step in a dispute; offline it is queued and decided again by the
/// server at sync.
#[tauri::command]
#[specta::specta]
pub async fn take_dispute_step(
    app: AppHandle,
    state: State<'_, AppState>,
    step: DisputeStep,
) -> Result<DisputeMoved, AppError> {
    let active = state.active().await?;
    active.require(PARTIES, "work disputes")?;
    let id = step.dispute_id;
    let outcome = perform(&active.store, active.me.id, active.queues, &Mutation::DisputeStep { step }).await?;
    changed(&app, active.queues, Some(id));
    match outcome {
        Outcome::Dispute(moved) => Ok(moved),
        _ => Err(AppError::invalid("a dispute step answered with something else")),
    }
}

/// Writes a message (staff: or an internal note) in a dispute's thread.
#[tauri::command]
#[specta::specta]
pub async fn post_dispute_message(
    app: AppHandle,
    state: State<'_, AppState>,
    dispute_id: String,
    body: String,
    internal: bool,
) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(PARTIES, "write in disputes")?;
    let dispute = parse_id(&dispute_id, "dispute")?;
    perform(&active.store, active.me.id, active.queues, &Mutation::DisputeMessage { dispute, body, internal }).await?;
    changed(&app, active.queues, Some(dispute));
    Ok(())
}

/// Hands a dispute to an admin (`None`: to nobody); returns its new version.
#[tauri::command]
#[specta::specta]
pub async fn assign_dispute(
    app: AppHandle,
    state: State<'_, AppState>,
    dispute_id: String,
    version: i64,
    to: Option<String>,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "assign disputes")?;
    online_only(&active, "Assigning a dispute")?;
    let dispute = parse_id(&dispute_id, "dispute")?;
    let to = to.map(|t| parse_id(&t, "user")).transpose()?;
    let version = assign(&active.store, reader(&active), dispute, version, to).await?;
    changed(&app, false, Some(dispute));
    Ok(version)
}

/// The clock's round, from an admin's desktop online: escalates disputes
/// whose stage ran out and marks overdue the escalated ones past their time.
#[tauri::command]
#[specta::specta]
pub async fn run_dispute_clock(app: AppHandle, state: State<'_, AppState>) -> Result<SlaRound, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "run the disputes' clock")?;
    if !active.online {
        return Ok(SlaRound::default());
    }
    let round = run_clock(&active.store, Timestamp::now(), Some(active.me.id)).await?;
    if round.escalated + round.overdue > 0 {
        changed(&app, false, None);
    }
    Ok(round)
}

/// The refunds disputes' outcomes wait on (finance), oldest decision first.
#[tauri::command]
#[specta::specta]
pub async fn due_dispute_refunds(state: State<'_, AppState>) -> Result<Vec<DueRefund>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see refunds")?;
    Ok(due_refunds(&active.store, 200).await?)
}

/// Makes the refund a dispute's outcome decided, through Stripe (finance, online).
#[tauri::command]
#[specta::specta]
pub async fn refund_dispute(
    app: AppHandle,
    state: State<'_, AppState>,
    dispute_id: String,
) -> Result<RefundOutcome, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "refund orders")?;
    let dispute = parse_id(&dispute_id, "dispute")?;
    let gateway = super::stripe_gateway()?;
    let outcome = make_refund(&active.store, reader(&active), dispute, &gateway).await?;
    changed(&app, false, Some(dispute));
    DataChanged::now("orders", None).emit(&app).ok();
    Ok(outcome)
}

/// The platform's dispute figures, outcomes over the last `days` days.
#[tauri::command]
#[specta::specta]
pub async fn dispute_analytics(state: State<'_, AppState>, days: u32) -> Result<DisputeAnalytics, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see dispute figures")?;
    let now = Timestamp::now();
    let since = now.minus_days(i64::from(days.clamp(1, 3660)));
    Ok(figures(&active.store, now, since).await?)
}
