// Words for the user: error kinds, token sources, expiry times.

import type { ErrorKind, TokenSource } from "./dto";

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

/** The headline for an error of `kind`. */
export function errorHeadline(kind: ErrorKind): string {
  return ERROR_HEADLINES[kind];
}

const SOURCES: Record<TokenSource, string> = {
  cache: "from the cache",
  refresh: "refreshed silently",
  sign_in: "from the sign-in",
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
