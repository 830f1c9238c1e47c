#!/usr/bin/env node
// Lanyard's local OpenID Connect provider for tests and the demo. See README.md.
//
//   node tests/idp/server.mjs [--port N] [--host 127.0.0.1] [--watch-stdin]
//
// Prints exactly one line to stdout when ready: `LANYARD_IDP_READY http://127.0.0.1:<port>`.
// Everything else goes to stderr.
import http from 'node:http';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

// oidc-provider prints notices with console.info: keep stdout for the READY line only.
console.log = console.error;
console.info = console.error;
// Expected by design here: in-memory storage, and our own form parsing in front of /token.
const EXPECTED = ['development-only in-memory adapter', 'already parsed request body detected'];
const warn = console.warn;
console.warn = (...args) => {
  if (!EXPECTED.some((e) => String(args[0]).includes(e))) warn(...args);
};

const { default: Provider } = await import('oidc-provider');
const { configuration, secondsFromEnv } = await import('./lib/config.mjs');
const { scopeMode } = await import('./lib/scope-mode.mjs');
const { isInteraction, handleInteraction } = await import('./lib/interactions.mjs');

const USAGE = 'usage: node tests/idp/server.mjs [--port N] [--host 127.0.0.1] [--watch-stdin]';

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'watch-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);
  return { port, host: values.host, watchStdin: values['watch-stdin'] };
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

async function main() {
  const { port: wanted, host, watchStdin } = options();
  const accessTokenTTL = secondsFromEnv('LANYARD_IDP_AT_TTL', 3600);
  const refreshTokenTTL = secondsFromEnv('LANYARD_IDP_RT_TTL', 14 * 24 * 60 * 60);

  // Listen first so that the issuer can name the OS-assigned port.
  let handler = (_req, res) => { res.writeHead(503); res.end(); };
  const server = http.createServer((req, res) => handler(req, res));
  const port = await listen(server, wanted, host);
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const provider = new Provider(issuer, configuration({
    jwk: signingKey(),
    cookieKeys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
    accessTokenTTL,
    refreshTokenTTL,
  }));
  provider.use(scopeMode);
  for (const event of ['authorization.error', 'grant.error', 'revocation.error', 'end_session.error']) {
    provider.on(event, (_ctx, err) => console.error(`[idp] ${event}: ${err.error || err.name}: ${err.error_description || err.message}${err.error_detail ? ` (${err.error_detail})` : ""}`));
  }
  provider.on('server_error', (_ctx, err) => console.error('[idp] server_error:', err));

  const callback = provider.callback();
  handler = (req, res) => {
    if (isInteraction(req)) {
      handleInteraction(provider, req, res);
    } else {
      callback(req, res);
    }
  };

  let stopping = false;
  const stop = (why) => {
    if (stopping) return;
    stopping = true;
    console.error(`[idp] stopping (${why})`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (watchStdin) {
    // The parent (a test) went away when our stdin closes.
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }

  console.error(`[idp] access token TTL ${accessTokenTTL}s, refresh token TTL ${refreshTokenTTL}s`);
  process.stdout.write(`LANYARD_IDP_READY ${issuer}\n`);
}

main().catch((e) => {
  console.error(`[idp] failed to start: ${e.stack || e}`);
  process.exit(1);
});
