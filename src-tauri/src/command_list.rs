// The Lanyard app's own commands (the sign-in and API commands are tauri-plugin-lanyard's),
// named once: `build.rs` makes their permissions from this list, `commands.rs` their handler.
//
// Included by `build.rs` and by `src/commands.rs`: keep it a plain macro, no `use`.

/// Calls `$then!` with every app command name.
macro_rules! with_app_commands {
    ($then:ident) => {
        $then!(app_info, diagnostics)
    };
}
