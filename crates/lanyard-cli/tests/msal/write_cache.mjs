// Builds an MSAL token cache with msal-node and writes it: one acquireTokenByCode per request
// in SPEC, each answered offline by the canned token response SPEC gives for it.
//
//   node write_cache.mjs SPEC OUT
//
// SPEC: {"client_id", "environment", "realm", "redirect_uri",
//        "requests": [{"scopes": [...], "response": {access_token, refresh_token, id_token,
//                       client_info, scope, expires_in, token_type}}]}

import fs from "node:fs";
import { msalNodeVersion, offlineClient } from "./offline.mjs";

const [specPath, outPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));
const { pca } = offlineClient({
  clientId: spec.client_id,
  environment: spec.environment,
  realm: spec.realm,
  responses: spec.requests.map((r) => r.response),
});
let n = 0;
for (const request of spec.requests) {
  n += 1;
  await pca.acquireTokenByCode({ code: `code-${n}`, scopes: request.scopes, redirectUri: spec.redirect_uri });
}
fs.writeFileSync(outPath, pca.getTokenCache().serialize(), { mode: 0o600 });
process.stdout.write(`${JSON.stringify({ msal_node_version: msalNodeVersion, requests: n })}\n`);
