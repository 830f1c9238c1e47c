use std::time::Duration;

use super::*;

const APP: &str = "Test App";

fn configured() -> Url {
    Url::parse("http://127.0.0.1/callback").unwrap()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(url: String) -> (u16, String) {
    let response = client().get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn binds_any_port_and_puts_it_in_the_redirect_uri() {
    let lb = Loopback::bind(&configured(), APP).await.unwrap();
    let port = lb.redirect_uri().port().unwrap();
    assert_ne!(port, 0);
    assert_eq!(lb.redirect_uri().path(), "/callback");
}

#[tokio::test]
async fn takes_the_redirect_with_the_right_state_after_ignoring_others() {
    let lb = Loopback::bind(&configured(), APP).await.unwrap();
    let base = lb.redirect_uri().to_string();
    let port = lb.redirect_uri().port().unwrap();
    let state = CsrfToken::new("expected-state".into());
    let waiter = tokio::spawn(async move { lb.wait(&state).await });

    let (status, body) = get(format!("http://127.0.0.1:{port}/favicon.ico")).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = get(format!("{base}?code=c&state=wrong<script>")).await;
    assert_eq!(status, 400);
    let (status, body) = get(format!("{base}?code=c")).await;
    assert_eq!(status, 400);
    assert!(!body.contains("<script>"));
    let (status, _) = get(format!(
        "{base}?code=c&state=expected-state&state=expected-state"
    ))
    .await;
    assert_eq!(status, 400);
    let response = client().post(&base).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert!(
        !waiter.is_finished(),
        "bad requests must not end the sign-in"
    );

    let (status, body) = get(format!(
        "{base}?code=the-code&state=expected-state&iss=https%3A%2F%2Fidp"
    ))
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("close this tab"));
    assert!(!body.contains("the-code"));

    match waiter.await.unwrap().unwrap() {
        Callback::Code { code, iss } => {
            assert_eq!(code.secret(), "the-code");
            assert_eq!(iss.as_deref(), Some("https://idp"));
        }
        other => panic!("unexpected {other:?}"),
    }
    // The port is closed afterwards.
    let closed = client()
        .get(&base)
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(closed.is_err(), "the listener must be closed");
}

#[tokio::test]
async fn an_error_redirect_with_the_right_state_ends_the_wait() {
    let lb = Loopback::bind(&configured(), APP).await.unwrap();
    let base = lb.redirect_uri().to_string();
    let state = CsrfToken::new("s1".into());
    let waiter = tokio::spawn(async move { lb.wait(&state).await });
    let (status, body) = get(format!(
        "{base}?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=s1"
    ))
    .await;
    assert_eq!(status, 200);
    assert!(
        !body.contains("<b>no</b>"),
        "parameters are never reflected"
    );
    match waiter.await.unwrap().unwrap() {
        Callback::Error { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("<b>no</b>"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn oversized_request_heads_are_refused_without_ending_the_wait() {
    let lb = Loopback::bind(&configured(), APP).await.unwrap();
    let base = lb.redirect_uri().to_string();
    let state = CsrfToken::new("s2".into());
    let waiter = tokio::spawn(async move { lb.wait(&state).await });
    let huge = "x".repeat(64 * 1024);
    let result = client()
        .get(format!("{base}?code=c&state=s2&pad={huge}"))
        .send()
        .await;
    if let Ok(response) = result {
        assert!(response.status().is_client_error() || response.status().is_server_error());
    }
    assert!(!waiter.is_finished());
    let (status, _) = get(format!("{base}?code=ok&state=s2")).await;
    assert_eq!(status, 200);
    assert!(matches!(
        waiter.await.unwrap().unwrap(),
        Callback::Code { .. }
    ));
}

#[tokio::test]
async fn localhost_holds_the_port_on_both_families_and_literals_are_honoured() {
    let lb = Loopback::bind(&Url::parse("http://localhost/cb").unwrap(), APP)
        .await
        .unwrap();
    let port = lb.redirect_uri().port().unwrap();
    assert_eq!(lb.redirect_uri().host_str(), Some("localhost"));
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        assert!(
            std::net::TcpStream::connect(("::1", port)).is_ok(),
            "::1 is held too"
        );
    }
    let lb = Loopback::bind(&Url::parse("http://127.0.0.2/cb").unwrap(), APP)
        .await
        .unwrap();
    let port = lb.redirect_uri().port().unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.2", port)).is_ok());
}

#[tokio::test]
async fn an_idle_preconnection_does_not_delay_the_end_of_the_sign_in() {
    let lb = Loopback::bind(&configured(), APP).await.unwrap();
    let base = lb.redirect_uri().to_string();
    let port = lb.redirect_uri().port().unwrap();
    let state = CsrfToken::new("s3".into());
    let waiter = tokio::spawn(async move { lb.wait(&state).await });
    // A browser's speculative connection that never sends a request.
    let _idle = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    let (status, _) = get(format!("{base}?code=c&state=s3")).await;
    assert_eq!(status, 200);
    assert!(matches!(
        waiter.await.unwrap().unwrap(),
        Callback::Code { .. }
    ));
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_port_is_closed_the_moment_the_wait_is_dropped() {
    let lb = Loopback::bind(&Url::parse("http://localhost/cb").unwrap(), APP)
        .await
        .unwrap();
    let port = lb.redirect_uri().port().unwrap();
    let state = CsrfToken::new("s4".into());
    let waited = tokio::time::timeout(Duration::from_millis(50), lb.wait(&state)).await;
    assert!(waited.is_err(), "timed out");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    assert!(std::net::TcpStream::connect(("::1", port)).is_err());
}

#[tokio::test]
async fn pages_name_the_app_escaped() {
    let lb = Loopback::bind(&configured(), "Notes <b>&</b> \"Pro\"")
        .await
        .unwrap();
    let base = lb.redirect_uri().to_string();
    let port = lb.redirect_uri().port().unwrap();
    let state = CsrfToken::new("s".into());
    let waiter = tokio::spawn(async move { lb.wait(&state).await });
    let (_, not_found) = get(format!("http://127.0.0.1:{port}/other")).await;
    assert!(
        not_found.contains("not used by Notes &lt;b&gt;&amp;&lt;/b&gt; &quot;Pro&quot;."),
        "{not_found}"
    );
    let (status, body) = get(format!("{base}?code=c&state=s")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<title>Signed in - Notes &lt;b&gt;"),
        "{body}"
    );
    assert!(
        body.contains("You are signed in to Notes &lt;b&gt;&amp;"),
        "{body}"
    );
    assert!(!body.contains("<b>") && !body.contains("Lanyard"), "{body}");
    waiter.await.unwrap().unwrap();
}
