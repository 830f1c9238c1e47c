//! `Engine::cached_token`: the answer without waiting is the cached token the async path would
//! give, and nothing when the async path has more to do.

use std::sync::Arc;
use std::time::Duration;

use oauth2::AccessToken;

use crate::browser::BrowserOpener;
use crate::cache::tests::MemoryKeyStore;
use crate::cache::{AccessRecord, AccountRecord};
use crate::clock::ManualClock;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::Error;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport};
use crate::identity::AppIdentity;
use crate::model::{AccountId, AccountInfo, TokenSource};

/// The network is down: a refresh or discovery fails, a cache hit needs neither.
struct NoNetwork;

impl HttpTransport for NoNetwork {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async { Err(Error::Network("no network in this test".into())) })
    }
}

struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _: &url::Url) -> Result<(), Error> {
        Err(Error::Cancelled("no browser in this test".into()))
    }
}

/// An engine whose cache holds `alice` with a customer token valid for an hour.
async fn engine_with_a_token(dir: &std::path::Path) -> (Engine, Arc<ManualClock>, AccountId) {
    let config = Config::from_toml(&format!(
        r#"
authority = "https://idp.example.test"
client_id = "lanyard"
cache_dir = "{}"

[[apis]]
name = "customer"
base_url = "https://customer.example.test"
scopes = ["customer.read"]

[[apis]]
name = "vendor"
base_url = "https://vendor.example.test"
scopes = ["vendor.read"]
"#,
        dir.display()
    ))
    .unwrap();
    let clock = Arc::new(ManualClock::new());
    let identity = AppIdentity::new("dev.lanyard.tests", "Lanyard tests").unwrap();
    let engine = Engine::builder(config, identity)
        .http(Arc::new(NoNetwork))
        .clock(clock.clone())
        .browser(Arc::new(NoBrowser))
        .key_store(Arc::new(MemoryKeyStore::default()))
        .build()
        .unwrap();
    let alice = AccountId("alice".into());
    let api = engine.inner.config.api("customer").unwrap().clone();
    let now = engine.now();
    let mut store = engine.inner.cache.lock().await;
    let cache = store.get(now).unwrap();
    cache.upsert_account(AccountRecord {
        key: engine.account_key(&alice),
        info: AccountInfo {
            id: alice.clone(),
            username: None,
            name: None,
            issuer: "https://idp.example.test".into(),
            tenant_id: None,
        },
        realm: "organizations".into(),
        local_account_id: "alice".into(),
    });
    cache.put_access_token(AccessRecord {
        key: engine.access_key(&alice, &api),
        secret: AccessToken::new("customer-access-token".into()),
        scopes: api.scopes.clone(),
        resource: None,
        realm: "organizations".into(),
        cached_at: now,
        expires_on: now + 3600,
        extended_expires_on: now + 3600,
    });
    store.save().unwrap();
    drop(store);
    (engine, clock, alice)
}

#[tokio::test]
async fn a_fresh_cached_token_is_answered_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _, alice) = engine_with_a_token(dir.path()).await;

    let now = engine
        .cached_token(&alice, "customer")
        .expect("a cache hit");
    assert_eq!(now.info().source, TokenSource::Cache);
    let later = engine
        .acquire_token_silent(&alice, "customer")
        .await
        .unwrap();
    assert_eq!(now.secret(), later.secret());
    assert_eq!(now.info(), later.info());
}

#[tokio::test]
async fn anything_but_a_fresh_hit_is_left_to_the_async_path() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _, alice) = engine_with_a_token(dir.path()).await;

    assert!(engine
        .cached_token(&AccountId("bob".into()), "customer")
        .is_none());
    assert!(
        engine.cached_token(&alice, "vendor").is_none(),
        "no token yet"
    );
    assert!(engine.cached_token(&alice, "nope").is_none(), "no such API");

    // Someone holds the cache (a refresh under way): no waiting.
    let held = engine.inner.cache.lock().await;
    assert!(engine.cached_token(&alice, "customer").is_none());
    drop(held);
    assert!(engine.cached_token(&alice, "customer").is_some());

    // Another process replaced the cache file (as every writer does: a new file renamed over
    // it): the async path reloads it first.
    let other = tempfile::tempdir().unwrap();
    let (writer, _, _) = engine_with_a_token(other.path()).await;
    std::fs::rename(
        other.path().join("tokens.lanyard"),
        dir.path().join("tokens.lanyard"),
    )
    .unwrap();
    drop(writer);
    assert!(engine.cached_token(&alice, "customer").is_none());

    // Inside the expiry margin the token needs a refresh.
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock, alice) = engine_with_a_token(dir.path()).await;
    clock.advance(Duration::from_secs(3600 - super::EXPIRY_MARGIN_SECS + 1));
    assert!(engine.cached_token(&alice, "customer").is_none());
    assert!(
        engine
            .acquire_token_silent(&alice, "customer")
            .await
            .is_err(),
        "the async path would refresh (and has no network here)"
    );
}
