//! HTTP, injected: the engine sends every request (discovery, JWKS, token, API calls) through
//! an [`HttpTransport`], so tests can record or fault it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::Error;

mod reqwest;
mod resilient;
mod retry_after;

pub use self::reqwest::ReqwestTransport;
pub use resilient::{Resilient, DEFAULT_BACKOFF, DEFAULT_RETRY_AFTER_SECS};
pub use retry_after::parse_retry_after;

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

/// The production stack: [`ReqwestTransport`] (with `config`'s CA file and timeouts) inside
/// [`Resilient`] (throttle gate, one retry), on `clock`.
pub fn production(config: &Config, clock: Arc<dyn Clock>) -> Result<Resilient, Error> {
    let reqwest = ReqwestTransport::with_network(config.ca_file.as_deref(), &config.network)?;
    Ok(Resilient::new(
        Arc::new(reqwest),
        clock,
        config.network.max_retry_after_secs,
    ))
}

/// An error and its sources, joined with `: `.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
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
