use lanyard::ErrorKind;
use serde_json::json;

use super::{config, identity};

fn valid() -> serde_json::Value {
    json!({
        "authority": "http://127.0.0.1:7700",
        "client_id": "lanyard-rfc8707",
        "apis": [
            { "name": "customer", "base_url": "http://127.0.0.1:7701", "scopes": ["customer.read"], "resource": "api://lanyard-customer" },
            { "name": "vendor", "base_url": "http://127.0.0.1:7702", "scopes": ["vendor.read"], "resource": "api://lanyard-vendor" }
        ]
    })
}

#[test]
fn a_plugins_lanyard_block_is_a_config() {
    let config = config(Some(&valid())).unwrap();
    assert_eq!(config.client_id, "lanyard-rfc8707");
    assert_eq!(config.apis.len(), 2);
    assert_eq!(config.apis[1].name, "vendor");
}

#[test]
fn a_missing_block_says_where_to_put_one() {
    for value in [None, Some(&serde_json::Value::Null)] {
        let e = config(value).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Configuration);
        assert!(e.message.contains("plugins.lanyard"), "{}", e.message);
    }
}

#[test]
fn errors_name_the_field() {
    let mut unknown = valid();
    unknown["apis"][0]["scope"] = json!(["x"]);
    let e = config(Some(&unknown)).unwrap_err();
    assert!(
        e.message.contains("plugins.lanyard.apis[0]"),
        "{}",
        e.message
    );

    let mut http = valid();
    http["authority"] = json!("http://login.example.com");
    let e = config(Some(&http)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Configuration);
    assert!(e.message.contains("authority"), "{}", e.message);

    let e = config(Some(&json!({ "client_id": "x", "apis": [] }))).unwrap_err();
    assert!(e.message.contains("authority"), "{}", e.message);
}

#[test]
fn the_identity_is_the_apps_identifier_and_name() {
    let mut conf = tauri::Config {
        identifier: "com.contoso.notes".into(),
        ..Default::default()
    };
    let id = identity(&conf).unwrap();
    assert_eq!(id.app_id(), "com.contoso.notes");
    assert_eq!(id.display_name(), "com.contoso.notes");
    assert_eq!(id.keyring_service_name(), "com.contoso.notes.token-cache");
    assert!(id
        .cache_dir_path()
        .is_some_and(|d| d.ends_with("com.contoso.notes")));
    conf.product_name = Some("Contoso Notes".into());
    assert_eq!(identity(&conf).unwrap().display_name(), "Contoso Notes");
    conf.identifier = "../evil".into();
    assert_eq!(identity(&conf).unwrap_err().kind, ErrorKind::Configuration);
}
