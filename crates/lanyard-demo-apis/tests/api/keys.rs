//! Key discovery, caching, rotation and an unreachable IdP.

use std::time::Duration;

use jsonwebtoken::Algorithm;
use lanyard_demo_apis::{spawn, spawn_with_keys, ApiSpec, JwksSource, RunningApi};
use serde_json::Value;

use crate::support::{claims, dead_address, get, invalid, sign, sign_with, FakeIdp, Key};

fn signed_by(key: Key, kid: &str, issuer: &str) -> String {
    sign_with(
        key,
        Algorithm::RS256,
        Some(kid),
        Some("at+jwt"),
        &claims(issuer),
    )
}

async fn customers(api: &RunningApi, token: &str) -> (u16, Option<String>, Value) {
    get(&format!("{}/customers", api.base_url()), Some(token)).await
}

#[tokio::test]
async fn keys_are_fetched_lazily_once_and_cached() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    assert_eq!(
        idp.jwks_fetches(),
        0,
        "nothing fetched before the first token"
    );
    let token = sign(&claims(&idp.issuer));
    for _ in 0..3 {
        assert_eq!(customers(&api, &token).await.0, 200);
    }
    assert_eq!(idp.jwks_fetches(), 1);
}

#[tokio::test]
async fn concurrent_first_requests_share_one_fetch() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let token = sign(&claims(&idp.issuer));
    let url = format!("{}/customers", api.base_url());
    let requests = (0..8).map(|_| {
        let (url, token) = (url.clone(), token.clone());
        tokio::spawn(async move { get(&url, Some(&token)).await.0 })
    });
    for request in requests.collect::<Vec<_>>() {
        assert_eq!(request.await.unwrap(), 200);
    }
    assert_eq!(idp.jwks_fetches(), 1);
}

#[tokio::test]
async fn an_unknown_kid_refetches_once_to_follow_rotation() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let old = signed_by(Key::RsaA, Key::RsaA.kid(), &idp.issuer);
    assert_eq!(customers(&api, &old).await.0, 200);
    assert_eq!(idp.jwks_fetches(), 1);

    // The IdP rotates to key B; a token signed with B names a kid the API
    // has not seen: one re-fetch, then success.
    idp.set_keys(vec![Key::RsaB]);
    let new = signed_by(Key::RsaB, Key::RsaB.kid(), &idp.issuer);
    let (status, _, body) = customers(&api, &new).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(idp.jwks_fetches(), 2);
    assert_eq!(customers(&api, &new).await.0, 200);
    assert_eq!(idp.jwks_fetches(), 2, "the new key is cached");

    // Another unknown kid within the refetch interval: no fetch, refused.
    let ghost = signed_by(Key::RsaB, "ghost", &idp.issuer);
    let (status, challenge, _) = customers(&api, &ghost).await;
    assert_eq!(status, 401);
    assert_eq!(
        challenge.as_deref(),
        Some(invalid("customer", "unknown signing key").as_str())
    );
    // The retired key is gone from the cache too.
    assert_eq!(customers(&api, &old).await.0, 401);
    assert_eq!(idp.jwks_fetches(), 2, "re-fetches are rate-limited");
}

#[tokio::test]
async fn each_unknown_kid_costs_exactly_one_fetch_when_not_rate_limited() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let keys = JwksSource::discovery(&idp.issuer)
        .unwrap()
        .with_min_refetch_interval(Duration::ZERO);
    let api = spawn_with_keys(ApiSpec::customer(&idp.issuer), keys)
        .await
        .unwrap();
    assert_eq!(customers(&api, &sign(&claims(&idp.issuer))).await.0, 200);
    let ghost = signed_by(Key::RsaA, "ghost", &idp.issuer);
    for expected in 2..=4 {
        assert_eq!(customers(&api, &ghost).await.0, 401);
        assert_eq!(idp.jwks_fetches(), expected);
    }
}

#[tokio::test]
async fn an_unreachable_jwks_is_503_not_401() {
    let dead = dead_address().await;
    let idp = FakeIdp::start_with(vec![Key::RsaA], Some(format!("http://{dead}/jwks")), None).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let (status, challenge, body) = customers(&api, &sign(&claims(&idp.issuer))).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(challenge, None);
    assert_eq!(body["error"], "temporarily_unavailable");
    assert!(body["error_description"].is_string());
    // A request without a token still gets the plain challenge.
    let (status, challenge, _) = get(&format!("{}/customers", api.base_url()), None).await;
    assert_eq!(status, 401);
    assert_eq!(challenge.as_deref(), Some(r#"Bearer realm="customer""#));
}

#[tokio::test]
async fn an_unreachable_issuer_is_503() {
    let issuer = format!("http://{}", dead_address().await);
    let api = spawn(ApiSpec::customer(&issuer)).await.unwrap();
    let (status, challenge, _) = customers(&api, &sign(&claims(&issuer))).await;
    assert_eq!(status, 503);
    assert_eq!(challenge, None);
}

#[tokio::test]
async fn a_failing_jwks_is_503_and_recovery_is_picked_up() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let token = sign(&claims(&idp.issuer));
    idp.set_jwks_failing(true);
    assert_eq!(customers(&api, &token).await.0, 503);
    idp.set_jwks_failing(false);
    assert_eq!(customers(&api, &token).await.0, 200);

    // With keys cached, a failing re-fetch for a new kid is 503 too, and
    // stays 503 (not 401) while re-fetches are rate-limited.
    idp.set_jwks_failing(true);
    idp.set_keys(vec![Key::RsaB]);
    let new = signed_by(Key::RsaB, Key::RsaB.kid(), &idp.issuer);
    assert_eq!(customers(&api, &new).await.0, 503);
    assert_eq!(customers(&api, &new).await.0, 503);
    // Known keys keep working meanwhile.
    assert_eq!(customers(&api, &token).await.0, 200);
}

#[tokio::test]
async fn discovery_must_name_the_configured_issuer() {
    let idp = FakeIdp::start_with(
        vec![Key::RsaA],
        None,
        Some("https://elsewhere.example".into()),
    )
    .await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    assert_eq!(customers(&api, &sign(&claims(&idp.issuer))).await.0, 503);
}
