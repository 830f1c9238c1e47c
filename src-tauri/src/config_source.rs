//! Which configuration file the app uses.

use std::path::{Path, PathBuf};

/// Environment variable naming the configuration file, and the configuration file's name in
/// the app config directory.
pub use lanyard_product::{CONFIG_FILE, ENV_CONFIG};

/// The configuration file: `LANYARD_CONFIG` if set, else `lanyard.toml` in `app_config_dir`
/// if it exists, else (debug builds only) the repository's `config/demo-rfc8707.toml`.
///
/// `Err` names the places looked at, for the UI.
pub fn resolve(env_value: Option<&str>, app_config_dir: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(v) = env_value.filter(|v| !v.trim().is_empty()) {
        return Ok(PathBuf::from(v));
    }
    let in_config_dir = app_config_dir.map(|d| d.join(CONFIG_FILE));
    if let Some(path) = in_config_dir.as_ref().filter(|p| p.is_file()) {
        return Ok(path.clone());
    }
    if let Some(path) = development_config() {
        return Ok(path);
    }
    Err(match in_config_dir {
        Some(p) => format!(
            "no configuration: set {ENV_CONFIG} or create {}",
            p.display()
        ),
        None => format!("no configuration: set {ENV_CONFIG}"),
    })
}

/// The demo configuration in the source tree, for `cargo run` and `tauri dev`.
#[cfg(debug_assertions)]
fn development_config() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo-rfc8707.toml");
    path.is_file().then_some(path)
}

/// Release builds never read the source tree.
#[cfg(not(debug_assertions))]
fn development_config() -> Option<PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        assert_eq!(
            resolve(Some("/x/y.toml"), Some(dir.path())).unwrap(),
            PathBuf::from("/x/y.toml")
        );
    }

    #[test]
    fn config_dir_next() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        assert_eq!(
            resolve(Some(" "), Some(dir.path())).unwrap(),
            dir.path().join(CONFIG_FILE)
        );
    }

    #[test]
    fn missing_file_falls_through() {
        let dir = tempfile::tempdir().unwrap();
        match resolve(None, Some(dir.path())) {
            Ok(p) => assert!(p.ends_with("config/demo-rfc8707.toml")),
            Err(e) => assert!(e.contains("LANYARD_CONFIG"), "{e}"),
        }
    }
}
