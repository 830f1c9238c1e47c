//! What an API's refusal asks for, end to end against the real IdP and the real demo APIs:
//! a Conditional Access claims challenge (the API's policy switched on at run time) resolved by
//! an interactive request with `claims` (merged with the `cp1` capability), a revoked token
//! (`invalid_token`) answered by exactly one forced refresh, incremental consent to a scope the
//! first sign-in did not ask for, and no refresh loops; a refresh refused with `invalid_target`
//! never leaves a consumed refresh token to replay, and concurrent callers share one refresh.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lanyard::browser::BrowserOpener;
use lanyard::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, ReqwestTransport};
use lanyard::{
    AppIdentity, Config, Engine, Error, InteractionReason, InteractiveRequest, TokenSource,
};
use lanyard_testkit::stack::{ProviderKind, Stack};
use lanyard_testkit::{complete_sign_in, Consent};
use url::Url;

/// The scripted user alice, in the browser the engine opens; remembers each authorize URL.
#[derive(Default)]
struct Alice {
    urls: Mutex<Vec<Url>>,
}

impl Alice {
    fn opened(&self) -> usize {
        self.urls.lock().unwrap().len()
    }

    /// A parameter of the last authorize URL.
    fn last_param(&self, name: &str) -> Option<String> {
        let urls = self.urls.lock().unwrap();
        let url = urls.last()?;
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

impl BrowserOpener for Alice {
    fn open(&self, url: &Url) -> Result<(), Error> {
        self.urls.lock().unwrap().push(url.clone());
        let url = url.to_string();
        tokio::spawn(async move {
            complete_sign_in(&url, "alice", "alice-password", Consent::Allow)
                .await
                .expect("alice completes the IdP's pages");
        });
        Ok(())
    }
}

/// The real transport, counting token-endpoint requests.
struct Counting {
    inner: ReqwestTransport,
    token_requests: AtomicUsize,
}

impl Counting {
    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }
}

impl HttpTransport for Counting {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        if request.uri().path().ends_with("/token") {
            self.token_requests.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.send(request)
    }
}

struct Setup {
    stack: Stack,
    alice: Arc<Alice>,
    http: Arc<Counting>,
    engine: Engine,
}

fn identity() -> AppIdentity {
    AppIdentity::new("dev.lanyard.tests", "Lanyard tests").unwrap()
}

async fn setup(kind: ProviderKind, top_level_toml: &str, edit: impl FnOnce(&mut Config)) -> Setup {
    let stack = Stack::start(kind).await.expect("the stack starts");
    let mut config =
        Config::from_toml(&format!("{top_level_toml}\n{}", stack.config_toml())).unwrap();
    edit(&mut config);
    let alice = Arc::new(Alice::default());
    let http = Arc::new(Counting {
        inner: ReqwestTransport::new(None).unwrap(),
        token_requests: AtomicUsize::new(0),
    });
    let engine = Engine::builder(config, identity())
        .browser(alice.clone())
        .http(http.clone())
        .build()
        .unwrap();
    Setup {
        stack,
        alice,
        http,
        engine,
    }
}

impl Setup {
    /// The HTTP status of a call that must not fail.
    async fn status(&self, id: &lanyard::AccountId, api: &str, path: &str) -> u16 {
        self.engine.call_api(id, api, path).await.unwrap().status
    }
}

/// Asserts that `err` asks for interaction for `reason`.
#[track_caller]
fn assert_reason(err: &Error, reason: InteractionReason) {
    assert_eq!(err.interaction_reason(), Some(reason), "{err}");
}

/// The JWT payload of a token (tests only).
fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Waits until the wall clock is in a later second than `t` (tokens carry `iat` in seconds).
async fn after_second(t: u64) {
    while unix_now() <= t {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_claims_challenge_is_resolved_interactively_with_cp1_and_the_call_succeeds() {
    let s = setup(
        ProviderKind::Rfc8707,
        r#"client_capabilities = ["cp1"]"#,
        |_| {},
    )
    .await;
    let signed = s.engine.sign_in().await.unwrap();
    let id = signed.account.id.clone();
    assert_eq!(s.status(&id, "vendor", "/orders").await, 200);
    // Every authorization declares the client's capabilities.
    let first_claims: serde_json::Value =
        serde_json::from_str(&s.alice.last_param("claims").expect("claims sent")).unwrap();
    assert_eq!(first_claims["access_token"]["xms_cc"]["values"][0], "cp1");

    s.stack.vendor_policy().require_auth_context(Some("c1"));
    let err = s
        .engine
        .call_api(&id, "vendor", "/orders")
        .await
        .unwrap_err();
    assert_reason(&err, InteractionReason::ClaimsChallenge);
    let challenge = err
        .challenge()
        .expect("the challenge travels with the error")
        .clone();
    assert_eq!(challenge.api, "vendor");
    let asked: serde_json::Value =
        serde_json::from_str(challenge.claims.as_deref().unwrap()).unwrap();
    assert_eq!(asked["access_token"]["acrs"]["value"], "c1");
    assert_eq!(
        s.alice.opened(),
        1,
        "a call never opens the browser by itself"
    );
    // The customer API has no such policy.
    assert_eq!(s.status(&id, "customer", "/customers").await, 200);

    let again = s
        .engine
        .sign_in_with(InteractiveRequest::for_challenge(
            &challenge,
            signed.account.username.clone(),
        ))
        .await
        .unwrap();
    assert_eq!(again.account.id, id);
    assert_eq!(again.token.api, "vendor");
    assert_eq!(s.alice.opened(), 2);
    assert_eq!(s.alice.last_param("login_hint"), signed.account.username);
    assert!(signed.account.username.is_some());
    let sent: serde_json::Value =
        serde_json::from_str(&s.alice.last_param("claims").unwrap()).unwrap();
    assert_eq!(sent["access_token"]["acrs"]["value"], "c1");
    assert_eq!(sent["access_token"]["xms_cc"]["values"][0], "cp1");

    let response = s.engine.call_api(&id, "vendor", "/orders").await.unwrap();
    assert_eq!(response.status, 200, "{:?}", response.body);
    let token = s.engine.acquire_token_silent(&id, "vendor").await.unwrap();
    let payload = jwt_claims(token.secret());
    assert_eq!(payload["acrs"], serde_json::json!(["c1"]));
    assert_eq!(payload["xms_cc"], serde_json::json!(["cp1"]));

    // The refresh token of the new grant serves the other API too, and keeps the context:
    // revoke every token issued so far, and both APIs recover with one refresh each.
    let now = unix_now();
    s.stack
        .customer_policy()
        .revoke_tokens_issued_before(Some(now + 1));
    s.stack
        .vendor_policy()
        .revoke_tokens_issued_before(Some(now + 1));
    after_second(now).await;
    let before = s.http.token_requests();
    for api in ["customer", "vendor"] {
        let path = if api == "customer" {
            "/customers"
        } else {
            "/orders"
        };
        let response = s.engine.call_api(&id, api, path).await.unwrap();
        assert_eq!(response.status, 200, "{api}: {:?}", response.body);
        assert_eq!(response.token.source, TokenSource::Refresh, "{api}");
    }
    assert_eq!(s.http.token_requests() - before, 2, "one refresh per API");
    assert_eq!(s.alice.opened(), 2);
}

#[tokio::test]
async fn invalid_token_forces_one_refresh_and_one_retry_never_a_loop() {
    let s = setup(ProviderKind::Rfc8707, "", |_| {}).await;
    let id = s.engine.sign_in().await.unwrap().account.id;
    let first = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(
        (first.status, first.token.source),
        (200, TokenSource::Cache)
    );

    // Revoked, then recovered by one forced refresh although the cached token had not expired.
    let now = unix_now();
    s.stack
        .customer_policy()
        .revoke_tokens_issued_before(Some(now + 1));
    after_second(now).await;
    let before = s.http.token_requests();
    let recovered = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(recovered.status, 200);
    assert_eq!(recovered.token.source, TokenSource::Refresh);
    assert_eq!(s.http.token_requests() - before, 1);
    // The new token is cached: the next call sends no token request.
    let cached = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(
        (cached.status, cached.token.source),
        (200, TokenSource::Cache)
    );
    assert_eq!(s.http.token_requests() - before, 1);

    // An API that refuses every token: one refresh, one retry, then its 401 goes back.
    s.stack
        .customer_policy()
        .revoke_tokens_issued_before(Some(unix_now() + 3600));
    let before = s.http.token_requests();
    let refused = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["error"], "invalid_token");
    assert_eq!(s.http.token_requests() - before, 1, "exactly one refresh");
    assert_eq!(s.alice.opened(), 1);
}

async fn incremental_consent(kind: ProviderKind) {
    let s = setup(kind, "", |_| {}).await;
    let id = s.engine.sign_in().await.unwrap().account.id;
    let reports = match kind {
        ProviderKind::Rfc8707 => "vendor.reports",
        ProviderKind::ScopeOnly => "api://lanyard-vendor/vendor.reports",
    };
    assert!(
        !s.alice.last_param("scope").unwrap().contains(reports),
        "the first sign-in does not ask for the optional scope"
    );

    // The vendor token (got by refresh), then the optional scope asked for silently.
    assert_eq!(s.status(&id, "vendor", "/orders").await, 200);
    let before = s.http.token_requests();
    let err = s
        .engine
        .call_api(&id, "vendor", "/reports")
        .await
        .unwrap_err();
    assert_reason(&err, InteractionReason::ConsentRequired);
    let challenge = err.challenge().unwrap().clone();
    assert_eq!(challenge.api, "vendor");
    assert_eq!(challenge.scopes, vec![reports.to_owned()]);
    assert_eq!(challenge.claims, None);
    assert_eq!(
        s.http.token_requests() - before,
        1,
        "one silent attempt for the new scope"
    );
    // The refused attempt consumed nothing: the old grant still serves both APIs.
    assert_eq!(s.status(&id, "vendor", "/orders").await, 200);

    s.engine
        .sign_in_with(InteractiveRequest::for_challenge(&challenge, None))
        .await
        .unwrap();
    assert!(s.alice.last_param("scope").unwrap().contains(reports));
    let granted = s.engine.call_api(&id, "vendor", "/reports").await.unwrap();
    assert_eq!(granted.status, 200, "{:?}", granted.body);
    assert!(granted.token.scopes.iter().any(|sc| sc == reports));
    assert_eq!(s.status(&id, "vendor", "/orders").await, 200);
    assert_eq!(s.status(&id, "customer", "/customers").await, 200);
    assert_eq!(s.alice.opened(), 2);
}

#[tokio::test]
async fn incremental_consent_rfc8707() {
    incremental_consent(ProviderKind::Rfc8707).await;
}

#[tokio::test]
async fn incremental_consent_scope_only() {
    incremental_consent(ProviderKind::ScopeOnly).await;
}

#[tokio::test]
async fn insufficient_scope_for_a_scope_not_configured_is_answered_as_is() {
    let s = setup(ProviderKind::Rfc8707, "", |config| {
        for api in &mut config.apis {
            api.optional_scopes.clear();
        }
    })
    .await;
    let id = s.engine.sign_in().await.unwrap().account.id;
    assert_eq!(s.status(&id, "vendor", "/orders").await, 200);
    let before = s.http.token_requests();
    let response = s.engine.call_api(&id, "vendor", "/reports").await.unwrap();
    assert_eq!(response.status, 403);
    assert_eq!(response.body["error"], "insufficient_scope");
    assert_eq!(
        s.http.token_requests(),
        before,
        "no refresh for a scope nobody may ask"
    );
}

#[tokio::test]
async fn a_refresh_refused_with_invalid_target_leaves_no_consumed_token_in_use() {
    let s = setup(ProviderKind::Rfc8707, "", |_| {}).await;
    let id = s.engine.sign_in().await.unwrap().account.id;
    // A later version of the app names a resource the IdP does not know for the vendor API.
    let mut config = s.engine.config().clone();
    config.apis[1].resource = Some("api://lanyard-unknown".into());
    config.apis[1].scopes = vec!["openid".into()];
    let misconfigured = Engine::builder(config, identity())
        .http(s.http.clone())
        .build()
        .unwrap();
    let err = misconfigured
        .acquire_token_silent(&id, "vendor")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), lanyard::ErrorKind::Service, "{err}");
    assert!(err.to_string().contains("invalid_target"), "{err}");
    // node-oidc-provider consumed the refresh token before refusing the resource: it is gone
    // from the cache, so it is never replayed (a replay would revoke the whole grant).
    let before = s.http.token_requests();
    let now = unix_now();
    s.stack
        .customer_policy()
        .revoke_tokens_issued_before(Some(now + 1));
    after_second(now).await;
    let err = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap_err();
    assert_reason(&err, InteractionReason::NoRefreshToken);
    assert_eq!(
        s.http.token_requests(),
        before,
        "the consumed token was not sent again"
    );
    // Signing in again works: the grant was not revoked by a replay.
    s.engine.sign_in().await.unwrap();
    let response = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(response.status, 200, "{:?}", response.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_silent_calls_in_one_process_send_one_refresh_per_api() {
    let s = setup(ProviderKind::Rfc8707, "", |_| {}).await;
    let id = s.engine.sign_in().await.unwrap().account.id;
    let before = s.http.token_requests();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (engine, id) = (s.engine.clone(), id.clone());
        let api = if i % 2 == 0 { "vendor" } else { "customer" };
        tasks.push(tokio::spawn(async move {
            engine
                .acquire_token_silent(&id, api)
                .await
                .map(|g| g.secret().to_owned())
        }));
    }
    let mut vendor_tokens = std::collections::HashSet::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let token = task.await.unwrap().unwrap();
        if i % 2 == 0 {
            vendor_tokens.insert(token);
        }
    }
    // The customer token came with the sign-in; the vendor one needed exactly one refresh,
    // shared by all eight callers.
    assert_eq!(s.http.token_requests() - before, 1);
    assert_eq!(vendor_tokens.len(), 1);
}

#[tokio::test]
async fn a_claims_challenge_after_the_forced_refresh_still_asks_the_user() {
    let s = setup(ProviderKind::Rfc8707, "", |_| {}).await;
    let id = s.engine.sign_in().await.unwrap().account.id;
    // Revoked (401 invalid_token) and, once refreshed, short of the authentication context.
    let now = unix_now();
    s.stack
        .customer_policy()
        .revoke_tokens_issued_before(Some(now + 1));
    s.stack.customer_policy().require_auth_context(Some("c1"));
    after_second(now).await;
    let before = s.http.token_requests();
    let err = s
        .engine
        .call_api(&id, "customer", "/customers")
        .await
        .unwrap_err();
    assert_reason(&err, InteractionReason::ClaimsChallenge);
    assert_eq!(
        s.http.token_requests() - before,
        1,
        "one forced refresh, no more"
    );
}
