//! `ui/src/bindings.ts`: the TypeScript declarations of the app's own replies, rendered from
//! the Rust types with ts-rs (the plugin's types come from `tauri-plugin-lanyard-api`). The
//! test fails when the committed file is stale; `UPDATE_BINDINGS=1 cargo test -p lanyard-app
//! --lib bindings` rewrites it.

use ts_rs::{Config, TS};

use crate::app_info::AppInfoDto;
use crate::diagnostics::DiagnosticsDto;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/bindings.ts");

/// The plugin's types the app's declarations may name.
const PLUGIN_TYPES: [&str; 3] = ["ApiDto", "IpcError", "InfoDto"];

fn push<T: TS + ?Sized>(config: &Config, out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl(config));
    out.push_str("\n\n");
}

fn render() -> String {
    let config = Config::new().with_large_int("number");
    let mut body = String::new();
    push::<AppInfoDto>(&config, &mut body);
    push::<DiagnosticsDto>(&config, &mut body);
    let used: Vec<&str> = PLUGIN_TYPES
        .into_iter()
        .filter(|name| {
            body.match_indices(name).any(|(i, _)| {
                let before = body[..i].chars().next_back();
                let after = body[i + name.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .collect();
    let mut out = String::from(
        "// @generated from the Rust types of lanyard-app by ts-rs (src-tauri/src/bindings.rs).\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p lanyard-app --lib bindings`.\n\n",
    );
    if !used.is_empty() {
        out.push_str(&format!(
            "import type {{ {} }} from \"tauri-plugin-lanyard-api\";\n\n",
            used.join(", ")
        ));
    }
    out.push_str(body.trim_end());
    out.push('\n');
    out
}

#[test]
fn bindings_are_up_to_date() {
    let expected = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(FILE, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        actual == expected,
        "{FILE} is stale: run `UPDATE_BINDINGS=1 cargo test -p lanyard-app --lib bindings`"
    );
}
