//! HTTP, injected: the engine sends every request (discovery, JWKS, token, API calls) through
//! an [`HttpTransport`], so tests can record or fault it.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

use crate::error::Error;

/// An HTTP request with its whole body.
pub type HttpRequest = http::Request<Vec<u8>>;
/// An HTTP response with its whole body.
pub type HttpResponse = http::Response<Vec<u8>>;
/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The largest response body the engine reads; more is a protocol error, not an OOM.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Sends one HTTP request. Implementations must not follow redirects (OAuth 2.0 Security BCP).
pub trait HttpTransport: Send + Sync {
    /// Sends `request` and reads the whole response body (at most [`MAX_BODY_BYTES`]).
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>>;
}

/// The production transport: reqwest with rustls, the OS root store plus an optional extra CA
/// file, no redirects, connect and total timeouts.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Builds the client; `extra_ca` is a PEM file of further trusted certificates.
    pub fn new(extra_ca: Option<&Path>) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("lanyard/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = extra_ca {
            let pem = std::fs::read(path).map_err(|e| {
                Error::config("ca_file", format!("cannot read {}: {e}", path.display()))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::config("ca_file", format!("not a PEM certificate bundle: {e}"))
            })?;
            if certs.is_empty() {
                return Err(Error::config("ca_file", "holds no certificate"));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::Network(format!("cannot build the HTTP client: {}", chain(&e))))?;
        Ok(ReqwestTransport { client })
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| Error::Protocol(format!("cannot build request: {}", chain(&e))))?;
            let mut response = self.client.execute(request).await.map_err(map_reqwest)?;
            let mut builder = http::Response::builder().status(response.status());
            if let Some(headers) = builder.headers_mut() {
                std::mem::swap(headers, response.headers_mut());
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(map_reqwest)? {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(Error::Protocol(format!(
                        "response body larger than {MAX_BODY_BYTES} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            builder
                .body(body)
                .map_err(|e| Error::Protocol(format!("bad response: {e}")))
        })
    }
}

fn map_reqwest(e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout(chain(&e))
    } else {
        Error::Network(chain(&e))
    }
}

/// An error and its sources, joined with `: `.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
