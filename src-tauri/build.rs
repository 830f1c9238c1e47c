//! tauri-build: generates the context, the app's command permissions (`allow-<command>`) and
//! reads the capabilities in `src-tauri/capabilities/`.

/// Every app command; each gets an `allow-<name>` permission (underscores become dashes).
/// Keep in step with `commands::NAMES` and `generate_handler!` in `commands::handler`.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_accounts",
    "select_account",
    "sign_in",
    "cancel_sign_in",
    "call_api",
    "token_info",
    "sign_out",
    "grant_access",
    "check_connection",
    "diagnostics",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
