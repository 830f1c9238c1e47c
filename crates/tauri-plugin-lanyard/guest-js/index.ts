// tauri-plugin-lanyard-api: the web side of tauri-plugin-lanyard. One function per command,
// typed events, and one error type. No function returns a token: the plugin keeps them in
// Rust. The types come from the Rust ones (./bindings.ts, generated; do not edit it).

import { Channel, invoke } from "@tauri-apps/api/core";

import {
  COMMANDS,
  type AccountsDto,
  type ApiResultDto,
  type ConnectionEvent,
  type ErrorKind,
  type InfoDto,
  type InteractionReason,
  type IpcError as IpcErrorShape,
  type LanyardEvent,
  type SignInDto,
  type SignOutDto,
  type SignedInEvent,
  type SignedOutEvent,
  type TokenInfoDto,
  type TokenRefreshedEvent,
} from "./bindings.js";

export * from "./bindings.js";

/** A failed command: the plugin's `{ kind, message, ... }`, as an `Error`. `kind` is
 * `"unknown"` only for failures that did not come from the plugin (e.g. a missing
 * permission, reported by Tauri as a string). */
export class LanyardError extends Error {
  readonly kind: ErrorKind | "unknown";
  readonly reason: InteractionReason | undefined;
  readonly api: string | undefined;
  readonly retryAfterSecs: number | undefined;
  readonly correlationId: string | undefined;

  constructor(kind: ErrorKind | "unknown", message: string, details: Partial<IpcErrorShape> = {}) {
    super(message);
    this.name = "LanyardError";
    this.kind = kind;
    this.reason = details.reason;
    this.api = details.api;
    this.retryAfterSecs = details.retryAfterSecs;
    this.correlationId = details.correlationId;
  }
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Turns whatever a rejected invoke gave into a {@link LanyardError}. */
export function toLanyardError(raw: unknown): LanyardError {
  if (raw instanceof LanyardError) return raw;
  if (typeof raw === "object" && raw !== null && "kind" in raw && "message" in raw) {
    const r = raw as Record<string, unknown>;
    const retry = r.retryAfterSecs;
    const details: Partial<IpcErrorShape> = {};
    const reason = text(r.reason);
    if (reason !== undefined) details.reason = reason as InteractionReason;
    const api = text(r.api);
    if (api !== undefined) details.api = api;
    if (typeof retry === "number" && retry >= 0) details.retryAfterSecs = retry;
    const correlationId = text(r.correlationId);
    if (correlationId !== undefined) details.correlationId = correlationId;
    const kind = typeof r.kind === "string" ? (r.kind as ErrorKind) : "unknown";
    return new LanyardError(kind, String(r.message), details);
  }
  if (raw instanceof Error) return new LanyardError("unknown", raw.message);
  return new LanyardError("unknown", String(raw));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toLanyardError(raw);
  }
}

/** The configuration summary (authority, client id, APIs, cache protection); a configuration
 * problem is in `configError`, not thrown. */
export function info(): Promise<InfoDto> {
  return call<InfoDto>(COMMANDS.info);
}

/** The signed-in accounts and the one to show first (the one used last). */
export function listAccounts(): Promise<AccountsDto> {
  return call<AccountsDto>(COMMANDS.listAccounts);
}

/** Makes the account the current one (remembered by the host); returns the accounts again. */
export function selectAccount(accountId: string): Promise<AccountsDto> {
  return call<AccountsDto>(COMMANDS.selectAccount, { accountId });
}

/** Opens the system browser and waits until the user has signed in (consenting to every
 * configured API), cancels, or the sign-in times out. */
export function signIn(): Promise<SignInDto> {
  return call<SignInDto>(COMMANDS.signIn);
}

/** Cancels the sign-in under way; `signIn()` then rejects with kind `cancelled`. */
export function cancelSignIn(): Promise<void> {
  return call<void>(COMMANDS.cancelSignIn);
}

/** Calls `GET <api base><path>` for the account with a token acquired silently; resolves
 * with the status, the JSON body (or text) and the token's metadata. */
export function callApi(accountId: string, api: string, path: string): Promise<ApiResultDto> {
  return call<ApiResultDto>(COMMANDS.callApi, { accountId, api, path });
}

/** Acquires the API's token silently (cache, else refresh token) and returns its metadata. */
export function tokenInfo(accountId: string, api: string): Promise<TokenInfoDto> {
  return call<TokenInfoDto>(COMMANDS.tokenInfo, { accountId, api });
}

/** Opens the browser to give the API what its last call asked for (consent to a further
 * scope, a stronger sign-in for Conditional Access), or to sign in again for it. */
export function grantAccess(accountId: string, api: string): Promise<SignInDto> {
  return call<SignInDto>(COMMANDS.grantAccess, { accountId, api });
}

/** Resolves when the identity provider answers; rejects (kind `network`, ...) when not. */
export function checkConnection(): Promise<void> {
  return call<void>(COMMANDS.checkConnection);
}

/** Removes the account and its tokens from this computer and revokes its refresh token at
 * the identity provider when it can; other accounts stay signed in. */
export function signOut(accountId: string): Promise<SignOutDto> {
  return call<SignOutDto>(COMMANDS.signOut, { accountId });
}

/** Stops a subscription made by one of the `on…` functions. */
export type Unsubscribe = () => Promise<void>;

/** Calls `handler` with every event the plugin sends this window (`type` says which): the
 * window subscribes over its own IPC channel, so it needs the `subscribe` permission (in
 * `lanyard:default`) and no event permission of Tauri's core. `tokenRefreshed` comes only
 * for the APIs the window's scope allows. */
export async function onLanyardEvent(handler: (event: LanyardEvent) => void): Promise<Unsubscribe> {
  const onEvent = new Channel<LanyardEvent>();
  onEvent.onmessage = handler;
  const id = await call<number>(COMMANDS.subscribe, { onEvent });
  return () => call<void>(COMMANDS.unsubscribe, { id });
}

/** Calls `handler` with the events of one `type`. */
function on<T extends LanyardEvent["type"]>(
  type: T,
  handler: (event: Extract<LanyardEvent, { type: T }>) => void,
): Promise<Unsubscribe> {
  return onLanyardEvent((event) => {
    if (event.type === type) handler(event as Extract<LanyardEvent, { type: T }>);
  });
}

/** Calls `handler` after every sign-in (also after `grantAccess`). */
export function onSignedIn(handler: (event: SignedInEvent) => void): Promise<Unsubscribe> {
  return on("signedIn", handler);
}

/** Calls `handler` after an account was signed out. */
export function onSignedOut(handler: (event: SignedOutEvent) => void): Promise<Unsubscribe> {
  return on("signedOut", handler);
}

/** Calls `handler` when a command got a new token with the refresh token. */
export function onTokenRefreshed(handler: (event: TokenRefreshedEvent) => void): Promise<Unsubscribe> {
  return on("tokenRefreshed", handler);
}

/** Calls `handler` when the identity provider becomes unreachable or reachable again. */
export function onConnection(handler: (event: ConnectionEvent) => void): Promise<Unsubscribe> {
  return on("connection", handler);
}
