// Koa middleware in front of oidc-provider's /auth and /token:
//  1. `lanyard-scopes` (Microsoft identity platform style) sends resource-qualified scopes and no
//     `resource`; we rewrite `api://x/s` into scope `s` + `resource=api://x` so the provider's
//     RFC 8707 machinery does the rest, and map the token response's `scope` back to qualified
//     names (as Entra answers). A `resource` parameter from that client is `invalid_target`.
//  2. Any client asking for `offline_access` gets `prompt=consent` added (native clients are asked
//     for consent every time anyway), otherwise oidc-provider drops offline_access (OIDC Core §11)
//     and no refresh token would be issued.
import { rewriteClaims } from './claims.mjs';
import { readText, isForm, BodyError } from './body.mjs';
import { RESOURCES, INCREMENTAL_SCOPES } from './resources.mjs';

/** The client that speaks scope-only, resource-qualified OAuth. */
export const SCOPES_CLIENT = 'lanyard-scopes';

/** Marks a request whose (scope-only) client sent `resource` anyway. */
export const FOREIGN_RESOURCE = Symbol('lanyard.foreignResource');

/**
 * Splits resource-qualified scopes. Returns `{ scopes, resources }` with short scope names and
 * the distinct resources named. `api://x/.default` means every scope of `api://x`.
 */
export function unqualify(scope) {
  const scopes = [];
  const resources = [];
  for (const token of (scope || '').split(' ').filter(Boolean)) {
    const cut = token.lastIndexOf('/');
    if (!token.includes('://') || cut < 0) {
      scopes.push(token);
      continue;
    }
    const resource = token.slice(0, cut);
    const short = token.slice(cut + 1);
    if (!resources.includes(resource)) resources.push(resource);
    if (short === '.default') scopes.push(...(RESOURCES[resource] || []).filter((s) => !INCREMENTAL_SCOPES.has(s)));
    else scopes.push(short);
  }
  return { scopes: [...new Set(scopes)], resources };
}

/** Adds `consent` to `prompt` when offline_access is asked for and prompt is not `none`. */
function keepOfflineAccess(params) {
  const scopes = (params.get('scope') || '').split(' ');
  if (!scopes.includes('offline_access')) return;
  const prompt = (params.get('prompt') || '').split(' ').filter(Boolean);
  if (prompt.includes('none') || prompt.includes('consent')) return;
  params.set('prompt', [...prompt, 'consent'].join(' '));
}

/** Rewrites an authorization request in place. */
function rewriteAuth(ctx, params) {
  if (params.get('client_id') === SCOPES_CLIENT) {
    if (params.has('resource')) {
      ctx.state[FOREIGN_RESOURCE] = true;
    } else {
      const { scopes, resources } = unqualify(params.get('scope'));
      if (resources.length) params.set('scope', scopes.join(' '));
      for (const r of resources) params.append('resource', r);
    }
  }
  keepOfflineAccess(params);
  rewriteClaims(params);
}

function oauthError(ctx, status, error, description) {
  console.error(`[idp] ${ctx.method} ${ctx.path} refused: ${error}: ${description}`);
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/**
 * Rewrites a token request in place. Returns the resource the scope-only client asked for (to
 * qualify the response's scope), `null` when nothing to do, or `false` after answering an error.
 */
function rewriteToken(ctx, params) {
  if (params.get('client_id') !== SCOPES_CLIENT) return null;
  if (params.has('resource')) {
    oauthError(ctx, 400, 'invalid_target', 'this client must not send the resource parameter');
    return false;
  }
  const { scopes, resources } = unqualify(params.get('scope'));
  if (resources.length > 1) {
    oauthError(ctx, 400, 'invalid_target', 'a token request may name scopes of one resource only');
    return false;
  }
  if (resources.length === 0) return null;
  params.set('resource', resources[0]);
  // The code grant takes no `scope`: drop it there (the provider would ignore it anyway).
  if (params.get('grant_type') === 'authorization_code') params.delete('scope');
  else params.set('scope', scopes.join(' '));
  return resources[0];
}

/**
 * Any client: a token request naming a `resource` may ask only for that resource's API scopes
 * (plus OIDC scopes). oidc-provider would otherwise answer with an empty-scoped token and consume
 * the refresh token; Entra refuses such a request, so do we (before anything is consumed).
 */
function foreignApiScope(params) {
  const resource = params.get('resource');
  if (!resource || params.getAll('resource').length !== 1 || !params.get('scope')) return undefined;
  const own = new Set(RESOURCES[resource] || []);
  const apiScopes = new Set(Object.values(RESOURCES).flat());
  return params.get('scope').split(' ').find((s) => apiScopes.has(s) && !own.has(s));
}

/** Maps `customer.read` back to `api://lanyard-customer/customer.read` in a token response. */
function qualifyResponse(ctx, resource) {
  const body = ctx.body;
  if (!body || typeof body !== 'object' || typeof body.scope !== 'string') return;
  const own = new Set(RESOURCES[resource] || []);
  body.scope = body.scope
    .split(' ')
    .filter(Boolean)
    .map((s) => (own.has(s) ? `${resource}/${s}` : s))
    .join(' ');
}

/** The Koa middleware; install with `provider.use(scopeMode)`. */
export async function scopeMode(ctx, next) {
  // GET /auth (the provider's POST /auth is off: enableHttpPostMethods is false).
  if (ctx.path === '/auth' && ctx.method === 'GET') {
    const params = new URLSearchParams(ctx.querystring);
    rewriteAuth(ctx, params);
    ctx.querystring = params.toString();
    // oidc-provider reads originalUrl in places; keep it in step with the rewritten query.
    ctx.originalUrl = ctx.request.originalUrl = ctx.url;
    return next();
  }
  if (ctx.path !== '/token' || ctx.method !== 'POST' || !isForm(ctx.req)) return next();

  let params;
  try {
    params = new URLSearchParams(await readText(ctx.req));
  } catch (e) {
    if (e instanceof BodyError) return oauthError(ctx, e.status, 'invalid_request', e.message);
    throw e;
  }
  const resource = rewriteToken(ctx, params);
  if (resource === false) return undefined;
  const foreign = foreignApiScope(params);
  if (foreign) {
    return oauthError(ctx, 400, 'invalid_scope', `scope ${foreign} does not belong to the requested resource`);
  }
  // The stream is consumed: oidc-provider then parses `req.body` (its upstream-parser path).
  ctx.req.body = params.toString();
  await next();
  if (resource) qualifyResponse(ctx, resource);
  return undefined;
}
