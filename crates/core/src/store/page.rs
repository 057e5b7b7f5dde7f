//! Keyset pagination shared by every list: a sort key, a direction, an opaque
//! cursor, and pages that stay fast however deep a person scrolls.
//!
//! A page is fetched with `WHERE (sort, id) > (last sort, last id)` (or `<` when
//! descending) and `ORDER BY sort, id`, served by an index on `(sort, id)`; the
//! cursor carries the last row's sort value and id, plus the sort it belongs to so
//! it cannot be replayed against another ordering.

use super::StoreError;
use super::sql::{Param, Sql};
use crate::domain::Timestamp;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SortDir {
    /// Smallest first.
    Asc,
    /// Largest (or newest) first.
    #[default]
    Desc,
}

/// Which page of a list to fetch, and in which order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PageRequest<S> {
    /// The column to sort by.
    pub sort: S,
    /// The direction.
    pub dir: SortDir,
    /// The `next_cursor` of the previous page; `None` for the first page.
    pub after: Option<String>,
    /// Rows per page (1 ..= 500).
    pub limit: u32,
}

impl<S: Default> Default for PageRequest<S> {
    fn default() -> Self {
        Self { sort: S::default(), dir: SortDir::Desc, after: None, limit: 50 }
    }
}

/// Largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Page<T> {
    /// The rows, in the requested order.
    pub items: Vec<T>,
    /// Pass this as `after` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A sort value stored in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub(crate) enum SortValue {
    Int(i64),
    Text(String),
    Time(i64),
}

impl SortValue {
    fn param(&self) -> Result<Param, StoreError> {
        Ok(match self {
            SortValue::Int(v) => Param::I64(*v),
            SortValue::Text(v) => Param::Text(v.clone()),
            SortValue::Time(micros) => Param::Time(Timestamp::from_unix_micros(*micros).ok_or(StoreError::BadCursor)?),
        })
    }
}

impl From<Timestamp> for SortValue {
    fn from(t: Timestamp) -> Self {
        SortValue::Time(t.unix_micros())
    }
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    s: String,
    d: SortDir,
    v: SortValue,
    id: Uuid,
}

/// A sort key of some list: its name (for cursors) and its SQL expression.
pub(crate) trait SortKey {
    /// Stable name stored in cursors.
    fn name(&self) -> &'static str;
    /// The trusted SQL expression sorted on (a column of the list's query).
    fn column(&self) -> &'static str;
}

/// Checks the page size a caller asked for.
pub(crate) fn checked_limit(limit: u32) -> Result<u32, StoreError> {
    if limit == 0 || limit > MAX_PAGE {
        return Err(StoreError::Validation(format!("a page holds 1 to {MAX_PAGE} rows, not {limit}")));
    }
    Ok(limit)
}

/// Appends the keyset condition (when there is a cursor), the order and the limit.
/// `sql` must end inside a WHERE clause (e.g. `… WHERE TRUE`). The id column is `id_col`.
pub(crate) fn finish_query<S: SortKey>(sql: &mut Sql, req: &PageRequest<S>, id_col: &str) -> Result<(), StoreError> {
    let limit = checked_limit(req.limit)?;
    let col = req.sort.column();
    let op = match req.dir {
        SortDir::Asc => ">",
        SortDir::Desc => "<",
    };
    if let Some(after) = &req.after {
        let cursor = decode_cursor(after)?;
        if cursor.s != req.sort.name() || cursor.d != req.dir {
            return Err(StoreError::BadCursor);
        }
        sql.push(&format!(" AND ({col}, {id_col}) {op} ("));
        sql.bind(cursor.v.param()?).push(", ").bind(Param::Uuid(cursor.id)).push(")");
    }
    let dir = match req.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    sql.push(&format!(" ORDER BY {col} {dir}, {id_col} {dir} LIMIT {}", limit + 1));
    Ok(())
}

/// Cuts the extra row fetched by [`finish_query`] and makes the next cursor.
pub(crate) fn into_page<T, S: SortKey>(
    mut rows: Vec<T>,
    req: &PageRequest<S>,
    key: impl Fn(&T) -> (SortValue, Uuid),
) -> Page<T> {
    let limit = req.limit as usize;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|last| {
            let (v, id) = key(last);
            encode_cursor(&Cursor { s: req.sort.name().to_owned(), d: req.dir, v, id })
        })
    } else {
        None
    };
    Page { items: rows, next_cursor }
}

fn encode_cursor(c: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(c).unwrap_or_default())
}

fn decode_cursor(text: &str) -> Result<Cursor, StoreError> {
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| StoreError::BadCursor)?;
    serde_json::from_slice(&bytes).map_err(|_| StoreError::BadCursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct ByTime;
    impl SortKey for ByTime {
        fn name(&self) -> &'static str {
            "time"
        }
        fn column(&self) -> &'static str {
            "t.placed_at"
        }
    }

    #[test]
    fn cursor_for_another_sort_is_refused() {
        let req = PageRequest { sort: ByTime, dir: SortDir::Desc, after: None, limit: 1 };
        let page = into_page(vec![1, 2], &req, |_| (SortValue::Int(5), Uuid::nil()));
        let cursor = page.next_cursor.unwrap();
        let mut sql = Sql::new("SELECT * FROM t WHERE TRUE");
        let asc = PageRequest { sort: ByTime, dir: SortDir::Asc, after: Some(cursor.clone()), limit: 1 };
        assert!(matches!(finish_query(&mut sql, &asc, "t.id"), Err(StoreError::BadCursor)));
        let desc = PageRequest { sort: ByTime, dir: SortDir::Desc, after: Some(cursor), limit: 1 };
        let mut sql = Sql::new("SELECT * FROM t WHERE TRUE");
        finish_query(&mut sql, &desc, "t.id").unwrap();
        assert!(
            sql.text.ends_with("AND (t.placed_at, t.id) < ($1, $2) ORDER BY t.placed_at DESC, t.id DESC LIMIT 2"),
            "{}",
            sql.text
        );
    }

    #[test]
    fn garbage_cursors_and_sizes_are_refused() {
        let mut sql = Sql::new("");
        let req = PageRequest { sort: ByTime, dir: SortDir::Desc, after: Some("'; DROP TABLE x".into()), limit: 10 };
        assert!(matches!(finish_query(&mut sql, &req, "id"), Err(StoreError::BadCursor)));
        assert!(checked_limit(0).is_err() && checked_limit(501).is_err() && checked_limit(500).is_ok());
    }
}
