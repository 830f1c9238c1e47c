//! The walking skeleton end to end, on the engine: the real IdP (node-oidc-provider) with its
//! real login and consent pages, the two real demo APIs, the real OS secret store. Run for
//! both kinds of provider: RFC 8707 (`resource`) and scope-only (Microsoft style). Sign-out
//! with two accounts: only one account's refresh token is revoked (RFC 7009), and a failed
//! revocation still forgets the account.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lanyard::browser::BrowserOpener;
use lanyard::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, ReqwestTransport};
use lanyard::{
    AccountId, AppIdentity, Config, Engine, Error, ErrorKind, InteractionReason, TokenSource,
};
use lanyard_testkit::stack::{ProviderKind, Stack};
use lanyard_testkit::{complete_sign_in, Consent, SignInTrace};
use url::Url;

/// A browser that is the scripted user: it signs in on the IdP's pages as `user`.
struct ScriptedUser {
    consent: Consent,
    opened: AtomicUsize,
    traces: Arc<Mutex<Vec<SignInTrace>>>,
    last_url: Mutex<Option<Url>>,
}

impl ScriptedUser {
    fn new(consent: Consent) -> Arc<Self> {
        Arc::new(ScriptedUser {
            consent,
            opened: AtomicUsize::new(0),
            traces: Arc::default(),
            last_url: Mutex::new(None),
        })
    }
    fn opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }
}

impl BrowserOpener for ScriptedUser {
    fn open(&self, url: &Url) -> Result<(), Error> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        *self.last_url.lock().unwrap() = Some(url.clone());
        let (url, consent, traces) = (url.to_string(), self.consent, self.traces.clone());
        tokio::spawn(async move {
            let trace = complete_sign_in(&url, "alice", "alice-password", consent)
                .await
                .expect("the scripted user completes the IdP's pages");
            traces.lock().unwrap().push(trace);
        });
        Ok(())
    }
}

/// A browser nobody uses: the sign-in waits until timeout or cancel.
struct IdleUser(Mutex<Option<Url>>);

impl BrowserOpener for IdleUser {
    fn open(&self, url: &Url) -> Result<(), Error> {
        *self.0.lock().unwrap() = Some(url.clone());
        Ok(())
    }
}

fn identity() -> AppIdentity {
    AppIdentity::new("dev.lanyard.tests", "Lanyard tests").unwrap()
}

fn engine(stack: &Stack, browser: Arc<dyn BrowserOpener>, extra_toml: &str) -> Engine {
    let config = Config::from_toml(&format!("{extra_toml}\n{}", stack.config_toml())).unwrap();
    Engine::builder(config, identity())
        .browser(browser)
        .build()
        .unwrap()
}

/// The JWT payload of a token, for checking what the IdP issued (tests only).
fn claims(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn full_flow(kind: ProviderKind) {
    let stack = Stack::start(kind).await.unwrap();
    let user = ScriptedUser::new(Consent::Allow);
    let app = engine(&stack, user.clone(), "");

    // No account yet: silent acquisition says why interaction is needed.
    let none = app
        .acquire_token_silent(&AccountId("alice".into()), "customer")
        .await
        .unwrap_err();
    assert_eq!(
        none.interaction_reason(),
        Some(InteractionReason::NoAccount)
    );

    // One interactive sign-in, one consent page covering both APIs.
    let signed_in = app.sign_in().await.unwrap();
    assert_eq!(
        signed_in.account.username.as_deref(),
        Some("alice@example.test")
    );
    assert_eq!(signed_in.account.name.as_deref(), Some("Alice Example"));
    assert_eq!(signed_in.token.api, "customer");
    assert_eq!(signed_in.token.source, TokenSource::SignIn);
    let account = signed_in.account.id.clone();
    tokio::time::sleep(Duration::from_millis(200)).await;
    {
        let traces = user.traces.lock().unwrap();
        assert_eq!(traces.len(), 1);
        assert_eq!(
            traces[0].consent_prompts, 1,
            "one consent prompt for both APIs"
        );
        assert_eq!(traces[0].final_status, 200, "the loopback page was served");
        assert!(traces[0].final_body.contains("close this tab"));
    }
    let authorize = user.last_url.lock().unwrap().clone().unwrap();
    let params: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    let get = |k: &str| {
        params
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(get("code_challenge_method"), ["S256"]);
    assert_eq!(get("state").len(), 1);
    assert_eq!(get("nonce").len(), 1);
    let scope = get("scope").join(" ");
    for s in ["openid", "profile", "offline_access"] {
        assert!(scope.split(' ').any(|x| x == s), "{scope}");
    }
    match kind {
        ProviderKind::Rfc8707 => {
            assert_eq!(
                get("resource"),
                ["api://lanyard-customer", "api://lanyard-vendor"]
            );
            assert!(scope.contains("customer.read") && scope.contains("vendor.read"));
        }
        ProviderKind::ScopeOnly => {
            assert!(get("resource").is_empty());
            assert!(scope.contains("api://lanyard-customer/customer.read"));
            assert!(scope.contains("api://lanyard-vendor/vendor.read"));
        }
    }

    // The first API's token came from the code; the second comes silently from the refresh token.
    let customer = app
        .acquire_token_silent(&account, "customer")
        .await
        .unwrap();
    assert_eq!(customer.info().source, TokenSource::Cache);
    let vendor = app.acquire_token_silent(&account, "vendor").await.unwrap();
    assert_eq!(vendor.info().source, TokenSource::Refresh);
    assert_eq!(
        app.acquire_token_silent(&account, "vendor")
            .await
            .unwrap()
            .info()
            .source,
        TokenSource::Cache
    );
    assert_eq!(user.opened(), 1, "the vendor token never opens the browser");
    let (c, v) = (claims(customer.secret()), claims(vendor.secret()));
    assert_eq!(c["aud"], "api://lanyard-customer");
    assert_eq!(v["aud"], "api://lanyard-vendor");
    assert_eq!(c["scope"], "customer.read");
    assert_eq!(v["scope"], "vendor.read");

    // Both APIs answer, each with its own token.
    let answer = app
        .call_api(&account, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.body["api"], "customer");
    assert_eq!(answer.body["subject"], "alice");
    let answer = app.call_api(&account, "vendor", "/orders").await.unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.body["api"], "vendor");
    assert_eq!(answer.token.source, TokenSource::Cache);

    // A token for one API is rejected by the other.
    let http = reqwest::Client::new();
    for (url, token) in [
        (format!("{}/orders", stack.vendor_url()), customer.secret()),
        (
            format!("{}/customers", stack.customer_url()),
            vendor.secret(),
        ),
    ] {
        let response = http.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 401);
        let challenge = response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    }

    // The next launch: a new engine on the same cache needs no sign-in.
    let idle = Arc::new(IdleUser(Mutex::new(None)));
    let next = engine(&stack, idle.clone(), "");
    assert_eq!(next.accounts().await.unwrap().len(), 1);
    let answer = next.call_api(&account, "vendor", "/orders").await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.token.source, TokenSource::Cache);
    assert!(
        idle.0.lock().unwrap().is_none(),
        "no browser on the next launch"
    );

    // Nothing Lanyard wrote holds a token in plaintext.
    for secret in [customer.secret(), vendor.secret()] {
        for file in walk(&stack.cache_dir()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "{} holds a token",
                file.display()
            );
        }
    }

    // Sign-out forgets the account and revokes its refresh token at the IdP.
    let outcome = next.sign_out(&account).await.unwrap();
    assert!(outcome.revoked, "{outcome:?}");
    assert!(next.accounts().await.unwrap().is_empty());
    let gone = next
        .acquire_token_silent(&account, "vendor")
        .await
        .unwrap_err();
    assert_eq!(
        gone.interaction_reason(),
        Some(InteractionReason::NoAccount)
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread")]
async fn rfc8707_provider_full_flow() {
    full_flow(ProviderKind::Rfc8707).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scope_only_provider_full_flow() {
    full_flow(ProviderKind::ScopeOnly).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn declined_consent_is_reported_and_stores_nothing() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let user = ScriptedUser::new(Consent::Deny);
    let app = engine(&stack, user.clone(), "");
    let e = app.sign_in().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(e.to_string().contains("denied"), "{e}");
    assert!(app.accounts().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_times_out_and_can_be_cancelled_and_closes_its_port() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let idle = Arc::new(IdleUser(Mutex::new(None)));
    let app = engine(&stack, idle.clone(), "sign_in_timeout_secs = 1");
    let e = app.sign_in().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");

    let idle = Arc::new(IdleUser(Mutex::new(None)));
    let app = engine(&stack, idle.clone(), "");
    let running = tokio::spawn({
        let app = app.clone();
        async move { app.sign_in().await }
    });
    let redirect = loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let url = idle.0.lock().unwrap().clone();
        if let Some(url) = url {
            let redirect = url
                .query_pairs()
                .find(|(k, _)| k == "redirect_uri")
                .unwrap()
                .1
                .into_owned();
            break redirect;
        }
    };
    app.cancel_sign_in();
    let e = running.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    let port = Url::parse(&redirect).unwrap().port().unwrap();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the loopback port is closed after cancel"
    );
}

/// The real transport, recording every refresh token the IdP issues (in order) and counting
/// revocation requests; with `revocation_down`, revocation requests fail like a dead network.
struct Recording {
    inner: ReqwestTransport,
    refresh_tokens: Mutex<Vec<String>>,
    revocations: AtomicUsize,
    revocation_down: bool,
}

impl Recording {
    fn new(revocation_down: bool) -> Arc<Self> {
        Arc::new(Recording {
            inner: ReqwestTransport::new(None).unwrap(),
            refresh_tokens: Mutex::default(),
            revocations: AtomicUsize::new(0),
            revocation_down,
        })
    }

    /// The refresh token issued last.
    fn last_refresh_token(&self) -> String {
        self.refresh_tokens.lock().unwrap().last().cloned().unwrap()
    }
}

impl HttpTransport for Recording {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            if request.uri().path().ends_with("/revocation") {
                self.revocations.fetch_add(1, Ordering::SeqCst);
                if self.revocation_down {
                    return Err(Error::Network("connection refused (test)".into()));
                }
            }
            let response = self.inner.send(request).await?;
            if let Ok(json) = serde_json::from_slice::<serde_json::Value>(response.body()) {
                if let Some(rt) = json["refresh_token"].as_str() {
                    self.refresh_tokens.lock().unwrap().push(rt.to_owned());
                }
            }
            Ok(response)
        })
    }
}

/// A browser whose user is the next one in line: each sign-in is someone else.
struct UsersInTurn(Mutex<Vec<&'static str>>);

impl UsersInTurn {
    fn new(users: &[&'static str]) -> Arc<Self> {
        Arc::new(UsersInTurn(Mutex::new(
            users.iter().rev().copied().collect(),
        )))
    }
}

impl BrowserOpener for UsersInTurn {
    fn open(&self, url: &Url) -> Result<(), Error> {
        let user = self
            .0
            .lock()
            .unwrap()
            .pop()
            .expect("a user for this sign-in");
        let url = url.to_string();
        tokio::spawn(async move {
            complete_sign_in(&url, user, &format!("{user}-password"), Consent::Allow)
                .await
                .expect("the scripted user completes the IdP's pages");
        });
        Ok(())
    }
}

fn recorded_engine(stack: &Stack, users: &[&'static str], http: Arc<Recording>) -> Engine {
    let config = Config::from_toml(&stack.config_toml()).unwrap();
    Engine::builder(config, identity())
        .browser(UsersInTurn::new(users))
        .http(http)
        .build()
        .unwrap()
}

/// Redeems `refresh_token` for the vendor API directly at the IdP's token endpoint (as
/// `lanyard-rfc8707`); returns the status and the JSON answer.
async fn redeem_directly(stack: &Stack, refresh_token: &str) -> (u16, serde_json::Value) {
    let http = reqwest::Client::new();
    let discovery: serde_json::Value = http
        .get(format!(
            "{}/.well-known/openid-configuration",
            stack.idp().issuer()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        discovery["revocation_endpoint"].is_string(),
        "the IdP advertises revocation"
    );
    let response = http
        .post(discovery["token_endpoint"].as_str().unwrap())
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", ProviderKind::Rfc8707.client_id()),
            ("resource", "api://lanyard-vendor"),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_revokes_that_accounts_refresh_token_only() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let http = Recording::new(false);
    let app = recorded_engine(&stack, &["alice", "bob"], http.clone());

    // alice signs in and refreshes once (her refresh token rotates); then bob signs in.
    let alice = app.sign_in().await.unwrap().account.id;
    let vendor = app.acquire_token_silent(&alice, "vendor").await.unwrap();
    assert_eq!(vendor.info().source, TokenSource::Refresh);
    let alice_refresh_token = http.last_refresh_token();
    let bob = app.sign_in().await.unwrap().account.id;
    assert_eq!((alice.as_str(), bob.as_str()), ("alice", "bob"));
    assert_eq!(app.accounts().await.unwrap().len(), 2);

    // alice signs out: her refresh token is revoked at the IdP; bob stays.
    let outcome = app.sign_out(&alice).await.unwrap();
    assert!(outcome.revoked, "{outcome:?}");
    assert_eq!(outcome.revocation_error, None);
    assert_eq!(http.revocations.load(Ordering::SeqCst), 1);
    let left: Vec<String> = app
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id.0)
        .collect();
    assert_eq!(left, ["bob"]);

    // The IdP refuses alice's last refresh token.
    let (status, answer) = redeem_directly(&stack, &alice_refresh_token).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // bob's tokens still work: his refresh token gets a vendor token, both APIs answer as bob.
    for api in ["vendor", "customer"] {
        let path = if api == "vendor" {
            "/orders"
        } else {
            "/customers"
        };
        let answer = app.call_api(&bob, api, path).await.unwrap();
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_eq!(answer.body["subject"], "bob");
    }
    let (status, answer) = redeem_directly(&stack, &http.last_refresh_token()).await;
    assert_eq!(status, 200, "bob's refresh token is still good: {answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_forgets_the_account_even_when_revocation_fails() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let http = Recording::new(true);
    let app = recorded_engine(&stack, &["alice"], http.clone());
    let alice = app.sign_in().await.unwrap().account.id;
    let refresh_token = http.last_refresh_token();

    let outcome = app.sign_out(&alice).await.unwrap();
    assert!(!outcome.revoked);
    let error = outcome.revocation_error.expect("the failure is reported");
    assert!(error.contains("network"), "{error}");
    assert!(!error.contains(&refresh_token), "no token in the report");
    assert_eq!(http.revocations.load(Ordering::SeqCst), 1);
    assert!(app.accounts().await.unwrap().is_empty());
    let gone = app
        .acquire_token_silent(&alice, "vendor")
        .await
        .unwrap_err();
    assert_eq!(
        gone.interaction_reason(),
        Some(InteractionReason::NoAccount)
    );
    // Not revoked, as reported: the IdP still takes it.
    let (status, _) = redeem_directly(&stack, &refresh_token).await;
    assert_eq!(status, 200);
}

/// The provider goes away: within the 5-minute margin the refresh fails, and the still-valid
/// cached token keeps working (the API accepts it); once it has expired the error is a network
/// error, not a demand to sign in, and no token is deleted.
#[tokio::test(flavor = "multi_thread")]
async fn offline_a_valid_cached_token_keeps_working_and_nothing_is_deleted() {
    use lanyard::clock::ManualClock;
    let mut stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let config = Config::from_toml(&stack.config_toml()).unwrap();
    let clock = Arc::new(ManualClock::new());
    let app = Engine::builder(config, identity())
        .browser(ScriptedUser::new(Consent::Allow))
        .clock(clock.clone())
        .build()
        .unwrap();
    let account = app.sign_in().await.unwrap().account.id;
    assert_eq!(
        app.acquire_token_silent(&account, "vendor")
            .await
            .unwrap()
            .info()
            .source,
        TokenSource::Refresh
    );

    // The API has fetched the IdP's keys (as a running API would have) before the IdP goes.
    let answer = app.call_api(&account, "vendor", "/orders").await.unwrap();
    assert_eq!(answer.status, 200);

    stack.stop_idp().await.unwrap();
    // 58 minutes later: both tokens are inside the margin but still valid.
    clock.advance(Duration::from_secs(58 * 60));
    for api in ["customer", "vendor"] {
        let grant = app.acquire_token_silent(&account, api).await.unwrap();
        assert_eq!(grant.info().source, TokenSource::Offline, "{api}");
    }
    let answer = app.call_api(&account, "vendor", "/orders").await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.token.source, TokenSource::Offline);

    // Past expiry, still offline: a network error; the account and its refresh token stay.
    clock.advance(Duration::from_secs(5 * 60));
    let e = app
        .acquire_token_silent(&account, "customer")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    let again = app
        .acquire_token_silent(&account, "customer")
        .await
        .unwrap_err();
    assert_eq!(
        again.kind(),
        ErrorKind::Network,
        "the refresh token was kept: {again}"
    );
    assert_eq!(app.accounts().await.unwrap().len(), 1);
}
