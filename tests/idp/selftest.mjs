#!/usr/bin/env node
// Smoke test of the local IdP: starts server.mjs, runs the real login + consent pages and the
// token endpoint for both clients with fetch, and checks what comes back.
//   node tests/idp/selftest.mjs        (exit code 0 = all passed)
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

const CUSTOMER = 'api://lanyard-customer';
const VENDOR = 'api://lanyard-vendor';
const REDIRECT_BASE = 'http://127.0.0.1:53682/callback'; // nothing listens: we read Location.

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}

async function startIdp(env = {}) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url)), '--port', '0', '--watch-stdin'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = readline.createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill(), 30000);
  for await (const line of lines) {
    const m = /^LANYARD_IDP_READY (\S+)$/.exec(line);
    if (m) {
      clearTimeout(timer);
      return { child, issuer: m[1] };
    }
  }
  throw new Error('IdP exited before it was ready');
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const decodeJwt = (jwt) => {
  const [h, p, s] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')), signed: `${h}.${p}`, sig: Buffer.from(s, 'base64url') };
};

/** A tiny cookie jar: name -> value (enough for one browser flow against one host). */
class Jar {
  constructor() { this.cookies = new Map(); }
  store(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (expired || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

/** A scripted browser: follows redirects on the IdP, fills login + consent, stops at the app. */
async function browse(issuer, url, { user = 'alice', password = 'alice-password', decision = 'allow', wrongPasswordFirst = false } = {}) {
  const jar = new Jar();
  const seen = { consentPages: [], loginErrors: [] };
  let request = { url, method: 'GET' };
  let triedWrong = false;
  for (let hop = 0; hop < 20; hop += 1) {
    const res = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(request.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: request.body,
    });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), request.url);
      if (next.origin !== issuer) return { redirect: next, seen };
      request = { url: next.href, method: 'GET' };
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) return { status: res.status, html, seen };
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (html.includes('id="sign-in"')) {
      const err = /id="error"[^>]*>([^<]*)</.exec(html)?.[1];
      if (err) seen.loginErrors.push({ err, html });
      if (err && !(wrongPasswordFirst && triedWrong && seen.loginErrors.length === 1)) return { loginRejected: err, html, seen };
      const pw = wrongPasswordFirst && !triedWrong ? 'wrong' : password;
      triedWrong = true;
      request = { url: new URL(action, issuer).href, method: 'POST', body: new URLSearchParams({ login: user, password: pw }).toString() };
    } else if (html.includes('id="allow"')) {
      seen.consentPages.push(html);
      const target = decision === 'allow' ? /action="([^"]+\/confirm)"/.exec(html)[1] : /action="([^"]+\/abort)"/.exec(html)[1];
      request = { url: new URL(target, issuer).href, method: 'POST', body: '' };
    } else {
      return { status: res.status, html, seen };
    }
  }
  throw new Error('too many redirects');
}

function pkce() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

function authUrl(issuer, clientId, { scope, resources = [], challenge, state, extra = {} }) {
  const u = new URL('/auth', issuer);
  const q = u.searchParams;
  q.set('client_id', clientId);
  q.set('response_type', 'code');
  q.set('redirect_uri', REDIRECT_BASE);
  q.set('scope', scope);
  for (const r of resources) q.append('resource', r);
  if (challenge) {
    q.set('code_challenge', challenge);
    q.set('code_challenge_method', 'S256');
  }
  q.set('state', state);
  q.set('nonce', b64url(randomBytes(8)));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return u.href;
}

async function token(issuer, params) {
  const res = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.json() };
}

let jwks;
async function verifiedClaims(issuer, jwt) {
  jwks ||= (await (await fetch(new URL('/jwks', issuer))).json()).keys;
  const { header, payload, signed, sig } = decodeJwt(jwt);
  const jwk = jwks.find((k) => k.kid === header.kid);
  const ok = header.alg === 'RS256' && jwk && verify('RSA-SHA256', Buffer.from(signed), createPublicKey({ key: jwk, format: 'jwk' }), sig);
  if (!ok) throw new Error('bad JWT signature');
  return payload;
}

/** Full sign-in: returns { code, verifier, redirect } or the browse result on failure. */
async function signIn(issuer, clientId, authOpts, browseOpts) {
  const { verifier, challenge } = pkce();
  const state = b64url(randomBytes(12));
  const result = await browse(issuer, authUrl(issuer, clientId, { ...authOpts, challenge, state }), browseOpts);
  const q = result.redirect?.searchParams;
  return { ...result, verifier, state, q, code: q?.get('code') };
}

async function run(issuer) {
  // Discovery.
  const disco = await (await fetch(new URL('/.well-known/openid-configuration', issuer))).json();
  check('discovery issuer', disco.issuer === issuer, disco.issuer);
  check('discovery RFC 9207 iss supported', disco.authorization_response_iss_parameter_supported === true);
  check('discovery PKCE S256 only', JSON.stringify(disco.code_challenge_methods_supported) === '["S256"]');
  check('discovery revocation endpoint', typeof disco.revocation_endpoint === 'string');
  check('discovery claims parameter', disco.claims_parameter_supported === true);

  // --- lanyard-rfc8707: strict RFC 8707 -------------------------------------------------------
  const strictAuth = { scope: 'openid profile offline_access customer.read vendor.read', resources: [CUSTOMER, VENDOR] };
  const s = await signIn(issuer, 'lanyard-rfc8707', strictAuth, { wrongPasswordFirst: true });
  check('wrong password shows login again with an error', s.seen.loginErrors.length === 1, JSON.stringify(s.seen.loginErrors.map((e) => e.err)));
  check('one consent page', s.seen.consentPages.length === 1);
  const consent = s.seen.consentPages[0] || '';
  check('consent lists both APIs', consent.includes(`data-resource="${CUSTOMER}"`) && consent.includes(`data-resource="${VENDOR}"`) && consent.includes('data-scope="customer.read"') && consent.includes('data-scope="vendor.read"'));
  check('redirect to loopback with code', !!s.code && s.redirect.host === '127.0.0.1:53682' && s.redirect.pathname === '/callback', s.redirect?.href ?? JSON.stringify({status: s.status, html: s.html?.slice(0, 300)}));
  check('state echoed', s.q?.get('state') === s.state);
  check('RFC 9207 iss in authorization response', s.q?.get('iss') === issuer, s.q?.get('iss'));

  const t1 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s.code, code_verifier: s.verifier, redirect_uri: REDIRECT_BASE, resource: CUSTOMER });
  check('code grant 200', t1.status === 200, JSON.stringify(t1.body));
  const at1 = await verifiedClaims(issuer, t1.body.access_token);
  check('customer AT aud', at1.aud === CUSTOMER, at1.aud);
  check('customer AT scope', at1.scope === 'customer.read', at1.scope);
  check('customer AT sub/iss', at1.sub === 'alice' && at1.iss === issuer);
  check('refresh token issued without prompt=consent', typeof t1.body.refresh_token === 'string');
  const idt = await verifiedClaims(issuer, t1.body.id_token);
  check('ID token claims', idt.sub === 'alice' && idt.name === 'Alice Example' && idt.preferred_username === 'alice@example.test' && idt.email === 'alice@example.test' && idt.aud === 'lanyard-rfc8707', JSON.stringify(idt));
  check('AT expires_in default 3600', t1.body.expires_in === 3600, t1.body.expires_in);

  const t2 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t1.body.refresh_token, resource: VENDOR, scope: 'vendor.read' });
  check('refresh for vendor 200', t2.status === 200, JSON.stringify(t2.body));
  const at2 = await verifiedClaims(issuer, t2.body.access_token);
  check('vendor AT aud + scope', at2.aud === VENDOR && at2.scope === 'vendor.read', `${at2.aud} ${at2.scope}`);
  check('refresh token rotated', t2.body.refresh_token && t2.body.refresh_token !== t1.body.refresh_token);

  const t2b = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t2.body.refresh_token, resource: CUSTOMER, scope: 'vendor.read' });
  check('customer refresh asking vendor.read is invalid_scope', t2b.status === 400 && t2b.body.error === 'invalid_scope', JSON.stringify(t2b.body));
  const t3 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t2.body.refresh_token, resource: CUSTOMER });
  check('refresh for customer again', t3.status === 200 && decodeJwt(t3.body.access_token).payload.aud === CUSTOMER, JSON.stringify(t3.body));

  const replay = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t1.body.refresh_token, resource: CUSTOMER });
  check('reused (rotated) refresh token is invalid_grant', replay.status === 400 && replay.body.error === 'invalid_grant', JSON.stringify(replay.body));

  // Revocation.
  const s2 = await signIn(issuer, 'lanyard-rfc8707', strictAuth, {});
  const t4 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s2.code, code_verifier: s2.verifier, redirect_uri: REDIRECT_BASE, resource: CUSTOMER });
  const rev = await fetch(new URL('/token/revocation', issuer), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'lanyard-rfc8707', token: t4.body.refresh_token, token_type_hint: 'refresh_token' }) });
  check('revocation 200', rev.status === 200, rev.status);
  const t5 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t4.body.refresh_token, resource: CUSTOMER });
  check('revoked refresh token is invalid_grant', t5.body.error === 'invalid_grant', JSON.stringify(t5.body));

  // Wrong PKCE verifier; missing PKCE.
  const s3 = await signIn(issuer, 'lanyard-rfc8707', strictAuth, {});
  const t6 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s3.code, code_verifier: pkce().verifier, redirect_uri: REDIRECT_BASE, resource: CUSTOMER });
  check('wrong code_verifier is invalid_grant', t6.body.error === 'invalid_grant', JSON.stringify(t6.body));
  const noPkce = await browse(issuer, authUrl(issuer, 'lanyard-rfc8707', { ...strictAuth, state: 'x' }));
  check('missing PKCE rejected', noPkce.redirect?.searchParams.get('error') === 'invalid_request', noPkce.redirect?.href);

  // The app forgets `resource` on /token: no API scopes (no inference for this client).
  const s4 = await signIn(issuer, 'lanyard-rfc8707', strictAuth, {});
  const t7 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s4.code, code_verifier: s4.verifier, redirect_uri: REDIRECT_BASE });
  check('code grant without resource: no API scopes', t7.status === 200 && !/customer|vendor/.test(t7.body.scope || '') && t7.body.access_token.split('.').length !== 3, JSON.stringify({ scope: t7.body.scope }));
  // The app forgets `resource` on /auth: nothing to consent to for the APIs, and no API token.
  const s5 = await signIn(issuer, 'lanyard-rfc8707', { scope: strictAuth.scope }, {});
  check('auth without resource: consent lists no API', s5.seen.consentPages.length === 1 && !s5.seen.consentPages[0].includes('data-resource'));
  const t8 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s5.code, code_verifier: s5.verifier, redirect_uri: REDIRECT_BASE, resource: CUSTOMER });
  check('auth without resource: token for the API refused', t8.status === 400 && t8.body.error === 'invalid_target', JSON.stringify(t8.body));

  // Customer-only authorization cannot be stretched to the vendor API.
  const s6 = await signIn(issuer, 'lanyard-rfc8707', { scope: strictAuth.scope, resources: [CUSTOMER] }, {});
  const t9 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s6.code, code_verifier: s6.verifier, redirect_uri: REDIRECT_BASE, resource: CUSTOMER });
  check('customer-only: AT scope customer.read', decodeJwt(t9.body.access_token).payload.scope === 'customer.read');
  const t10 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t9.body.refresh_token, resource: CUSTOMER, scope: 'vendor.read' });
  check('customer-only: refresh asking vendor.read refused', t10.status === 400 && t10.body.error === 'invalid_scope', JSON.stringify(t10.body));
  const t11 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t9.body.refresh_token, resource: VENDOR });
  check('customer-only: refresh for vendor API is invalid_target', t11.status === 400 && t11.body.error === 'invalid_target', JSON.stringify(t11.body));

  const t11b = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t9.body.refresh_token, resource: CUSTOMER });
  check('customer-only: invalid_target consumed the refresh token (known oidc-provider behaviour)', t11b.status === 400 && t11b.body.error === 'invalid_grant', JSON.stringify(t11b.body));

  // Deny.
  const s7 = await signIn(issuer, 'lanyard-rfc8707', strictAuth, { decision: 'deny' });
  check('deny -> access_denied with state and iss', s7.q?.get('error') === 'access_denied' && s7.q?.get('state') === s7.state && s7.q?.get('iss') === issuer && !s7.code, s7.redirect?.href);

  // Bob; wrong user stays rejected; escaping.
  const s8 = await signIn(issuer, 'lanyard-rfc8707', strictAuth, { user: 'bob', password: 'bob-password' });
  const t12 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s8.code, code_verifier: s8.verifier, redirect_uri: REDIRECT_BASE, resource: VENDOR });
  check('bob: vendor AT sub bob', decodeJwt(t12.body.access_token).payload.sub === 'bob' && decodeJwt(t12.body.id_token).payload.name === 'Bob Example');
  const s9 = await signIn(issuer, 'lanyard-rfc8707', strictAuth, { user: '<b>"x"</b>', password: 'nope' });
  check('bad login rejected and escaped', !!s9.loginRejected && s9.html.includes('value="&#60;b&#62;&#34;x&#34;&#60;/b&#62;"') && !s9.html.includes('<b>"x"'));

  // --- lanyard-scopes: scope-only, resource-qualified -----------------------------------------
  const scopesAuth = { scope: `openid profile offline_access ${CUSTOMER}/customer.read ${VENDOR}/vendor.read` };
  const m = await signIn(issuer, 'lanyard-scopes', scopesAuth, {});
  const mc = m.seen.consentPages[0] || '';
  check('scopes: one consent page with both APIs', m.seen.consentPages.length === 1 && mc.includes(`data-resource="${CUSTOMER}"`) && mc.includes(`data-resource="${VENDOR}"`));
  check('scopes: code + iss', !!m.code && m.q.get('iss') === issuer);
  const u1 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-scopes', code: m.code, code_verifier: m.verifier, redirect_uri: REDIRECT_BASE, scope: `${CUSTOMER}/customer.read openid profile offline_access` });
  check('scopes: code grant 200', u1.status === 200, JSON.stringify(u1.body));
  const a1 = await verifiedClaims(issuer, u1.body.access_token);
  check('scopes: customer AT aud + short scope', a1.aud === CUSTOMER && a1.scope === 'customer.read', `${a1.aud} ${a1.scope}`);
  check('scopes: token response scope is qualified', u1.body.scope === `${CUSTOMER}/customer.read`, u1.body.scope);
  check('scopes: refresh token + id token', typeof u1.body.refresh_token === 'string' && typeof u1.body.id_token === 'string');
  const u2 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-scopes', refresh_token: u1.body.refresh_token, scope: `${VENDOR}/vendor.read openid profile offline_access` });
  check('scopes: refresh for vendor 200', u2.status === 200, JSON.stringify(u2.body));
  const a2 = await verifiedClaims(issuer, u2.body.access_token);
  check('scopes: vendor AT aud + short scope', a2.aud === VENDOR && a2.scope === 'vendor.read', `${a2.aud} ${a2.scope}`);
  check('scopes: vendor response scope qualified', u2.body.scope === `${VENDOR}/vendor.read`, u2.body.scope);
  const u3 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-scopes', refresh_token: u2.body.refresh_token, scope: `${CUSTOMER}/customer.read ${VENDOR}/vendor.read` });
  check('scopes: two resources in one token request is invalid_target', u3.status === 400 && u3.body.error === 'invalid_target', JSON.stringify(u3.body));
  const u4 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-scopes', refresh_token: u2.body.refresh_token, scope: `${CUSTOMER}/.default` });
  check('scopes: /.default works and the RT survived the rejected request', u4.status === 200 && decodeJwt(u4.body.access_token).payload.aud === CUSTOMER, JSON.stringify(u4.body));
  const u5 = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-scopes', refresh_token: u4.body.refresh_token, resource: VENDOR, scope: 'vendor.read' });
  check('scopes: resource parameter on /token is invalid_target', u5.status === 400 && u5.body.error === 'invalid_target', JSON.stringify(u5.body));
  const m2 = await signIn(issuer, 'lanyard-scopes', { ...strictAuth }, {});
  check('scopes: resource parameter on /auth is invalid_target', m2.q?.get('error') === 'invalid_target', m2.redirect?.href);
  // Short (unqualified) API scopes from the scope-only client are not API scopes.
  const m3 = await signIn(issuer, 'lanyard-scopes', { scope: 'openid profile offline_access customer.read' }, {});
  const u6 = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-scopes', code: m3.code, code_verifier: m3.verifier, redirect_uri: REDIRECT_BASE, scope: `${CUSTOMER}/customer.read` });
  check('scopes: unqualified API scope grants nothing', u6.status === 400 && u6.body.error === 'invalid_target', JSON.stringify(u6.body));
}

/** The TTL knobs: LANYARD_IDP_AT_TTL and LANYARD_IDP_RT_TTL. */
async function runTtl(issuer) {
  const s = await signIn(issuer, 'lanyard-rfc8707', { scope: 'openid offline_access customer.read', resources: [CUSTOMER] }, {});
  const t = await token(issuer, { grant_type: 'authorization_code', client_id: 'lanyard-rfc8707', code: s.code, code_verifier: s.verifier, redirect_uri: REDIRECT_BASE, resource: CUSTOMER });
  const at = decodeJwt(t.body.access_token).payload;
  check('LANYARD_IDP_AT_TTL sets expires_in and exp', t.body.expires_in === 5 && at.exp - at.iat === 5, JSON.stringify({ e: t.body.expires_in }));
  await new Promise((r) => { setTimeout(r, 2200); });
  const r = await token(issuer, { grant_type: 'refresh_token', client_id: 'lanyard-rfc8707', refresh_token: t.body.refresh_token, resource: CUSTOMER });
  check('LANYARD_IDP_RT_TTL expires the refresh token', r.status === 400 && r.body.error === 'invalid_grant', JSON.stringify(r.body));
}

for (const [env, body] of [[{}, run], [{ LANYARD_IDP_AT_TTL: '5', LANYARD_IDP_RT_TTL: '1' }, runTtl]]) {
  const { child, issuer } = await startIdp(env);
  try {
    await body(issuer);
  } catch (e) {
    failed += 1;
    console.log(`FAIL crashed: ${e.stack || e}`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
