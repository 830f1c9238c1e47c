//! Timeouts, resets, truncated bodies, DNS, TLS and refused connections: transient errors that
//! delete no token.

use std::time::Duration;

use lanyard::{AccountId, Engine, Error, ErrorKind};
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

/// A hang against `network` settings must end in a timeout; the outer guard only turns "the
/// configured timeout did not fire" into a failure instead of a 10-minute wait.
async fn hang_times_out(network: &str) {
    let h = Harness::start_with(network).await;
    let app = h.engine();
    let account = signed_in(&app).await;
    h.proxy.always(TOKEN, Fault::Hang);
    let e = tokio::time::timeout(Duration::from_secs(60), refresh_fails(&app, &account))
        .await
        .expect("the configured timeout fired");
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    h.proxy.clear();
    refresh_still_works(&app, &account, "vendor").await;
}

#[tokio::test]
async fn a_silent_server_hits_the_read_timeout_and_nothing_is_deleted() {
    hang_times_out("read_timeout_secs = 1\nrequest_timeout_secs = 600").await;
}

#[tokio::test]
async fn a_slow_request_hits_the_total_timeout_and_nothing_is_deleted() {
    hang_times_out("read_timeout_secs = 600\nrequest_timeout_secs = 1").await;
}

#[tokio::test]
async fn a_slow_answer_inside_the_timeouts_is_fine() {
    let h = Harness::start_with("read_timeout_secs = 2").await;
    let app = h.engine();
    let account = signed_in(&app).await;
    h.proxy
        .always(TOKEN, Fault::Delay(Duration::from_millis(500)));
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

#[tokio::test]
async fn a_connection_that_fails_to_open_is_tried_once_more() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let h = Harness::start().await;
    let app = h.engine();
    let account = signed_in(&app).await;
    // Accepts TCP and hangs up at once: every TLS handshake fails, after a connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("https://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    h.reroute_to(&target);
    let e = refresh_fails(&app, &account).await;
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        2,
        "one retry of the connect"
    );
    h.reroute_to_proxy();
    refresh_still_works(&app, &account, "vendor").await;
}
