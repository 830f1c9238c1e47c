// The UI's only door to Rust: the one module that imports @tauri-apps/api. One function per
// command; every failure is rethrown as an IpcError with a `kind` and a `message`.

import { invoke } from "@tauri-apps/api/core";
import type {
  Accounts,
  ApiResult,
  AppInfo,
  Diagnostics,
  ErrorKind,
  InteractionReason,
  IpcErrorShape,
  SignInResult,
  SignOutResult,
  TokenInfo,
} from "./dto";

const KINDS: readonly ErrorKind[] = [
  "interaction_required",
  "service",
  "network",
  "timeout",
  "cancelled",
  "configuration",
  "cache",
  "protocol",
  "not_found",
  "invalid_argument",
];

/** The optional, actionable fields of an error. */
export type ErrorDetails = Pick<IpcErrorShape, "reason" | "api" | "retryAfterSecs" | "correlationId">;

/** A failed command, normalized to `{ kind, message }` plus its actionable details. */
export class IpcError extends Error implements IpcErrorShape {
  readonly kind: ErrorKind;
  readonly reason: InteractionReason | undefined;
  readonly api: string | undefined;
  readonly retryAfterSecs: number | undefined;
  readonly correlationId: string | undefined;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = "IpcError";
    this.kind = kind;
    this.reason = details.reason;
    this.api = details.api;
    this.retryAfterSecs = details.retryAfterSecs;
    this.correlationId = details.correlationId;
  }
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Turns whatever a rejected invoke gave into an IpcError. */
export function normalizeError(raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  if (typeof raw === "object" && raw !== null && "kind" in raw && "message" in raw) {
    const r = raw as Record<string, unknown>;
    const known = KINDS.find((k) => k === r.kind);
    const retry = r.retryAfterSecs;
    return new IpcError(known ?? "unknown", String(r.message), {
      reason: text(r.reason) as InteractionReason | undefined,
      api: text(r.api),
      retryAfterSecs: typeof retry === "number" && retry >= 0 ? retry : undefined,
      correlationId: text(r.correlationId),
    });
  }
  if (raw instanceof Error) return new IpcError("unknown", raw.message);
  return new IpcError("unknown", String(raw));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw normalizeError(raw);
  }
}

/** The configuration summary; a configuration problem is in `configError`, not thrown. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** The signed-in accounts and the one to show first. */
export function listAccounts(): Promise<Accounts> {
  return call<Accounts>("list_accounts");
}

/** Makes the account the current one (remembered across runs); returns the accounts again. */
export function selectAccount(accountId: string): Promise<Accounts> {
  return call<Accounts>("select_account", { accountId });
}

/** Opens the system browser and waits until the user has signed in (or cancels, or times out). */
export function signIn(): Promise<SignInResult> {
  return call<SignInResult>("sign_in");
}

/** Cancels the sign-in under way; `signIn()` then rejects with kind `cancelled`. */
export function cancelSignIn(): Promise<void> {
  return call<void>("cancel_sign_in");
}

/** Calls `GET <api base><path>` for the account with a silently acquired token. */
export function callApi(accountId: string, api: string, path: string): Promise<ApiResult> {
  return call<ApiResult>("call_api", { accountId, api, path });
}

/** Acquires the API's token silently and returns its metadata. */
export function tokenInfo(accountId: string, api: string): Promise<TokenInfo> {
  return call<TokenInfo>("token_info", { accountId, api });
}

/** Removes the account and its tokens from this computer and revokes its refresh token at the
 * identity provider when it can; other accounts stay signed in. */
export function signOut(accountId: string): Promise<SignOutResult> {
  return call<SignOutResult>("sign_out", { accountId });
}

/** Opens the browser to give the API what its last call asked for (consent to a further scope,
 * a stronger sign-in for Conditional Access), or to sign in again for it; then calls can
 * resume. */
export function grantAccess(accountId: string, api: string): Promise<SignInResult> {
  return call<SignInResult>("grant_access", { accountId, api });
}

/** Resolves when the identity provider answers; rejects (kind `network`, ...) when it does
 * not. The UI asks while it shows that it is offline. */
export function checkConnection(): Promise<void> {
  return call<void>("check_connection");
}

/** The redacted diagnostics report: versions, configuration without secrets, the log file's
 * location and settings, the recent errors with their correlation ids. */
export function diagnostics(): Promise<Diagnostics> {
  return call<Diagnostics>("diagnostics");
}
