//! Which tokens the customer API accepts, and the exact refusals.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lanyard_demo_apis::{spawn, ApiSpec, RunningApi};
use serde_json::{json, Value};

use crate::support::{claims, get, invalid, now, sign, sign_with, FakeIdp, Key};

async fn stack() -> (FakeIdp, RunningApi) {
    let idp = FakeIdp::start(vec![Key::RsaA, Key::Ec]).await;
    let api = spawn(ApiSpec::customer(&idp.issuer)).await.unwrap();
    (idp, api)
}

/// Asserts `token` is refused on /customers with 401 invalid_token `reason`.
async fn assert_invalid(api: &RunningApi, token: &str, reason: &str) {
    let (status, challenge, body) =
        get(&format!("{}/customers", api.base_url()), Some(token)).await;
    assert_eq!(status, 401, "{reason}: {body}");
    assert_eq!(
        challenge.as_deref(),
        Some(invalid("customer", reason).as_str())
    );
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(body["error_description"], reason);
}

async fn assert_ok(api: &RunningApi, token: &str) -> Value {
    let (status, challenge, body) =
        get(&format!("{}/customers", api.base_url()), Some(token)).await;
    assert_eq!(status, 200, "{challenge:?} {body}");
    body
}

#[tokio::test]
async fn a_valid_token_gets_the_data() {
    let (idp, api) = stack().await;
    let body = assert_ok(&api, &sign(&claims(&idp.issuer))).await;
    assert_eq!(body["api"], "customer");
    assert_eq!(body["subject"], "alice");
    assert_eq!(body["scopes"], json!(["openid", "customer.read"]));
    assert_eq!(body["customers"].as_array().unwrap().len(), 3);
    for customer in body["customers"].as_array().unwrap() {
        assert!(
            customer["id"].is_string()
                && customer["name"].is_string()
                && customer["city"].is_string()
        );
    }
}

#[tokio::test]
async fn no_authorization_header_gets_a_bare_challenge() {
    let (_idp, api) = stack().await;
    let (status, challenge, body) = get(&format!("{}/customers", api.base_url()), None).await;
    assert_eq!(status, 401);
    assert_eq!(challenge.as_deref(), Some(r#"Bearer realm="customer""#));
    assert!(body["error"].is_string() && body["error_description"].is_string());
}

#[tokio::test]
async fn expiry_is_checked_with_a_small_leeway() {
    let (idp, api) = stack().await;
    let mut expired = claims(&idp.issuer);
    expired["exp"] = json!(now() - 120);
    assert_invalid(&api, &sign(&expired), "token expired").await;

    let mut just_expired = claims(&idp.issuer);
    just_expired["exp"] = json!(now() - 20);
    assert_ok(&api, &sign(&just_expired)).await;
}

#[tokio::test]
async fn not_before_is_checked_when_present() {
    let (idp, api) = stack().await;
    let mut early = claims(&idp.issuer);
    early["nbf"] = json!(now() + 600);
    assert_invalid(&api, &sign(&early), "token not yet valid").await;

    let mut started = claims(&idp.issuer);
    started["nbf"] = json!(now() - 5);
    assert_ok(&api, &sign(&started)).await;
}

#[tokio::test]
async fn the_audience_must_be_this_api() {
    let (idp, api) = stack().await;
    let mut other = claims(&idp.issuer);
    other["aud"] = json!("api://lanyard-vendor");
    assert_invalid(&api, &sign(&other), "wrong audience").await;

    let mut others = claims(&idp.issuer);
    others["aud"] = json!(["api://lanyard-vendor", "account"]);
    assert_invalid(&api, &sign(&others), "wrong audience").await;

    let mut listed = claims(&idp.issuer);
    listed["aud"] = json!(["api://lanyard-vendor", "api://lanyard-customer"]);
    assert_ok(&api, &sign(&listed)).await;

    let mut none = claims(&idp.issuer);
    none.as_object_mut().unwrap().remove("aud");
    assert_invalid(&api, &sign(&none), "missing required claim").await;
}

#[tokio::test]
async fn the_issuer_must_match_exactly() {
    let (idp, api) = stack().await;
    for wrong in ["http://127.0.0.1:1".to_owned(), format!("{}/", idp.issuer)] {
        let mut other = claims(&idp.issuer);
        other["iss"] = json!(wrong);
        assert_invalid(&api, &sign(&other), "wrong issuer").await;
    }
    let mut none = claims(&idp.issuer);
    none.as_object_mut().unwrap().remove("iss");
    assert_invalid(&api, &sign(&none), "malformed claims").await;
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let (idp, api) = stack().await;
    // Key B signs, but the header names key A.
    let forged = sign_with(
        Key::RsaB,
        Algorithm::RS256,
        Some(Key::RsaA.kid()),
        None,
        &claims(&idp.issuer),
    );
    assert_invalid(&api, &forged, "bad signature").await;

    // A good token whose payload was swapped for another subject's.
    let good = sign(&claims(&idp.issuer));
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let mut payload = claims(&idp.issuer);
    payload["sub"] = json!("mallory");
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    assert_invalid(&api, &parts.join("."), "bad signature").await;
}

#[tokio::test]
async fn alg_none_and_hmac_are_refused() {
    let (idp, api) = stack().await;
    let header = json!({ "alg": "none", "typ": "JWT", "kid": Key::RsaA.kid() });
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims(&idp.issuer).to_string())
    );
    assert_invalid(&api, &unsigned, "malformed token").await;

    // HS256 keyed with the RSA public key's text: the classic confusion attack.
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some(Key::RsaA.kid().into());
    let secret = Key::RsaA.jwk().to_string();
    let hmac = jsonwebtoken::encode(
        &hs,
        &claims(&idp.issuer),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    assert_invalid(&api, &hmac, "algorithm not allowed").await;

    // RS384 is a real signature, but not one of RS256/ES256/PS256.
    let rs384 = sign_with(
        Key::RsaA,
        Algorithm::RS384,
        Some(Key::RsaA.kid()),
        None,
        &claims(&idp.issuer),
    );
    assert_invalid(&api, &rs384, "algorithm not allowed").await;
}

#[tokio::test]
async fn es256_and_ps256_are_accepted() {
    let (idp, api) = stack().await;
    let es = sign_with(
        Key::Ec,
        Algorithm::ES256,
        Some(Key::Ec.kid()),
        Some("at+jwt"),
        &claims(&idp.issuer),
    );
    assert_ok(&api, &es).await;
    let ps = sign_with(
        Key::RsaA,
        Algorithm::PS256,
        Some(Key::RsaA.kid()),
        Some("JWT"),
        &claims(&idp.issuer),
    );
    assert_ok(&api, &ps).await;
    // An RSA algorithm naming the EC key does not fit it.
    let mismatched = sign_with(
        Key::RsaA,
        Algorithm::RS256,
        Some(Key::Ec.kid()),
        None,
        &claims(&idp.issuer),
    );
    assert_invalid(
        &api,
        &mismatched,
        "algorithm does not match the signing key",
    )
    .await;
}

#[tokio::test]
async fn token_types_other_than_access_tokens_are_refused() {
    let (idp, api) = stack().await;
    let c = claims(&idp.issuer);
    for typ in [
        None,
        Some("JWT"),
        Some("at+jwt"),
        Some("application/at+jwt"),
    ] {
        assert_ok(
            &api,
            &sign_with(Key::RsaA, Algorithm::RS256, Some(Key::RsaA.kid()), typ, &c),
        )
        .await;
    }
    let dpop = sign_with(
        Key::RsaA,
        Algorithm::RS256,
        Some(Key::RsaA.kid()),
        Some("dpop+jwt"),
        &c,
    );
    assert_invalid(&api, &dpop, "unexpected token type").await;
}

#[tokio::test]
async fn a_token_without_the_scope_is_forbidden() {
    let (idp, api) = stack().await;
    for scope in ["openid profile", "customer.readonly", "vendor.read"] {
        let mut c = claims(&idp.issuer);
        c["scope"] = json!(scope);
        let (status, challenge, body) =
            get(&format!("{}/customers", api.base_url()), Some(&sign(&c))).await;
        assert_eq!(status, 403, "{scope}");
        assert_eq!(
            challenge.as_deref(),
            Some(r#"Bearer realm="customer", error="insufficient_scope", scope="customer.read""#)
        );
        assert_eq!(body["error"], "insufficient_scope");
    }
    let mut none = claims(&idp.issuer);
    none.as_object_mut().unwrap().remove("scope");
    let (status, _, _) = get(&format!("{}/me", api.base_url()), Some(&sign(&none))).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn entra_style_scp_grants_the_scope() {
    let (idp, api) = stack().await;
    let mut c = claims(&idp.issuer);
    c.as_object_mut().unwrap().remove("scope");
    c["scp"] = json!("customer.read User.Read");
    let body = assert_ok(&api, &sign(&c)).await;
    assert_eq!(body["scopes"], json!(["customer.read", "User.Read"]));
}

#[tokio::test]
async fn malformed_tokens_are_invalid() {
    let (idp, api) = stack().await;
    assert_invalid(&api, "not-a-jwt", "malformed token").await;
    assert_invalid(&api, "a.b.c", "malformed token").await;
    let mut no_sub = claims(&idp.issuer);
    no_sub.as_object_mut().unwrap().remove("sub");
    assert_invalid(&api, &sign(&no_sub), "malformed claims").await;
    let mut no_exp = claims(&idp.issuer);
    no_exp.as_object_mut().unwrap().remove("exp");
    assert_invalid(&api, &sign(&no_exp), "malformed claims").await;
}
