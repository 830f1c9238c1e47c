//! `guest-js/bindings.ts`: the TypeScript declarations of everything that crosses IPC (the
//! DTOs, the error, the events, the engine's enums) and the command names, rendered from the Rust types with ts-rs. The test fails when the committed file
//! differs from what the Rust types say; `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard
//! --features ts bindings` rewrites it.

use crate::ts::{check_or_update, with_plugin_types, Declarations};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/guest-js/bindings.ts");

pub(crate) fn render() -> String {
    let mut file = Declarations::new(
        "// @generated from the Rust types of tauri-plugin-lanyard and lanyard by ts-rs\n\
         // (src/bindings.rs). Do not edit: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard --features ts bindings`.",
    )
    .defining_plugin_types();
    macro_rules! push_all {
        ($($t:ty),*) => {
            $(file.push::<$t>();)*
        };
    }
    with_plugin_types!(push_all);
    file.push_commands(
        "The plugin's commands, as `invoke` takes them.",
        "COMMANDS",
        "plugin:lanyard|",
        crate::commands::NAMES,
    );
    file.render()
}

#[test]
fn bindings_are_up_to_date() {
    check_or_update(FILE, &render()).unwrap();
}
