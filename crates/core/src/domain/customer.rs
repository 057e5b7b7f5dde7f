//! What the marketplace holds about a buyer beyond their orders: whether they
//! may order, and the limits of what staff write about them.

use super::status::text_enum;

text_enum!(
    /// Whether a customer may place new orders. Kept in `users.status`
    /// (`active`, or `suspended` for a blocked customer); lists read it
    /// through [`CustomerStatus::SQL`].
    CustomerStatus, "customer status" { Active => "active", Blocked => "blocked" }
);

impl CustomerStatus {
    /// The status of the `users` row `u` as a customer's.
    pub const SQL: &'static str = "CASE WHEN u.status = 'suspended' THEN 'blocked' ELSE 'active' END";

    /// The `users.status` text that stands for it.
    pub fn user_status(&self) -> &'static str {
        match self {
            CustomerStatus::Active => "active",
            CustomerStatus::Blocked => "suspended",
        }
    }
}

/// Longest note staff may write about a customer.
pub const MAX_CUSTOMER_NOTE_CHARS: usize = 2000;

/// A note's text: trimmed, 1 to [`MAX_CUSTOMER_NOTE_CHARS`] characters.
pub fn note_text(body: &str) -> Result<&str, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err("write the note first".into());
    }
    if body.chars().count() > MAX_CUSTOMER_NOTE_CHARS {
        return Err(format!("a note is at most {MAX_CUSTOMER_NOTE_CHARS} characters"));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(note_text("  called back  "), Ok("called back"));
        assert!(note_text(" \n ").is_err());
        assert!(note_text(&"x".repeat(MAX_CUSTOMER_NOTE_CHARS)).is_ok());
        assert!(note_text(&"é".repeat(MAX_CUSTOMER_NOTE_CHARS + 1)).is_err());
    }

    #[test]
    fn blocked_is_kept_as_suspended() {
        assert_eq!(CustomerStatus::Blocked.user_status(), "suspended");
        assert_eq!("blocked".parse::<CustomerStatus>(), Ok(CustomerStatus::Blocked));
        assert!("suspended".parse::<CustomerStatus>().is_err());
    }
}
