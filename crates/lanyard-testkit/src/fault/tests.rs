//! The proxy itself, against a plain upstream: pass-through, scripted faults, counts.

use std::time::Duration;

use super::{Fault, FaultProxy};

/// An upstream answering every request with its path.
async fn upstream() -> url::Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = hyper::service::service_fn(|r: hyper::Request<_>| async move {
                    let body = format!("upstream {}", r.uri().path());
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(
                        http_body_util::Full::new(bytes::Bytes::from(body)),
                    ))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}

#[tokio::test]
async fn passes_through_then_faults_as_scripted() {
    let proxy = FaultProxy::start(&upstream().await).await.unwrap();
    let client = reqwest::Client::new();
    let url = proxy.origin().join("/token").unwrap();
    let get = || async { client.get(url.clone()).send().await };

    assert_eq!(
        get().await.unwrap().text().await.unwrap(),
        "upstream /token"
    );
    proxy.times("/token", 1, Fault::retry_after(429, "7"));
    let answer = get().await.unwrap();
    assert_eq!(answer.status(), 429);
    assert_eq!(answer.headers()["retry-after"], "7");
    assert_eq!(get().await.unwrap().status(), 200, "only once");

    proxy.times("/token", 1, Fault::Reset);
    assert!(get().await.is_err());
    proxy.times("/token", 1, Fault::Truncate);
    assert!(get().await.unwrap().bytes().await.is_err());
    proxy.times("/token", 1, Fault::Huge(5000));
    assert_eq!(get().await.unwrap().bytes().await.unwrap().len(), 5000);
    proxy.times(
        "/token",
        1,
        Fault::Rewrite(std::sync::Arc::new(|b: &[u8]| b.to_ascii_uppercase())),
    );
    assert_eq!(
        get().await.unwrap().text().await.unwrap(),
        "UPSTREAM /TOKEN"
    );
    proxy.times("/token", 1, Fault::Delay(Duration::from_millis(1)));
    assert_eq!(get().await.unwrap().status(), 200);
    assert_eq!(proxy.hits("/token"), 8);
    assert_eq!(proxy.hits("/jwks"), 0);
}
