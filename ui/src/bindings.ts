// @generated from the Rust types of lanyard-app by ts-rs (src-tauri/src/bindings.rs).
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p lanyard-app --lib bindings`.

import type { ApiDto, IpcError } from "tauri-plugin-lanyard-api";

/**
 * `app_info`: the app, its configuration file and log folder, and the plugin's summary.
 */
export type AppInfoDto = { 
/**
 * The product name.
 */
name: string, 
/**
 * The app version.
 */
version: string, 
/**
 * The configuration file in use (or the one that failed), if any.
 */
configPath: string | null, 
/**
 * The directory of the app's log files, if it logs to a file.
 */
logDir: string | null, 
/**
 * The path each API's card proposes to call.
 */
defaultPaths: { [key in string]: string }, 
/**
 * Why the configuration could not be used; every other command fails with it too.
 */
configError: IpcError | null, 
/**
 * The identity provider (issuer).
 */
authority: string | null, 
/**
 * The public client id.
 */
clientId: string | null, 
/**
 * The configured APIs, in configuration order.
 */
apis: Array<ApiDto>, 
/**
 * How the token cache's key is protected.
 */
cacheProtection: string | null, 
/**
 * A problem met while loading the token cache (it was set aside).
 */
cacheWarning: string | null, 
/**
 * Microsoft personal accounts may sign in: they are asked to consent again on each run,
 * and a UI should say so before the browser opens.
 */
personalAccountNotice: boolean, };

/**
 * `diagnostics`: the redacted report for a support request (no token, no personal data).
 */
export type DiagnosticsDto = { 
/**
 * The report, plain text.
 */
report: string, };
