//! What the engine does to the outside world ([`Deps`]), and [`EngineBuilder`], which takes
//! the parts a caller injects and fills in the production ones.

use std::sync::Arc;

use super::Engine;
use crate::browser::{self, BrowserOpener};
use crate::cache::{KeyStore, OsKeyStore};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::error::Error;
use crate::http::HttpTransport;
use crate::identity::AppIdentity;

/// Everything the engine does to the outside world, injected.
///
/// Start from [`Deps::production`] and replace what a test controls, or give single parts to
/// [`EngineBuilder`].
#[derive(Clone)]
#[non_exhaustive]
pub struct Deps {
    /// Every HTTP request goes through this.
    pub http: Arc<dyn HttpTransport>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Shows the authorize URL to the user.
    pub browser: Arc<dyn BrowserOpener>,
    /// Keeps the cache key.
    pub key_store: Arc<dyn KeyStore>,
}

impl Deps {
    /// The real thing: reqwest (OS roots + `ca_file`, `[network]` timeouts) behind the
    /// throttle gate and retry policy of [`crate::http::Resilient`], the system clock, the
    /// configured browser (else the system browser), the OS secret store under the identity's
    /// keyring service.
    pub fn production(config: &Config, identity: &AppIdentity) -> Result<Deps, Error> {
        identity.validate()?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        Ok(Deps {
            http: Arc::new(crate::http::production(config, clock.clone())?),
            clock,
            browser: browser::from_config(config),
            key_store: os_key_store(identity),
        })
    }
}

/// Names no part: asking the key store its protection could probe the OS secret store.
impl std::fmt::Debug for Deps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deps").finish_non_exhaustive()
    }
}

fn os_key_store(identity: &AppIdentity) -> Arc<dyn KeyStore> {
    Arc::new(OsKeyStore::new(identity.keyring_service_name()))
}

/// Builds an [`Engine`]: made by [`Engine::builder`]. Every dependency not given is the
/// production one (see [`Deps::production`]); a production HTTP stack runs on the given clock.
#[must_use]
pub struct EngineBuilder {
    config: Config,
    identity: AppIdentity,
    http: Option<Arc<dyn HttpTransport>>,
    clock: Option<Arc<dyn Clock>>,
    browser: Option<Arc<dyn BrowserOpener>>,
    key_store: Option<Arc<dyn KeyStore>>,
}

impl EngineBuilder {
    pub(super) fn new(config: Config, identity: AppIdentity) -> Self {
        EngineBuilder {
            config,
            identity,
            http: None,
            clock: None,
            browser: None,
            key_store: None,
        }
    }

    /// Sends every HTTP request (discovery, keys, tokens, API calls) through `http`.
    pub fn http(mut self, http: Arc<dyn HttpTransport>) -> Self {
        self.http = Some(http);
        self
    }

    /// Reads the time from `clock`.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Shows the authorize URL with `browser` (instead of the configured program or the system
    /// browser).
    pub fn browser(mut self, browser: Arc<dyn BrowserOpener>) -> Self {
        self.browser = Some(browser);
        self
    }

    /// Keeps the cache key in `key_store` (instead of the OS secret store).
    pub fn key_store(mut self, key_store: Arc<dyn KeyStore>) -> Self {
        self.key_store = Some(key_store);
        self
    }

    /// Uses every part of `deps`.
    pub fn deps(self, deps: Deps) -> Self {
        self.http(deps.http)
            .clock(deps.clock)
            .browser(deps.browser)
            .key_store(deps.key_store)
    }

    /// The engine. Checks the configuration and the identity again (their fields are public or
    /// set unchecked) and resolves the cache directory; does no I/O beyond reading `ca_file`
    /// for a production HTTP stack: discovery and the cache load on first use.
    pub fn build(self) -> Result<Engine, Error> {
        let EngineBuilder {
            config,
            identity,
            http,
            clock,
            browser,
            key_store,
        } = self;
        config.validate()?;
        identity.validate()?;
        let clock = clock.unwrap_or_else(|| Arc::new(SystemClock));
        let http = match http {
            Some(http) => http,
            None => Arc::new(crate::http::production(&config, clock.clone())?),
        };
        let deps = Deps {
            http,
            clock,
            browser: browser.unwrap_or_else(|| browser::from_config(&config)),
            key_store: key_store.unwrap_or_else(|| os_key_store(&identity)),
        };
        Engine::from_parts(config, identity, deps)
    }
}
