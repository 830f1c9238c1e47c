// What the Rust commands return (src-tauri/src/dto.rs). None of these can hold a token.

/** An error from any command: `kind` is machine-readable, `message` is words. */
export interface IpcErrorShape {
  kind: ErrorKind;
  message: string;
}

/** Error classes the shell sends, plus `unknown` for anything the UI could not parse. */
export type ErrorKind =
  | "interaction_required"
  | "service"
  | "network"
  | "timeout"
  | "cancelled"
  | "configuration"
  | "cache"
  | "protocol"
  | "not_found"
  | "invalid_argument"
  | "unknown";

/** One configured API. */
export interface ApiSummary {
  name: string;
  baseUrl: string;
  scopes: string[];
  resource: string | null;
  defaultPath: string;
}

/** `app_info`. */
export interface AppInfo {
  name: string;
  version: string;
  configPath: string | null;
  configError: IpcErrorShape | null;
  authority: string | null;
  clientId: string | null;
  apis: ApiSummary[];
  cacheProtection: string | null;
  cacheWarning: string | null;
  /** The directory of the app's log files, if it logs to a file. */
  logDir: string | null;
}

/** `diagnostics`: a redacted report for a support request (no token, no personal data). */
export interface Diagnostics {
  report: string;
}

/** A signed-in account. */
export interface Account {
  id: string;
  username: string | null;
  name: string | null;
  issuer: string;
  tenantId: string | null;
}

/** `list_accounts`. */
export interface Accounts {
  accounts: Account[];
  currentId: string | null;
  cacheWarning: string | null;
}

/** Where a token came from. */
export type TokenSource = "cache" | "refresh" | "sign_in";

/** Token metadata (never the token). */
export interface TokenInfo {
  api: string;
  scopes: string[];
  expiresOn: number;
  source: TokenSource;
}

/** `sign_in`. */
export interface SignInResult {
  account: Account;
  token: TokenInfo;
}

/** `sign_out`: the account is gone from this computer either way. */
export interface SignOutResult {
  /** The identity provider revoked the account's refresh token. */
  revoked: boolean;
  /** Why the refresh token could not be revoked, when that was tried and failed. */
  revocationError: string | null;
}

/** `call_api`. */
export interface ApiResult {
  api: string;
  path: string;
  status: number;
  body: unknown;
  text: string | null;
  token: TokenInfo;
}
