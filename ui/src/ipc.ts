// The UI's only door to Rust: the plugin's functions (tauri-plugin-lanyard-api) and the app's
// own two commands. Every failure is rethrown as an IpcError with a `kind` and a `message`.

import { invoke } from "@tauri-apps/api/core";
import * as lanyard from "tauri-plugin-lanyard-api";
import { LanyardError, toLanyardError } from "tauri-plugin-lanyard-api";
import { APP_COMMANDS } from "./bindings";
import type { AppInfo, Diagnostics } from "./dto";

/** A failed command: `{ kind, message }` plus its actionable details. */
export { LanyardError as IpcError };

/** Turns whatever a rejected invoke gave into an IpcError. */
export const normalizeError = toLanyardError;

async function call<T>(command: string): Promise<T> {
  try {
    return await invoke<T>(command);
  } catch (raw) {
    throw toLanyardError(raw);
  }
}

/** The app and its configuration; a configuration problem is in `configError`, not thrown. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>(APP_COMMANDS.appInfo);
}

/** The redacted diagnostics report: versions, configuration without secrets, the log file's
 * location and settings, the recent errors with their correlation ids. */
export function diagnostics(): Promise<Diagnostics> {
  return call<Diagnostics>(APP_COMMANDS.diagnostics);
}

export const {
  listAccounts,
  selectAccount,
  signIn,
  cancelSignIn,
  callApi,
  tokenInfo,
  signOut,
  grantAccess,
  checkConnection,
} = lanyard;
