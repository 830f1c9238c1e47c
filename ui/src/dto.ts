// What the Rust commands return (src-tauri/src/dto.rs). None of these can hold a token.

/** An error from any command: `kind` is machine-readable, `message` is words; the optional
 * fields say which action fits (grant access to `api`, retry after `retryAfterSecs`). */
export interface IpcErrorShape {
  kind: ErrorKind;
  message: string;
  /** For `interaction_required`: why. */
  reason?: InteractionReason | undefined;
  /** For `interaction_required` with a challenge: the API to grant access to. */
  api?: string | undefined;
  /** For a throttled or unavailable service: seconds before trying again. */
  retryAfterSecs?: number | undefined;
  /** The identity provider's correlation id, for support. */
  correlationId?: string | undefined;
}

/** Why the user has to act in the browser. */
export type InteractionReason =
  | "no_account"
  | "no_refresh_token"
  | "refresh_token_rejected"
  | "consent_required"
  | "login_required"
  | "mfa_required"
  | "user_action_required"
  | "claims_challenge"
  | "personal_account_consent";

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
  /** Scopes asked for only when the API needs them (incremental consent). */
  optionalScopes: string[];
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
  /** Microsoft personal accounts may sign in (they are asked to consent on each run). */
  personalAccountNotice: boolean;
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
export type TokenSource = "cache" | "refresh" | "sign_in" | "offline";

/** Token metadata (never the token). */
export interface TokenInfo {
  api: string;
  scopes: string[];
  expiresOn: number;
  source: TokenSource;
  /** Selected decoded claims of the token (never the token itself), or null. */
  claims: Record<string, unknown> | null;
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
