//! This computer's desktop settings file: which central server to sign in to.
//! It holds no secret (the address carries no user or password), so a plain
//! JSON file in the config folder does; secrets stay in the keychain.

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the desktop keeps between starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineConfig {
    /// The central server (`postgres://host:port/database`), if one is set up.
    #[serde(default)]
    pub server: Option<String>,
}

/// `<config dir>/desktop.json` (`~/.config/marketdesk/desktop.json` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "Marketdesk", "Marketdesk").map(|d| d.config_dir().join("desktop.json"))
}

/// The settings in `path`; the defaults when the file is missing or unreadable
/// (a damaged file is logged, not fatal: the sign-in screen lets people set it again).
pub fn load(path: &Path) -> MachineConfig {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!("ignoring the damaged settings file {}: {e}", path.display());
            MachineConfig::default()
        }),
        Err(_) => MachineConfig::default(),
    }
}

/// Writes `config` to `path` whole (a temporary file renamed over it).
pub fn save(path: &Path, config: &MachineConfig) -> Result<(), AppError> {
    let failed = |e: std::io::Error| AppError::invalid(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let text = serde_json::to_string_pretty(config).map_err(|e| AppError::invalid(e.to_string()))?;
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, text).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_round_trip_and_a_damaged_file_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("desktop.json");
        assert_eq!(load(&path), MachineConfig::default());
        let config = MachineConfig { server: Some("postgres://db.example.com/mp".into()) };
        save(&path, &config).unwrap();
        assert_eq!(load(&path), config);
        assert!(!path.with_extension("json.partial").exists());
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(load(&path), MachineConfig::default());
    }
}
