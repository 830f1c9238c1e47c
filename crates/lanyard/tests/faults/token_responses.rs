//! Bad token responses: HTML, malformed, huge, missing fields, unexpected `token_type`, absent,
//! huge or negative `expires_in`. Protocol errors that never quote the body.

use std::sync::Arc;

use lanyard::clock::Clock as _;
use lanyard::{ErrorKind, TokenSource};
use lanyard_testkit::fault::Fault;
use serde_json::{json, Value};

use crate::support::{refresh_still_works, signed_in, Harness};

const TOKEN: &str = "/token";
const SECRET: &str = "MARKER-c0ffee";

/// Rewrites the IdP's real token response with `edit`.
fn rewrite(edit: fn(&mut Value)) -> Fault {
    Fault::Rewrite(Arc::new(move |body: &[u8]| {
        let mut v: Value = serde_json::from_slice(body).expect("the IdP answers JSON");
        edit(&mut v);
        v.to_string().into_bytes()
    }))
}

#[tokio::test]
async fn bad_bodies_are_protocol_errors_that_quote_nothing_and_delete_nothing() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    let json_200 = |body: &str| Fault::Respond {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    };
    let cases = [
        ("html", Fault::html(200, &format!("<html>{SECRET}</html>"))),
        (
            "malformed",
            json_200(&format!("{{\"access_token\": \"{SECRET}")),
        ),
        ("not an object", json_200(&format!("[\"{SECRET}\"]"))),
        (
            "no access_token",
            json_200(&json!({"token_type": "Bearer", "refresh_token": SECRET}).to_string()),
        ),
        (
            "no token_type",
            json_200(&json!({"access_token": SECRET}).to_string()),
        ),
        ("huge", Fault::Huge(5 * 1024 * 1024)),
    ];
    for (what, fault) in cases {
        h.proxy.times(TOKEN, 1, fault);
        let e = app
            .acquire_token_silent(&account, "vendor")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol, "{what}: {e}");
        assert!(!format!("{e} {e:?}").contains(SECRET), "{what}: {e:?}");
        if what == "huge" {
            assert!(e.to_string().contains("larger than"), "{e}");
        }
    }
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn token_type_must_be_bearer_and_the_rotated_refresh_token_is_kept() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    h.proxy
        .times(TOKEN, 1, rewrite(|v| v["token_type"] = json!("mac")));
    let e = app
        .acquire_token_silent(&account, "vendor")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    assert!(e.to_string().contains("token_type"), "{e}");
    // The provider rotated the refresh token in that answer: the new one was kept.
    h.proxy
        .times(TOKEN, 1, rewrite(|v| v["token_type"] = json!("bEaReR")));
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn expires_in_absent_means_an_hour_huge_is_capped_negative_is_refused_keeping_the_refresh_token(
) {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;

    h.proxy.times(
        TOKEN,
        1,
        rewrite(|v| {
            v.as_object_mut().unwrap().remove("expires_in");
        }),
    );
    let now = h.clock.unix_now();
    let grant = app.acquire_token_silent(&account, "vendor").await.unwrap();
    assert_eq!(grant.info().source, TokenSource::Refresh);
    assert!((now..=now + 2).contains(&(grant.info().expires_on - 3600)));

    h.expire_access_tokens();
    h.proxy
        .times(TOKEN, 1, rewrite(|v| v["expires_in"] = json!(u64::MAX)));
    let now = h.clock.unix_now();
    let grant = app.acquire_token_silent(&account, "vendor").await.unwrap();
    assert!((now..=now + 2).contains(&(grant.info().expires_on - 86_400)));

    h.expire_access_tokens();
    h.proxy
        .times(TOKEN, 1, rewrite(|v| v["expires_in"] = json!("1800")));
    let now = h.clock.unix_now();
    let grant = app.acquire_token_silent(&account, "vendor").await.unwrap();
    assert!(
        (now..=now + 2).contains(&(grant.info().expires_on - 1800)),
        "a numeric string"
    );

    // Negative: treated as already expired and refused; the rotated refresh token is kept.
    h.expire_access_tokens();
    h.proxy
        .times(TOKEN, 1, rewrite(|v| v["expires_in"] = json!(-60)));
    let e = app
        .acquire_token_silent(&account, "vendor")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    assert!(e.to_string().contains("expires_in"), "{e}");
    refresh_still_works(&app, &account, "vendor").await;
}
