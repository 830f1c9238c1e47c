//! The runtime switches: a required authentication context (claims challenge), token
//! revocation by issue time, and `/reports`, which needs a scope sign-in does not ask for.

use lanyard_demo_apis::{claims_challenge, spawn, ApiSpec, RunningApi};
use serde_json::json;

use crate::support::{claims, get, invalid, now, sign, FakeIdp, Key};

async fn stack() -> (FakeIdp, RunningApi) {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    (idp, api)
}

#[tokio::test]
async fn a_required_auth_context_is_a_claims_challenge_until_the_token_has_it() {
    let (idp, api) = stack().await;
    let url = format!("{}/customers", api.base_url());
    let plain = sign(&claims(&idp.issuer));
    assert_eq!(get(&url, Some(&plain)).await.0, 200);

    api.policy().require_auth_context(Some("c1"));
    let (status, challenge, body) = get(&url, Some(&plain)).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "insufficient_claims");
    assert_eq!(
        challenge.as_deref(),
        Some(
            format!(
                r#"Bearer realm="customer", error="insufficient_claims", claims="{}""#,
                claims_challenge("c1")
            )
            .as_str()
        )
    );

    let mut stepped_up = claims(&idp.issuer);
    stepped_up["acrs"] = json!(["c1"]);
    assert_eq!(get(&url, Some(&sign(&stepped_up))).await.0, 200);
    stepped_up["acrs"] = json!(["c2"]);
    assert_eq!(get(&url, Some(&sign(&stepped_up))).await.0, 401);

    api.policy().require_auth_context(None);
    assert_eq!(get(&url, Some(&plain)).await.0, 200);
}

#[tokio::test]
async fn tokens_issued_before_a_revocation_are_invalid() {
    let (idp, api) = stack().await;
    let url = format!("{}/customers", api.base_url());
    let mut old = claims(&idp.issuer);
    old["iat"] = json!(now() - 10);
    let old = sign(&old);
    api.policy().revoke_tokens_issued_before(Some(now() - 5));
    let (status, challenge, _) = get(&url, Some(&old)).await;
    assert_eq!(status, 401);
    assert_eq!(
        challenge.as_deref(),
        Some(invalid("customer", "token revoked").as_str())
    );
    assert_eq!(get(&url, Some(&sign(&claims(&idp.issuer)))).await.0, 200);
}

#[tokio::test]
async fn reports_need_the_reports_scope() {
    let (idp, api) = stack().await;
    let url = format!("{}/reports", api.base_url());
    let (status, challenge, body) = get(&url, Some(&sign(&claims(&idp.issuer)))).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"], "insufficient_scope");
    assert_eq!(
        challenge.as_deref(),
        Some(r#"Bearer realm="customer", error="insufficient_scope", scope="customer.reports""#)
    );
    let mut more = claims(&idp.issuer);
    more["scope"] = json!("customer.read customer.reports");
    let (status, _, body) = get(&url, Some(&sign(&more))).await;
    assert_eq!(status, 200);
    assert_eq!(body["reports"].as_array().unwrap().len(), 2);
}
