//! The production transport: reqwest with rustls, the OS root store plus an optional extra CA
//! file, no redirects, connect / read / total timeouts, one retry of a failed connect.

use std::path::Path;
use std::time::Duration;

use super::{chain, BoxFuture, HttpRequest, HttpResponse, HttpTransport, MAX_BODY_BYTES};
use crate::config::NetworkConfig;
use crate::error::Error;

/// Pause before the one retry of a connection that could not be opened.
const CONNECT_RETRY_DELAY: Duration = Duration::from_millis(250);

/// reqwest with rustls and Lanyard's timeouts.
///
/// A connection that could not be opened (refused, DNS, TLS handshake) is tried once more: the
/// request was never sent, so nothing can be replayed. Failures map to [`Error::Network`]
/// (connect, DNS, TLS, reset, truncated body) or [`Error::Timeout`] (connect, read or total
/// timeout); both are transient and delete no token.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Builds the client with the default [`NetworkConfig`]; `extra_ca` is a PEM file of
    /// further trusted certificates.
    pub fn new(extra_ca: Option<&Path>) -> Result<Self, Error> {
        Self::with_network(extra_ca, &NetworkConfig::default())
    }

    /// Builds the client with `network`'s timeouts.
    pub fn with_network(extra_ca: Option<&Path>, network: &NetworkConfig) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(network.connect_timeout())
            .read_timeout(network.read_timeout())
            .timeout(network.request_timeout())
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

    async fn execute(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        let retry = request.try_clone();
        match self.client.execute(request).await {
            Ok(response) => Ok(response),
            Err(e) if e.is_connect() && !e.is_timeout() => match retry {
                Some(retry) => {
                    tracing::debug!("connect failed ({}); trying once more", chain(&e));
                    tokio::time::sleep(CONNECT_RETRY_DELAY).await;
                    self.client.execute(retry).await.map_err(map_reqwest)
                }
                None => Err(map_reqwest(e)),
            },
            Err(e) => Err(map_reqwest(e)),
        }
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| Error::Protocol(format!("cannot build request: {}", chain(&e))))?;
            let mut response = self.execute(request).await?;
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

/// Timeouts (connect, read, total) → [`Error::Timeout`]; everything else on the wire
/// (refused, DNS, TLS, reset, truncated body) → [`Error::Network`]. URLs are left out.
fn map_reqwest(e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout(chain(&e))
    } else {
        Error::Network(chain(&e))
    }
}
