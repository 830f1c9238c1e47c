//! Which APIs a window may use: an optional scope on `call_api`, `token_info` and
//! `grant_access` (and the plugin's global scope), e.g. in a capability:
//!
//! ```json
//! { "identifier": "lanyard:allow-call-api", "allow": [{ "api": "vendor" }] }
//! ```
//!
//! No scope: every configured API. An `allow` list: only those. A `deny` entry always wins.

use serde::Deserialize;
use tauri::ipc::{CommandArg, CommandItem, CommandScope, GlobalScope, Invoke, ScopeObjectMatch};
use tauri::Runtime;

use crate::error::IpcError;

include!("scope_entry.rs");

api_scope_entry!(
    #[derive(Clone, Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
);

impl ScopeObjectMatch for ApiScope {
    type Input = str;

    fn matches(&self, api: &str) -> bool {
        self.api == api
    }
}

/// What a window's scopes let it use, kept with its event subscription.
#[derive(Clone, Debug, Default)]
pub struct Allowed {
    allows: Vec<ApiScope>,
    denies: Vec<ApiScope>,
}

impl Allowed {
    /// The command's and the plugin's global scopes, together.
    pub fn of(command: &CommandScope<ApiScope>, global: &GlobalScope<ApiScope>) -> Self {
        let copy = |entries: &[std::sync::Arc<ApiScope>]| -> Vec<ApiScope> {
            entries.iter().map(|e| ApiScope::clone(e)).collect()
        };
        Allowed {
            allows: [copy(command.allows()), copy(global.allows())].concat(),
            denies: [copy(command.denies()), copy(global.denies())].concat(),
        }
    }

    /// Whether `api` may be used.
    pub fn api(&self, api: &str) -> bool {
        let allows: Vec<&ApiScope> = self.allows.iter().collect();
        let denies: Vec<&ApiScope> = self.denies.iter().collect();
        permits(&allows, &denies, api)
    }
}

/// `Ok` when the window's scopes (the command's and the plugin's global one, together) let
/// it use `api`.
pub fn check(
    command: &CommandScope<ApiScope>,
    global: &GlobalScope<ApiScope>,
    api: &str,
) -> Result<(), IpcError> {
    let allows: Vec<&ApiScope> = command
        .allows()
        .iter()
        .chain(global.allows())
        .map(AsRef::as_ref)
        .collect();
    let denies: Vec<&ApiScope> = command
        .denies()
        .iter()
        .chain(global.denies())
        .map(AsRef::as_ref)
        .collect();
    if api.len() > crate::validate::MAX_API_NAME_LEN {
        Err(IpcError::invalid_argument("the API name is too long"))
    } else if permits(&allows, &denies, api) {
        Ok(())
    } else {
        Err(IpcError::invalid_argument(format!(
            "this window may not use the API {api:?} (see the lanyard permissions in its capability)"
        )))
    }
}

/// No entry names `api` in `denies`, and `allows` is empty or names it.
fn permits(allows: &[&ApiScope], denies: &[&ApiScope], api: &str) -> bool {
    !denies.iter().any(|s| s.matches(api))
        && (allows.is_empty() || allows.iter().any(|s| s.matches(api)))
}

/// The scopes of `invoke` (a command that names an API), resolved as the command's own
/// `CommandScope` and `GlobalScope` arguments would be; `None` if they cannot be resolved.
pub(crate) fn of_invoke<R: Runtime>(
    invoke: &Invoke<R>,
    command: &'static str,
) -> Option<(CommandScope<ApiScope>, GlobalScope<ApiScope>)> {
    let item = || CommandItem {
        plugin: Some(crate::PLUGIN_NAME),
        name: command,
        key: "scope",
        message: &invoke.message,
        acl: &invoke.acl,
    };
    let command_scope = CommandScope::from_command(item()).ok()?;
    let global_scope = GlobalScope::from_command(item()).ok()?;
    Some((command_scope, global_scope))
}

#[cfg(test)]
mod tests;
