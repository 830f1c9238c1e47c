//! Interactive sign-in: authorize URL (PKCE S256, state, nonce, every API's scopes or
//! resources), the browser, the loopback redirect, the code redeemed for the first API, the ID
//! token validated, account and tokens stored.

use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::Nonce;
use tokio_util::sync::CancellationToken;

use super::claims::claims_parameter;
use super::scopes::ScopeSet;
use super::token_request::{token_params, Grant};
use super::tokens::Issued;
use super::{Engine, PendingSlot, SignedIn};
use crate::cache::{AccountRecord, IdTokenKey, IdTokenRecord, IdTokenSecret};
use crate::config::Api;
use crate::error::{Challenge, Error};
use crate::loopback::{Callback, Loopback};
use crate::microsoft;
use crate::model::{AccountId, AccountInfo, TokenSource};
use crate::oidc::{self, client_for, map_token_error, OidcClient, Provider, TokenContext};

/// A redirect's code and what redeeming it needs. One-time secrets: consumed by value.
struct Redirect {
    client: OidcClient,
    code: oauth2::AuthorizationCode,
    verifier: PkceCodeVerifier,
    nonce: Nonce,
}

/// A sign-in waiting for its redirect. Holds one-time secrets: not `Clone`, consumed by value.
struct PendingSignIn {
    client: OidcClient,
    loopback: Loopback,
    verifier: PkceCodeVerifier,
    state: CsrfToken,
    nonce: Nonce,
}

/// What an interactive sign-in asks for besides every configured API's scopes.
///
/// ```
/// use lanyard::InteractiveRequest;
///
/// let request = InteractiveRequest::new()
///     .api("vendor")
///     .login_hint("alice@example.com")
///     .extra_scopes(["vendor.reports"]);
/// assert_eq!(request.api.as_deref(), Some("vendor"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InteractiveRequest {
    /// The API whose token the code is redeemed for (default: the first configured one).
    pub api: Option<String>,
    /// Pre-fills the account at the provider (`login_hint`): the username of the account
    /// being asked again.
    pub login_hint: Option<String>,
    /// Scopes to consent to now besides the configured ones: the API's `optional_scopes`
    /// (incremental consent).
    pub extra_scopes: Vec<String>,
    /// A claims challenge (JSON) to satisfy, merged with the configured client capabilities.
    pub claims: Option<String>,
}

impl InteractiveRequest {
    /// A request for the first configured API, with nothing extra (as [`Engine::sign_in`]).
    pub fn new() -> Self {
        InteractiveRequest::default()
    }

    /// Redeems the code for the API named `api` instead of the first configured one.
    #[must_use]
    pub fn api(mut self, api: impl Into<String>) -> Self {
        self.api = Some(api.into());
        self
    }

    /// Pre-fills the account at the provider (`login_hint`).
    #[must_use]
    pub fn login_hint(mut self, hint: impl Into<String>) -> Self {
        self.login_hint = Some(hint.into());
        self
    }

    /// Asks consent to these optional scopes of the API too (replacing any set before).
    #[must_use]
    pub fn extra_scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.extra_scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Satisfies this claims challenge (JSON), merged with the configured client capabilities.
    #[must_use]
    pub fn claims(mut self, claims: impl Into<String>) -> Self {
        self.claims = Some(claims.into());
        self
    }

    /// The interactive request that resolves `challenge`.
    pub fn for_challenge(challenge: &Challenge, login_hint: Option<String>) -> Self {
        InteractiveRequest {
            api: Some(challenge.api.clone()),
            login_hint,
            extra_scopes: challenge.scopes.clone(),
            claims: challenge.claims.clone(),
        }
    }
}

impl Engine {
    /// Signs a user in interactively in the browser, with consent for every configured API,
    /// and returns the account with the first API's token metadata.
    ///
    /// A sign-in already under way is cancelled. Ends with [`Error::Timeout`] after
    /// `sign_in_timeout_secs`, or [`Error::Cancelled`] after [`Engine::cancel_sign_in`] or when
    /// the user denies access.
    ///
    /// ```no_run
    /// # async fn example(engine: lanyard::Engine) -> Result<(), lanyard::Error> {
    /// let signed_in = engine.sign_in().await?;
    /// println!(
    ///     "signed in as {} ({:?}); {} token until {}",
    ///     signed_in.account.id,
    ///     signed_in.account.username,
    ///     signed_in.token.api,
    ///     signed_in.token.expires_on,
    /// );
    /// # Ok(()) }
    /// ```
    pub async fn sign_in(&self) -> Result<SignedIn, Error> {
        self.sign_in_with(InteractiveRequest::default()).await
    }

    /// Like [`Engine::sign_in`], for `request`: incremental consent to an API's optional
    /// scopes, a claims challenge, a login hint. Returns the account and `request.api`'s token.
    pub async fn sign_in_with(&self, request: InteractiveRequest) -> Result<SignedIn, Error> {
        let api = match &request.api {
            Some(name) => self.inner.config.api(name)?,
            None => &self.inner.config.apis[0],
        };
        if let Some(scope) = request
            .extra_scopes
            .iter()
            .find(|s| !api.optional_scopes.contains(s))
        {
            return Err(Error::InvalidArgument(format!(
                "{scope:?} is not an optional scope of the API {}",
                api.name
            )));
        }
        let claims = claims_parameter(
            request.claims.as_deref(),
            &self.inner.config.client_capabilities,
        )?;
        let cancel = CancellationToken::new();
        let id = {
            let mut pending = self.pending();
            if let Some((_, previous)) = pending.current.take() {
                previous.cancel();
            }
            pending.next_id += 1;
            pending.current = Some((pending.next_id, cancel.clone()));
            pending.next_id
        };
        let result = tokio::select! {
            r = self.sign_in_inner(api, &request, claims.as_deref()) => r,
            _ = cancel.cancelled() => Err(Error::Cancelled("the sign-in was cancelled".into())),
        };
        let mut pending = self.pending();
        if pending
            .current
            .as_ref()
            .is_some_and(|(current, _)| *current == id)
        {
            pending.current = None;
        }
        result
    }

    /// Cancels the sign-in under way, if any; its port is closed.
    pub fn cancel_sign_in(&self) {
        if let Some((_, cancel)) = self.pending().current.take() {
            cancel.cancel();
        }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, PendingSlot> {
        self.inner
            .pending_sign_in
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn sign_in_inner(
        &self,
        api: &Api,
        request: &InteractiveRequest,
        claims: Option<&str>,
    ) -> Result<SignedIn, Error> {
        let provider = self.provider().await?;
        let pending = self.start(provider, request, claims).await?;
        let timeout = self.inner.config.sign_in_timeout();
        let PendingSignIn {
            client,
            loopback,
            verifier,
            state,
            nonce,
        } = pending;
        let callback = tokio::time::timeout(timeout, loopback.wait(&state))
            .await
            .map_err(|_| {
                Error::Timeout(format!(
                    "no sign-in response within {} s",
                    timeout.as_secs()
                ))
            })??;
        let code = match callback {
            Callback::Code { code, iss } => {
                check_iss(provider, iss.as_deref())?;
                code
            }
            Callback::Error { error, description } => {
                return Err(redirect_error(error, description))
            }
        };
        let scopes = ScopeSet::of(api).union(&request.extra_scopes);
        let redirect = Redirect {
            client,
            code,
            verifier,
            nonce,
        };
        self.redeem(provider, redirect, api, &scopes).await
    }

    /// Binds the listener, builds the authorize URL and opens the browser.
    async fn start(
        &self,
        provider: &Provider,
        request: &InteractiveRequest,
        claims: Option<&str>,
    ) -> Result<PendingSignIn, Error> {
        let config = &self.inner.config;
        let loopback =
            Loopback::bind(&config.redirect_uri, self.inner.identity.display_name()).await?;
        let redirect = RedirectUrl::from_url(loopback.redirect_uri().clone());
        let client = client_for(provider, &config.client_id, Some(redirect));
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();

        let scopes = ScopeSet::for_sign_in(&config.apis, &request.extra_scopes);
        let mut authorize = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(scopes.as_slice().iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge);
        for api in &config.apis {
            if let Some(resource) = &api.resource {
                authorize = authorize.add_extra_param("resource", resource);
            }
        }
        if config.client_info {
            let (name, value) = microsoft::CLIENT_INFO_PARAM;
            authorize = authorize.add_extra_param(name, value);
        }
        if let Some(claims) = claims {
            authorize = authorize.add_extra_param("claims", claims);
        }
        if let Some(hint) = &request.login_hint {
            if !config.extra_authorize_params.contains_key("login_hint") {
                authorize = authorize.add_extra_param("login_hint", hint);
            }
        }
        for (k, v) in &config.extra_authorize_params {
            authorize = authorize.add_extra_param(k, v);
        }
        let (url, state, nonce) = authorize.url();
        tracing::info!(redirect = %loopback.redirect_uri(), "opening the browser for sign-in");
        self.inner.deps.browser.open(&url)?;
        Ok(PendingSignIn {
            client,
            loopback,
            verifier,
            state,
            nonce,
        })
    }

    /// Redeems the redirect's code for `first` (`scopes`), validates the ID token, stores
    /// everything.
    async fn redeem(
        &self,
        provider: &Provider,
        redirect: Redirect,
        first: &Api,
        scopes: &ScopeSet,
    ) -> Result<SignedIn, Error> {
        let config = &self.inner.config;
        let Redirect {
            client,
            code,
            verifier,
            nonce,
        } = redirect;
        let mut request = client
            .exchange_code(code)
            .map_err(|e| Error::Protocol(format!("the provider has no token endpoint: {e}")))?
            .set_pkce_verifier(verifier);
        for (name, value) in token_params(config, first, scopes, Grant::Code)? {
            request = request.add_extra_param(name, value);
        }
        let http = oidc::Http(&*self.inner.deps.http);
        let response = request
            .request_async(&http)
            .await
            .map_err(|e| map_token_error(e, TokenContext::Code))?;

        let id_token = response
            .extra_fields()
            .id_token()
            .ok_or_else(|| Error::Protocol("the token response has no ID token".into()))?;
        let identity = oidc::verify_id_token(
            &client,
            provider,
            &*self.inner.deps.http,
            id_token,
            &nonce,
            self.inner.deps.clock.clone(),
        )
        .await?;
        let ids = microsoft::AccountIds::new(
            response
                .extra_fields()
                .extra_fields()
                .client_info
                .as_deref(),
            &identity.subject,
            identity.tenant_id.as_deref(),
        )?;
        let microsoft::AccountIds {
            home_account_id,
            realm,
            local_account_id,
        } = ids;
        let account = AccountInfo {
            id: AccountId(home_account_id),
            username: identity.username,
            name: identity.name,
            issuer: identity.issuer,
            tenant_id: identity.tenant_id,
        };

        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        let cache = store.get(now)?;
        cache.upsert_account(AccountRecord {
            key: self.account_key(&account.id),
            info: account.clone(),
            realm: realm.clone(),
            local_account_id,
        });
        cache.put_id_token(IdTokenRecord {
            key: IdTokenKey {
                account: self.account_key(&account.id),
                client_id: config.client_id.clone(),
                realm,
            },
            secret: IdTokenSecret::new(id_token.to_string()),
        });
        let issued = Issued {
            api: first,
            scopes,
            response: &response,
            source: TokenSource::SignIn,
        };
        let token = self.store_token_response(cache, &account.id, issued, now)?;
        store.save()?;
        tracing::info!(account = %crate::pii(&account.id), "signed in");
        Ok(SignedIn { account, token })
    }
}

/// RFC 9207: `iss` must match when present, and be present when the provider says it sends it.
fn check_iss(provider: &Provider, iss: Option<&str>) -> Result<(), Error> {
    match iss {
        Some(iss) if !provider.issuer_matches(iss) => Err(Error::Protocol(
            "the authorization response comes from another issuer (RFC 9207 mix-up check)".into(),
        )),
        None if provider.requires_iss_parameter() => Err(Error::Protocol(
            "the authorization response has no `iss` although the provider promises one (RFC 9207)"
                .into(),
        )),
        _ => Ok(()),
    }
}

fn redirect_error(error: String, description: Option<String>) -> Error {
    match error.as_str() {
        "access_denied" => Error::Cancelled(format!(
            "access was denied at the identity provider{}",
            description.map(|d| format!(": {d}")).unwrap_or_default()
        )),
        _ => Error::service(error, description),
    }
}
