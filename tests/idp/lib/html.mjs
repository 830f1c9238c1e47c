// Plain HTML for the login and consent pages. Every reflected value goes through `esc`.

/** HTML-escapes text and attribute values. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }
label, input, button { display: block; width: 100%; margin: .3rem 0; font-size: 1rem; }
input, button { padding: .5rem; box-sizing: border-box; }
.error { color: #a00; }
form.inline { display: inline-block; width: 48%; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The login page; `error` and the previous `login` are shown again after a failed attempt. */
export function loginPage({ uid, clientId, login = '', error }) {
  return page('Sign in - Lanyard test IdP', `<h1>Sign in</h1>
<p>to continue to <strong id="client">${esc(clientId)}</strong></p>
${error ? `<p class="error" id="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label for="login">Username</label>
<input id="login" name="login" type="text" autocomplete="username" value="${esc(login)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="sign-in">Sign in</button>
</form>`);
}

/**
 * The consent page. `oidcScopes`: e.g. ['openid', 'profile', 'offline_access'];
 * `apis`: [[resourceUri, [scope, ...]], ...].
 */
export function consentPage({ uid, clientId, accountId, oidcScopes, apis }) {
  const apiList = apis
    .map(([resource, scopes]) => `<li class="resource" data-resource="${esc(resource)}">${esc(resource)}
<ul>${scopes.map((s) => `<li class="scope" data-scope="${esc(s)}">${esc(s)}</li>`).join('')}</ul></li>`)
    .join('\n');
  return page('Allow access - Lanyard test IdP', `<h1>Allow access?</h1>
<p><strong id="client">${esc(clientId)}</strong> asks, for <strong id="account">${esc(accountId)}</strong>:</p>
<p>Sign-in scopes: <span id="oidc-scopes">${esc(oidcScopes.join(' '))}</span></p>
<ul id="apis">
${apiList}
</ul>
<form class="inline" method="post" action="/interaction/${esc(uid)}/confirm">
<button type="submit" id="allow">Allow</button>
</form>
<form class="inline" method="post" action="/interaction/${esc(uid)}/abort">
<button type="submit" id="deny">Deny</button>
</form>`);
}

/** A small error page. */
export function errorPage(message) {
  return page('Error - Lanyard test IdP', `<h1>Error</h1>
<p class="error" id="error" role="alert">${esc(message)}</p>`);
}
