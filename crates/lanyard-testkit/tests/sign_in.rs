//! End-to-end: the real test IdP, the scripted browser, and a throwaway loopback listener
//! standing in for the app. Needs `npm ci --prefix tests/idp` and Node.js.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::process::Stdio;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lanyard_testkit::{complete_sign_in, BrowserError, Consent, Idp};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use url::Url;

const CUSTOMER: &str = "api://lanyard-customer";
const VENDOR: &str = "api://lanyard-vendor";

/// A random URL-safe string (good enough for test PKCE verifiers and states).
fn random_token(words: usize) -> String {
    let bytes: Vec<u8> = (0..words)
        .flat_map(|i| RandomState::new().hash_one(i).to_le_bytes())
        .collect();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Answers one request with 200 "signed in" and hands back its request line.
async fn loopback_listener() -> (u16, oneshot::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let head = String::from_utf8_lossy(&head);
        let line = head.lines().next().unwrap_or_default().to_owned();
        let body = "signed in";
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
        let _ = socket.shutdown().await;
        let _ = tx.send(line);
    });
    (port, rx)
}

struct Authorize {
    url: String,
    state: String,
    verifier: String,
    redirect_uri: String,
}

/// An authorization request for `lanyard-rfc8707` naming both APIs, with PKCE S256.
fn authorize_url(idp: &Idp, port: u16) -> Authorize {
    let verifier = random_token(5);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let state = random_token(2);
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let mut url = idp.endpoint("/auth");
    url.query_pairs_mut()
        .append_pair("client_id", "lanyard-rfc8707")
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair(
            "scope",
            "openid profile offline_access customer.read vendor.read",
        )
        .append_pair("resource", CUSTOMER)
        .append_pair("resource", VENDOR)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", &state);
    Authorize {
        url: url.into(),
        state,
        verifier,
        redirect_uri,
    }
}

fn query_of(request_line: &str) -> HashMap<String, String> {
    let target = request_line.split(' ').nth(1).expect("a request target");
    Url::parse(&format!("http://x{target}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

fn jwt_claims(jwt: &str) -> serde_json::Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn signs_in_and_the_app_gets_code_state_and_iss() {
    let idp = Idp::start().await.expect("start the test IdP");
    let (port, request_line) = loopback_listener().await;
    let auth = authorize_url(&idp, port);

    let trace = complete_sign_in(&auth.url, "alice", "alice-password", Consent::Allow)
        .await
        .expect("sign-in");
    assert_eq!(trace.final_status, 200);
    assert_eq!(trace.final_body, "signed in");
    assert_eq!(trace.final_host, format!("127.0.0.1:{port}"));
    assert_eq!(trace.final_path, "/callback");
    assert_eq!(trace.consent_prompts, 1);
    assert_eq!(trace.login_attempts, 1);
    assert_eq!(trace.redirect_error, None);
    for key in ["code", "state", "iss"] {
        assert!(trace.final_query_keys.iter().any(|k| k == key), "{key}");
    }
    for step in &trace.steps {
        assert!(
            !step.contains(&auth.state),
            "a step shows the state: {step}"
        );
    }

    let query = query_of(&request_line.await.unwrap());
    assert_eq!(query.get("state"), Some(&auth.state));
    assert_eq!(query.get("iss").map(String::as_str), Some(idp.issuer()));
    let code = query.get("code").filter(|c| !c.is_empty()).expect("code");

    // The code is good: redeem it for the customer API.
    let response: serde_json::Value = reqwest::Client::new()
        .post(idp.endpoint("/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", "lanyard-rfc8707"),
            ("code", code),
            ("code_verifier", &auth.verifier),
            ("redirect_uri", &auth.redirect_uri),
            ("resource", CUSTOMER),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let claims = jwt_claims(response["access_token"].as_str().expect("access token"));
    assert_eq!(claims["aud"], CUSTOMER);
    assert_eq!(claims["scope"], "customer.read");
    assert_eq!(claims["sub"], "alice");
    assert!(response["refresh_token"].is_string());
}

#[tokio::test]
async fn wrong_password_is_login_rejected() {
    let idp = Idp::start().await.expect("start the test IdP");
    let auth = authorize_url(&idp, 9); // never reached
    let err = complete_sign_in(&auth.url, "alice", "not-her-password", Consent::Allow)
        .await
        .expect_err("must fail");
    match err {
        BrowserError::LoginRejected { message } => {
            assert!(
                message.contains("Invalid username or password"),
                "{message}"
            );
        }
        other => panic!("expected LoginRejected, got {other}"),
    }
}

#[tokio::test]
async fn deny_sends_access_denied_to_the_app() {
    let idp = Idp::start().await.expect("start the test IdP");
    let (port, request_line) = loopback_listener().await;
    let auth = authorize_url(&idp, port);
    let trace = complete_sign_in(&auth.url, "bob", "bob-password", Consent::Deny)
        .await
        .expect("the flow completes");
    assert_eq!(trace.redirect_error.as_deref(), Some("access_denied"));
    assert_eq!(trace.consent_prompts, 1);
    let query = query_of(&request_line.await.unwrap());
    assert_eq!(
        query.get("error").map(String::as_str),
        Some("access_denied")
    );
    assert_eq!(query.get("state"), Some(&auth.state));
    assert!(!query.contains_key("code"));
}

#[tokio::test]
async fn idp_error_page_is_unexpected_page() {
    let idp = Idp::start().await.expect("start the test IdP");
    let mut url = idp.endpoint("/auth");
    url.query_pairs_mut()
        .append_pair("client_id", "no-such-client")
        .append_pair("response_type", "code");
    let err = complete_sign_in(url.as_str(), "alice", "alice-password", Consent::Allow)
        .await
        .expect_err("must fail");
    assert!(
        matches!(err, BrowserError::UnexpectedPage { status: 400, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn the_binary_signs_in_and_reports_failures() {
    let idp = Idp::start().await.expect("start the test IdP");
    let exe = env!("CARGO_BIN_EXE_lanyard-test-browser");

    let (port, request_line) = loopback_listener().await;
    let auth = authorize_url(&idp, port);
    let ok = tokio::process::Command::new(exe)
        .arg(&auth.url)
        .env_remove("LANYARD_TEST_USER")
        .env_remove("LANYARD_TEST_PASSWORD")
        .env_remove("LANYARD_TEST_CONSENT")
        .stdout(Stdio::null())
        .output()
        .await
        .unwrap();
    let log = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{log}");
    assert!(
        !log.contains(&auth.state),
        "the log shows the state:\n{log}"
    );
    let query = query_of(&request_line.await.unwrap());
    assert!(
        !log.contains(&query["code"]),
        "the log shows the code:\n{log}"
    );
    assert_eq!(query.get("state"), Some(&auth.state));

    let auth = authorize_url(&idp, 9);
    let bad = tokio::process::Command::new(exe)
        .arg(&auth.url)
        .env("LANYARD_TEST_PASSWORD", "pw-Zx81q-wrong")
        .output()
        .await
        .unwrap();
    let log = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{log}");
    assert!(log.contains("rejected the login"), "{log}");
    assert!(
        !log.contains("pw-Zx81q"),
        "the log shows the password:\n{log}"
    );
}
