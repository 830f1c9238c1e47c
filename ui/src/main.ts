// The controller: holds the UI state, calls ipc.ts, and swaps views.

import type { Account, Accounts, ApiSummary, AppInfo } from "./dto";
import { byId, replace } from "./dom";
import { markFirstPaint } from "./first-paint";
import * as ipc from "./ipc";
import { IpcError, normalizeError } from "./ipc";
import {
  configErrorView,
  displayName,
  footerView,
  loadingView,
  showError,
  showPending,
  showResult,
  showResultError,
  showTokenInfo,
  showWarning,
  signedInView,
  signedOutView,
  signingInView,
} from "./views";

const view = byId("view");
const errorRegion = byId("error");
const warningRegion = byId("warning");
const statusLine = byId("status");
const footer = byId("footer");

let info: AppInfo | null = null;
let accounts: Account[] = [];
let current: Account | null = null;
/** Set when the user pressed Cancel, so the rejected sign-in is not shown as an error. */
let cancelledByUser = false;

function fail(raw: unknown): IpcError {
  const e = normalizeError(raw);
  showError(errorRegion, e, e.kind === "interaction_required" ? startSignIn : undefined);
  return e;
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
  showError(errorRegion, null);
  try {
    applyAccounts(await ipc.selectAccount(id), id);
  } catch (raw) {
    fail(raw);
  }
  render("account-picker");
}

async function startSignIn(): Promise<void> {
  showError(errorRegion, null);
  cancelledByUser = false;
  replace(view, signingInView(cancelSignIn));
  statusLine.textContent = "Signing in…";
  try {
    const result = await ipc.signIn();
    await refreshAccounts(result.account.id);
  } catch (raw) {
    const e = normalizeError(raw);
    if (!(e.kind === "cancelled" && cancelledByUser)) fail(e);
  }
  render();
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
  showError(errorRegion, null);
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
  showError(errorRegion, null);
  button.disabled = true;
  showPending(result, `Calling ${api.name}…`);
  try {
    showResult(result, await ipc.callApi(current.id, api.name, path || api.defaultPath));
  } catch (raw) {
    showResultError(result, fail(raw));
  } finally {
    button.disabled = false;
  }
}

async function tokenInfo(api: ApiSummary, result: HTMLElement, button: HTMLButtonElement): Promise<void> {
  if (!current) return;
  showError(errorRegion, null);
  button.disabled = true;
  showPending(result, "Getting the token…");
  try {
    showTokenInfo(result, await ipc.tokenInfo(current.id, api.name));
  } catch (raw) {
    showResultError(result, fail(raw));
  } finally {
    button.disabled = false;
  }
}

async function start(): Promise<void> {
  render();
  try {
    info = await ipc.appInfo();
  } catch (raw) {
    fail(raw);
    return;
  }
  replace(footer, ...footerView(info));
  showWarning(warningRegion, info.cacheWarning);
  if (info.configError) {
    fail(new IpcError(info.configError.kind, info.configError.message));
  } else {
    try {
      await refreshAccounts();
    } catch (raw) {
      fail(raw);
    }
  }
  render();
}

void start().finally(markFirstPaint);
