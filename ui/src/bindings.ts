// @generated from the Rust types of lanyard-app by ts-rs (src-tauri/src/bindings.rs).
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p lanyard-app --lib bindings`.

import type { InfoDto } from "tauri-plugin-lanyard-api";

/**
 * The app, its configuration file and log folder.
 */
export type AppDetailsDto = { 
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
defaultPaths: { [key in string]: string }, };

/**
 * `app_info`: the app's own details and the plugin's summary, in one object.
 */
export type AppInfoDto = AppDetailsDto & InfoDto;

/**
 * `diagnostics`: the redacted report for a support request (no token, no personal data).
 */
export type DiagnosticsDto = { 
/**
 * The report, plain text.
 */
report: string, };

/** The app's own commands, as `invoke` takes them. */
export const APP_COMMANDS = {
  appInfo: "app_info",
  diagnostics: "diagnostics",
} as const;
