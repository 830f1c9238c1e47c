// The screens, built from data with textContent only. No view calls IPC: each takes callbacks.

import type { Account, ApiResult, ApiSummary, AppInfo, TokenInfo } from "./dto";
import { h, replace } from "./dom";
import type { IpcError } from "./ipc";
import { countdownWords, errorHeadline, expiryWords, grantLabel, sourceWords, statusWords } from "./messages";

/** A placeholder while the app asks Rust what it is configured for. */
export function loadingView(): HTMLElement {
  return h("div", { class: "panel center muted" }, "Loading…");
}

/** Shown when the configuration could not be loaded; nothing else works then. */
export function configErrorView(info: AppInfo): HTMLElement {
  return h(
    "div",
    { class: "panel", id: "config-error" },
    h("h2", {}, "Lanyard is not configured"),
    h(
      "p",
      { class: "muted" },
      "Point LANYARD_CONFIG at a configuration file, or create lanyard.toml in the app's configuration folder, then restart Lanyard.",
    ),
    info.configPath ? h("p", { class: "small" }, "Configuration file: ", h("code", {}, info.configPath)) : null,
  );
}

/** Signed out: one button. */
export function signedOutView(info: AppInfo, onSignIn: () => void): HTMLElement {
  const button = h("button", { id: "sign-in", class: "primary", type: "button" }, "Sign in");
  button.addEventListener("click", onSignIn);
  const apiNames = info.apis.map((a) => a.name).join(" and ");
  return h(
    "div",
    { class: "panel center", id: "signed-out" },
    h("h2", {}, "Welcome"),
    h(
      "p",
      { class: "muted" },
      `Sign in once in your browser; Lanyard then calls the ${apiNames} API${info.apis.length > 1 ? "s" : ""} for you.`,
    ),
    button,
  );
}

/** Waiting for the browser; `purpose` says what the browser asks for, `note` warns ahead
 * (e.g. that personal Microsoft accounts are asked for consent again). */
export function signingInView(onCancel: () => void, purpose?: string, note?: string): HTMLElement {
  const cancel = h("button", { id: "cancel-sign-in", type: "button" }, "Cancel");
  cancel.addEventListener("click", onCancel);
  return h(
    "div",
    { class: "panel center", id: "signing-in" },
    h("div", { class: "spinner", "aria-hidden": "true" }),
    h("h2", {}, "Finish signing in in your browser"),
    h("p", { class: "muted" }, purpose ?? "Lanyard opened your browser. Come back here when you are done."),
    note ? h("p", { id: "sign-in-note", class: "small note" }, note) : null,
    cancel,
  );
}

/** What the signed-in view needs from the controller. */
export interface SignedInHandlers {
  onSignOut: () => void;
  onAddAccount: () => void;
  onSwitch: (accountId: string) => void;
  onCall: (api: ApiSummary, path: string, result: HTMLElement, button: HTMLButtonElement) => void;
  onTokenInfo: (api: ApiSummary, result: HTMLElement, button: HTMLButtonElement) => void;
}

/** The account card and one card per API. */
export function signedInView(
  info: AppInfo,
  accounts: Account[],
  current: Account,
  handlers: SignedInHandlers,
): HTMLElement {
  return h(
    "div",
    { class: "signed-in", id: "signed-in" },
    accountCard(accounts, current, handlers),
    h("div", { class: "apis" }, ...info.apis.map((api) => apiCard(api, info.defaultPaths[api.name] ?? "/me", handlers))),
  );
}

function accountCard(accounts: Account[], current: Account, handlers: SignedInHandlers): HTMLElement {
  const display = displayName(current);
  const signOut = h(
    "button",
    { id: "sign-out", type: "button", "aria-label": `Sign out ${current.username ?? display}` },
    "Sign out",
  );
  signOut.addEventListener("click", handlers.onSignOut);
  const add = h("button", { id: "add-account", type: "button", class: "quiet" }, "Add account");
  add.addEventListener("click", handlers.onAddAccount);

  return h(
    "section",
    { class: "card account", "aria-label": "Account" },
    h("div", { class: "avatar", "aria-hidden": "true" }, initials(display)),
    h(
      "div",
      { class: "who" },
      h("div", { id: "account-name", class: "name" }, display),
      h("div", { id: "account-username", class: "muted" }, current.username ?? ""),
      h("div", { class: "muted small" }, `Signed in with ${current.issuer}`),
    ),
    h("div", { class: "actions" }, accountPicker(accounts, current, handlers.onSwitch), add, signOut),
  );
}

/** The account picker: a labelled `<select>` of every signed-in account. */
function accountPicker(
  accounts: Account[],
  current: Account,
  onSwitch: (accountId: string) => void,
): HTMLElement {
  const select = h("select", { id: "account-picker", "data-count": String(accounts.length) });
  for (const a of accounts) {
    const words = a.name && a.username ? `${a.name} (${a.username})` : displayName(a);
    const option = h("option", { value: a.id }, words);
    option.selected = a.id === current.id;
    select.appendChild(option);
  }
  select.addEventListener("change", () => onSwitch(select.value));
  return h(
    "div",
    { class: "picker" },
    h("label", { for: "account-picker", class: "small muted" }, "Account"),
    select,
  );
}

/** The account's name, else its user name, else its id. */
export function displayName(a: Account): string {
  return a.name ?? a.username ?? a.id;
}

function apiCard(api: ApiSummary, defaultPath: string, handlers: SignedInHandlers): HTMLElement {
  const pathInput = h("input", {
    id: `path-${api.name}`,
    type: "text",
    value: defaultPath,
    spellcheck: "false",
    autocomplete: "off",
    "aria-label": `Path to call on ${api.name}`,
  });
  const call = h("button", { id: `call-${api.name}`, class: "primary", type: "button" }, `Call ${api.name}`);
  const token = h("button", { id: `token-${api.name}`, class: "quiet", type: "button" }, "Token info");
  const result = h("div", { id: `result-${api.name}`, class: "result", "aria-live": "polite" });
  result.appendChild(h("p", { class: "muted small" }, "No call yet."));

  call.addEventListener("click", () => handlers.onCall(api, pathInput.value.trim(), result, call));
  pathInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") call.click();
  });
  token.addEventListener("click", () => handlers.onTokenInfo(api, result, token));

  return h(
    "section",
    { class: "card api", "data-api": api.name, "aria-label": `${api.name} API` },
    h(
      "div",
      { class: "api-head" },
      h("h2", {}, api.name),
      h("code", { class: "muted small" }, api.baseUrl),
    ),
    h(
      "div",
      { class: "scopes", "aria-label": "Permissions" },
      ...api.scopes.map((s) => h("span", { class: "chip", title: "Consented at sign-in" }, s)),
      ...api.optionalScopes.map((s) =>
        h(
          "span",
          {
            class: "chip optional",
            "data-scope": s,
            "data-granted": "false",
            title: "Asked for when the API needs it",
          },
          `${s} (not granted yet)`,
        ),
      ),
    ),
    h("div", { class: "call-row" }, pathInput, call, token),
    result,
  );
}

/** The decoded claims of a token (never the token), folded. */
function claimsView(t: TokenInfo): HTMLElement | null {
  if (!t.claims) return null;
  const rows = Object.entries(t.claims).flatMap(([k, v]) => [
    h("dt", {}, k),
    h("dd", {}, typeof v === "string" ? v : JSON.stringify(v)),
  ]);
  return h(
    "details",
    { class: "claims", "data-role": "claims" },
    h("summary", { class: "small" }, "Decoded token claims"),
    h("dl", {}, ...rows),
  );
}

/** Marks the API card's optional scopes the token carries as granted. */
function markGranted(el: HTMLElement, t: TokenInfo): void {
  const card = el.closest("section.api");
  for (const chip of card?.querySelectorAll<HTMLElement>(".chip.optional") ?? []) {
    const scope = chip.dataset.scope ?? "";
    const granted = t.scopes.includes(scope);
    chip.dataset.granted = String(granted);
    chip.textContent = granted ? scope : `${scope} (not granted yet)`;
    chip.title = granted ? "Granted" : "Asked for when the API needs it";
  }
}

/** Shows an API answer: status, where the token came from, expiry, the body. */
export function showResult(el: HTMLElement, r: ApiResult): void {
  markGranted(el, r.token);
  el.dataset.status = String(r.status);
  const ok = r.status >= 200 && r.status < 300;
  const body =
    r.text !== null ? r.text : r.body === null ? "(empty body)" : JSON.stringify(r.body, null, 2);
  replace(
    el,
    h(
      "div",
      { class: "meta" },
      h("span", { class: `badge ${ok ? "ok" : "bad"}`, "data-role": "status" }, statusWords(r.status)),
      h("span", {}, `GET ${r.path}`),
      tokenMeta(r.token),
    ),
    claimsView(r.token),
    h("pre", { class: "body", tabindex: "0" }, body),
  );
}

/** Shows token metadata (from `token_info`). */
export function showTokenInfo(el: HTMLElement, t: TokenInfo): void {
  markGranted(el, t);
  delete el.dataset.status;
  replace(
    el,
    h("div", { class: "meta" }, h("span", { class: "badge" }, "Token"), tokenMeta(t)),
    h("p", { class: "small" }, `Scopes: ${t.scopes.join(" ")}`),
    claimsView(t),
  );
}

/** Shows a failed call in the card (the global error region has the words too). */
export function showResultError(el: HTMLElement, e: IpcError): void {
  delete el.dataset.status;
  replace(el, h("p", { class: "result-error" }, `${errorHeadline(e.kind, e.reason)} ${e.message}`));
}

/** Shows "Calling…" while a request runs. */
export function showPending(el: HTMLElement, what: string): void {
  delete el.dataset.status;
  replace(el, h("p", { class: "muted small" }, what));
}

function tokenMeta(t: TokenInfo): HTMLElement {
  return h(
    "span",
    { class: "muted", "data-role": "token-meta", "data-source": t.source },
    `token ${sourceWords(t.source)}, expires ${expiryWords(t.expiresOn)} · `,
    h(
      "span",
      // Ticks every second: hidden from screen readers (the expiry time before it is read).
      { class: "countdown", "data-expires-on": String(t.expiresOn), title: "Time left", "aria-hidden": "true" },
      countdownWords(t.expiresOn),
    ),
  );
}

/** Updates every expiry countdown on the page (called each second). */
export function tickCountdowns(root: ParentNode, now: number = Date.now()): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-expires-on]")) {
    el.textContent = countdownWords(Number(el.dataset.expiresOn), now);
  }
}

/** What an error banner may offer; each action shows only where it fits the error. */
export interface ErrorActions {
  /** Sign in again (interaction required without an API to grant). */
  onSignIn?: () => void;
  /** Open the browser for what `api` asks (consent, a stronger sign-in); the call resumes. */
  onGrant?: (api: string) => void;
  /** Try the same thing again (network, timeout, throttling). */
  onRetry?: () => void;
}

let retryTimer: number | undefined;

/** Fills the error region with the words and the action that fits, or hides it for `null`. */
export function showError(region: HTMLElement, e: IpcError | null, actions: ErrorActions = {}): void {
  window.clearInterval(retryTimer);
  if (!e) {
    region.hidden = true;
    region.replaceChildren();
    delete region.dataset.kind;
    delete region.dataset.reason;
    return;
  }
  region.dataset.kind = e.kind;
  if (e.reason) region.dataset.reason = e.reason;
  else delete region.dataset.reason;
  const dismiss = h("button", { class: "quiet", type: "button", "aria-label": "Dismiss" }, "Dismiss");
  dismiss.addEventListener("click", () => showError(region, null));
  let action: HTMLButtonElement | null = null;
  if (e.kind === "interaction_required" && e.api && actions.onGrant) {
    const api = e.api;
    action = h("button", { id: "error-grant", class: "primary", type: "button" }, grantLabel(e.reason));
    action.addEventListener("click", () => actions.onGrant?.(api));
  } else if (e.kind === "interaction_required" && actions.onSignIn) {
    action = h("button", { id: "error-sign-in", class: "primary", type: "button" }, "Sign in");
    action.addEventListener("click", () => actions.onSignIn?.());
  } else if (["network", "timeout", "service"].includes(e.kind) && actions.onRetry) {
    action = retryButton(e.retryAfterSecs ?? 0, actions.onRetry);
  }
  replace(
    region,
    h(
      "div",
      { class: "banner-text" },
      h("strong", {}, errorHeadline(e.kind, e.reason)),
      h("span", { class: "detail" }, e.message),
      e.correlationId ? h("span", { class: "detail small" }, `Correlation id: ${e.correlationId}`) : null,
    ),
    h("div", { class: "banner-actions" }, action, dismiss),
  );
  region.hidden = false;
}

/** "Retry", disabled and counting down ("Retry in 12 s") while the service asked to wait. */
function retryButton(waitSecs: number, onRetry: () => void): HTMLButtonElement {
  // A fixed accessible name: the countdown inside the alert is not read out every second.
  const words = h("span", { "aria-hidden": "true" }, "Retry");
  const button = h(
    "button",
    { id: "error-retry", class: "primary", type: "button", "aria-label": "Retry" },
    words,
  );
  button.addEventListener("click", onRetry);
  const until = Date.now() + waitSecs * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    button.disabled = left > 0;
    words.textContent = left > 0 ? `Retry in ${left} s` : "Retry";
    if (left <= 0) window.clearInterval(retryTimer);
  };
  tick();
  if (waitSecs > 0) retryTimer = window.setInterval(tick, 1000);
  return button;
}

/** Shows or hides the offline banner; `onCheck` lets the user try reconnecting now. */
export function showOffline(region: HTMLElement, offline: boolean, onCheck: () => void): void {
  region.hidden = !offline;
  if (!offline) {
    region.replaceChildren();
    return;
  }
  const check = h("button", { id: "offline-check", class: "quiet", type: "button" }, "Try now");
  check.addEventListener("click", onCheck);
  replace(
    region,
    h(
      "div",
      { class: "banner-text" },
      h("strong", {}, "Offline"),
      h(
        "span",
        { class: "detail" },
        "The identity provider cannot be reached. Tokens still valid in the cache keep working; Lanyard reconnects by itself.",
      ),
    ),
    h("div", { class: "banner-actions" }, check),
  );
}

/** Fills the warning region, or hides it for `null`. */
export function showWarning(region: HTMLElement, text: string | null): void {
  region.hidden = !text;
  replace(region, text ?? "");
}

/** The configuration summary at the bottom. */
export function footerView(info: AppInfo): HTMLElement[] {
  const parts: [string, string | null][] = [
    ["Identity provider", info.authority],
    ["Client", info.clientId],
    ["Token cache key", info.cacheProtection],
    ["Configuration", info.configPath],
  ];
  return [
    h(
      "dl",
      {},
      ...parts
        .filter(([, v]) => v)
        .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "")]),
    ),
    h("span", { class: "muted small" }, `${info.name} ${info.version}`),
  ];
}

function initials(text: string): string {
  const words = text.split(/[\s@._-]+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => w[0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}
