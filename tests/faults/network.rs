//! Timeouts, resets, truncated bodies, DNS, TLS and refused connections: transient errors that
//! delete no token.

use lanyard_engine::{AccountId, Engine, Error, ErrorKind};
use lanyard_testkit::fault::Fault;

use crate::support::{refresh_still_works, signed_in, Harness};

const TOKEN: &str = "/token";

async fn refresh_fails(app: &Engine, account: &AccountId) -> Error {
    let e = app
        .acquire_token_silent(account, "vendor")
        .await
        .unwrap_err();
    assert!(e.is_transient(), "{e:?}");
    e
}

#[tokio::test]
async fn a_token_endpoint_that_never_answers_times_out_and_deletes_nothing() {
    let h = Harness::start_with("read_timeout_secs = 1\nrequest_timeout_secs = 2").await;
    let app = h.engine();
    let account = signed_in(&app).await;
    h.proxy.always(TOKEN, Fault::Hang);
    let e = refresh_fails(&app, &account).await;
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    h.proxy.clear();
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn a_slow_answer_inside_the_timeouts_is_fine() {
    let h = Harness::start_with("read_timeout_secs = 2").await;
    let app = h.engine();
    let account = signed_in(&app).await;
    h.proxy
        .always(TOKEN, Fault::Delay(std::time::Duration::from_millis(500)));
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn resets_and_truncated_bodies_are_network_errors_that_delete_nothing() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    for fault in [Fault::Reset, Fault::Truncate] {
        h.proxy.times(TOKEN, 1, fault);
        let e = refresh_fails(&app, &account).await;
        assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    }
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn dns_tls_and_refused_connections_are_network_errors_that_delete_nothing() {
    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let tls_to_plain_http = h.proxy.origin().as_str().replace("http://", "https://");
    for target in [
        "http://lanyard-faults.invalid",
        tls_to_plain_http.as_str(),
        closed.as_str(),
    ] {
        h.reroute_to(target);
        let e = refresh_fails(&app, &account).await;
        assert_eq!(e.kind(), ErrorKind::Network, "{target}: {e}");
    }
    h.reroute_to_proxy();
    refresh_still_works(&app, &account, "vendor").await;
}
