//! Routes per API name, `/me`, `/health` and unknown paths.

use lanyard_demo_apis::{spawn, ApiSpec};
use serde_json::json;

use crate::support::{claims, get, sign, FakeIdp, Key};

#[tokio::test]
async fn health_needs_no_token() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::vendor(&idp.issuer)).await.unwrap();
    let (status, _, body) = get(&format!("{}/health", api.base_url()), None).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "status": "ok", "api": "vendor" }));
    assert_eq!(idp.jwks_fetches(), 0);
}

#[tokio::test]
async fn me_describes_the_caller() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let c = claims(&idp.issuer);
    let (status, _, body) = get(&format!("{}/me", api.base_url()), Some(&sign(&c))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({
            "api": "customer",
            "subject": "alice",
            "audience": "api://lanyard-customer",
            "scopes": ["openid", "customer.read"],
            "expires_at": c["exp"],
        })
    );
}

#[tokio::test]
async fn the_vendor_api_serves_orders_only() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::vendor(&idp.issuer)).await.unwrap();
    let mut c = claims(&idp.issuer);
    c["aud"] = json!("api://lanyard-vendor");
    c["scope"] = json!("vendor.read");
    c["sub"] = json!("bob");
    let token = sign(&c);
    let (status, _, body) = get(&format!("{}/orders", api.base_url()), Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["api"], "vendor");
    assert_eq!(body["subject"], "bob");
    assert_eq!(body["scopes"], json!(["vendor.read"]));
    let orders = body["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 3);
    assert!(orders
        .iter()
        .all(|o| o["id"].is_string() && o["item"].is_string() && o["quantity"].is_u64()));

    let (status, _, body) = get(&format!("{}/customers", api.base_url()), Some(&token)).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");

    // A customer token is refused here: wrong audience.
    let (status, challenge, _) = get(
        &format!("{}/orders", api.base_url()),
        Some(&sign(&claims(&idp.issuer))),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        challenge.as_deref(),
        Some(r#"Bearer realm="vendor", error="invalid_token", error_description="wrong audience""#)
    );
}

#[tokio::test]
async fn other_names_serve_only_me() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let spec = ApiSpec {
        name: "audit".into(),
        issuer: idp.issuer.clone(),
        audience: "api://lanyard-customer".into(),
        required_scope: "customer.read".into(),
        reports_scope: "customer.reports".into(),
    };
    let api = spawn(spec).await.unwrap();
    let token = sign(&claims(&idp.issuer));
    assert_eq!(
        get(&format!("{}/me", api.base_url()), Some(&token)).await.0,
        200
    );
    assert_eq!(
        get(&format!("{}/customers", api.base_url()), Some(&token))
            .await
            .0,
        404
    );
    assert_eq!(
        get(&format!("{}/orders", api.base_url()), Some(&token))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json_errors() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let (status, _, body) = get(&format!("{}/nope", api.base_url()), None).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    let response = reqwest::Client::new()
        .post(format!("{}/customers", api.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    let url = format!("{}/health", api.base_url());
    assert_eq!(get(&url, None).await.0, 200);
    api.shutdown().await.unwrap();
    assert!(reqwest::Client::new().get(&url).send().await.is_err());
}
