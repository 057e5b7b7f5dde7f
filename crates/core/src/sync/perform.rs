//! A change made where the session works: straight on the server, or on the
//! local copy and in its outbox when the session is offline.

use super::mutation::{Mutation, Outcome, apply};
use super::{SyncError, outbox};
use crate::logistics::printing::jobs::JobRecorder;
use crate::logistics::printing::offline::PrintRecord;
use crate::store::{Store, StoreError};
use std::sync::Arc;
use uuid::Uuid;

/// Makes a change where the session works: straight on the server (or on a
/// file with no server behind it), or — `queue`, a session working offline on
/// the copy of a central server — on the copy and in its outbox, to be pushed
/// when the server answers again.
pub async fn perform(store: &Store, actor: Uuid, queue: bool, m: &Mutation) -> Result<Outcome, SyncError> {
    if queue && store.sqlite_pool().is_some() {
        return Ok(outbox::record(store, actor, m).await?.0);
    }
    apply(store, actor, m).await.map_err(SyncError::Store)
}

/// What a session working offline on the copy `store` gives its print
/// context: each job, once it ends, queued for the server as `me`'s change
/// (with its printer and bytes, and a printed label's parcel moving on).
pub fn queue_print_jobs(store: &Store, me: Uuid) -> JobRecorder {
    let store = store.clone();
    JobRecorder(Arc::new(move |job| {
        let store = store.clone();
        Box::pin(async move {
            let record = Box::new(PrintRecord::of(&store, job).await?);
            match perform(&store, me, true, &Mutation::PrintJob { record }).await {
                Ok(_) => Ok(()),
                Err(SyncError::Store(e)) => Err(e),
                Err(other) => Err(StoreError::Validation(other.to_string())),
            }
        })
    }))
}
