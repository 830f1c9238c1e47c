//! 429 and 503 with `Retry-After`: nothing is sent before it; server failures: one retry where
//! a replay is safe; nothing deleted.

use std::time::Duration;

use lanyard::clock::Clock as _;
use lanyard::{Error, ErrorKind, TokenSource};
use lanyard_testkit::fault::Fault;
use serde_json::json;

use crate::support::{refresh_still_works, signed_in, Harness};

const TOKEN: &str = "/token";

#[tokio::test]
async fn a_429_is_waited_out_with_nothing_sent_and_the_refresh_token_kept() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    h.proxy.always(
        TOKEN,
        Fault::Respond {
            status: 429,
            headers: vec![
                ("retry-after".into(), "120".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: json!({"error": "slow_down", "error_description": "too fast"})
                .to_string()
                .into_bytes(),
        },
    );
    let sent = h.proxy.hits(TOKEN);

    let e = app
        .acquire_token_silent(&account, "vendor")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Service { status: Some(429), error, .. } if error == "slow_down"),
        "{e:?}"
    );
    assert_eq!(e.retry_after_secs(), Some(120));
    assert_eq!(h.proxy.hits(TOKEN), sent + 1);

    // 20 s later: refused at once, nothing sent, the wait left is reported.
    h.clock.advance(Duration::from_secs(20));
    let e = app
        .acquire_token_silent(&account, "vendor")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.retry_after_secs(), Some(100));
    assert_eq!(
        h.proxy.hits(TOKEN),
        sent + 1,
        "nothing sent before Retry-After"
    );

    // After it, the kept refresh token works.
    h.proxy.clear();
    h.clock.advance(Duration::from_secs(100));
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn a_503_with_an_http_date_and_an_html_body_is_a_capped_service_error() {
    let h = Harness::start_with("max_retry_after_secs = 300").await;
    let app = h.engine();
    let account = signed_in(&app).await;
    let date = httpdate::fmt_http_date(h.clock.now() + Duration::from_secs(2 * 3600));
    h.proxy.always(
        TOKEN,
        Fault::Respond {
            status: 503,
            headers: vec![
                ("retry-after".into(), date),
                ("content-type".into(), "text/html".into()),
            ],
            body: b"<html><body>down for maintenance MARKER-7f3a</body></html>".to_vec(),
        },
    );
    let e = app
        .acquire_token_silent(&account, "vendor")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Service { status: Some(503), error, .. } if error == "server_error"),
        "{e:?}"
    );
    assert_eq!(e.retry_after_secs(), Some(300), "two hours, capped");
    assert!(
        !format!("{e} {e:?}").contains("MARKER-7f3a"),
        "the body is never quoted"
    );

    h.proxy.clear();
    h.clock.advance(Duration::from_secs(301));
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn while_throttled_a_still_valid_cached_token_is_served() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    // 58 minutes on: the customer token is inside the refresh margin but valid.
    h.clock.advance(Duration::from_secs(58 * 60));
    h.proxy.always(TOKEN, Fault::retry_after(429, "30"));
    let grant = app
        .acquire_token_silent(&account, "customer")
        .await
        .unwrap();
    assert_eq!(grant.info().source, TokenSource::Cache);
    // Gated now: still served from the cache, nothing sent.
    let sent = h.proxy.hits(TOKEN);
    let grant = app
        .acquire_token_silent(&account, "customer")
        .await
        .unwrap();
    assert_eq!(grant.info().source, TokenSource::Cache);
    assert_eq!(h.proxy.hits(TOKEN), sent);

    h.proxy.clear();
    h.clock.advance(Duration::from_secs(31));
    refresh_still_works(&app, &account, "customer").await;
}

#[tokio::test]
async fn a_failed_refresh_post_is_not_replayed_but_a_refused_one_is_retried() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;

    // 500 and 502: the provider may have redeemed the refresh token: no second POST.
    for status in [500, 502] {
        h.proxy.times(
            TOKEN,
            1,
            Fault::json(status, &json!({"error": "server_error"})),
        );
        let sent = h.proxy.hits(TOKEN);
        let e = app
            .acquire_token_silent(&account, "vendor")
            .await
            .unwrap_err();
        assert!(
            matches!(e, Error::Service { status: Some(s), .. } if s == status),
            "{e:?}"
        );
        assert!(e.is_transient());
        assert_eq!(h.proxy.hits(TOKEN), sent + 1, "{status}: not replayed");
    }
    // 503 without Retry-After: the request was not taken; one retry succeeds.
    h.proxy
        .times(TOKEN, 1, Fault::html(503, "<html>busy</html>"));
    let sent = h.proxy.hits(TOKEN);
    refresh_still_works(&app, &account, "vendor").await;
    assert_eq!(h.proxy.hits(TOKEN), sent + 2);
}

#[tokio::test]
async fn discovery_and_jwks_gets_are_retried_once() {
    let h = Harness::start().await;
    h.proxy.times(
        "/.well-known/openid-configuration",
        1,
        Fault::html(502, "<html>bad gateway</html>"),
    );
    h.proxy
        .times("/jwks", 1, Fault::html(504, "<html>gateway timeout</html>"));
    let app = h.engine();
    signed_in(&app).await;
    assert_eq!(h.proxy.hits("/.well-known/openid-configuration"), 2);
    assert_eq!(h.proxy.hits("/jwks"), 2);

    // Twice in a row is an error with the status.
    let h2 = Harness::start().await;
    h2.proxy
        .times("/jwks", 2, Fault::html(500, "<html>oops</html>"));
    let e = h2.engine().sign_in().await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Service {
                status: Some(500),
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_api_that_throttles_is_not_called_again_before_retry_after() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    let vendor = h.proxy_api(&h.stack.vendor_url()).await;
    vendor.times("/orders", 1, Fault::retry_after(429, "60"));

    let answer = app.call_api(&account, "vendor", "/orders").await.unwrap();
    assert_eq!(answer.status, 429, "the API's own answer is shown");
    let e = app
        .call_api(&account, "vendor", "/orders")
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Service {
                status: Some(429),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.retry_after_secs(), Some(60));
    assert_eq!(vendor.hits("/orders"), 1, "nothing sent before Retry-After");
    // Another origin is not held back.
    let answer = app
        .call_api(&account, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(answer.status, 200);

    h.clock.advance(Duration::from_secs(60));
    let answer = app.call_api(&account, "vendor", "/orders").await.unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(vendor.hits("/orders"), 2);
}
