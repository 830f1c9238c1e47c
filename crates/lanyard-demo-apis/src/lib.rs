//! Lanyard's two demo web APIs, "customer" and "vendor".
//!
//! Each is a small axum server that accepts a request only with a JWT access
//! token the way a production API must check it: signature against the IdP's
//! JWKS (found through OpenID discovery, cached, re-fetched on key rotation),
//! exact issuer, this API's audience, lifetime, and a required scope. Refusals
//! follow RFC 6750 (`WWW-Authenticate: Bearer ...`).
//!
//! Start one in-process with [`spawn`], or serve a listener with [`serve`];
//! the `lanyard-demo-api` binary wraps the same code.

pub mod challenge;
mod error;
mod jwks;
mod policy;
mod routes;
mod validate;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use error::DemoApiError;
pub use jwks::{JwksSource, DEFAULT_MIN_REFETCH_INTERVAL};
pub use policy::{claims_challenge, Policy};
pub use routes::{router, router_with_policy};
pub use validate::{AccessToken, TokenValidator, ALLOWED_ALGORITHMS, LEEWAY_SECS};

/// What one demo API is and whose tokens it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSpec {
    /// The API's name and `realm`: "customer" serves `/customers`, "vendor"
    /// serves `/orders`; any other name serves only `/me` and `/health`.
    pub name: String,
    /// The IdP's issuer, compared exactly with `iss`, e.g. `http://127.0.0.1:7700`.
    pub issuer: String,
    /// The audience a token must carry in `aud`, e.g. `api://lanyard-customer`.
    pub audience: String,
    /// The scope a token must carry in `scope` or `scp`, e.g. `customer.read`.
    pub required_scope: String,
    /// The further scope `GET /reports` needs, e.g. `customer.reports`: not asked for at
    /// sign-in, so calling it exercises incremental consent.
    pub reports_scope: String,
}

impl ApiSpec {
    /// The customer API: audience `api://lanyard-customer`, scope `customer.read`.
    pub fn customer(issuer: impl Into<String>) -> Self {
        Self::named("customer", issuer)
    }

    /// The vendor API: audience `api://lanyard-vendor`, scope `vendor.read`.
    pub fn vendor(issuer: impl Into<String>) -> Self {
        Self::named("vendor", issuer)
    }

    /// An API called `name`, with audience `api://lanyard-<name>` and scope
    /// `<name>.read`.
    pub fn named(name: &str, issuer: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            issuer: issuer.into(),
            audience: format!("api://lanyard-{name}"),
            required_scope: format!("{name}.read"),
            reports_scope: format!("{name}.reports"),
        }
    }
}

/// Serves `spec` on `listener` until the process ends.
pub async fn serve(listener: TcpListener, spec: ApiSpec) -> Result<(), DemoApiError> {
    serve_with_shutdown(listener, spec, std::future::pending()).await
}

/// Serves `spec` on `listener` until `shutdown` completes, then finishes the
/// requests in flight and returns.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    spec: ApiSpec,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DemoApiError> {
    let keys = JwksSource::discovery(&spec.issuer)?;
    axum::serve(listener, router(spec, keys))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Starts `spec` on `127.0.0.1:<free port>` as a task of the current tokio
/// runtime, with keys found through discovery at `spec.issuer`.
pub async fn spawn(spec: ApiSpec) -> Result<RunningApi, DemoApiError> {
    spawn_on(spec, 0).await
}

/// Like [`spawn`], on `127.0.0.1:<port>` (0: a free port), e.g. the demo's fixed ports.
pub async fn spawn_on(spec: ApiSpec, port: u16) -> Result<RunningApi, DemoApiError> {
    let keys = JwksSource::discovery(&spec.issuer)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    spawn_listener(listener, spec, keys)
}

/// Like [`spawn`], with keys from `keys`.
pub async fn spawn_with_keys(spec: ApiSpec, keys: JwksSource) -> Result<RunningApi, DemoApiError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    spawn_listener(listener, spec, keys)
}

/// Serves `spec` on `listener` as a task of the current tokio runtime.
fn spawn_listener(
    listener: TcpListener,
    spec: ApiSpec,
    keys: JwksSource,
) -> Result<RunningApi, DemoApiError> {
    let addr = listener.local_addr()?;
    let name = spec.name.clone();
    let policy = Policy::default();
    let app = router_with_policy(spec, keys, policy.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(api = %name, %addr, "demo API listening");
    Ok(RunningApi {
        name,
        addr,
        policy,
        stop: Some(stop),
        task: Some(task),
    })
}

/// A demo API running in-process. Dropping it starts a graceful shutdown;
/// [`RunningApi::shutdown`] also waits for it.
#[derive(Debug)]
pub struct RunningApi {
    name: String,
    addr: SocketAddr,
    policy: Policy,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningApi {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the API listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API's runtime switches (Conditional Access context, token revocation).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The API's name, from its [`ApiSpec`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Stops accepting connections, lets requests in flight finish, and
    /// waits for the server to end.
    pub async fn shutdown(mut self) -> Result<(), DemoApiError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => Ok(result?),
                Err(join) => Err(DemoApiError::Io(std::io::Error::other(join))),
            },
            None => Ok(()),
        }
    }
}

impl Drop for RunningApi {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
