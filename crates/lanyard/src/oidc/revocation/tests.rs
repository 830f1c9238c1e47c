use std::sync::Mutex;

use http::{Response, StatusCode};

use super::*;
use crate::oidc::discover;

const ISSUER: &str = "http://127.0.0.1:7700";

/// Serves discovery (with or without `revocation_endpoint`) and an empty JWKS, answers 200
/// to anything else, and keeps every request.
struct FakeIdp {
    revocation: bool,
    requests: Mutex<Vec<HttpRequest>>,
}

impl HttpTransport for FakeIdp {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let body = match request.uri().path() {
            "/.well-known/openid-configuration" => {
                let mut doc = serde_json::json!({
                    "issuer": ISSUER,
                    "authorization_endpoint": format!("{ISSUER}/auth"),
                    "token_endpoint": format!("{ISSUER}/token"),
                    "jwks_uri": format!("{ISSUER}/jwks"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                });
                if self.revocation {
                    doc["revocation_endpoint"] = format!("{ISSUER}/token/revocation").into();
                }
                doc.to_string()
            }
            "/jwks" => r#"{"keys": []}"#.to_owned(),
            _ => String::new(),
        };
        self.requests.lock().unwrap().push(request);
        let response = Response::builder()
            .status(StatusCode::OK)
            .body(body.into_bytes())
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

async fn revoke(revocation: bool) -> (Revocation, Vec<HttpRequest>) {
    let idp = FakeIdp {
        revocation,
        requests: Mutex::default(),
    };
    let provider = discover(&idp, &Url::parse(ISSUER).unwrap()).await.unwrap();
    let token = RefreshToken::new("rt-secret".into());
    let outcome = revoke_refresh_token(&idp, &provider, "client-1", token)
        .await
        .unwrap();
    let mut requests = idp.requests.into_inner().unwrap();
    requests.drain(..2); // discovery and JWKS
    (outcome, requests)
}

#[tokio::test]
async fn revokes_at_the_real_loopback_url_as_the_public_client() {
    let (outcome, requests) = revoke(true).await;
    assert_eq!(outcome, Revocation::Revoked);
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:7700/token/revocation"
    );
    let form: Vec<(String, String)> = url::form_urlencoded::parse(request.body())
        .into_owned()
        .collect();
    for pair in [
        ("token", "rt-secret"),
        ("token_type_hint", "refresh_token"),
        ("client_id", "client-1"),
    ] {
        assert!(
            form.contains(&(pair.0.into(), pair.1.into())),
            "{pair:?} in {form:?}"
        );
    }
    assert!(request.headers().get(http::header::AUTHORIZATION).is_none());
}

#[tokio::test]
async fn sends_nothing_without_a_revocation_endpoint() {
    let (outcome, requests) = revoke(false).await;
    assert_eq!(outcome, Revocation::Unsupported);
    assert!(requests.is_empty());
}

#[test]
fn loopback_http_endpoints_are_spelled_https_for_oauth2_only() {
    let spell = |s: &str| https_spelling(&Url::parse(s).unwrap()).unwrap().to_string();
    assert_eq!(
        spell("http://127.0.0.1:41234/token/revocation"),
        "https://127.0.0.1:41234/token/revocation"
    );
    assert_eq!(spell("http://[::1]:7/r?x=1"), "https://[::1]:7/r?x=1");
}

#[test]
fn provider_refusals_are_service_errors() {
    let refusal = CoreRevocationErrorResponse::new(
        oauth2::RevocationErrorResponseType::UnsupportedTokenType,
        Some("no refresh token revocation here".into()),
        None,
    );
    let e = map_revocation_error(RequestTokenError::ServerResponse(refusal));
    assert_eq!(e.kind(), crate::error::ErrorKind::Service);
    assert!(e.to_string().contains("unsupported_token_type"), "{e}");
}
