//! A change made where the session works: straight on the server, or on the
//! local copy and in its outbox when the session is offline.

use super::mutation::{Mutation, Outcome, apply};
use super::{SyncError, outbox};
use crate::store::Store;
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
