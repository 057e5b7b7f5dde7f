//! The writes a person can make offline, as intents: what they do, on which
//! row, and the version of it they read. The same [`apply_in`] runs a
//! mutation online, queued on the local copy, and replayed on the server, so
//! the server's rules (row-level security, CHECKs, the state machines) decide
//! again at replay.

use crate::catalog::categories::{CategoryChange, change_category_in};
use crate::catalog::review::{ReviewDecision, decide_product_in};
use crate::catalog::save::{ProductSave, save_product_in};
use crate::catalog::steps::{ProductStep, take_product_step_in};
use crate::catalog::stock::{StockChange, change_stock_in};
use crate::customers::addresses::AddressChange;
use crate::customers::status::CustomerStatusChange;
use crate::disputes::{DisputeMoved, DisputeStep};
use crate::domain::order_lifecycle::Mover;
use crate::domain::stock::StockMovementKind;
use crate::domain::{OrderStatus, PrintJobState, Role, ShipmentStatus, new_id};
use crate::logistics::local_label::{LocalLabelIds, issue_local_label_in};
use crate::logistics::printing::offline::{PrintRecord, record_print_job_in};
use crate::orders::cancel::{CancelOrder, CancelReason, Cancellation};
use crate::orders::view::Reader;
use crate::store::write_tx::WriteTx;
use crate::store::write_tx::with_tx;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One offline-capable write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mutation {
    /// Moves an order along its lifecycle.
    OrderStatus {
        /// The order.
        order: Uuid,
        /// The order's version the change was based on.
        version: i64,
        /// Its new status.
        to: OrderStatus,
    },
    /// Moves a shipment along its lifecycle by hand.
    ShipmentStatus {
        /// The shipment.
        shipment: Uuid,
        /// The shipment's version the change was based on.
        version: i64,
        /// Its new status.
        to: ShipmentStatus,
    },
    /// Changes a variant's stock on hand by a number of units, as a movement
    /// of the log (commutes with other changes, so it names no version).
    StockAdjustment {
        /// The variant.
        variant: Uuid,
        /// Units added (negative: taken away).
        delta: i32,
        /// Why (a correction when not said, as changes queued before the log
        /// were).
        #[serde(default)]
        reason: Option<StockMovementKind>,
        /// What the person wrote about it.
        #[serde(default)]
        note: Option<String>,
        /// The movement's id, so the replay writes the same row.
        #[serde(default)]
        movement: Option<Uuid>,
    },
    /// Approves or rejects a product pending review.
    ProductReview {
        /// The product.
        product: Uuid,
        /// The product's version the review was based on.
        version: i64,
        /// Approve (else reject).
        approve: bool,
        /// Why it was rejected.
        reason: Option<String>,
    },
    /// Asks the vendor to change a product pending review (back to draft,
    /// with a note).
    ProductChangesAsked {
        /// The product.
        product: Uuid,
        /// The product's version the review was based on.
        version: i64,
        /// What to change.
        note: String,
    },
    /// Creates or edits a product from the editor.
    ProductSave {
        /// The product, its version read and what it holds; boxed, as a
        /// product is far larger than every other mutation.
        save: Box<ProductSave>,
    },
    /// Sends a product for review, archives or restores it.
    ProductStep {
        /// The product.
        product: Uuid,
        /// The product's version the step was based on.
        version: i64,
        /// The step.
        step: ProductStep,
    },
    /// Changes the category tree.
    Category {
        /// The change, naming the category and the version read.
        change: CategoryChange,
    },
    /// Cancels an order, or one vendor's part of it.
    CancelOrder {
        /// The order.
        order: Uuid,
        /// The order's version the cancellation was based on.
        version: i64,
        /// Only this vendor's lines; `None` for the whole order.
        vendor: Option<Uuid>,
        /// Why.
        reason: CancelReason,
        /// More words.
        note: String,
    },
    /// Takes a step in a dispute (hands it over, answers, escalates, resolves).
    DisputeStep {
        /// The step, naming the dispute and the version it was based on.
        step: DisputeStep,
    },
    /// Writes in a dispute's thread (commutes with other messages, so it
    /// names no version).
    DisputeMessage {
        /// The dispute.
        dispute: Uuid,
        /// The words.
        body: String,
        /// Staff only.
        internal: bool,
    },
    /// Writes a note about a customer (commutes with other notes).
    CustomerNote {
        /// The customer.
        customer: Uuid,
        /// The words.
        body: String,
    },
    /// Blocks a customer or lifts the block.
    CustomerStatus {
        /// The change, naming the customer and the version it was based on.
        change: CustomerStatusChange,
    },
    /// Changes a customer's address book.
    CustomerAddress {
        /// The customer.
        customer: Uuid,
        /// What changes (an edit names the address's version); boxed, as
        /// an address is far larger than every other mutation.
        change: Box<AddressChange>,
    },
    /// Issues the local carrier's label for a parcel (no carrier to call).
    LocalLabel {
        /// The shipment.
        shipment: Uuid,
        /// The shipment's version the label was issued on.
        version: i64,
        /// The rows it writes, the same wherever it is applied.
        ids: LocalLabelIds,
    },
    /// Records a print job made offline as it ended (commutes: it names no
    /// version), and moves a printed label's parcel on.
    PrintJob {
        /// The job, its printer and its bytes; boxed, as it holds the bytes.
        record: Box<PrintRecord>,
    },
}

/// What a mutation left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The row's new version.
    Version(i64),
    /// The variant's new stock on hand.
    Stock(i32),
    /// What a cancellation did (with the order's new version).
    Cancelled(Cancellation),
    /// What a dispute step did (with the dispute's new version).
    Dispute(DisputeMoved),
    /// A message was written.
    Posted,
    /// The address that stands after an address-book change.
    Address(Uuid),
}

impl Outcome {
    /// The changed row's new version, when the mutation names one.
    pub fn version(&self) -> Option<i64> {
        match self {
            Outcome::Version(v) => Some(*v),
            Outcome::Cancelled(c) => Some(c.version),
            Outcome::Dispute(d) => Some(d.version),
            Outcome::Stock(_) | Outcome::Posted | Outcome::Address(_) => None,
        }
    }
}

impl Mutation {
    /// A correction of `variant`'s stock by `delta` units, with a fresh
    /// movement id.
    pub fn stock(variant: Uuid, delta: i32) -> Self {
        Mutation::StockAdjustment { variant, delta, reason: None, note: None, movement: Some(new_id()) }
    }

    /// The stored name of the mutation's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Mutation::OrderStatus { .. } => "order_status",
            Mutation::ShipmentStatus { .. } => "shipment_status",
            Mutation::StockAdjustment { .. } => "stock_adjustment",
            Mutation::ProductReview { .. } => "product_review",
            Mutation::ProductChangesAsked { .. } => "product_changes_asked",
            Mutation::ProductSave { .. } => "product_save",
            Mutation::ProductStep { .. } => "product_step",
            Mutation::Category { .. } => "category",
            Mutation::CancelOrder { .. } => "cancel_order",
            Mutation::DisputeStep { .. } => "dispute_step",
            Mutation::DisputeMessage { .. } => "dispute_message",
            Mutation::CustomerNote { .. } => "customer_note",
            Mutation::CustomerStatus { .. } => "customer_status",
            Mutation::CustomerAddress { .. } => "customer_address",
            Mutation::LocalLabel { .. } => "local_label",
            Mutation::PrintJob { .. } => "print_job",
        }
    }

    /// The row it changes: its table and id.
    pub fn target(&self) -> (&'static str, Uuid) {
        match self {
            Mutation::OrderStatus { order, .. } | Mutation::CancelOrder { order, .. } => ("orders", *order),
            Mutation::ShipmentStatus { shipment, .. } | Mutation::LocalLabel { shipment, .. } => {
                ("shipments", *shipment)
            }
            Mutation::StockAdjustment { variant, .. } => ("product_variants", *variant),
            Mutation::ProductReview { product, .. }
            | Mutation::ProductChangesAsked { product, .. }
            | Mutation::ProductStep { product, .. } => ("products", *product),
            Mutation::ProductSave { save } => ("products", save.product_id),
            Mutation::Category { change } => ("categories", change.id()),
            Mutation::DisputeStep { step } => ("disputes", step.dispute_id),
            Mutation::DisputeMessage { dispute, .. } => ("disputes", *dispute),
            Mutation::CustomerNote { customer, .. } => ("users", *customer),
            Mutation::CustomerStatus { change } => ("users", change.customer_id),
            Mutation::CustomerAddress { customer, change } => match change.target() {
                Some((address, _)) => ("shipping_addresses", address),
                None => ("users", *customer),
            },
            Mutation::PrintJob { record } => ("print_jobs", record.job.id),
        }
    }

    /// The rows it writes under ids made where it was made (children
    /// first), which a change set aside must take off the copy again.
    pub fn made_rows(&self) -> Vec<(&'static str, Uuid)> {
        match self {
            Mutation::LocalLabel { ids, .. } => vec![("label_purchases", ids.purchase), ("shipping_labels", ids.label)],
            Mutation::Category { change: CategoryChange::Add { id, .. } } => vec![("categories", *id)],
            Mutation::ProductSave { save } if save.version.is_none() => {
                let mut rows: Vec<_> = save.draft.variants.iter().map(|v| ("product_variants", v.id)).collect();
                rows.push(("products", save.product_id));
                rows
            }
            _ => Vec::new(),
        }
    }

    /// The version of the row it was based on, when it names one.
    pub fn based_on(&self) -> Option<i64> {
        match self {
            Mutation::OrderStatus { version, .. }
            | Mutation::ShipmentStatus { version, .. }
            | Mutation::ProductReview { version, .. }
            | Mutation::ProductChangesAsked { version, .. }
            | Mutation::ProductStep { version, .. }
            | Mutation::CancelOrder { version, .. }
            | Mutation::LocalLabel { version, .. } => Some(*version),
            Mutation::ProductSave { save } => save.version,
            Mutation::Category { change } => change.version(),
            Mutation::DisputeStep { step } => Some(step.version),
            Mutation::CustomerStatus { change } => Some(change.version),
            Mutation::CustomerAddress { change, .. } => change.target().map(|(_, v)| v),
            Mutation::StockAdjustment { .. }
            | Mutation::DisputeMessage { .. }
            | Mutation::CustomerNote { .. }
            | Mutation::PrintJob { .. } => None,
        }
    }

    /// The same change based on `version` instead (a person keeping their
    /// change over a newer row).
    pub fn rebased(&self, version: i64) -> Mutation {
        let mut m = self.clone();
        match &mut m {
            Mutation::OrderStatus { version: v, .. }
            | Mutation::ShipmentStatus { version: v, .. }
            | Mutation::ProductReview { version: v, .. }
            | Mutation::ProductChangesAsked { version: v, .. }
            | Mutation::ProductStep { version: v, .. }
            | Mutation::CancelOrder { version: v, .. }
            | Mutation::LocalLabel { version: v, .. } => *v = version,
            Mutation::Category { change } => *change = change.rebased(version),
            Mutation::ProductSave { save } => {
                if save.version.is_some() {
                    save.version = Some(version);
                }
            }
            Mutation::DisputeStep { step } => step.version = version,
            Mutation::CustomerStatus { change } => change.version = version,
            Mutation::CustomerAddress { change, .. } => **change = change.rebased(version),
            Mutation::StockAdjustment { .. }
            | Mutation::DisputeMessage { .. }
            | Mutation::CustomerNote { .. }
            | Mutation::PrintJob { .. } => {}
        }
        m
    }

    /// The change in words for the pending list.
    pub fn summary(&self) -> String {
        match self {
            Mutation::OrderStatus { to, .. } => format!("Order marked {}", to.as_str().replace('_', " ")),
            Mutation::ShipmentStatus { to, .. } => format!("Shipment marked {}", to.as_str().replace('_', " ")),
            Mutation::StockAdjustment { delta, reason, .. } => {
                format!("{} {delta:+}", reason.unwrap_or(StockMovementKind::Correction))
            }
            Mutation::ProductReview { approve: true, .. } => "Product approved".into(),
            Mutation::ProductReview { approve: false, .. } => "Product rejected".into(),
            Mutation::ProductChangesAsked { .. } => "Product: changes asked for".into(),
            Mutation::ProductSave { save } if save.version.is_none() => {
                format!("Product “{}” created", save.draft.name.trim())
            }
            Mutation::ProductSave { save } => format!("Product “{}” edited", save.draft.name.trim()),
            Mutation::ProductStep { step: ProductStep::Submit, .. } => "Product sent for review".into(),
            Mutation::ProductStep { step: ProductStep::Archive, .. } => "Product archived".into(),
            Mutation::ProductStep { step: ProductStep::Restore, .. } => "Product restored".into(),
            Mutation::Category { change } => match change {
                CategoryChange::Add { name, .. } => format!("Category “{}” added", name.trim()),
                CategoryChange::Rename { name, .. } => format!("Category renamed “{}”", name.trim()),
                CategoryChange::Move { .. } => "Category moved".into(),
                CategoryChange::Merge { .. } => "Category merged".into(),
                CategoryChange::Archive { .. } => "Category archived".into(),
            },
            Mutation::CancelOrder { vendor: None, .. } => "Order cancelled".into(),
            Mutation::CancelOrder { vendor: Some(_), .. } => "A vendor's part of the order cancelled".into(),
            Mutation::DisputeStep { step } => format!("Dispute: {}", step.action.as_str().replace('_', " ")),
            Mutation::DisputeMessage { internal: true, .. } => "Dispute: internal note".into(),
            Mutation::DisputeMessage { .. } => "Dispute: message".into(),
            Mutation::CustomerNote { .. } => "Customer: note".into(),
            Mutation::CustomerStatus { change } => format!("Customer marked {}", change.to),
            Mutation::CustomerAddress { change, .. } => match change.as_ref() {
                AddressChange::Add { .. } => "Customer: address added".into(),
                AddressChange::Replace { .. } => "Customer: address changed".into(),
                AddressChange::Retire { .. } => "Customer: address removed".into(),
                AddressChange::MakeDefault { .. } => "Customer: default address chosen".into(),
            },
            Mutation::LocalLabel { .. } => "Local courier label issued".into(),
            Mutation::PrintJob { record } => {
                let what = record.job.document_kind.as_str().replace('_', " ");
                let mut words = what[..1].to_uppercase() + &what[1..];
                words.push_str(match record.job.state {
                    PrintJobState::Failed => " failed to print on ",
                    PrintJobState::Cancelled => " cancelled on ",
                    _ => " printed on ",
                });
                words.push_str(&record.printer.name);
                words
            }
        }
    }
}

/// Applies `m`, made by `actor`, inside `tx` on either engine.
pub async fn apply_in(tx: &mut WriteTx<'_>, actor: Uuid, m: &Mutation) -> Result<Outcome, StoreError> {
    Ok(match m {
        Mutation::OrderStatus { order, version, to } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            let mover =
                Mover::of(person.role).ok_or_else(|| StoreError::AccessDenied("only staff move orders".into()))?;
            Outcome::Version(
                crate::orders::status::set_order_status_in(tx, *order, *version, *to, mover, Some(person)).await?,
            )
        }
        Mutation::CancelOrder { order, version, vendor, reason, note } => {
            let reader = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            let req = CancelOrder {
                order_id: *order,
                version: *version,
                vendor_id: *vendor,
                reason: *reason,
                note: note.clone(),
            };
            Outcome::Cancelled(crate::orders::cancel::cancel_order_in(tx, reader, &req).await?)
        }
        Mutation::ShipmentStatus { shipment, version, to } => {
            Outcome::Version(crate::logistics::shipments::set_shipment_status_in(tx, *shipment, *version, *to).await?)
        }
        Mutation::StockAdjustment { variant, delta, reason, note, movement } => {
            let change = StockChange {
                movement: movement.unwrap_or_else(new_id),
                variant: *variant,
                kind: reason.unwrap_or(StockMovementKind::Correction),
                delta: *delta,
                note: note.clone(),
            };
            Outcome::Stock(change_stock_in(tx, actor, &change).await?)
        }
        Mutation::DisputeStep { step } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            Outcome::Dispute(crate::disputes::step::take_step_in(tx, person, step).await?)
        }
        Mutation::DisputeMessage { dispute, body, internal } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            crate::disputes::thread::post_message_in(tx, person, *dispute, body, *internal).await?;
            Outcome::Posted
        }
        Mutation::CustomerNote { customer, body } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            crate::customers::notes::add_note_in(tx, person, *customer, body).await?;
            Outcome::Posted
        }
        Mutation::CustomerStatus { change } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            Outcome::Version(crate::customers::status::set_customer_status_in(tx, person, change).await?)
        }
        Mutation::CustomerAddress { customer, change } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            Outcome::Address(crate::customers::addresses::change_address_in(tx, person, *customer, change).await?)
        }
        Mutation::LocalLabel { shipment, version, ids } => {
            Outcome::Version(issue_local_label_in(tx, *shipment, *version, *ids, Some(actor)).await?)
        }
        Mutation::PrintJob { record } => {
            record_print_job_in(tx, actor, record).await?;
            Outcome::Posted
        }
        Mutation::ProductChangesAsked { product, version, note } => Outcome::Version(
            decide_product_in(tx, *product, *version, &ReviewDecision::RequestChanges { note: note.clone() }, actor)
                .await?,
        ),
        Mutation::ProductSave { save } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            Outcome::Version(save_product_in(tx, person, save).await?)
        }
        Mutation::Category { change } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            change_category_in(tx, person, change).await?;
            Outcome::Posted
        }
        Mutation::ProductStep { product, version, step } => {
            let person = Reader { id: actor, role: actor_role_in(tx, actor).await? };
            Outcome::Version(take_product_step_in(tx, person, *product, *version, *step).await?)
        }
        Mutation::ProductReview { product, version, approve, reason } => Outcome::Version(
            crate::catalog::review::review_product_in(tx, *product, *version, *approve, actor, reason.as_deref())
                .await?,
        ),
    })
}

/// Applies `m` on `store` in a transaction of its own (a session working on
/// the server, or on a copy with no server behind it).
pub async fn apply(store: &Store, actor: Uuid, m: &Mutation) -> Result<Outcome, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let outcome = apply_in(&mut tx, actor, m).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The role of the person who made a mutation, read where it is applied
/// (the server's rows decide at replay, not the local copy's).
async fn actor_role_in(tx: &mut WriteTx<'_>, actor: Uuid) -> Result<Role, StoreError> {
    let role: Option<Role> =
        with_tx!(tx, |c| sqlx::query_scalar("SELECT role FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(actor)
            .fetch_optional(&mut *c)
            .await)?;
    role.ok_or_else(|| StoreError::AccessDenied("the person who made this change is not a user here".into()))
}
