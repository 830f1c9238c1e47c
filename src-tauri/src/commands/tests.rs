//! The security configuration: the main window may call the app's own commands and the
//! plugin's default set, nothing from core or the store plugin, under a strict CSP.

use serde_json::Value;

use super::NAMES;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_capability_allows_the_app_commands_and_the_plugin_default_set() {
    let capability: Value =
        serde_json::from_str(&read("src-tauri/capabilities/main-window.json")).unwrap();
    let mut granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("plain permission identifiers"))
        .collect();
    granted.sort_unstable();
    let mut expected: Vec<String> = NAMES
        .iter()
        .map(|n| format!("allow-{}", n.replace('_', "-")))
        .chain(["lanyard:default".to_owned()])
        .collect();
    expected.sort_unstable();
    assert_eq!(granted, expected);
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote URL may use the commands"
    );
}

/// The page fetches nothing, and the CSP allows no `ipc:` fetch either: Tauri then answers
/// invokes over the webview's message handler (postMessage), which on WebKitGTK takes half
/// the round trip of its custom-protocol IPC (README, "App figures").
#[test]
fn the_webview_is_locked_down() {
    let conf: Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let app = &conf["app"];
    assert_eq!(app["withGlobalTauri"], false);
    assert_eq!(
        app["security"]["capabilities"],
        serde_json::json!(["main-window"])
    );
    assert_eq!(
        app["security"]["csp"],
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    );
    assert_eq!(app["windows"][0]["label"], "main");
}
