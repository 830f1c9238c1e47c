use super::*;

const TOML: &str = r#"
authority = "http://127.0.0.1:7700"
client_id = "lanyard-rfc8707"
browser = "firefox"

[[apis]]
name = "customer"
base_url = "http://127.0.0.1:7701"
scopes = ["customer.read"]
"#;

/// Existing users keep their cache: the values Lanyard used before the engine took an identity.
#[test]
fn the_identity_keeps_lanyards_historic_values() {
    let id = identity();
    assert_eq!(id.app_id(), "dev.lanyard.app");
    assert_eq!(id.display_name(), "Lanyard");
    assert_eq!(id.keyring_service_name(), "dev.lanyard.token-cache");
    assert_eq!(id.cache_file_name(), "tokens.lanyard");
    assert_eq!(id.lock_file_name(), "tokens.lanyard.lock");
    assert_eq!(
        id.fallback_cache_file_name("kernel-keyring"),
        "tokens.kernel-keyring.lanyard"
    );
    let data = dirs::data_local_dir().expect("a data directory in tests");
    assert_eq!(id.cache_dir_path(), Some(data.join("lanyard").as_path()));
    assert!(id.validate().is_ok());
}

#[test]
fn the_config_file_is_in_the_apps_config_dir() {
    let path = default_config_path().expect("a config directory in tests");
    assert!(
        path.ends_with("dev.lanyard.app/lanyard.toml"),
        "{}",
        path.display()
    );
}

#[test]
fn overrides_replace_the_files_values_and_blank_ones_are_ignored() {
    let mut config = Config::from_toml(TOML).unwrap();
    apply_overrides(&mut config, |name| match name {
        ENV_BROWSER => Some("/bin/test-browser".into()),
        ENV_CA_FILE => Some("/etc/proxy.pem".into()),
        ENV_CACHE_DIR => Some("  ".into()),
        _ => None,
    });
    assert_eq!(config.browser.as_deref(), Some("/bin/test-browser"));
    assert_eq!(config.ca_file.as_deref(), Some(Path::new("/etc/proxy.pem")));
    assert_eq!(config.cache_dir, None, "a blank value is no override");

    let mut untouched = Config::from_toml(TOML).unwrap();
    apply_overrides(&mut untouched, |_| None);
    assert_eq!(untouched.browser.as_deref(), Some("firefox"));
}

#[test]
fn load_config_names_the_file_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lanyard.toml");
    std::fs::write(&path, TOML.replace("client_id", "client")).unwrap();
    let err = load_config(&path).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("configuration: {}: client", path.display())),
        "{err}"
    );
    std::fs::write(&path, TOML).unwrap();
    assert_eq!(load_config(&path).unwrap().client_id, "lanyard-rfc8707");
}
