//! The password policy, in one place: the core, the desktop and the UI's hint
//! all read it from here (the UI through a generated constant).

use thiserror::Error;

/// The shortest password Marketdesk and the central server accept, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// The same as the one it replaces.
    #[error("choose a password different from the current one")]
    Unchanged,
}

/// Checks a new password against the policy; `current` is the one it
/// replaces, when the person typed it.
pub fn check_new_password(current: Option<&str>, new_password: &str) -> Result<(), PasswordProblem> {
    if new_password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if current == Some(new_password) {
        return Err(PasswordProblem::Unchanged);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_counted_in_characters_not_bytes() {
        assert_eq!(check_new_password(None, "short"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new_password(None, "ééééééééééé"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new_password(None, "éééééééééééé"), Ok(()));
        assert!(PasswordProblem::TooShort.to_string().contains("12 characters"));
    }

    #[test]
    fn the_new_password_must_differ_from_the_current_one() {
        assert_eq!(check_new_password(Some("same password!"), "same password!"), Err(PasswordProblem::Unchanged));
        assert_eq!(check_new_password(Some("old password!"), "a new password"), Ok(()));
    }
}
