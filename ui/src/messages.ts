// Words for the user: error kinds, token sources, expiry times.

import type { ErrorKind, InteractionReason, TokenSource } from "./dto";

const ERROR_HEADLINES: Record<ErrorKind, string> = {
  interaction_required: "Please sign in again.",
  cancelled: "Sign-in was cancelled.",
  timeout: "That took too long. Please try again.",
  network: "Lanyard cannot reach the server. Check the connection and try again.",
  service: "The identity provider refused the request.",
  configuration: "Lanyard is not configured correctly.",
  cache: "Lanyard could not read or write its token cache.",
  protocol: "A server sent an answer Lanyard cannot use.",
  not_found: "That account or API is not known.",
  invalid_argument: "That request is not valid.",
  unknown: "Something went wrong.",
};

const REASON_HEADLINES: Record<InteractionReason, string> = {
  no_account: "Please sign in.",
  no_refresh_token: "Please sign in again.",
  refresh_token_rejected: "Your sign-in has expired or was revoked. Please sign in again.",
  consent_required: "This needs your permission.",
  login_required: "Please sign in again.",
  mfa_required: "Additional verification (MFA) is required.",
  user_action_required: "The identity provider needs you to do something in the browser.",
  claims_challenge: "This API asks for a stronger sign-in.",
  personal_account_consent:
    "Personal Microsoft accounts are asked for consent again on each run. This is expected.",
};

/** The headline for an error of `kind` (and interaction `reason`, when there is one). */
export function errorHeadline(kind: ErrorKind, reason?: InteractionReason): string {
  if (kind === "interaction_required" && reason && REASON_HEADLINES[reason]) {
    return REASON_HEADLINES[reason];
  }
  return ERROR_HEADLINES[kind];
}

/** The label of the button that resolves an interaction-required error for an API. */
export function grantLabel(reason?: InteractionReason): string {
  switch (reason) {
    case "consent_required":
    case "personal_account_consent":
      return "Grant access";
    case "claims_challenge":
    case "mfa_required":
      return "Verify in browser";
    default:
      return "Sign in again";
  }
}

/** "59:07" or "1:02:03" until a Unix time in seconds; "expired" after it. */
export function countdownWords(expiresOn: number, now: number = Date.now()): string {
  const left = Math.floor(expiresOn - now / 1000);
  if (left <= 0) return "expired";
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

const SOURCES: Record<TokenSource, string> = {
  cache: "from the cache",
  refresh: "refreshed silently",
  sign_in: "from the sign-in",
  offline: "from the cache (offline)",
};

/** "from the cache", "refreshed silently", "from the sign-in". */
export function sourceWords(source: TokenSource): string {
  return SOURCES[source] ?? source;
}

/** "14:05:12 (in 59 min)" for a Unix time in seconds. */
export function expiryWords(expiresOn: number, now: number = Date.now()): string {
  const at = new Date(expiresOn * 1000);
  const minutes = Math.round((expiresOn * 1000 - now) / 60000);
  const time = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  if (minutes > 0) return `${time} (in ${minutes} min)`;
  if (minutes === 0) return `${time} (now)`;
  return `${time} (${-minutes} min ago)`;
}

/** "200 OK"-style words for common statuses. */
export function statusWords(status: number): string {
  const reasons: Record<number, string> = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
  };
  const reason = reasons[status];
  return reason ? `HTTP ${status} ${reason}` : `HTTP ${status}`;
}
