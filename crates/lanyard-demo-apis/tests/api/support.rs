//! Test support: a fake IdP (discovery + JWKS) and token minting with the
//! test-only keys in `tests/fixtures/`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get as http_get;
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// One of the test-only fixture keys.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    RsaA,
    RsaB,
    Ec,
}

impl Key {
    pub fn kid(self) -> &'static str {
        match self {
            Key::RsaA => "test-rsa-a",
            Key::RsaB => "test-rsa-b",
            Key::Ec => "test-ec-p256",
        }
    }

    pub fn jwk(self) -> Value {
        let text = match self {
            Key::RsaA => include_str!("../fixtures/rsa-a.jwk.json"),
            Key::RsaB => include_str!("../fixtures/rsa-b.jwk.json"),
            Key::Ec => include_str!("../fixtures/ec-p256.jwk.json"),
        };
        serde_json::from_str(text).expect("fixture JWK")
    }

    pub fn pem(self) -> &'static [u8] {
        match self {
            Key::RsaA => include_bytes!("../fixtures/rsa-a.pem"),
            Key::RsaB => include_bytes!("../fixtures/rsa-b.pem"),
            Key::Ec => include_bytes!("../fixtures/ec-p256.pem"),
        }
    }

    fn encoding_key(self) -> EncodingKey {
        match self {
            Key::RsaA | Key::RsaB => EncodingKey::from_rsa_pem(self.pem()).expect("RSA PEM"),
            Key::Ec => EncodingKey::from_ec_pem(self.pem()).expect("EC PEM"),
        }
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Claims of a good customer-API token from `issuer`.
pub fn claims(issuer: &str) -> Value {
    let now = now();
    json!({
        "iss": issuer,
        "sub": "alice",
        "aud": "api://lanyard-customer",
        "iat": now,
        "exp": now + 300,
        "scope": "openid customer.read",
        "client_id": "lanyard-desktop",
    })
}

/// Signs `claims` with `key` under `alg`, naming `kid` and `typ`.
pub fn sign_with(
    key: Key,
    alg: Algorithm,
    kid: Option<&str>,
    typ: Option<&str>,
    claims: &Value,
) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    header.typ = typ.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key.encoding_key()).expect("sign")
}

/// Signs `claims` with RSA key A, RS256, its own kid, `typ: at+jwt`.
pub fn sign(claims: &Value) -> String {
    sign_with(
        Key::RsaA,
        Algorithm::RS256,
        Some(Key::RsaA.kid()),
        Some("at+jwt"),
        claims,
    )
}

#[derive(Default)]
struct IdpState {
    issuer: String,
    jwks_uri: String,
    keys: RwLock<Vec<Value>>,
    jwks_fetches: AtomicUsize,
    jwks_fails: AtomicBool,
}

/// A fake IdP on 127.0.0.1 serving discovery and a JWKS that tests can change.
pub struct FakeIdp {
    pub issuer: String,
    state: Arc<IdpState>,
    _server: tokio::task::JoinHandle<()>,
}

impl FakeIdp {
    /// An IdP publishing `keys`.
    pub async fn start(keys: Vec<Key>) -> Self {
        Self::start_with(keys, None, None).await
    }

    /// An IdP whose discovery names `jwks_uri` and/or `issuer` instead of
    /// its own.
    pub async fn start_with(
        keys: Vec<Key>,
        jwks_uri: Option<String>,
        issuer: Option<String>,
    ) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(IdpState {
            issuer: issuer.unwrap_or_else(|| base.clone()),
            jwks_uri: jwks_uri.unwrap_or_else(|| format!("{base}/jwks")),
            keys: RwLock::new(keys.iter().map(|k| k.jwk()).collect()),
            ..IdpState::default()
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", http_get(discovery))
            .route("/jwks", http_get(jwks))
            .with_state(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            issuer: base,
            state,
            _server: server,
        }
    }

    /// Replaces the published keys (key rotation).
    pub fn set_keys(&self, keys: Vec<Key>) {
        *self.state.keys.write().unwrap() = keys.iter().map(|k| k.jwk()).collect();
    }

    /// Makes the JWKS endpoint answer 500 (or recover).
    pub fn set_jwks_failing(&self, failing: bool) {
        self.state.jwks_fails.store(failing, Ordering::SeqCst);
    }

    /// How many times the JWKS was requested.
    pub fn jwks_fetches(&self) -> usize {
        self.state.jwks_fetches.load(Ordering::SeqCst)
    }
}

async fn discovery(State(state): State<Arc<IdpState>>) -> Json<Value> {
    Json(json!({
        "issuer": state.issuer,
        "jwks_uri": state.jwks_uri,
        "authorization_endpoint": format!("{}/authorize", state.issuer),
        "token_endpoint": format!("{}/token", state.issuer),
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(state): State<Arc<IdpState>>) -> Response {
    state.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    if state.jwks_fails.load(Ordering::SeqCst) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
    }
    let keys = state.keys.read().unwrap().clone();
    Json(json!({ "keys": keys })).into_response()
}

/// An address on 127.0.0.1 where nothing listens (bound, then released).
pub async fn dead_address() -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    listener.local_addr().unwrap()
}

/// A GET with an optional bearer token; returns status, WWW-Authenticate and JSON body.
pub async fn get(url: &str, token: Option<&str>) -> (u16, Option<String>, Value) {
    let client = reqwest::Client::new();
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = response.json().await.expect("JSON body");
    (status, challenge, body)
}

/// The exact `invalid_token` challenge for `reason` on `realm`.
pub fn invalid(realm: &str, reason: &str) -> String {
    format!(r#"Bearer realm="{realm}", error="invalid_token", error_description="{reason}""#)
}
