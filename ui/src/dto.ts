// The types of what Rust returns, all generated from the Rust types: the plugin's from the
// tauri-plugin-lanyard-api package, the app's own from ./bindings.ts. None can hold a token.

export type {
  AccountDto as Account,
  AccountsDto as Accounts,
  ApiDto as ApiSummary,
  ApiResultDto as ApiResult,
  InteractionReason,
  SignInDto as SignInResult,
  SignOutDto as SignOutResult,
  TokenInfoDto as TokenInfo,
  TokenSource,
} from "tauri-plugin-lanyard-api";
export type { AppInfoDto as AppInfo, DiagnosticsDto as Diagnostics } from "./bindings";

import type { ErrorKind as PluginErrorKind } from "tauri-plugin-lanyard-api";

/** Error classes Rust sends, plus `unknown` for anything the UI could not parse. */
export type ErrorKind = PluginErrorKind | "unknown";
