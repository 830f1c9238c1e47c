// @generated from the Rust types of tauri-plugin-lanyard and lanyard by ts-rs
// (src/bindings.rs). Do not edit: run
// `UPDATE_BINDINGS=1 cargo test -p tauri-plugin-lanyard --features ts bindings`.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * A machine-readable class of [`Error`], for the UI to act on.
 */
export type ErrorKind = "interaction_required" | "service" | "network" | "timeout" | "cancelled" | "configuration" | "cache" | "protocol" | "not_found" | "invalid_argument";

/**
 * Why the user has to sign in (again) interactively.
 */
export type InteractionReason = "no_account" | "no_refresh_token" | "refresh_token_rejected" | "consent_required" | "login_required" | "mfa_required" | "user_action_required" | "claims_challenge" | "personal_account_consent";

/**
 * Where an access token came from.
 */
export type TokenSource = "cache" | "refresh" | "sign_in" | "offline";

/**
 * An error as the webview sees it; `message` is words without secrets.
 */
export type IpcError = { 
/**
 * A machine-readable class for the UI to act on.
 */
kind: ErrorKind, 
/**
 * What went wrong, for people.
 */
message: string, 
/**
 * For `interaction_required`: why.
 */
reason?: InteractionReason, 
/**
 * For `interaction_required` with a challenge: the API whose access must be granted.
 */
api?: string, 
/**
 * For a throttled or unavailable service: seconds before trying again.
 */
retryAfterSecs?: number, 
/**
 * The provider's correlation id, for support.
 */
correlationId?: string, };

/**
 * `info`: what the plugin is configured for, and whether that worked.
 */
export type InfoDto = { 
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
 * One configured API.
 */
export type ApiDto = { 
/**
 * Its short name (`customer`, `vendor`).
 */
name: string, 
/**
 * The base URL paths are joined to.
 */
baseUrl: string, 
/**
 * The scopes its token carries.
 */
scopes: Array<string>, 
/**
 * Its RFC 8707 resource indicator, if the provider uses them.
 */
resource: string | null, 
/**
 * Scopes asked for only when the API needs them (incremental consent).
 */
optionalScopes: Array<string>, };

/**
 * A signed-in account.
 */
export type AccountDto = { 
/**
 * The stable account id (pass it back to the other commands).
 */
id: string, 
/**
 * The user name (`preferred_username` or `email`).
 */
username: string | null, 
/**
 * The display name.
 */
name: string | null, 
/**
 * The issuer that signed the user in.
 */
issuer: string, 
/**
 * The tenant, for the Microsoft identity platform.
 */
tenantId: string | null, };

/**
 * `list_accounts`: the accounts in the cache and the one to show.
 */
export type AccountsDto = { 
/**
 * Every signed-in account.
 */
accounts: Array<AccountDto>, 
/**
 * The account used last (remembered across runs), else the first one.
 */
currentId: string | null, 
/**
 * A problem met while loading the token cache (it was set aside).
 */
cacheWarning: string | null, };

/**
 * Metadata of an access token: never the token.
 */
export type TokenInfoDto = { 
/**
 * The API it is for.
 */
api: string, 
/**
 * Its scopes.
 */
scopes: Array<string>, 
/**
 * Expiry, Unix seconds.
 */
expiresOn: number, 
/**
 * Where the token came from: the cache, a refresh, a sign-in, or the cache while the
 * provider is unreachable (`offline`).
 */
source: TokenSource, 
/**
 * Selected claims of the token, decoded (issuer, audience, scopes, times, `acrs`, ...);
 * `null` for opaque tokens or when not asked for.
 */
claims: JsonValue | null, };

/**
 * `sign_in`: who signed in and the first API's token metadata.
 */
export type SignInDto = { 
/**
 * The account.
 */
account: AccountDto, 
/**
 * The first API's token metadata.
 */
token: TokenInfoDto, };

/**
 * `call_api`: the API's answer.
 */
export type ApiResultDto = { 
/**
 * The API name.
 */
api: string, 
/**
 * The path called.
 */
path: string, 
/**
 * HTTP status.
 */
status: number, 
/**
 * The JSON body (`null` if empty or not JSON).
 */
body: JsonValue, 
/**
 * The body as text when it was not JSON.
 */
text: string | null, 
/**
 * Metadata of the token that was sent.
 */
token: TokenInfoDto, };

/**
 * `sign_out`: what happened at the identity provider (the account is gone locally either way).
 */
export type SignOutDto = { 
/**
 * True when the identity provider revoked the account's refresh token.
 */
revoked: boolean, 
/**
 * Why the refresh token could not be revoked, when that was tried and failed.
 */
revocationError: string | null, };

/**
 * An account signed in (the interactive sign-in finished).
 */
export type SignedInEvent = { 
/**
 * The account.
 */
account: AccountDto, };

/**
 * An account was signed out of this computer.
 */
export type SignedOutEvent = { 
/**
 * The account's id.
 */
accountId: string, 
/**
 * True when the identity provider revoked its refresh token.
 */
revoked: boolean, };

/**
 * A token was acquired with the refresh token (no user interaction).
 */
export type TokenRefreshedEvent = { 
/**
 * The account's id.
 */
accountId: string, 
/**
 * The new token's metadata.
 */
token: TokenInfoDto, };

/**
 * The identity provider became unreachable (`online: false`) or reachable again.
 */
export type ConnectionEvent = { 
/**
 * Whether the identity provider answers.
 */
online: boolean, };

/**
 * Every event the plugin sends: `{ "type": "signedIn", ...payload }`.
 */
export type LanyardEvent = { "type": "signedIn" } & SignedInEvent | { "type": "signedOut" } & SignedOutEvent | { "type": "tokenRefreshed" } & TokenRefreshedEvent | { "type": "connection" } & ConnectionEvent;

/** The plugin's commands, as `invoke` takes them. */
export const COMMANDS = {
  info: "plugin:lanyard|info",
  listAccounts: "plugin:lanyard|list_accounts",
  selectAccount: "plugin:lanyard|select_account",
  signIn: "plugin:lanyard|sign_in",
  cancelSignIn: "plugin:lanyard|cancel_sign_in",
  callApi: "plugin:lanyard|call_api",
  tokenInfo: "plugin:lanyard|token_info",
  grantAccess: "plugin:lanyard|grant_access",
  checkConnection: "plugin:lanyard|check_connection",
  signOut: "plugin:lanyard|sign_out",
  subscribe: "plugin:lanyard|subscribe",
  unsubscribe: "plugin:lanyard|unsubscribe",
} as const;
