//! [`Resilient`]: throttling and one retry of a failed server, around any [`HttpTransport`].
//!
//! - **Throttle gate, per origin.** A `429` or `503` with `Retry-After` (delta-seconds or an
//!   HTTP-date, capped at `max_retry_after_secs`; a `429` without it: [`DEFAULT_RETRY_AFTER_SECS`])
//!   closes the origin until then: every request to it fails at once with
//!   [`Error::Service`] (`status`, `retry_after_secs` = what is left) and sends nothing. The
//!   response's `Retry-After` is rewritten to the capped delta-seconds, so the layers above read
//!   one form.
//! - **One retry of a failed server**, after a short jittered backoff, only where a replay
//!   cannot hurt:
//!   - `GET`/`HEAD` (discovery, JWKS, API calls): on `500`, `502`, `503`, `504`;
//!   - any other method (the token endpoint's `POST`s): on `503` without `Retry-After` only.
//!     A refresh token or authorization code is single-use: after a `500`, `502` or `504` the
//!     provider (or the one behind a gateway) may already have redeemed it and rotated the
//!     refresh token; sending it again is a replay, which providers such as node-oidc-provider
//!     punish by revoking the whole grant. A `503` means the server did not take the request.
//! - Connection failures are retried by [`super::ReqwestTransport`] (nothing was sent).
//!
//! The clock is injected, so tests move past a `Retry-After` without sleeping.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{header, Method, StatusCode};

use super::retry_after::parse_retry_after;
use super::{BoxFuture, HttpRequest, HttpResponse, HttpTransport};
use crate::clock::Clock;
use crate::error::Error;

/// The wait after a `429` that names none.
pub const DEFAULT_RETRY_AFTER_SECS: u64 = 10;
/// The base backoff before the one retry; a random extra of up to the same is added.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(200);

/// Throttling and retries around `inner`; see the module documentation.
pub struct Resilient {
    inner: Arc<dyn HttpTransport>,
    clock: Arc<dyn Clock>,
    max_retry_after_secs: u64,
    backoff: Duration,
    gates: Mutex<HashMap<String, Gate>>,
}

/// An origin closed until `until` (Unix seconds) by a response with `status`.
#[derive(Clone, Copy, Debug)]
struct Gate {
    until: u64,
    status: u16,
}

impl Resilient {
    /// Wraps `inner`; a `Retry-After` longer than `max_retry_after_secs` is cut to it.
    pub fn new(
        inner: Arc<dyn HttpTransport>,
        clock: Arc<dyn Clock>,
        max_retry_after_secs: u64,
    ) -> Self {
        Resilient {
            inner,
            clock,
            max_retry_after_secs,
            backoff: DEFAULT_BACKOFF,
            gates: Mutex::new(HashMap::new()),
        }
    }

    /// Sets the base backoff before a retry (tests use zero).
    pub fn with_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// The refusal for a request to a closed origin, if it is closed.
    fn check_gate(&self, origin: &str) -> Result<(), Error> {
        let now = self.clock.unix_now();
        let mut gates = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        match gates.get(origin).copied() {
            Some(gate) if gate.until > now => Err(throttled(gate.status, gate.until - now)),
            Some(_) => {
                gates.remove(origin);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Closes the origin if `response` asks to wait; rewrites its `Retry-After` to capped
    /// delta-seconds.
    fn note_throttling(&self, origin: &str, response: &mut HttpResponse) {
        let status = response.status();
        if status != StatusCode::TOO_MANY_REQUESTS && status != StatusCode::SERVICE_UNAVAILABLE {
            return;
        }
        let parsed = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, self.clock.now(), self.max_retry_after_secs));
        let secs = match parsed {
            Some(secs) => secs,
            None if status == StatusCode::TOO_MANY_REQUESTS => {
                DEFAULT_RETRY_AFTER_SECS.min(self.max_retry_after_secs)
            }
            None => {
                response.headers_mut().remove(header::RETRY_AFTER);
                return;
            }
        };
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        if secs > 0 {
            let gate = Gate {
                until: self.clock.unix_now().saturating_add(secs),
                status: status.as_u16(),
            };
            tracing::warn!(
                origin,
                status = gate.status,
                secs,
                "throttled by the server"
            );
            self.gates
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(origin.to_owned(), gate);
        }
    }

    async fn backoff(&self) {
        if self.backoff.is_zero() {
            return;
        }
        let extra = fastrand::u64(0..=self.backoff.as_millis() as u64);
        tokio::time::sleep(self.backoff + Duration::from_millis(extra)).await;
    }
}

impl HttpTransport for Resilient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let origin = origin_of(&request);
            self.check_gate(&origin)?;
            let spare = copy_request(&request);
            let mut response = self.inner.send(request).await?;
            self.note_throttling(&origin, &mut response);
            if !worth_retrying(spare.method(), &response) {
                return Ok(response);
            }
            tracing::debug!(
                status = response.status().as_u16(),
                "server failed; retrying once"
            );
            self.backoff().await;
            self.check_gate(&origin)?;
            let mut response = self.inner.send(spare).await?;
            self.note_throttling(&origin, &mut response);
            Ok(response)
        })
    }
}

/// Whether a failed answer may be asked again (see the module documentation).
fn worth_retrying(method: &Method, response: &HttpResponse) -> bool {
    let status = response.status();
    let has_retry_after = response.headers().contains_key(header::RETRY_AFTER);
    if *method == Method::GET || *method == Method::HEAD {
        matches!(status.as_u16(), 500 | 502 | 504) || (status.as_u16() == 503 && !has_retry_after)
    } else {
        status == StatusCode::SERVICE_UNAVAILABLE && !has_retry_after
    }
}

/// The error for a request not sent because the origin asked to wait.
fn throttled(status: u16, remaining: u64) -> Error {
    let error = if status == 429 {
        "throttled"
    } else {
        "temporarily_unavailable"
    };
    Error::Service {
        error: error.into(),
        description: Some("the service asked to wait; no request was sent".into()),
        status: Some(status),
        correlation_id: None,
        retry_after_secs: Some(remaining),
    }
}

/// `scheme://host:port` of the request (the throttle gate's key).
fn origin_of(request: &HttpRequest) -> String {
    let uri = request.uri();
    format!(
        "{}://{}",
        uri.scheme_str().unwrap_or(""),
        uri.authority().map(|a| a.as_str()).unwrap_or("")
    )
    .to_ascii_lowercase()
}

/// A copy of `request` for the one retry.
fn copy_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

#[cfg(test)]
mod tests;
