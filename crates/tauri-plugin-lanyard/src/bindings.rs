//! `guest-js/bindings.ts`: the TypeScript declarations of everything that crosses IPC (the
//! DTOs, the error, the events' payloads, the engine's enums) and the command and event
//! names, rendered from the Rust types with ts-rs. The test fails when the committed file
//! differs from what the Rust types say; `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard
//! --features ts bindings` rewrites it.

use ts_rs::{Config, TS};

use crate::dto::{
    AccountDto, AccountsDto, ApiDto, ApiResultDto, InfoDto, SignInDto, SignOutDto, TokenInfoDto,
};
use crate::error::IpcError;
use crate::events::{
    ConnectionEvent, SignedInEvent, SignedOutEvent, TokenRefreshedEvent, CONNECTION, SIGNED_IN,
    SIGNED_OUT, TOKEN_REFRESHED,
};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/guest-js/bindings.ts");

fn push<T: TS + ?Sized>(config: &Config, out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl(config));
    out.push_str("\n\n");
}

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
fn const_table<'a>(
    docs: &str,
    name: &str,
    pairs: impl Iterator<Item = (String, &'a str)>,
) -> String {
    let mut out = format!("/** {docs} */\nexport const {name} = {{\n");
    for (key, value) in pairs {
        out.push_str(&format!("  {key}: {value:?},\n"));
    }
    out.push_str("} as const;\n\n");
    out
}

pub(crate) fn render() -> String {
    let config = Config::new().with_large_int("number");
    let mut out = String::from(
        "// @generated from the Rust types of tauri-plugin-lanyard and lanyard by ts-rs\n\
         // (src/bindings.rs). Do not edit: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard --features ts bindings`.\n\n",
    );
    push::<serde_json::Value>(&config, &mut out);
    push::<lanyard::ErrorKind>(&config, &mut out);
    push::<lanyard::InteractionReason>(&config, &mut out);
    push::<lanyard::TokenSource>(&config, &mut out);
    push::<IpcError>(&config, &mut out);
    push::<InfoDto>(&config, &mut out);
    push::<ApiDto>(&config, &mut out);
    push::<AccountDto>(&config, &mut out);
    push::<AccountsDto>(&config, &mut out);
    push::<TokenInfoDto>(&config, &mut out);
    push::<SignInDto>(&config, &mut out);
    push::<ApiResultDto>(&config, &mut out);
    push::<SignOutDto>(&config, &mut out);
    push::<SignedInEvent>(&config, &mut out);
    push::<SignedOutEvent>(&config, &mut out);
    push::<TokenRefreshedEvent>(&config, &mut out);
    push::<ConnectionEvent>(&config, &mut out);
    out.push_str(&const_table(
        "The plugin's commands, as `invoke` takes them.",
        "COMMANDS",
        crate::commands::NAMES.iter().map(|n| {
            // A leaked string per command, once per test run: the table borrows its values.
            let full: &'static str = Box::leak(format!("plugin:lanyard|{n}").into_boxed_str());
            (camel(n), full)
        }),
    ));
    out.push_str(&const_table(
        "The plugin's events, as `listen` takes them.",
        "EVENTS",
        [
            ("signedIn", SIGNED_IN),
            ("signedOut", SIGNED_OUT),
            ("tokenRefreshed", TOKEN_REFRESHED),
            ("connection", CONNECTION),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v)),
    ));
    out.truncate(out.trim_end().len());
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
        "{FILE} is stale: run `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard --features ts bindings`"
    );
}
