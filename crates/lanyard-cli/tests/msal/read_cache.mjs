// Reads an MSAL token cache file with msal-node and prints, as JSON, what msal-node finds in
// it: its accounts (getAllAccounts), each API's token from its own acquireTokenSilent (offline:
// any network use fails), and the tokens its serializer writes back. Secrets appear only as
// SHA-256 digests.
//
//   node read_cache.mjs FILE --client-id ID --environment HOST [--api NAME "SCOPE ..."]...

import crypto from "node:crypto";
import fs from "node:fs";
import { msalNodeVersion, offlineClient, parseArgs } from "./offline.mjs";

const digest = (secret) => crypto.createHash("sha256").update(secret, "utf8").digest("hex");

const options = parseArgs(process.argv.slice(2));
const [file] = options.positional;
const { pca, posts } = offlineClient({ clientId: options["client-id"], environment: options.environment });
const tokenCache = pca.getTokenCache();
tokenCache.deserialize(fs.readFileSync(file, "utf8"));

const accounts = await tokenCache.getAllAccounts();
const silent = {};
for (const account of accounts) {
  const found = {};
  for (const [name, scopes] of options.api) {
    try {
      const result = await pca.acquireTokenSilent({ account, scopes: scopes.split(" ") });
      found[name] = { sha256: digest(result.accessToken), fromCache: result.fromCache, scopes: result.scopes };
    } catch (e) {
      found[name] = { error: e.errorCode || e.name };
    }
  }
  silent[account.homeAccountId] = found;
}

const written = JSON.parse(tokenCache.serialize());
const out = {
  msal_node_version: msalNodeVersion,
  accounts: accounts.map((a) => ({
    homeAccountId: a.homeAccountId,
    environment: a.environment,
    tenantId: a.tenantId,
    username: a.username,
    localAccountId: a.localAccountId,
    name: a.name,
    hasIdToken: Boolean(a.idToken),
  })),
  silent,
  access_tokens: Object.values(written.AccessToken || {}).map((t) => ({
    home_account_id: t.home_account_id,
    target: t.target,
    sha256: digest(t.secret),
  })),
  refresh_tokens: Object.values(written.RefreshToken || {}).map((t) => ({
    home_account_id: t.home_account_id,
    sha256: digest(t.secret),
  })),
  network_posts: posts(),
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
