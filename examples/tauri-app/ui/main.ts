// The example's page: sign in (the plugin opens the system browser), then call both APIs.
// The plugin's functions resolve with accounts and API answers, never with a token, and
// reject with a LanyardError ({ kind, message }).

import {
  callApi,
  LanyardError,
  listAccounts,
  onLanyardEvent,
  signIn,
  type AccountDto,
} from "tauri-plugin-lanyard-api";

const element = (id: string): HTMLElement => document.getElementById(id)!;
const signInButton = element("sign-in") as HTMLButtonElement;

// The APIs named in tauri.conf.json > plugins.lanyard, and the path to call on each.
const calls = [
  { api: "customer", path: "/customers" },
  { api: "vendor", path: "/orders" },
];

async function showAccountAndCall(account: AccountDto): Promise<void> {
  element("account").textContent = account.username ?? account.name ?? account.id;
  for (const { api, path } of calls) {
    const result = await callApi(account.id, api, path);
    element(`${api}-status`).textContent = String(result.status);
    element(`${api}-body`).textContent = JSON.stringify(result.body ?? result.text, null, 2);
  }
}

// Runs `action`, showing a failure as "kind: message".
async function run(action: () => Promise<void>): Promise<void> {
  const error = element("error");
  error.hidden = true;
  signInButton.disabled = true;
  try {
    await action();
  } catch (e) {
    const kind = e instanceof LanyardError ? e.kind : "unknown";
    error.textContent = `${kind}: ${e instanceof Error ? e.message : String(e)}`;
    error.hidden = false;
  } finally {
    signInButton.disabled = false;
  }
}

signInButton.addEventListener("click", () =>
  run(async () => {
    const { account } = await signIn();
    await showAccountAndCall(account);
  }),
);

// The plugin's events (signed in, signed out, token refreshed, connection), instead of polling.
void onLanyardEvent((event) => {
  element("last-event").textContent = event.type;
});

// Signed in on an earlier run? The encrypted token cache remembers the account.
void run(async () => {
  const { accounts, currentId } = await listAccounts();
  const account = accounts.find((a) => a.id === currentId);
  if (account) await showAccountAndCall(account);
});
