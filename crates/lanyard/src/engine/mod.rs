//! [`Engine`]: the one entry point the shell, the CLI and the tests use.

mod bearer;
#[cfg(feature = "bench-support")]
pub mod bench;
mod builder;
mod call;
mod claims;
mod msal;
mod refresh;
mod scopes;
mod sign_in;
mod sign_out;
mod silent;
mod silent_request;
mod store;
mod token_request;
mod tokens;

use std::sync::Arc;

use oauth2::AccessToken;
use tokio::sync::OnceCell;
use tokio_util::sync::CancellationToken;

use crate::cache::{AccessKey, AccountKey, RefreshKey};
use crate::config::{Api, Config};
use crate::error::Error;
use crate::identity::AppIdentity;
use crate::model::{AccountId, AccountInfo, TokenInfo};
use crate::oidc::{self, Provider};
pub use builder::{Deps, EngineBuilder};
use scopes::ScopeSet;
pub use sign_in::InteractiveRequest;
pub use sign_out::SignOutOutcome;
use store::{CacheStore, SharedCache};

/// The result of an interactive sign-in.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SignedIn {
    /// The account that signed in.
    pub account: AccountInfo,
    /// The first API's token (metadata only).
    pub token: TokenInfo,
}

/// An access token and its metadata. `Debug` does not show the token.
#[derive(Clone, Debug)]
pub struct AccessTokenGrant {
    token: AccessToken,
    info: TokenInfo,
}

impl AccessTokenGrant {
    /// The bearer token. Never hand it to the UI.
    pub fn secret(&self) -> &str {
        self.token.secret()
    }

    /// Its metadata.
    pub fn info(&self) -> &TokenInfo {
        &self.info
    }

    /// The claims of a JWT access token that are safe and useful to show (issuer, audience,
    /// subject, scopes, times, authentication context, capabilities), decoded without checking
    /// the signature — the API checks it. `None` for opaque tokens.
    pub fn claims(&self) -> Option<serde_json::Value> {
        decoded_claims(self.token.secret())
    }
}

/// Claims shown to the user; anything else in a token (e.g. `jti`) is left out.
const SHOWN_CLAIMS: [&str; 17] = [
    "iss",
    "aud",
    "sub",
    "azp",
    "client_id",
    "scope",
    "scp",
    "iat",
    "nbf",
    "exp",
    "auth_time",
    "acr",
    "acrs",
    "amr",
    "xms_cc",
    "tid",
    "ver",
];

fn decoded_claims(token: &str) -> Option<serde_json::Value> {
    use base64::Engine as _;
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    parts.next()?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let serde_json::Value::Object(all) = serde_json::from_slice(&bytes).ok()? else {
        return None;
    };
    let shown: serde_json::Map<String, serde_json::Value> = all
        .into_iter()
        .filter(|(k, _)| SHOWN_CLAIMS.contains(&k.as_str()))
        .collect();
    Some(serde_json::Value::Object(shown))
}

/// The auth engine. Cheap to clone; all clones share one cache and one provider.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    identity: AppIdentity,
    /// Where the cache lives: the configuration's `cache_dir`, else the identity's.
    cache_dir: std::path::PathBuf,
    deps: Deps,
    /// The authority's host: MSAL's `environment`, part of every cache key.
    environment: String,
    provider: OnceCell<Provider>,
    cache: SharedCache,
    pending_sign_in: std::sync::Mutex<PendingSlot>,
}

/// The sign-in under way (numbered, so a finished one never clears its successor).
#[derive(Default)]
struct PendingSlot {
    next_id: u64,
    current: Option<(u64, CancellationToken)>,
}

impl Engine {
    /// A builder for an engine that signs users of the app `identity` in as `config` says.
    /// Dependencies not given to the builder are the production ones ([`Deps::production`]).
    ///
    /// ```no_run
    /// use lanyard::{Api, AppIdentity, Config, Engine};
    ///
    /// let config = Config::builder("https://login.example.com", "my-client-id")
    ///     .api(Api::new("orders", "https://orders.example.com").scopes(["orders.read"]))
    ///     .build()?;
    /// let identity = AppIdentity::new("com.contoso.notes", "Contoso Notes")?;
    /// let engine = Engine::builder(config, identity).build()?;
    /// # Ok::<(), lanyard::Error>(())
    /// ```
    pub fn builder(config: Config, identity: AppIdentity) -> EngineBuilder {
        EngineBuilder::new(config, identity)
    }

    /// An engine on `deps`. Does no I/O: discovery and the cache load on first use.
    fn from_parts(config: Config, identity: AppIdentity, deps: Deps) -> Result<Engine, Error> {
        config.validate()?;
        identity.validate()?;
        let environment = config
            .authority
            .host_str()
            .ok_or_else(|| Error::config("authority", "has no host"))?
            .to_ascii_lowercase();
        let cache_dir = config.cache_dir_for(&identity)?;
        let cache = CacheStore::new(cache_dir.clone(), &identity, deps.key_store.clone());
        Ok(Engine {
            inner: Arc::new(Inner {
                config,
                identity,
                cache_dir,
                deps,
                environment,
                provider: OnceCell::new(),
                cache: SharedCache::new(cache),
                pending_sign_in: std::sync::Mutex::new(PendingSlot::default()),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The app identity.
    pub fn identity(&self) -> &AppIdentity {
        &self.inner.identity
    }

    /// The directory the token cache lives in.
    pub fn cache_dir(&self) -> &std::path::Path {
        &self.inner.cache_dir
    }

    /// How the cache key is protected ("Secret Service", ...).
    pub fn cache_protection(&self) -> String {
        self.inner.deps.key_store.protection()
    }

    /// A problem met while loading the cache (it was set aside), reported once.
    pub async fn take_cache_warning(&self) -> Option<String> {
        self.inner.cache.read().await.take_warning()
    }

    /// The signed-in accounts.
    pub async fn accounts(&self) -> Result<Vec<AccountInfo>, Error> {
        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        Ok(store.get(now)?.accounts())
    }

    /// Loads the cache (its key from the OS secret store, then decrypts it) ahead of the first
    /// request, e.g. while the app's window starts. A failure is not reported here: the first
    /// request meets it (and reports it) again.
    pub async fn warm_up(&self) {
        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        if let Err(e) = store.get(now) {
            tracing::debug!("warming up the cache failed ({e}); the first request will retry");
        }
    }

    /// Removes expired access tokens from the cache; returns how many.
    pub async fn prune_expired(&self) -> Result<usize, Error> {
        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        let removed = store.get(now)?.prune(now);
        if removed > 0 {
            store.save()?;
        }
        Ok(removed)
    }

    /// Whether the identity provider answers now (a fresh discovery request): the app's way
    /// to notice it is back online.
    pub async fn check_connection(&self) -> Result<(), Error> {
        oidc::discover(&*self.inner.deps.http, &self.inner.config.authority)
            .await
            .map(|_| ())
    }

    /// Discovery, once per engine (retried after a failure).
    async fn provider(&self) -> Result<&Provider, Error> {
        self.inner
            .provider
            .get_or_try_init(|| {
                oidc::discover(&*self.inner.deps.http, &self.inner.config.authority)
            })
            .await
    }

    fn now(&self) -> u64 {
        self.inner.deps.clock.unix_now()
    }

    fn account_key(&self, account: &AccountId) -> AccountKey {
        AccountKey {
            home_account_id: account.0.clone(),
            environment: self.inner.environment.clone(),
        }
    }

    fn refresh_key(&self, account: &AccountId) -> RefreshKey {
        RefreshKey {
            account: self.account_key(account),
            client_id: self.inner.config.client_id.clone(),
        }
    }

    fn access_key(&self, account: &AccountId, api: &Api) -> AccessKey {
        AccessKey {
            account: self.account_key(account),
            client_id: self.inner.config.client_id.clone(),
            target: ScopeSet::cache_target(api),
        }
    }
}

#[cfg(test)]
mod tests;
