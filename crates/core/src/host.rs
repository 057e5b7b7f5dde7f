//! This computer's name: the workstation its printers and print jobs belong
//! to, and how payout leases say where they run.

/// Overrides the workstation's name (several benches sharing one computer,
/// or tests).
pub const WORKSTATION_VARIABLE: &str = "MARKETDESK_WORKSTATION";

/// The host name (`/etc/hostname`), or `unknown` when there is none.
pub fn name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
    if host.is_empty() { "unknown".into() } else { host }
}

/// The workstation printers belong to: `MARKETDESK_WORKSTATION` when set,
/// else the host name.
pub fn workstation() -> String {
    std::env::var(WORKSTATION_VARIABLE).ok().map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()).unwrap_or_else(name)
}
