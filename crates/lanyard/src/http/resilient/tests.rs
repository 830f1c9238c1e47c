use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{header, Method};

use super::Resilient;
use crate::clock::{Clock, ManualClock};
use crate::error::{Error, ErrorKind};
use crate::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport};

/// Answers with scripted statuses (and `Retry-After` values) and records what it was sent.
#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<(u16, Option<&'static str>)>>,
    sent: Mutex<Vec<(Method, String)>>,
}

impl Script {
    fn new(answers: &[(u16, Option<&'static str>)]) -> Arc<Self> {
        Arc::new(Script {
            answers: Mutex::new(answers.iter().copied().collect()),
            sent: Mutex::default(),
        })
    }
    fn sent(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

impl HttpTransport for Script {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        self.sent
            .lock()
            .unwrap()
            .push((request.method().clone(), request.uri().to_string()));
        let (status, retry_after) = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or((200, None));
        let mut response = http::Response::builder().status(status);
        if let Some(v) = retry_after {
            response = response.header(header::RETRY_AFTER, v);
        }
        let response = response.body(b"{}".to_vec()).unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn resilient(script: &Arc<Script>, clock: &Arc<ManualClock>) -> Resilient {
    Resilient::new(script.clone(), clock.clone(), 300).with_backoff(Duration::ZERO)
}

fn request(method: Method, url: &str) -> HttpRequest {
    http::Request::builder()
        .method(method)
        .uri(url)
        .body(b"grant_type=refresh_token".to_vec())
        .unwrap()
}

const TOKEN: &str = "https://idp.example/token";

async fn status_of(r: &Resilient, method: Method, url: &str) -> Result<u16, Error> {
    r.send(request(method, url))
        .await
        .map(|resp| resp.status().as_u16())
}

#[tokio::test]
async fn a_429_closes_the_origin_until_retry_after() {
    let script = Script::new(&[(429, Some("120"))]);
    let clock = Arc::new(ManualClock::new());
    let r = resilient(&script, &clock);
    assert_eq!(status_of(&r, Method::POST, TOKEN).await.unwrap(), 429);
    assert_eq!(script.sent(), 1);

    clock.advance(Duration::from_secs(20));
    let e = status_of(&r, Method::POST, TOKEN).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.retry_after_secs(), Some(100));
    assert!(matches!(
        e,
        Error::Service {
            status: Some(429),
            ..
        }
    ));
    // Another path on the same origin waits too; another origin does not.
    assert!(status_of(&r, Method::GET, "https://idp.example/jwks")
        .await
        .is_err());
    assert_eq!(
        status_of(&r, Method::GET, "https://api.example/x")
            .await
            .unwrap(),
        200
    );
    assert_eq!(script.sent(), 2, "nothing sent to the closed origin");

    clock.advance(Duration::from_secs(100));
    assert_eq!(status_of(&r, Method::POST, TOKEN).await.unwrap(), 200);
    assert_eq!(script.sent(), 3);
}

#[tokio::test]
async fn a_503_http_date_is_honoured_capped_and_rewritten_to_seconds() {
    let clock = Arc::new(ManualClock::new());
    let far = httpdate::fmt_http_date(clock.now() + Duration::from_secs(7200));
    let far: &'static str = Box::leak(far.into_boxed_str());
    let script = Script::new(&[(503, Some(far))]);
    let r = resilient(&script, &clock);
    let response = r.send(request(Method::POST, TOKEN)).await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()[header::RETRY_AFTER], "300");
    let e = status_of(&r, Method::POST, TOKEN).await.unwrap_err();
    assert_eq!(e.retry_after_secs(), Some(300));
    assert!(matches!(
        e,
        Error::Service {
            status: Some(503),
            ..
        }
    ));
    assert_eq!(script.sent(), 1);
}

#[tokio::test]
async fn a_429_without_retry_after_waits_the_default() {
    let script = Script::new(&[(429, None)]);
    let clock = Arc::new(ManualClock::new());
    let r = resilient(&script, &clock);
    status_of(&r, Method::GET, TOKEN).await.unwrap();
    let e = status_of(&r, Method::GET, TOKEN).await.unwrap_err();
    assert_eq!(e.retry_after_secs(), Some(super::DEFAULT_RETRY_AFTER_SECS));
}

#[tokio::test]
async fn gets_are_retried_once_on_a_server_failure() {
    for status in [500, 502, 503, 504] {
        let script = Script::new(&[(status, None), (200, None)]);
        let clock = Arc::new(ManualClock::new());
        let r = resilient(&script, &clock);
        assert_eq!(
            status_of(&r, Method::GET, TOKEN).await.unwrap(),
            200,
            "{status}"
        );
        assert_eq!(script.sent(), 2, "{status}");
    }
    // Only once.
    let script = Script::new(&[(502, None), (502, None), (200, None)]);
    let clock = Arc::new(ManualClock::new());
    let r = resilient(&script, &clock);
    assert_eq!(status_of(&r, Method::GET, TOKEN).await.unwrap(), 502);
    assert_eq!(script.sent(), 2);
}

#[tokio::test]
async fn posts_are_retried_only_on_a_503_the_server_did_not_take() {
    let script = Script::new(&[(503, None), (200, None)]);
    let clock = Arc::new(ManualClock::new());
    let r = resilient(&script, &clock);
    assert_eq!(status_of(&r, Method::POST, TOKEN).await.unwrap(), 200);
    assert_eq!(script.sent(), 2);
    for status in [500, 502, 504] {
        let script = Script::new(&[(status, None), (200, None)]);
        let r = resilient(&script, &clock);
        assert_eq!(status_of(&r, Method::POST, TOKEN).await.unwrap(), status);
        assert_eq!(
            script.sent(),
            1,
            "a {status} POST may have redeemed the grant"
        );
    }
}

#[tokio::test]
async fn client_errors_are_neither_retried_nor_gated() {
    let script = Script::new(&[(400, Some("60")), (200, None)]);
    let clock = Arc::new(ManualClock::new());
    let r = resilient(&script, &clock);
    assert_eq!(status_of(&r, Method::POST, TOKEN).await.unwrap(), 400);
    assert_eq!(status_of(&r, Method::POST, TOKEN).await.unwrap(), 200);
    assert_eq!(script.sent(), 2);
}
