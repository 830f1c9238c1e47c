//! The harness: the stack, the fault proxy in front of the IdP, and an engine whose HTTP goes
//! through the production transport stack with the IdP's origin rewritten to the proxy.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lanyard::browser::BrowserOpener;
use lanyard::clock::ManualClock;
use lanyard::http::{
    BoxFuture, HttpRequest, HttpResponse, HttpTransport, ReqwestTransport, Resilient,
};
use lanyard::{AccountId, AppIdentity, Config, Engine, Error, TokenSource};
use lanyard_testkit::fault::FaultProxy;
use lanyard_testkit::stack::{ProviderKind, Stack};
use lanyard_testkit::{complete_sign_in, Consent};
use url::Url;

/// Sends what is meant for one origin to another: the IdP's (first route) and any API's
/// traffic to a fault proxy.
pub struct Rerouted {
    /// (from, to) origins.
    routes: Mutex<Vec<(String, String)>>,
    inner: ReqwestTransport,
}

impl HttpTransport for Rerouted {
    fn send(&self, mut request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let uri = request.uri().to_string();
        let routes = self.routes.lock().unwrap().clone();
        for (from, to) in routes {
            if let Some(rest) = uri.strip_prefix(&from) {
                *request.uri_mut() = format!("{to}{rest}").parse().expect("a valid URI");
                break;
            }
        }
        self.inner.send(request)
    }
}

/// The scripted user: signs in on the IdP's real pages as alice.
pub struct ScriptedUser;

impl BrowserOpener for ScriptedUser {
    fn open(&self, url: &Url) -> Result<(), Error> {
        let url = url.to_string();
        tokio::spawn(async move {
            // A sign-in the engine refuses (bad ID token) still completes the pages.
            let _ = complete_sign_in(&url, "alice", "alice-password", Consent::Allow).await;
        });
        Ok(())
    }
}

/// The stack, the proxy in front of its IdP, and engines built on them.
pub struct Harness {
    pub stack: Stack,
    pub proxy: FaultProxy,
    pub clock: Arc<ManualClock>,
    pub transport: Arc<Rerouted>,
    network_toml: String,
}

fn origin(url: &str) -> String {
    let url = Url::parse(url).unwrap();
    url.origin().ascii_serialization()
}

impl Harness {
    /// Default network settings.
    pub async fn start() -> Harness {
        Self::start_with("").await
    }

    /// `network_toml`: lines of the `[network]` table.
    pub async fn start_with(network_toml: &str) -> Harness {
        let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
        let idp = stack.idp().issuer_url();
        let proxy = FaultProxy::start(&idp).await.unwrap();
        let config = Self::config_of(&stack, network_toml);
        let inner = ReqwestTransport::with_network(None, &config.network).unwrap();
        let transport = Arc::new(Rerouted {
            routes: Mutex::new(vec![(
                origin(idp.as_str()),
                origin(proxy.origin().as_str()),
            )]),
            inner,
        });
        Harness {
            stack,
            proxy,
            clock: Arc::new(ManualClock::new()),
            transport,
            network_toml: network_toml.to_owned(),
        }
    }

    fn config_of(stack: &Stack, network_toml: &str) -> Config {
        Config::from_toml(&format!(
            "{}\n[network]\n{network_toml}\n",
            stack.config_toml()
        ))
        .unwrap()
    }

    /// A fresh engine (its own discovery and key set) on the shared cache.
    pub fn engine(&self) -> Engine {
        let config = Self::config_of(&self.stack, &self.network_toml);
        let http = Resilient::new(
            self.transport.clone(),
            self.clock.clone(),
            config.network.max_retry_after_secs,
        );
        let identity = AppIdentity::new("dev.lanyard.tests", "Lanyard tests").unwrap();
        Engine::builder(config, identity)
            .http(Arc::new(http))
            .clock(self.clock.clone())
            .browser(Arc::new(ScriptedUser))
            .build()
            .unwrap()
    }

    /// Sends the IdP's traffic to `target` (an origin) instead of the proxy.
    pub fn reroute_to(&self, target: &str) {
        self.transport.routes.lock().unwrap()[0].1 = target.trim_end_matches('/').to_owned();
    }

    /// A fault proxy in front of the API at `base_url`, the engine's traffic to it rerouted.
    pub async fn proxy_api(&self, base_url: &str) -> FaultProxy {
        let proxy = FaultProxy::start(&Url::parse(base_url).unwrap())
            .await
            .unwrap();
        self.transport
            .routes
            .lock()
            .unwrap()
            .push((origin(base_url), origin(proxy.origin().as_str())));
        proxy
    }

    /// Sends the IdP's traffic through the proxy again.
    pub fn reroute_to_proxy(&self) {
        self.reroute_to(self.proxy.origin().as_str());
    }

    /// Moves past every access token's expiry (the longest the engine accepts is a day).
    pub fn expire_access_tokens(&self) {
        self.clock.advance(Duration::from_secs(25 * 3600));
    }
}

/// Signs in; the account.
pub async fn signed_in(app: &Engine) -> AccountId {
    app.sign_in().await.expect("sign-in works").account.id
}

/// Asserts a refresh for `api` works now: the refresh token survived what came before.
pub async fn refresh_still_works(app: &Engine, account: &AccountId, api: &str) {
    let grant = app
        .acquire_token_silent(account, api)
        .await
        .expect("the refresh token was kept");
    assert_eq!(grant.info().source, TokenSource::Refresh);
}
