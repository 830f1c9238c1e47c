use jsonwebtoken::Algorithm;
use serde_json::{json, Value};

use super::{http_url, JwksSource, KeySet};
use crate::DemoApiError;

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture JWK is JSON")
}

fn rsa_a() -> Value {
    fixture(include_str!("../../tests/fixtures/rsa-a.jwk.json"))
}

fn ec() -> Value {
    fixture(include_str!("../../tests/fixtures/ec-p256.jwk.json"))
}

#[test]
fn keeps_signing_keys_and_skips_the_rest() {
    let mut enc = rsa_a();
    enc["use"] = json!("enc");
    enc["kid"] = json!("encryption");
    let mut sym = json!({ "kty": "oct", "kid": "hmac", "k": "c2VjcmV0" });
    sym["use"] = json!("sig");
    let set = KeySet::from_raw(vec![rsa_a(), ec(), enc, sym, json!({ "kty": "nonsense" })]);
    let kids: Vec<_> = set.keys.iter().map(|k| k.kid.clone().unwrap()).collect();
    assert_eq!(kids, ["test-rsa-a", "test-ec-p256"]);
}

#[test]
fn finds_by_kid_and_checks_the_algorithm() {
    let set = KeySet::from_raw(vec![rsa_a(), ec()]);
    assert!(matches!(
        set.find(Some("test-rsa-a"), Algorithm::RS256),
        Some(Ok(_))
    ));
    assert!(matches!(
        set.find(Some("test-rsa-a"), Algorithm::PS256),
        Some(Ok(_))
    ));
    assert!(matches!(
        set.find(Some("test-ec-p256"), Algorithm::ES256),
        Some(Ok(_))
    ));
    assert!(matches!(
        set.find(Some("test-rsa-a"), Algorithm::ES256),
        Some(Err(DemoApiError::InvalidToken(_)))
    ));
    assert!(matches!(
        set.find(Some("test-rsa-a"), Algorithm::HS256),
        Some(Err(DemoApiError::InvalidToken(_)))
    ));
    assert!(set.find(Some("elsewhere"), Algorithm::RS256).is_none());
}

#[test]
fn a_jwk_alg_pins_the_algorithm() {
    let mut pinned = rsa_a();
    pinned["alg"] = json!("RS256");
    let set = KeySet::from_raw(vec![pinned]);
    assert!(matches!(
        set.find(Some("test-rsa-a"), Algorithm::RS256),
        Some(Ok(_))
    ));
    assert!(matches!(
        set.find(Some("test-rsa-a"), Algorithm::PS256),
        Some(Err(DemoApiError::InvalidToken(_)))
    ));
}

#[test]
fn no_kid_needs_a_single_key() {
    let one = KeySet::from_raw(vec![rsa_a()]);
    assert!(matches!(one.find(None, Algorithm::RS256), Some(Ok(_))));
    let two = KeySet::from_raw(vec![rsa_a(), ec()]);
    assert!(matches!(
        two.find(None, Algorithm::RS256),
        Some(Err(DemoApiError::InvalidToken(_)))
    ));
}

#[test]
fn issuer_must_be_an_http_url() {
    assert!(http_url("http://127.0.0.1:7700", "issuer").is_ok());
    assert!(matches!(
        JwksSource::discovery("file:///etc/passwd"),
        Err(DemoApiError::Config(_))
    ));
    assert!(matches!(
        JwksSource::discovery("not a url"),
        Err(DemoApiError::Config(_))
    ));
}
