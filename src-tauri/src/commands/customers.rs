//! Customers: the list and one customer's record for admins and finance,
//! notes (admins and finance), blocking and the address book (admins; queued
//! offline and decided again by the server at sync), and the export of
//! everything held about one person into the Downloads folder.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::customers::addresses::AddressChange;
use marketdesk_core::customers::export::{export_customer as gather, write_export_folder};
use marketdesk_core::customers::list::{Customer, CustomerFilter, CustomerSort, list_customers as list};
use marketdesk_core::customers::profile::{CustomerProfile, customer_profile as profile};
use marketdesk_core::customers::status::CustomerStatusChange;
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::sync::{Mutation, Outcome, perform};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use uuid::Uuid;

/// Who reads customer records.
const READERS: &[Role] = &[Role::Admin, Role::Finance];

fn reader(active: &Active) -> Reader {
    Reader { id: active.me.id, role: active.me.role }
}

fn changed(app: &AppHandle, queued: bool, customer: Uuid) {
    if queued {
        DataChanged::now("sync", None).emit(app).ok();
    }
    DataChanged::now("customers", Some(customer)).emit(app).ok();
}

/// A page of customers.
#[tauri::command]
#[specta::specta]
pub async fn list_customers(
    state: State<'_, AppState>,
    filter: CustomerFilter,
    page: PageRequest<CustomerSort>,
) -> Result<Page<Customer>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see customers")?;
    Ok(list(&active.store, reader(&active), &filter, &page).await?)
}

/// One customer's record: addresses (admins), lifetime value, notes.
#[tauri::command]
#[specta::specta]
pub async fn customer_profile(state: State<'_, AppState>, id: String) -> Result<CustomerProfile, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see customers")?;
    let id = parse_id(&id, "customer")?;
    Ok(profile(&active.store, reader(&active), id).await?)
}

/// Writes a note about a customer.
#[tauri::command]
#[specta::specta]
pub async fn add_customer_note(
    app: AppHandle,
    state: State<'_, AppState>,
    customer_id: String,
    body: String,
) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(READERS, "write customer notes")?;
    let customer = parse_id(&customer_id, "customer")?;
    perform(&active.store, active.me.id, active.queues, &Mutation::CustomerNote { customer, body }).await?;
    changed(&app, active.queues, customer);
    Ok(())
}

/// Blocks a customer or lifts the block; returns their new version.
#[tauri::command]
#[specta::specta]
pub async fn set_customer_status(
    app: AppHandle,
    state: State<'_, AppState>,
    change: CustomerStatusChange,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "block customers")?;
    let customer = change.customer_id;
    let outcome = perform(&active.store, active.me.id, active.queues, &Mutation::CustomerStatus { change }).await?;
    changed(&app, active.queues, customer);
    match outcome {
        Outcome::Version(v) => Ok(v),
        _ => Err(AppError::invalid("a customer's status change answered with something else")),
    }
}

/// Changes a customer's address book; returns the address that stands.
#[tauri::command]
#[specta::specta]
pub async fn change_customer_address(
    app: AppHandle,
    state: State<'_, AppState>,
    customer_id: String,
    change: AddressChange,
) -> Result<String, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "change customers' addresses")?;
    let customer = parse_id(&customer_id, "customer")?;
    let outcome = perform(
        &active.store,
        active.me.id,
        active.queues,
        &Mutation::CustomerAddress { customer, change: Box::new(change) },
    )
    .await?;
    changed(&app, active.queues, customer);
    match outcome {
        Outcome::Address(id) => Ok(id.to_string()),
        _ => Err(AppError::invalid("an address change answered with something else")),
    }
}

/// Writes everything held about a customer into a new folder in Downloads
/// (`customer.json` and one CSV per section); returns the files written.
#[tauri::command]
#[specta::specta]
pub async fn export_customer_data(state: State<'_, AppState>, id: String) -> Result<Vec<String>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "export customer data")?;
    let id = parse_id(&id, "customer")?;
    let export = gather(&active.store, reader(&active), id).await?;
    let folder =
        super::downloads_path(&format!("marketdesk-customer-{}", &id.to_string()[..8]), "d")?.with_extension("");
    let files = tokio::task::spawn_blocking(move || write_export_folder(&export, &folder))
        .await
        .map_err(|e| AppError::new(ErrorKind::Database, format!("the export stopped: {e}")))?
        .map_err(|e| AppError::invalid(e.to_string()))?;
    Ok(files.into_iter().map(|f| f.display().to_string()).collect())
}
