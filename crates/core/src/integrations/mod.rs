//! The outside services Marketdesk talks to, each behind a trait with a real
//! client (tested against a local fake of the vendor's documented API) and a
//! local stand-in for machines with no key configured.

pub mod carriers;
pub mod cloudinary;
pub mod ga4;
pub mod resend;
pub mod stripe;
