// The plugin's commands, named once. `build.rs` turns this list into the permission files
// (`allow-<command>` / `deny-<command>`) and the crate into its invoke handler and the
// TypeScript command table (`guest-js/bindings.ts`); nothing else lists them.
//
// Included by `build.rs` and by `src/commands.rs`: keep it a plain macro, no `use`.

/// Calls `$then!` with every command name.
macro_rules! with_commands {
    ($then:ident) => {
        $then!(
            info,
            list_accounts,
            select_account,
            sign_in,
            cancel_sign_in,
            call_api,
            token_info,
            grant_access,
            check_connection,
            sign_out,
            subscribe,
            unsubscribe
        )
    };
}
