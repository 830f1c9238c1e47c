// Our own login and consent pages on /interaction/:uid (devInteractions is off).
import { readForm, BodyError } from './body.mjs';
import { checkPassword } from './accounts.mjs';
import { loginPage, consentPage, errorPage } from './html.mjs';
import { RESOURCES } from './resources.mjs';

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/;

/** True when this request is for the interaction pages. */
export function isInteraction(req) {
  return ROUTE.test(new URL(req.url, 'http://x').pathname);
}

function send(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    // No form-action: after the consent POST, the redirects end at the app's loopback origin.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

const asArray = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Requested API scopes, per resource, from the (rewritten) authorization parameters. */
function requestedApis(params, details) {
  const requested = (params.scope || '').split(' ');
  const apis = new Map();
  for (const resource of asArray(params.resource)) {
    apis.set(resource, requested.filter((s) => (RESOURCES[resource] || []).includes(s)));
  }
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes || {})) {
    apis.set(resource, [...new Set([...(apis.get(resource) || []), ...scopes])]);
  }
  return [...apis.entries()];
}

async function showPage(provider, req, res, uid) {
  const { prompt, params, session } = await provider.interactionDetails(req, res);
  if (prompt.name === 'login') {
    return send(res, 200, loginPage({ uid, clientId: params.client_id }));
  }
  if (prompt.name === 'consent') {
    const oidcScopes = (params.scope || '').split(' ').filter((s) => ['openid', 'profile', 'email', 'offline_access'].includes(s));
    return send(res, 200, consentPage({
      uid,
      clientId: params.client_id,
      accountId: session?.accountId,
      oidcScopes,
      apis: requestedApis(params, prompt.details),
    }));
  }
  return send(res, 400, errorPage(`unsupported prompt ${prompt.name}`));
}

async function login(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') return send(res, 400, errorPage('not expecting a login'));
  const form = await readForm(req);
  const accountId = checkPassword(form.get('login') || '', form.get('password') || '');
  if (!accountId) {
    console.error(`[idp] login rejected for ${JSON.stringify(form.get('login') || '')}`);
    return send(res, 200, loginPage({
      uid,
      clientId: details.params.client_id,
      login: form.get('login') || '',
      error: 'Invalid username or password.',
    }));
  }
  console.error(`[idp] login ok: ${accountId}`);
  return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
}

async function confirm(provider, req, res) {
  await readForm(req);
  const details = await provider.interactionDetails(req, res);
  const { prompt: { name, details: missing }, params, session: { accountId } } = details;
  if (name !== 'consent') return send(res, 400, errorPage('not expecting consent'));

  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes || {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const grantId = await grant.save();
  const consent = details.grantId ? {} : { grantId };
  console.error(`[idp] consent given by ${accountId} to ${params.client_id}`);
  return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

async function abort(provider, req, res) {
  await readForm(req);
  console.error('[idp] consent denied');
  return provider.interactionFinished(req, res, {
    error: 'access_denied',
    error_description: 'End-User denied the request',
  }, { mergeWithLastSubmission: false });
}

/** Handles GET /interaction/:uid and POST /interaction/:uid/{login,confirm,abort}. */
export async function handleInteraction(provider, req, res) {
  const [, uid, action] = ROUTE.exec(new URL(req.url, 'http://x').pathname);
  try {
    if (req.method === 'GET' && !action) return await showPage(provider, req, res, uid);
    if (req.method === 'POST' && action === 'login') return await login(provider, req, res, uid);
    if (req.method === 'POST' && action === 'confirm') return await confirm(provider, req, res);
    if (req.method === 'POST' && action === 'abort') return await abort(provider, req, res);
    res.setHeader('Allow', action ? 'POST' : 'GET');
    return send(res, 405, errorPage('method not allowed'));
  } catch (e) {
    if (e instanceof BodyError) return send(res, e.status, errorPage(e.message));
    // e.g. SessionNotFound: the interaction cookie is missing or expired.
    console.error(`[idp] interaction error: ${e.name}: ${e.message}`);
    const status = e.statusCode && e.statusCode < 500 ? e.statusCode : 500;
    if (!res.headersSent) return send(res, status, errorPage(e.error_description || e.message));
    return undefined;
  }
}
