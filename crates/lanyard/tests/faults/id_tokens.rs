//! The OpenID relying-party negative cases, end to end: the real IdP issues the ID token, the
//! fault proxy re-signs it (edited) with the test keys and serves their key set as the JWKS.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lanyard::{Engine, Error, ErrorKind, SignedIn, JWKS_REFETCH_INTERVAL_SECS};
use lanyard_testkit::fault::Fault;
use serde_json::{json, Value};

use crate::support::Harness;

const JWKS: &str = "/jwks";

#[derive(Clone, Copy)]
enum Key {
    A,
    B,
}

impl Key {
    fn pem(self) -> &'static [u8] {
        match self {
            Key::A => include_bytes!("keys/a.pem"),
            Key::B => include_bytes!("keys/b.pem"),
        }
    }
    fn jwk(self) -> Value {
        let text = match self {
            Key::A => include_str!("keys/a.jwk.json"),
            Key::B => include_str!("keys/b.jwk.json"),
        };
        serde_json::from_str(text).unwrap()
    }
}

/// How to re-issue the IdP's ID token.
#[derive(Clone, Copy)]
struct Craft {
    key: Key,
    kid: Option<&'static str>,
    /// `alg: none`, no signature.
    unsigned: bool,
    edit: fn(&mut Value),
}

const GOOD: Craft = Craft {
    key: Key::A,
    kid: Some("test-a"),
    unsigned: false,
    edit: |_| {},
};

fn reissue(id_token: &str, craft: Craft) -> String {
    let payload = id_token.split('.').nth(1).expect("a JWT");
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    (craft.edit)(&mut claims);
    if craft.unsigned {
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "typ": "JWT"}).to_string());
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        return format!("{header}.{body}.");
    }
    let mut header = Header::new(Algorithm::RS256);
    header.kid = craft.kid.map(str::to_owned);
    let key = EncodingKey::from_rsa_pem(craft.key.pem()).unwrap();
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

/// Token responses get their ID token re-issued per `craft`; the JWKS holds `keys`.
fn script(h: &Harness, craft: Craft, keys: &[Key]) {
    h.proxy.clear();
    h.proxy.always(
        "/token",
        Fault::Rewrite(Arc::new(move |body: &[u8]| {
            let mut v: Value = serde_json::from_slice(body).unwrap();
            if let Some(t) = v["id_token"].as_str() {
                v["id_token"] = json!(reissue(t, craft));
            }
            v.to_string().into_bytes()
        })),
    );
    let keys: Vec<Value> = keys.iter().map(|k| k.jwk()).collect();
    h.proxy
        .always(JWKS, Fault::json(200, &json!({ "keys": keys })));
}

async fn sign_in(app: &Engine) -> Result<SignedIn, Error> {
    app.sign_in().await
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn bad_id_tokens_are_refused() {
    let h = Harness::start().await;

    // The harness itself: a well re-signed token is accepted.
    script(&h, GOOD, &[Key::A]);
    sign_in(&h.engine()).await.expect("a good token passes");

    let cases: [(&str, Craft, &[Key], &str); 8] = [
        (
            "bad signature",
            Craft {
                key: Key::B,
                ..GOOD
            },
            &[Key::A],
            "signature",
        ),
        (
            "alg none",
            Craft {
                unsigned: true,
                ..GOOD
            },
            &[Key::A],
            "signature",
        ),
        (
            "wrong iss",
            Craft {
                edit: |c| c["iss"] = json!("https://evil.example"),
                ..GOOD
            },
            &[Key::A],
            "issuer",
        ),
        (
            "wrong aud",
            Craft {
                edit: |c| c["aud"] = json!("someone-else"),
                ..GOOD
            },
            &[Key::A],
            "audience",
        ),
        (
            "nonce mismatch",
            Craft {
                edit: |c| c["nonce"] = json!("not-the-nonce"),
                ..GOOD
            },
            &[Key::A],
            "nonce",
        ),
        (
            "no nonce",
            Craft {
                edit: |c| {
                    c.as_object_mut().unwrap().remove("nonce");
                },
                ..GOOD
            },
            &[Key::A],
            "nonce",
        ),
        (
            "expired",
            Craft {
                edit: |c| {
                    c["iat"] = json!(now() - 7200);
                    c["exp"] = json!(now() - 3600);
                },
                ..GOOD
            },
            &[Key::A],
            "expired",
        ),
        (
            "no kid, several keys",
            Craft { kid: None, ..GOOD },
            &[Key::A, Key::B],
            "ambiguous",
        ),
    ];
    for (what, craft, keys, reason) in cases {
        script(&h, craft, keys);
        let e = sign_in(&h.engine()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol, "{what}: {e}");
        assert!(e.to_string().to_lowercase().contains(reason), "{what}: {e}");
    }
    assert!(
        h.engine().accounts().await.unwrap().len() == 1,
        "only the good sign-in stored"
    );

    // Without kid but with one key there is no ambiguity.
    script(&h, Craft { kid: None, ..GOOD }, &[Key::A]);
    sign_in(&h.engine()).await.expect("one key, no kid");
}

#[tokio::test]
async fn an_unknown_kid_refetches_the_jwks_once_and_not_again_too_soon() {
    let h = Harness::start().await;
    script(
        &h,
        Craft {
            kid: Some("test-c"),
            ..GOOD
        },
        &[Key::A],
    );
    let app = h.engine();
    let e = sign_in(&app).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    assert_eq!(h.proxy.hits(JWKS), 2, "discovery's fetch and one re-fetch");

    // Right after: no new fetch for another unknown kid.
    let e = sign_in(&app).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    assert_eq!(h.proxy.hits(JWKS), 2, "re-fetches are rate-limited");

    h.clock
        .advance(Duration::from_secs(JWKS_REFETCH_INTERVAL_SECS + 1));
    sign_in(&app).await.unwrap_err();
    assert_eq!(h.proxy.hits(JWKS), 3);
}

#[tokio::test]
async fn a_rotated_signing_key_is_followed() {
    let h = Harness::start().await;
    script(&h, GOOD, &[Key::A]);
    let app = h.engine();
    sign_in(&app).await.expect("signed with A");
    assert_eq!(h.proxy.hits(JWKS), 1);

    // The provider rotates to B: the JWKS now holds only B.
    script(
        &h,
        Craft {
            key: Key::B,
            kid: Some("test-b"),
            ..GOOD
        },
        &[Key::B],
    );
    sign_in(&app).await.expect("B is fetched and trusted");
    assert_eq!(h.proxy.hits(JWKS), 2, "exactly one re-fetch");
    sign_in(&app).await.expect("and kept");
    assert_eq!(h.proxy.hits(JWKS), 2);
}
