//! Row ids: UUIDv7, made by the client so offline rows need no server round trip.

use uuid::Uuid;

/// A fresh UUIDv7 for a new row (time-ordered, so inserts stay append-mostly).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// A UUIDv7 for a given instant with caller-supplied random bits: deterministic ids
/// for seeded data, still ordered by creation time.
pub fn id_at(unix_millis: u64, random: [u8; 10]) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid()
}
