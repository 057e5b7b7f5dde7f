//! Secrets in the OS keychain (Secret Service or else the kernel keyring on
//! Linux) — never in files, the database or logs.

/// The keychain service name every Marketdesk secret is filed under.
pub const SERVICE: &str = "marketdesk";

/// An integration whose key lives in the keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integration {
    /// Short name used on the command line (`stripe`).
    pub id: &'static str,
    /// Name shown to people.
    pub name: &'static str,
    /// The keychain account its key is filed under.
    pub account: &'static str,
    /// How the provider's keys start (any, when empty): catches a key pasted
    /// into the wrong field.
    pub prefixes: &'static [&'static str],
}

impl Integration {
    /// Whether `role` looks after this integration's key on its desktop:
    /// admins all of them, finance Stripe's, logistics the carriers'.
    pub fn may_be_changed_by(&self, role: crate::domain::Role) -> bool {
        use crate::domain::Role;
        match role {
            Role::Admin => true,
            Role::Finance => self.id.starts_with("stripe"),
            Role::Logistics => matches!(self.id, "fedex" | "ups"),
            Role::Vendor | Role::Customer => false,
        }
    }
}

/// The integrations Marketdesk knows.
pub const INTEGRATIONS: &[Integration] = &[
    Integration {
        id: "stripe",
        name: "Stripe",
        account: "integration:stripe:secret_key",
        prefixes: &["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
    },
    Integration {
        id: "stripe-webhook",
        name: "Stripe webhook signing secret",
        account: "integration:stripe:webhook_secret",
        prefixes: &["whsec_"],
    },
    Integration { id: "resend", name: "Resend", account: "integration:resend:api_key", prefixes: &["re_"] },
    Integration { id: "cloudinary", name: "Cloudinary", account: "integration:cloudinary:api_secret", prefixes: &[] },
    Integration { id: "fedex", name: "FedEx", account: "integration:fedex:secret_key", prefixes: &[] },
    Integration { id: "ups", name: "UPS", account: "integration:ups:client_secret", prefixes: &[] },
    Integration { id: "ga4", name: "Google Analytics 4", account: "integration:ga4:api_secret", prefixes: &[] },
    Integration {
        id: "sentry",
        name: "Sentry error reporting (DSN)",
        account: "integration:sentry:dsn",
        prefixes: &["https://", "http://"],
    },
];

/// Longest key accepted (providers' keys are far shorter).
const MAX_KEY_CHARS: usize = 2048;

impl Integration {
    /// The key to file for this integration: `key` without surrounding blanks,
    /// or a sentence saying why it cannot be this integration's key. The
    /// sentence never repeats the key.
    pub fn check_key(&self, key: &str) -> Result<String, String> {
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("enter the {} key", self.name));
        }
        if key.chars().count() > MAX_KEY_CHARS {
            return Err(format!("a {} key is not that long (at most {MAX_KEY_CHARS} characters)", self.name));
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("a {} key has no spaces or line breaks inside", self.name));
        }
        if !self.prefixes.is_empty() && !self.prefixes.iter().any(|p| key.starts_with(p)) {
            return Err(format!("a {} key starts with {}", self.name, self.prefixes.join(" or ")));
        }
        Ok(key.to_owned())
    }
}

/// The integration with this short name.
pub fn integration(id: &str) -> Option<&'static Integration> {
    INTEGRATIONS.iter().find(|i| i.id.eq_ignore_ascii_case(id.trim()))
}

/// Why the keychain could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No keychain service is reachable on this machine.
    #[error("no usable keychain on this machine ({0})")]
    Unavailable(String),
    /// The keychain refused or failed the operation.
    #[error("the keychain failed: {0}")]
    Failed(String),
}

/// Where this process keeps its secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keychain {
    /// The desktop's Secret Service (GNOME Keyring, KWallet): kept across reboots.
    SecretService,
    /// The kernel's keyrings (keyutils): for headless machines, forgotten at reboot.
    KernelKeyring,
}

impl Keychain {
    /// Its name and what it keeps, for people.
    pub fn describe(&self) -> &'static str {
        match self {
            Keychain::SecretService => "the desktop keychain (Secret Service)",
            Keychain::KernelKeyring => "the kernel keyring (kept until the computer restarts)",
        }
    }
}

static KEYCHAIN: std::sync::OnceLock<Keychain> = std::sync::OnceLock::new();

/// The keychain this process uses, chosen on first use: the Secret Service when
/// the session offers one, so keys outlive a restart; otherwise the kernel
/// keyring, which headless machines and test sessions have.
pub fn keychain() -> Keychain {
    *KEYCHAIN.get_or_init(choose_keychain)
}

#[cfg(target_os = "linux")]
fn choose_keychain() -> Keychain {
    {
        let secret_service = keyring::secret_service::default_credential_builder();
        let reachable = secret_service
            .build(None, SERVICE, "probe:reachable")
            .and_then(|c| match c.get_password() {
                Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(e),
            })
            .is_ok();
        if reachable {
            keyring::set_default_credential_builder(secret_service);
            Keychain::SecretService
        } else {
            keyring::set_default_credential_builder(keyring::keyutils::default_credential_builder());
            Keychain::KernelKeyring
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn choose_keychain() -> Keychain {
    Keychain::KernelKeyring
}

fn entry(account: &str) -> Result<keyring::Entry, SecretError> {
    keychain();
    keyring::Entry::new(SERVICE, account).map_err(classify)
}

fn classify(err: keyring::Error) -> SecretError {
    match err {
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            SecretError::Unavailable(e.to_string())
        }
        other => SecretError::Failed(other.to_string()),
    }
}

/// The secret filed under `account`, or `None` when there is none.
pub fn get(account: &str) -> Result<Option<String>, SecretError> {
    match entry(account)?.get_password() {
        Ok(v) => Ok(Some(v)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(classify(e)),
    }
}

/// Files `secret` under `account`, replacing any earlier one, and reads it
/// back: a keychain that does not keep what it is given (no session keyring,
/// no Secret Service) is reported, and nothing is left half-stored.
pub fn set(account: &str, secret: &str) -> Result<(), SecretError> {
    let not_kept = || SecretError::Unavailable("this keychain does not keep secrets, so nothing was stored".into());
    let e = entry(account)?;
    match e.set_password(secret) {
        Ok(()) => {}
        Err(keyring::Error::NoEntry) => return Err(not_kept()),
        Err(other) => return Err(classify(other)),
    }
    match e.get_password() {
        Ok(back) if back == secret => Ok(()),
        _ => {
            let _ = e.delete_credential();
            Err(not_kept())
        }
    }
}

/// Removes the secret under `account`; no error when there was none.
pub fn delete(account: &str) -> Result<(), SecretError> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(classify(e)),
    }
}

/// Writes, reads back and removes a throw-away secret: proves the keychain works.
/// The keychain is touched only here and in the functions above.
pub fn probe() -> Result<(), SecretError> {
    let account = format!("probe:{}", uuid::Uuid::now_v7());
    let value = "marketdesk-probe";
    set(&account, value)?;
    let read = get(&account);
    let _ = delete(&account);
    match read {
        Ok(Some(v)) if v == value => Ok(()),
        Ok(_) => {
            Err(SecretError::Unavailable("a secret written is not kept: no session keyring or Secret Service".into()))
        }
        Err(e) => Err(e),
    }
}

/// The key of the encrypted local copy at `path`: read from the keychain, or
/// made (32 random bytes) and filed there on first use. Without a usable
/// keychain there is no key, and Marketdesk keeps no local copy.
pub fn local_copy_key(path: &std::path::Path) -> Result<[u8; 32], SecretError> {
    if let Some(key) = existing_local_copy_key(path)? {
        return Ok(key);
    }
    let account = local_copy_account(path);
    let mut key = [0u8; 32];
    use rand::RngCore;
    rand::rngs::OsRng.fill_bytes(&mut key);
    let hex = hex::encode(key);
    set(&account, &hex)?;
    // Read it back: a keychain that forgets would lock the file for good.
    match get(&account)? {
        Some(back) if back == hex => Ok(key),
        _ => Err(SecretError::Unavailable("the keychain did not keep the local-copy key".into())),
    }
}

/// The key of the local copy at `path` if the keychain holds one (none is made).
pub fn existing_local_copy_key(path: &std::path::Path) -> Result<Option<[u8; 32]>, SecretError> {
    match get(&local_copy_account(path))? {
        Some(hex) => {
            decode_key(&hex).map(Some).ok_or_else(|| SecretError::Failed("the stored local-copy key is damaged".into()))
        }
        None => Ok(None),
    }
}

/// Removes the key of the local copy at `path` from the keychain (the copy can
/// then no longer be opened).
pub fn forget_local_copy_key(path: &std::path::Path) -> Result<(), SecretError> {
    delete(&local_copy_account(path))
}

fn local_copy_account(path: &std::path::Path) -> String {
    format!("local-copy-key:{}", path.display())
}

fn decode_key(hex: &str) -> Option<[u8; 32]> {
    hex::decode(hex).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_checked_against_their_provider_without_being_repeated() {
        // Stand-ins shaped like provider keys, obviously not real ones.
        let fake = |prefix: &str| format!("{prefix}FAKE-not-a-real-key");
        let stripe = super::integration("stripe").unwrap();
        assert_eq!(stripe.check_key(&format!("  {}\n", fake("sk_test_"))).unwrap(), fake("sk_test_"));
        let wrong = stripe.check_key(&fake("re_")).unwrap_err();
        assert!(wrong.contains("starts with sk_live_"), "{wrong}");
        assert!(!wrong.contains(&fake("re_")), "the refusal repeats the key: {wrong}");
        assert!(stripe.check_key("   ").unwrap_err().contains("enter the Stripe key"));
        assert!(stripe.check_key(&format!("{} b", fake("sk_test_"))).unwrap_err().contains("no spaces"));
        assert!(stripe.check_key(&format!("sk_test_{}", "x".repeat(3000))).is_err());
        let fedex = super::integration("fedex").unwrap();
        assert_eq!(fedex.check_key("anything-goes").unwrap(), "anything-goes");
    }

    #[test]
    fn keys_decode_only_from_64_hex_digits() {
        let key = super::decode_key(&"ab".repeat(32)).unwrap();
        assert!(key.iter().all(|b| *b == 0xab));
        assert!(super::decode_key("abc").is_none());
        assert!(super::decode_key(&"zz".repeat(32)).is_none());
    }
}
