//! A small programmable fault server: an HTTP/1.1 reverse proxy in front of a real server (the
//! IdP) that passes every request through, except those a scripted [`Fault`] matches. It
//! produces what the real parts cannot on demand: throttling, server failures, slow answers,
//! connection resets, truncated, huge, HTML or rewritten bodies.
//!
//! The engine under test reaches it by rewriting the IdP's origin to [`FaultProxy::origin`]
//! (the IdP keeps its issuer), so the real IdP still issues every token.

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// Rewrites a response body (e.g. re-signs an ID token); gets the upstream body.
pub type Transform = Arc<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;

/// What the proxy does instead of (or to) the upstream answer.
#[derive(Clone)]
pub enum Fault {
    /// Answers with this, without asking upstream.
    Respond {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Waits, then passes the request through.
    Delay(Duration),
    /// Never answers (holds the connection for an hour); upstream never sees the request.
    Hang,
    /// Reads the request, then resets the connection (TCP RST) without answering.
    Reset,
    /// Answers 200 with a `Content-Length` larger than the body it sends, then closes.
    Truncate,
    /// Answers 200 with a valid token response (a huge `access_token`) of this many bytes.
    Huge(usize),
    /// Passes the request through and rewrites the upstream body.
    Rewrite(Transform),
}

impl Fault {
    /// A `Respond` with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A `Respond` with an HTML body.
    pub fn html(status: u16, body: &str) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A `Respond` with a status and a `Retry-After` and an empty body.
    pub fn retry_after(status: u16, retry_after: &str) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("retry-after".into(), retry_after.into())],
            body: Vec::new(),
        }
    }
}

struct Rule {
    path: String,
    /// How many more requests it applies to; `None`: all.
    remaining: Option<usize>,
    fault: Fault,
}

#[derive(Default)]
struct Shared {
    rules: Mutex<Vec<Rule>>,
    hits: Mutex<HashMap<String, usize>>,
}

/// A running fault proxy. Stops when dropped.
pub struct FaultProxy {
    origin: Url,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port in front of `upstream` (an origin).
    pub async fn start(upstream: &Url) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let origin = Url::parse(&format!("http://{}", listener.local_addr()?))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let shared = Arc::new(Shared::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let upstream = upstream.clone();
        let task = tokio::spawn(accept_loop(listener, shared.clone(), client, upstream));
        Ok(FaultProxy {
            origin,
            shared,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`: where to send what was meant for upstream.
    pub fn origin(&self) -> &Url {
        &self.origin
    }

    /// Applies `fault` to every request for `path` from now on (after earlier rules).
    pub fn always(&self, path: &str, fault: Fault) {
        self.push(path, None, fault);
    }

    /// Applies `fault` to the next `times` requests for `path`.
    pub fn times(&self, path: &str, times: usize, fault: Fault) {
        self.push(path, Some(times), fault);
    }

    /// Removes every rule: all requests pass through.
    pub fn clear(&self) {
        self.shared.rules.lock().unwrap().clear();
    }

    /// How many requests for `path` arrived (faulted or not).
    pub fn hits(&self, path: &str) -> usize {
        self.shared
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    fn push(&self, path: &str, remaining: Option<usize>, fault: Fault) {
        self.shared.rules.lock().unwrap().push(Rule {
            path: path.to_owned(),
            remaining,
            fault,
        });
    }
}

impl Shared {
    /// Counts the hit and takes the first matching rule's fault.
    fn fault_for(&self, path: &str) -> Option<Fault> {
        *self
            .hits
            .lock()
            .unwrap()
            .entry(path.to_owned())
            .or_default() += 1;
        let mut rules = self.rules.lock().unwrap();
        let index = rules
            .iter()
            .position(|r| r.path == path && r.remaining != Some(0))?;
        let rule = &mut rules[index];
        if let Some(n) = rule.remaining.as_mut() {
            *n -= 1;
        }
        Some(rule.fault.clone())
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    client: reqwest::Client,
    upstream: Url,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let reset = Arc::new(AtomicBool::new(false));
        let io = ResettableIo {
            stream,
            reset: reset.clone(),
        };
        let (shared, client, upstream) = (shared.clone(), client.clone(), upstream.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (shared, client, upstream, reset) = (
                    shared.clone(),
                    client.clone(),
                    upstream.clone(),
                    reset.clone(),
                );
                async move {
                    Ok::<_, Infallible>(handle(request, &shared, &client, &upstream, &reset).await)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(io), service)
                .await;
        });
    }
}

type Body = BoxBody<Bytes, std::io::Error>;

fn full(status: u16, headers: &[(String, String)], body: Vec<u8>) -> Response<Body> {
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(name, value);
    }
    response
        .body(Full::new(Bytes::from(body)).map_err(|e| match e {}).boxed())
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).map_err(|e| match e {}).boxed()))
}

/// A body that sends `prefix`, then (a moment later, so the head and prefix are on the wire)
/// fails: hyper aborts the connection mid-body.
fn failing_body(prefix: Vec<u8>) -> Body {
    use futures_util::StreamExt as _;
    let head = futures_util::stream::iter([Ok(Frame::data(Bytes::from(prefix)))]);
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("fault: cut off"))
    });
    BodyExt::boxed(StreamBody::new(head.chain(cut)))
}

async fn handle(
    request: Request<Incoming>,
    shared: &Shared,
    client: &reqwest::Client,
    upstream: &Url,
    reset: &AtomicBool,
) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let fault = shared.fault_for(&path);
    match fault {
        Some(Fault::Respond {
            status,
            headers,
            body,
        }) => full(status, &headers, body),
        Some(Fault::Reset) => {
            reset.store(true, Ordering::SeqCst);
            let mut response = Response::new(failing_body(Vec::new()));
            response.headers_mut().insert("content-length", 10.into());
            response
        }
        Some(Fault::Truncate) => {
            let mut response = Response::new(failing_body(b"{\"access_".to_vec()));
            response.headers_mut().insert("content-length", 4096.into());
            response
                .headers_mut()
                .insert("content-type", "application/json".parse().expect("valid"));
            response
        }
        Some(Fault::Huge(len)) => {
            // A valid token response, padded: only a size cap refuses it.
            let head = b"{\"access_token\":\"";
            let tail = b"\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
            let mut body = head.to_vec();
            body.resize(len.saturating_sub(tail.len()).max(head.len()), b'x');
            body.extend_from_slice(tail);
            full(
                200,
                &[("content-type".into(), "application/json".into())],
                body,
            )
        }
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            full(504, &[], Vec::new())
        }
        Some(Fault::Delay(by)) => {
            tokio::time::sleep(by).await;
            forward(request, client, upstream, None).await
        }
        Some(Fault::Rewrite(transform)) => {
            forward(request, client, upstream, Some(transform)).await
        }
        None => forward(request, client, upstream, None).await,
    }
}

/// Passes `request` to `upstream`; its answer (body rewritten by `transform`) comes back.
async fn forward(
    request: Request<Incoming>,
    client: &reqwest::Client,
    upstream: &Url,
    transform: Option<Transform>,
) -> Response<Body> {
    let bad_gateway = |why: String| full(502, &[], why.into_bytes());
    let (parts, body) = request.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return bad_gateway("fault proxy: cannot read the request".into());
    };
    let mut url = upstream.clone();
    url.set_path(parts.uri.path());
    url.set_query(parts.uri.query());
    let mut outgoing = client.request(parts.method, url).body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" && name != "connection" {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(e) => return bad_gateway(format!("fault proxy: upstream: {e}")),
    };
    let status = answer.status().as_u16();
    let headers: Vec<(String, String)> = answer
        .headers()
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "content-length" | "transfer-encoding" | "connection" | "keep-alive"
            )
        })
        .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_owned())))
        .collect();
    let Ok(body) = answer.bytes().await else {
        return bad_gateway("fault proxy: cannot read the upstream answer".into());
    };
    let body = match transform {
        Some(t) => t(&body),
        None => body.to_vec(),
    };
    full(status, &headers, body)
}

/// The accepted socket; when dropped after a [`Fault::Reset`], it closes with a TCP RST.
struct ResettableIo {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for ResettableIo {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for ResettableIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.reset.load(Ordering::SeqCst) {
            // Nothing of the answer leaves: the peer sees only the reset.
            return Poll::Ready(Err(std::io::ErrorKind::ConnectionReset.into()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests;
