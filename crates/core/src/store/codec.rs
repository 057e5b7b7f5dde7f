//! How Marketdesk's value types are written to and read from each engine.
//!
//! [`Timestamp`] is `timestamptz` on PostgreSQL and fixed-width UTC text on SQLite;
//! [`Currency`] is `char(3)` / `TEXT`. Both engines thus accept the same bound
//! values and the same query text.

use crate::domain::{Currency, Timestamp};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};

impl Type<Postgres> for Timestamp {
    fn type_info() -> PgTypeInfo {
        <chrono::DateTime<chrono::Utc> as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &PgTypeInfo) -> bool {
        <chrono::DateTime<chrono::Utc> as Type<Postgres>>::compatible(ty)
    }
}

impl Encode<'_, Postgres> for Timestamp {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <chrono::DateTime<chrono::Utc> as Encode<Postgres>>::encode_by_ref(&self.as_datetime(), buf)
    }
}

impl<'r> Decode<'r, Postgres> for Timestamp {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Timestamp::from(<chrono::DateTime<chrono::Utc> as Decode<Postgres>>::decode(value)?))
    }
}

impl Type<Sqlite> for Timestamp {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for Timestamp {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<Sqlite>>::encode(self.to_text(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Timestamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        parse_sqlite_time(text).ok_or_else(|| format!("“{text}” is not a timestamp").into())
    }
}

/// Reads our own layout, any RFC 3339 instant, or SQLite's `datetime()` output.
fn parse_sqlite_time(text: &str) -> Option<Timestamp> {
    if let Ok(t) = Timestamp::parse(text) {
        return Some(t);
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").ok().map(|n| Timestamp::from(n.and_utc()))
}

macro_rules! text_codec {
    ($ty:ty) => {
        impl Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <&str as Type<Postgres>>::type_info()
            }
            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as Type<Postgres>>::compatible(ty)
            }
        }
        impl Encode<'_, Postgres> for $ty {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <&str as Encode<Postgres>>::encode(self.as_str(), buf)
            }
        }
        impl<'r> Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<Postgres>>::decode(value)?;
                Ok(text.trim_end().parse()?)
            }
        }
        impl Type<Sqlite> for $ty {
            fn type_info() -> SqliteTypeInfo {
                <&str as Type<Sqlite>>::type_info()
            }
            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <&str as Type<Sqlite>>::compatible(ty)
            }
        }
        impl<'q> Encode<'q, Sqlite> for $ty {
            fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
                <String as Encode<Sqlite>>::encode(self.as_str().to_owned(), buf)
            }
        }
        impl<'r> Decode<'r, Sqlite> for $ty {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<Sqlite>>::decode(value)?;
                Ok(text.parse()?)
            }
        }
    };
}

text_codec!(Currency);
text_codec!(crate::domain::Role);
text_codec!(crate::domain::UserStatus);
text_codec!(crate::domain::ProductStatus);
text_codec!(crate::domain::OrderStatus);
text_codec!(crate::domain::PayoutStatus);
text_codec!(crate::domain::ShipmentStatus);
text_codec!(crate::domain::DisputeStatus);
text_codec!(crate::domain::customer::CustomerStatus);
text_codec!(crate::domain::dispute_lifecycle::DisputeKind);
text_codec!(crate::domain::dispute_lifecycle::DisputeOutcome);
text_codec!(crate::domain::PrinterConnection);
text_codec!(crate::domain::Carrier);
text_codec!(crate::domain::LabelPurchaseState);
text_codec!(crate::domain::PrintLanguage);
text_codec!(crate::domain::DocumentKind);
text_codec!(crate::domain::PrintJobState);
text_codec!(crate::domain::stock::StockMovementKind);
