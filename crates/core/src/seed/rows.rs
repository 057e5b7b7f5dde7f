//! How the demo seed makes ids, instants and table rows: ids drawn from the
//! seed's random stream at a given time, rows with their id, version and
//! timestamps around the columns of each table, and the cells several rows
//! share (a sized product's options, ASCII e-mail names).

use crate::domain::Timestamp;
use crate::domain::ids::id_at;
use crate::store::bulk::Cell;
use rand::RngCore;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// A fresh deterministic UUIDv7 stamped with `at`.
pub(super) fn id(rng: &mut ChaCha8Rng, at: Timestamp) -> Uuid {
    let mut random = [0u8; 10];
    rng.fill_bytes(&mut random);
    id_at(u64::try_from(at.unix_millis()).unwrap_or(0), random)
}

/// The instant `micros` after the epoch.
pub(super) fn at(micros: i64) -> Timestamp {
    Timestamp::from_unix_micros(micros).unwrap_or_else(Timestamp::now)
}

fn base_row(id: Uuid) -> [Cell; 1] {
    [Cell::Uuid(id)]
}

fn stamps(created: Timestamp) -> [Cell; 3] {
    [Cell::Int(1), Cell::Time(created), Cell::Time(created)]
}

fn row<const N: usize>(head: [Cell; 1], body: Vec<Cell>, tail: [Cell; N]) -> Vec<Cell> {
    let mut v = Vec::with_capacity(1 + body.len() + N);
    v.extend(head);
    v.extend(body);
    v.extend(tail);
    v
}

/// A synced row: id, the table's own cells, then version/created_at/updated_at.
pub(super) fn synced(id: Uuid, created: Timestamp, body: Vec<Cell>) -> Vec<Cell> {
    row(base_row(id), body, stamps(created))
}

/// A sized product's `options`: one option, Size, with `labels` as its
/// values, so the editor (and an import) reads its sizes.
pub(super) fn size_option(labels: &[&str]) -> Cell {
    let values: Vec<String> = labels.iter().map(|l| format!("\"{l}\"")).collect();
    Cell::Json(format!(r#"[{{"name":"Size","values":[{}]}}]"#, values.join(",")))
}

/// A sized variant's `options`: its value of Size.
pub(super) fn size_value(label: &str) -> Cell {
    Cell::Json(format!(r#"{{"Size":"{label}"}}"#))
}

/// ASCII-only form of a name for email addresses.
pub(super) fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'é' => Some('e'),
            'í' => Some('i'),
            'ü' => Some('u'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}
