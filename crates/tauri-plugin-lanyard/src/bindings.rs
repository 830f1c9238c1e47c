//! `guest-js/bindings.ts`: the TypeScript declarations of everything that crosses IPC (the
//! DTOs, the error, the events' payloads, the engine's enums) and the command and event
//! names, rendered from the Rust types with ts-rs. The test fails when the committed file
//! differs from what the Rust types say; `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard
//! --features ts bindings` rewrites it.

use crate::dto::{
    AccountDto, AccountsDto, ApiDto, ApiResultDto, InfoDto, SignInDto, SignOutDto, TokenInfoDto,
};
use crate::error::IpcError;
use crate::events::{
    ConnectionEvent, SignedInEvent, SignedOutEvent, TokenRefreshedEvent, CONNECTION, SIGNED_IN,
    SIGNED_OUT, TOKEN_REFRESHED,
};
use crate::ts::{check_or_update, Declarations};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/guest-js/bindings.ts");

/// `fooBar` for `foo_bar`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A TypeScript `const` object of `name: value` pairs.
fn const_table(docs: &str, name: &str, pairs: impl Iterator<Item = (String, String)>) -> String {
    let mut out = format!("/** {docs} */\nexport const {name} = {{\n");
    for (key, value) in pairs {
        out.push_str(&format!("  {key}: {value:?},\n"));
    }
    out.push_str("} as const;");
    out
}

pub(crate) fn render() -> String {
    let mut file = Declarations::new(
        "// @generated from the Rust types of tauri-plugin-lanyard and lanyard by ts-rs\n\
         // (src/bindings.rs). Do not edit: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard --features ts bindings`.",
    )
    .defining_plugin_types();
    file.push::<serde_json::Value>()
        .push::<lanyard::ErrorKind>()
        .push::<lanyard::InteractionReason>()
        .push::<lanyard::TokenSource>()
        .push::<IpcError>()
        .push::<InfoDto>()
        .push::<ApiDto>()
        .push::<AccountDto>()
        .push::<AccountsDto>()
        .push::<TokenInfoDto>()
        .push::<SignInDto>()
        .push::<ApiResultDto>()
        .push::<SignOutDto>()
        .push::<SignedInEvent>()
        .push::<SignedOutEvent>()
        .push::<TokenRefreshedEvent>()
        .push::<ConnectionEvent>();
    file.push_raw(&const_table(
        "The plugin's commands, as `invoke` takes them.",
        "COMMANDS",
        crate::commands::NAMES
            .iter()
            .map(|n| (camel(n), format!("plugin:lanyard|{n}"))),
    ));
    file.push_raw(&const_table(
        "The plugin's events, as `listen` takes them.",
        "EVENTS",
        [
            ("signedIn", SIGNED_IN),
            ("signedOut", SIGNED_OUT),
            ("tokenRefreshed", TOKEN_REFRESHED),
            ("connection", CONNECTION),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    ));
    file.render()
}

#[test]
fn bindings_are_up_to_date() {
    check_or_update(FILE, &render()).unwrap();
}
