//! Invokes answered on the main thread, where the IPC request arrives, without a trip through
//! the async runtime and back: `token_info` when the cache holds a fresh token (the common case,
//! and the one a UI asks for most). Everything else — another command, a `token_info` that
//! needs the network or the cache lock, arguments that do not parse, an API outside the
//! window's scope — goes on to the `#[tauri::command]` handlers, which answer it the general
//! way or with the error.
//!
//! The cache hit costs a `try_lock` and one `stat` of the cache file on the main thread.

use serde::Deserialize;
use tauri::ipc::{Invoke, InvokeBody};
use tauri::{Manager, Runtime};

use crate::{scope, Lanyard};

/// `token_info`'s arguments, as the command takes them.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct TokenInfoArgs {
    account_id: String,
    api: String,
}

/// Answers `invoke` now if it can without waiting; otherwise hands it to `otherwise` (the
/// command handlers) and returns what that returns.
pub fn answer_or<R: Runtime>(invoke: Invoke<R>, otherwise: impl Fn(Invoke<R>) -> bool) -> bool {
    if invoke.message.command() != "token_info" {
        return otherwise(invoke);
    }
    let answer = token_info_args(invoke.message.payload()).and_then(|args| {
        let (command_scope, global_scope) = scope::of_invoke(&invoke, "token_info")?;
        scope::check(&command_scope, &global_scope, &args.api).ok()?;
        let state = invoke.message.webview_ref().try_state::<Lanyard>()?;
        state.token_info_cached(&args.account_id, &args.api)
    });
    match answer {
        Some(dto) => {
            invoke.resolver.resolve(dto);
            true
        }
        None => otherwise(invoke),
    }
}

/// The arguments of a `token_info` invoke (`{ accountId, api }`), if they are that.
fn token_info_args(payload: &InvokeBody) -> Option<TokenInfoArgs> {
    match payload {
        // By name, as the command reads them (serde would also take a sequence).
        InvokeBody::Json(args) if args.is_object() => TokenInfoArgs::deserialize(args).ok(),
        InvokeBody::Json(_) => None,
        InvokeBody::Raw(_) => None,
    }
}

#[cfg(test)]
mod tests;
