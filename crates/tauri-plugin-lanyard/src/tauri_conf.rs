//! What the plugin reads from `tauri.conf.json`: its configuration (`plugins.lanyard`, the
//! fields of a [`lanyard::Config`]) and, unless the host gives one, the app's identity
//! (`identifier`, `productName`).

use lanyard::{AppIdentity, Config};

use crate::IpcError;

/// The configuration in `plugins.lanyard`, checked as a TOML file would be; a missing or bad
/// one is a configuration error naming the field.
pub(crate) fn config(value: Option<&serde_json::Value>) -> Result<Box<Config>, IpcError> {
    let value = value.filter(|v| !v.is_null()).ok_or_else(|| {
        IpcError::configuration(
            "no configuration: set plugins.lanyard in tauri.conf.json or give one to the Builder",
        )
    })?;
    let config: Config = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        IpcError::configuration(format!("plugins.lanyard.{}: {}", e.path(), e.inner()))
    })?;
    config
        .validate()
        .map_err(|e| IpcError::configuration(format!("plugins.lanyard: {e}")))?;
    Ok(Box::new(config))
}

/// The app's identity from its Tauri configuration: `identifier` as the app id (so the cache
/// is `<data dir>/<identifier>/` and the keyring service `<identifier>.token-cache`),
/// `productName` (else the identifier) as the name on the sign-in pages.
pub(crate) fn identity(conf: &tauri::Config) -> Result<AppIdentity, IpcError> {
    let name = conf.product_name.as_deref().unwrap_or(&conf.identifier);
    AppIdentity::new(conf.identifier.as_str(), name)
        .map_err(|e| IpcError::configuration(format!("the app's identifier: {e}")))
}

#[cfg(test)]
mod tests;
