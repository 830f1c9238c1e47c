// The `claims` request parameter's `access_token` member (Microsoft Entra: Conditional Access
// claims challenges and client capabilities such as `cp1`), which oidc-provider does not know:
//  1. an authorization request whose `claims` names only `access_token` gets an empty
//     `id_token` member added, since oidc-provider insists on `id_token` or `userinfo`;
//  2. access tokens issued from such an authorization (and from its refresh tokens) carry the
//     requested authentication context classes in `acrs` and the capabilities in `xms_cc`.

/** Grant id -> the `access_token` claims requested when the grant was authorized. */
const requested = new Map();

/** Rewrites an authorization request's `claims` in place (see 1.). */
export function rewriteClaims(params) {
  const raw = params.get('claims');
  if (!raw) return;
  let claims;
  try {
    claims = JSON.parse(raw);
  } catch {
    return; // oidc-provider answers invalid_request itself
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return;
  if (claims.access_token && claims.id_token === undefined && claims.userinfo === undefined) {
    params.set('claims', JSON.stringify({ ...claims, id_token: {} }));
  }
}

/** The values a claim request asks for: `value` or `values`. */
function valuesOf(request) {
  if (!request || typeof request !== 'object') return [];
  if (typeof request.value === 'string') return [request.value];
  if (Array.isArray(request.values)) return request.values.filter((v) => typeof v === 'string');
  return [];
}

/** `extraTokenClaims`: `acrs` and `xms_cc` for access tokens (see 2.). */
export async function accessTokenClaims(ctx, token) {
  if (token.kind !== 'AccessToken') return undefined;
  const code = ctx?.oidc?.entities?.AuthorizationCode;
  if (code?.claims?.access_token) requested.set(token.grantId, code.claims.access_token);
  const wanted = requested.get(token.grantId);
  if (!wanted) return undefined;
  const extra = {};
  const acrs = valuesOf(wanted.acrs);
  if (acrs.length) extra.acrs = acrs;
  const capabilities = valuesOf(wanted.xms_cc);
  if (capabilities.length) extra.xms_cc = capabilities;
  return Object.keys(extra).length ? extra : undefined;
}
