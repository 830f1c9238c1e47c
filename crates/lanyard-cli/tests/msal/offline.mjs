// An msal-node PublicClientApplication that never touches the network: the authority's
// metadata and cloud discovery come from the configuration, and the network module answers
// POSTs from a queue of canned token responses (and fails everything else).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LogLevel, PublicClientApplication } from "@azure/msal-node";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The installed msal-node version. */
export const msalNodeVersion = JSON.parse(
  fs.readFileSync(path.join(here, "node_modules/@azure/msal-node/package.json"), "utf8"),
).version;

/**
 * @param {{clientId: string, environment: string, realm?: string, responses?: object[]}} options
 * @returns {{pca: PublicClientApplication, posts: () => number}}
 */
export function offlineClient({ clientId, environment, realm, responses = [] }) {
  const authority = `https://${environment}/${realm || "common"}`;
  const queue = [...responses];
  let posts = 0;
  const networkClient = {
    async sendGetRequestAsync(url) {
      throw new Error(`offline: unexpected GET ${new URL(url).pathname}`);
    },
    async sendPostRequestAsync(url) {
      posts += 1;
      const body = queue.shift();
      if (!body) throw new Error(`offline: unexpected POST ${new URL(url).pathname}`);
      return { headers: {}, body, status: 200 };
    },
  };
  const pca = new PublicClientApplication({
    auth: {
      clientId,
      authority,
      knownAuthorities: [environment],
      authorityMetadata: JSON.stringify({
        issuer: authority,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
      }),
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: environment, preferred_cache: environment, aliases: [environment] }],
      }),
    },
    system: {
      networkClient,
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  });
  return { pca, posts: () => posts };
}

/** Command-line options: `--name value` pairs; `--api NAME SCOPES` may repeat. */
export function parseArgs(argv) {
  const options = { positional: [], api: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--api") {
      options.api.push([argv[i + 1], argv[i + 2]]);
      i += 2;
    } else if (arg.startsWith("--")) {
      options[arg.slice(2)] = argv[i + 1];
      i += 1;
    } else {
      options.positional.push(arg);
    }
  }
  return options;
}
