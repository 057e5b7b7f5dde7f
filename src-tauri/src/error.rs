//! The one error type every command returns: a kind the UI can branch on and a
//! sentence it can show as it is. Built from the core's typed errors; never
//! carries a password or a full connection URL.

use marketdesk_core::identity::SignInError;
use marketdesk_core::secrets::SecretError;
use marketdesk_core::store::StoreError;
use serde::Serialize;

/// What went wrong, for the UI to decide how to react.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No one is signed in (or the session ended): show the sign-in screen.
    NotSignedIn,
    /// The session is locked (idle): ask for the password again.
    Locked,
    /// The signed-in role may not do this.
    Forbidden,
    /// Wrong sign-in name or password.
    WrongCredentials,
    /// The sign-in is suspended.
    Suspended,
    /// Too many failed sign-ins: wait before the next one.
    TooSoon,
    /// The row is gone.
    NotFound,
    /// Someone else changed the row first: reload and retry.
    Conflict,
    /// The input was refused; the message says why.
    Invalid,
    /// The server cannot be reached.
    Offline,
    /// The database refused or failed.
    Database,
}

/// A failed command, as the UI receives it.
#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// One sentence for the person, from the core.
    pub message: String,
}

impl AppError {
    /// An error of `kind` saying `message`; a failure of the database or the
    /// network is logged (scrubbed) for the admins' log viewer, a refusal of
    /// the person's input only at debug level.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let message = message.into();
        match kind {
            ErrorKind::Database => tracing::error!(target: "marketdesk_desktop::commands", kind = ?kind, "{message}"),
            ErrorKind::Offline | ErrorKind::Conflict => {
                tracing::warn!(target: "marketdesk_desktop::commands", kind = ?kind, "{message}")
            }
            _ => tracing::debug!(target: "marketdesk_desktop::commands", kind = ?kind, "{message}"),
        }
        Self { kind, message }
    }

    /// The command needs a signed-in person.
    pub fn not_signed_in() -> Self {
        Self::new(ErrorKind::NotSignedIn, "sign in first")
    }

    /// The signed-in role may not `what`.
    pub fn forbidden(what: &str) -> Self {
        Self::new(ErrorKind::Forbidden, format!("your role may not {what}"))
    }

    /// Input the command refused before calling the core.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::VersionConflict { .. } | StoreError::Busy(_) => ErrorKind::Conflict,
            StoreError::OnlineOnly(_) => ErrorKind::Offline,
            StoreError::Duplicate { .. }
            | StoreError::Reference { .. }
            | StoreError::Invalid { .. }
            | StoreError::Validation(_)
            | StoreError::BadCursor => ErrorKind::Invalid,
            StoreError::Unreachable { .. } => ErrorKind::Offline,
            StoreError::WrongPassword { .. } => ErrorKind::WrongCredentials,
            StoreError::AccessDenied(_) => ErrorKind::Forbidden,
            _ => ErrorKind::Database,
        };
        Self::new(kind, e.to_string())
    }
}

impl From<marketdesk_core::sync::SyncError> for AppError {
    fn from(e: marketdesk_core::sync::SyncError) -> Self {
        use marketdesk_core::sync::SyncError;
        match e {
            SyncError::Store(s) => s.into(),
            SyncError::Offline(_) => Self::new(ErrorKind::Offline, e.to_string()),
            SyncError::WrongStores(_) | SyncError::NeedsResync(_) | SyncError::LeftBehind { .. } => {
                Self::new(ErrorKind::Invalid, e.to_string())
            }
            SyncError::LocalWrite { .. } | SyncError::BadMutation(_) => Self::new(ErrorKind::Database, e.to_string()),
        }
    }
}

impl From<SecretError> for AppError {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::Unavailable(_) => Self::new(
                ErrorKind::Invalid,
                format!("{e}: Marketdesk keeps no keys on this computer, so enter them where a keychain is running"),
            ),
            SecretError::Failed(_) => Self::new(ErrorKind::Database, e.to_string()),
        }
    }
}

impl From<SignInError> for AppError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Store(s) => s.into(),
            SignInError::WrongCredentials | SignInError::UnknownEmail | SignInError::NotAUser => {
                Self::new(ErrorKind::WrongCredentials, e.to_string())
            }
            SignInError::WrongPassword | SignInError::WrongCurrentPassword => {
                Self::new(ErrorKind::WrongCredentials, e.to_string())
            }
            SignInError::Password(_) => Self::new(ErrorKind::Invalid, e.to_string()),
            SignInError::Customer => Self::new(ErrorKind::Forbidden, e.to_string()),
            SignInError::OfflineRefused { .. } => Self::new(ErrorKind::Offline, e.to_string()),
            SignInError::Suspended => Self::new(ErrorKind::Suspended, e.to_string()),
            SignInError::TooSoon(_) => Self::new(ErrorKind::TooSoon, e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_sentence_and_get_a_kind() {
        let e: AppError =
            StoreError::VersionConflict { entity: "order", id: "x".into(), expected: 1, actual: 2 }.into();
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert!(e.message.contains("changed by someone else"), "{}", e.message);
        let e: AppError = StoreError::Validation("say why".into()).into();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Invalid, "say why"));
    }

    #[test]
    fn sign_in_errors_never_say_which_part_was_wrong() {
        let e: AppError = SignInError::UnknownEmail.into();
        assert_eq!(e.kind, ErrorKind::WrongCredentials);
        let e: AppError = SignInError::TooSoon(4).into();
        assert_eq!(e.kind, ErrorKind::TooSoon);
        assert!(e.message.contains("4 s"));
    }
}
