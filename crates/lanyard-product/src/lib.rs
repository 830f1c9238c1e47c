//! What is Lanyard's own, rather than the engine's: the settings the Lanyard desktop app and
//! the `lanyard` command line share.
//!
//! - [`identity`]: Lanyard's [`AppIdentity`], with the values Lanyard has always used (keyring
//!   service `dev.lanyard.token-cache`, cache `<data_local_dir>/lanyard/tokens.lanyard`), so
//!   existing users keep their token cache;
//! - [`default_config_path`]: `<config dir>/dev.lanyard.app/lanyard.toml`;
//! - the environment overrides `LANYARD_BROWSER`, `LANYARD_CA_FILE` and `LANYARD_CACHE_DIR`
//!   ([`apply_env_overrides`]), and [`load_config`], which loads a file and applies them.
//!
//! The engine (`lanyard`) reads no environment variable and names no app: an app built on it
//! brings its own identity and its own way of finding its configuration, as this crate does
//! for Lanyard.

use std::path::{Path, PathBuf};

use lanyard::{AppIdentity, Config, Error};

/// Lanyard's app id (also the desktop app's Tauri identifier and config directory name).
pub const APP_ID: &str = "dev.lanyard.app";
/// Lanyard's name, as the pages the browser lands on after sign-in show it.
pub const DISPLAY_NAME: &str = "Lanyard";
/// The OS secret store service Lanyard's cache key is filed under.
pub const KEYRING_SERVICE: &str = "dev.lanyard.token-cache";
/// The name of Lanyard's cache directory inside the user's local data directory.
pub const CACHE_DIR_NAME: &str = "lanyard";
/// The configuration file's name (in `<config dir>/dev.lanyard.app/`).
pub const CONFIG_FILE: &str = "lanyard.toml";

/// Environment variable naming the configuration file.
pub const ENV_CONFIG: &str = "LANYARD_CONFIG";
/// Environment variable naming the program that opens the authorize URL (overrides `browser`).
pub const ENV_BROWSER: &str = "LANYARD_BROWSER";
/// Environment variable naming an extra trusted CA file (overrides `ca_file`).
pub const ENV_CA_FILE: &str = "LANYARD_CA_FILE";
/// Environment variable naming the cache directory (overrides `cache_dir`).
pub const ENV_CACHE_DIR: &str = "LANYARD_CACHE_DIR";

/// Lanyard's identity: app id `dev.lanyard.app`, shown as `Lanyard`, its cache key under the
/// keyring service `dev.lanyard.token-cache`, its cache in `<data_local_dir>/lanyard` as
/// `tokens.lanyard` (lock `tokens.lanyard.lock`).
pub fn identity() -> AppIdentity {
    let identity = AppIdentity::new(APP_ID, DISPLAY_NAME)
        .expect("Lanyard's app id and name are valid")
        .keyring_service(KEYRING_SERVICE);
    match dirs::data_local_dir() {
        Some(dir) => identity.cache_dir(dir.join(CACHE_DIR_NAME)),
        None => identity,
    }
}

/// The default configuration file: `<config dir>/dev.lanyard.app/lanyard.toml` (the desktop
/// app's config directory, so the app and the CLI share one file).
pub fn default_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join(APP_ID).join(CONFIG_FILE))
}

/// Applies `LANYARD_BROWSER`, `LANYARD_CA_FILE` and `LANYARD_CACHE_DIR` (each when set and not
/// blank) over the configuration's `browser`, `ca_file` and `cache_dir`.
pub fn apply_env_overrides(config: &mut Config) {
    apply_overrides(config, |name| std::env::var(name).ok());
}

/// Reads, parses and validates the file at `path` ([`Config::load`]), then applies the
/// environment overrides ([`apply_env_overrides`]).
pub fn load_config(path: &Path) -> Result<Config, Error> {
    let mut config = Config::load(path)?;
    apply_env_overrides(&mut config);
    Ok(config)
}

/// The overrides, reading variables through `lookup`.
fn apply_overrides(config: &mut Config, lookup: impl Fn(&str) -> Option<String>) {
    let value = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    if let Some(v) = value(ENV_BROWSER) {
        config.browser = Some(v);
    }
    if let Some(v) = value(ENV_CA_FILE) {
        config.ca_file = Some(PathBuf::from(v));
    }
    if let Some(v) = value(ENV_CACHE_DIR) {
        config.cache_dir = Some(PathBuf::from(v));
    }
}

#[cfg(test)]
mod tests;
