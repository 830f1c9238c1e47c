// oidc-provider configuration for the Lanyard test IdP.
import { errors } from 'oidc-provider';
import { findAccount } from './accounts.mjs';
import { resourceServerInfo } from './resources.mjs';
import { accessTokenClaims } from './claims.mjs';
import { FOREIGN_RESOURCE } from './scope-mode.mjs';

const DAY = 24 * 60 * 60;

const nativeClient = (clientId) => ({
  client_id: clientId,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  // A native client's loopback redirect matches any port (RFC 8252 §7.3).
  redirect_uris: ['http://127.0.0.1/callback'],
});

/** Reads a positive integer number of seconds from the environment. */
export function secondsFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (seconds), got ${raw}`);
  return n;
}

/**
 * Builds the Provider configuration.
 * @param {{jwk: object, cookieKeys: string[], accessTokenTTL: number, refreshTokenTTL: number}} o
 */
export function configuration({ jwk, cookieKeys, accessTokenTTL, refreshTokenTTL }) {
  const longLived = Math.max(refreshTokenTTL, 14 * DAY);
  return {
    clients: [nativeClient('lanyard-rfc8707'), nativeClient('lanyard-scopes')],
    findAccount,
    jwks: { keys: [jwk] },
    cookies: { keys: cookieKeys },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'email'],
      email: ['email', 'email_verified'],
    },
    // Code flow: put the user's claims in the ID token (its access tokens are for the APIs).
    conformIdTokenClaims: false,
    // `acrs` / `xms_cc` from the `claims` parameter's access_token member (see claims.mjs).
    extraTokenClaims: accessTokenClaims,
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A refresh token whenever the client may refresh and offline_access was granted; the
    // scope-mode middleware keeps offline_access in the request (see scope-mode.mjs).
    issueRefreshToken: async (_ctx, client, source) => (
      client.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access')
    ),
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        // A client may revoke only its own tokens (a public client gets a silent no-op otherwise).
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      claimsParameter: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // No inference: a client that names no resource gets no API scopes. (lanyard-scopes has
        // its qualified scopes turned into `resource` by the scope-mode middleware.)
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: async () => false,
        getResourceServerInfo: resourceServerInfo({
          accessTokenTTL,
          rejectResource: (ctx) => ctx.state?.[FOREIGN_RESOURCE] === true,
        }),
      },
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? accessTokenTTL,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      RefreshToken: refreshTokenTTL,
      Grant: longLived,
      Session: longLived,
    },
  };
}
