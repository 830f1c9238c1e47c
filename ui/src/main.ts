// The controller: holds the UI state, calls ipc.ts, and swaps views.

import type { Account, Accounts, ApiSummary, AppInfo } from "./dto";
import { diagnosticsFooter } from "./diagnostics";
import { byId, replace } from "./dom";
import { markFirstPaint } from "./first-paint";
import * as ipc from "./ipc";
import { IpcError, normalizeError } from "./ipc";
import {
  type ErrorActions,
  configErrorView,
  displayName,
  footerView,
  loadingView,
  showError,
  showOffline,
  showPending,
  showResult,
  showResultError,
  showTokenInfo,
  showWarning,
  signedInView,
  signedOutView,
  signingInView,
  tickCountdowns,
} from "./views";

const view = byId("view");
const errorRegion = byId("error");
const warningRegion = byId("warning");
const statusLine = byId("status");
const footer = byId("footer");
const offlineRegion = byId("offline");

/** How often the app checks whether the identity provider is back, while offline. */
const RECONNECT_EVERY_MS = 5000;

let info: AppInfo | null = null;
let accounts: Account[] = [];
let current: Account | null = null;
/** Set when the user pressed Cancel, so the rejected sign-in is not shown as an error. */
let cancelledByUser = false;
let offline = false;
let reconnectTimer: number | undefined;
let checking = false;
/** The error shown when the app went offline: cleared by itself when the provider is back. */
let offlineError: IpcError | null = null;
let shownError: IpcError | null = null;

/** Shows `raw` with the action that fits it; `actions` adds grant/retry for the failed step.
 * With `mayBeOffline`, a network failure (or a request timeout) means the app is offline. */
function fail(raw: unknown, actions: ErrorActions = {}, mayBeOffline = true): IpcError {
  const e = normalizeError(raw);
  showError(errorRegion, e, { onSignIn: startSignIn, ...actions });
  shownError = e;
  if (mayBeOffline && (e.kind === "network" || e.kind === "timeout")) {
    offlineError = e;
    setOffline(true);
  }
  return e;
}

/** Clears the error region. */
function clearError(): void {
  showError(errorRegion, null);
  shownError = null;
}

/** Enters or leaves the offline state; while offline, the identity provider is checked every
 * few seconds (one check at a time) and the banner goes away by itself when it answers. */
function setOffline(value: boolean): void {
  if (value === offline) return;
  offline = value;
  showOffline(offlineRegion, offline, () => void reconnect());
  window.clearTimeout(reconnectTimer);
  if (offline) scheduleReconnect();
}

function scheduleReconnect(): void {
  reconnectTimer = window.setTimeout(() => void reconnect(), RECONNECT_EVERY_MS);
}

async function reconnect(): Promise<void> {
  if (checking || !offline) return;
  checking = true;
  window.clearTimeout(reconnectTimer);
  try {
    await ipc.checkConnection();
  } catch {
    if (offline) scheduleReconnect();
    return;
  } finally {
    checking = false;
  }
  setOffline(false);
  // Only the error that said "offline" goes away with it.
  if (shownError && shownError === offlineError) clearError();
  offlineError = null;
}

/** The note shown before the browser opens, when personal Microsoft accounts may sign in. */
function personalAccountNote(): string | undefined {
  return info?.personalAccountNotice
    ? "Personal Microsoft accounts are asked to consent again each time Lanyard starts: this is expected."
    : undefined;
}

/** Rebuilds the view; `focusId` gets the focus back afterwards (the view is replaced). */
function render(focusId?: string): void {
  if (!info) {
    replace(view, loadingView());
    statusLine.textContent = "";
    return;
  }
  if (info.configError) {
    replace(view, configErrorView(info));
    statusLine.textContent = "Not configured";
    return;
  }
  if (!current) {
    replace(view, signedOutView(info, startSignIn));
    statusLine.textContent = "Signed out";
    return;
  }
  replace(
    view,
    signedInView(info, accounts, current, {
      onSignOut: signOut,
      onAddAccount: startSignIn,
      onSwitch: pickAccount,
      onCall: callApi,
      onTokenInfo: tokenInfo,
    }),
  );
  statusLine.textContent = `Signed in as ${displayName(current)}`;
  if (focusId) document.getElementById(focusId)?.focus();
}

/** Takes a fresh account list; `preferredId` (else the list's current one) becomes current. */
function applyAccounts(list: Accounts, preferredId?: string): void {
  accounts = list.accounts;
  const id = preferredId ?? list.currentId;
  current = accounts.find((a) => a.id === id) ?? accounts[0] ?? null;
  showWarning(warningRegion, list.cacheWarning);
}

async function refreshAccounts(preferredId?: string): Promise<void> {
  applyAccounts(await ipc.listAccounts(), preferredId);
}

/** The account picker changed: Rust remembers the choice, the API cards act for it. */
async function pickAccount(id: string): Promise<void> {
  clearError();
  try {
    applyAccounts(await ipc.selectAccount(id), id);
  } catch (raw) {
    fail(raw);
  }
  render("account-picker");
}

async function startSignIn(): Promise<void> {
  clearError();
  cancelledByUser = false;
  replace(view, signingInView(cancelSignIn, undefined, personalAccountNote()));
  statusLine.textContent = "Signing in…";
  try {
    const result = await ipc.signIn();
    await refreshAccounts(result.account.id);
  } catch (raw) {
    const e = normalizeError(raw);
    // A timeout here is the browser step taking too long, not the network.
    if (!(e.kind === "cancelled" && cancelledByUser)) fail(e, {}, e.kind === "network");
  }
  render();
}

/** Opens the browser for what `api` asked (consent to a further scope, a stronger sign-in),
 * then resumes the call that asked, with the same path. */
async function grantAccess(api: string, resumePath?: string): Promise<void> {
  if (!current) return;
  clearError();
  cancelledByUser = false;
  replace(
    view,
    signingInView(
      cancelSignIn,
      `Lanyard opened your browser to get access for the ${api} API. Come back here when you are done.`,
      personalAccountNote(),
    ),
  );
  statusLine.textContent = "Waiting for the browser…";
  const asked = current.id;
  let granted = false;
  try {
    const result = await ipc.grantAccess(asked, api);
    await refreshAccounts(result.account.id);
    // The call resumes only for the account that asked (someone else may have signed in).
    granted = result.account.id === asked;
  } catch (raw) {
    const e = normalizeError(raw);
    if (!(e.kind === "cancelled" && cancelledByUser)) fail(e, {}, e.kind === "network");
  }
  render();
  if (granted && resumePath !== undefined) {
    byId<HTMLInputElement>(`path-${api}`).value = resumePath;
    byId<HTMLButtonElement>(`call-${api}`).click();
  }
}

async function cancelSignIn(): Promise<void> {
  cancelledByUser = true;
  try {
    await ipc.cancelSignIn();
  } catch (raw) {
    fail(raw);
  }
}

/** Signs the current account out; another signed-in account (if any) becomes current. */
async function signOut(): Promise<void> {
  if (!current) return;
  clearError();
  try {
    const result = await ipc.signOut(current.id);
    await refreshAccounts();
    if (result.revocationError) {
      showWarning(
        warningRegion,
        `Signed out on this computer, but the identity provider could not be told: ${result.revocationError}`,
      );
    }
  } catch (raw) {
    fail(raw);
  }
  render();
}

async function callApi(
  api: ApiSummary,
  path: string,
  result: HTMLElement,
  button: HTMLButtonElement,
): Promise<void> {
  if (!current) return;
  clearError();
  button.disabled = true;
  showPending(result, `Calling ${api.name}…`);
  const effectivePath = path || info?.defaultPaths[api.name] || "/me";
  try {
    const answer = await ipc.callApi(current.id, api.name, effectivePath);
    setOffline(answer.token.source === "offline");
    showResult(result, answer);
  } catch (raw) {
    showResultError(
      result,
      fail(raw, {
        onGrant: (name) => void grantAccess(name, effectivePath),
        onRetry: () => void callApi(api, path, result, button),
      }),
    );
  } finally {
    button.disabled = false;
  }
}

async function tokenInfo(api: ApiSummary, result: HTMLElement, button: HTMLButtonElement): Promise<void> {
  if (!current) return;
  clearError();
  button.disabled = true;
  showPending(result, "Getting the token…");
  try {
    const token = await ipc.tokenInfo(current.id, api.name);
    setOffline(token.source === "offline");
    showTokenInfo(result, token);
  } catch (raw) {
    showResultError(
      result,
      fail(raw, {
        onGrant: (name) => void grantAccess(name),
        onRetry: () => void tokenInfo(api, result, button),
      }),
    );
  } finally {
    button.disabled = false;
  }
}

/** The loading view is shown only if the first answers take longer than this, so that a
 * normal start does not flash it (and the first frame can hold the real view). */
const LOADING_VIEW_AFTER_MS = 150;

async function start(): Promise<void> {
  const slow = window.setTimeout(() => replace(view, loadingView()), LOADING_VIEW_AFTER_MS);
  // Both at once: the accounts do not wait for the configuration summary's round trip.
  const accountsRequest = ipc.listAccounts();
  accountsRequest.catch(() => undefined); // read below, or not at all on a configuration error
  try {
    info = await ipc.appInfo();
  } catch (raw) {
    window.clearTimeout(slow);
    fail(raw);
    return;
  }
  replace(footer, ...footerView(info), diagnosticsFooter(info));
  showWarning(warningRegion, info.cacheWarning);
  if (info.configError) {
    fail(new IpcError(info.configError.kind, info.configError.message));
  } else {
    try {
      applyAccounts(await accountsRequest);
    } catch (raw) {
      fail(raw);
    }
  }
  window.clearTimeout(slow);
  render();
}

window.setInterval(() => tickCountdowns(document), 1000);
void start().finally(markFirstPaint);
