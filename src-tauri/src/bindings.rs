//! `ui/src/bindings.ts`: the TypeScript declarations of the app's own replies, rendered from
//! the Rust types with ts-rs (the plugin's types are imported from `tauri-plugin-lanyard-api`).
//! The test fails when the committed file is stale; `UPDATE_BINDINGS=1 cargo test -p
//! lanyard-app --lib bindings` rewrites it.

use tauri_plugin_lanyard::ts::{check_or_update, Declarations};

use crate::app_info::AppDetailsDto;
use crate::diagnostics::DiagnosticsDto;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/bindings.ts");

fn render() -> String {
    let mut file = Declarations::new(
        "// @generated from the Rust types of lanyard-app by ts-rs (src-tauri/src/bindings.rs).\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p lanyard-app --lib bindings`.",
    );
    file.push::<AppDetailsDto>()
        .push_raw(
            "/**\n * `app_info`: the app's own details and the plugin's summary, in one object.\n */\n\
             export type AppInfoDto = AppDetailsDto & InfoDto;",
        )
        .push::<DiagnosticsDto>()
        .push_commands(
            "The app's own commands, as `invoke` takes them.",
            "APP_COMMANDS",
            "",
            crate::commands::NAMES,
        );
    file.render()
}

#[test]
fn bindings_are_up_to_date() {
    check_or_update(FILE, &render()).unwrap();
}
