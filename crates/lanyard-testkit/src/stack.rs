//! The whole demo stack for a test: the IdP, both demo APIs in-process, and a private
//! directory for the configuration and the token cache. Dropped, it stops everything.

use std::path::{Path, PathBuf};

use lanyard_demo_apis::{ApiSpec, DemoApiError, Policy, RunningApi};

use crate::idp::{Idp, IdpError, IdpOptions};

/// The two kinds of provider Lanyard supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// RFC 8707: one `resource` per API (client `lanyard-rfc8707`).
    Rfc8707,
    /// Scope-only, like the Microsoft identity platform (client `lanyard-scopes`).
    ScopeOnly,
}

impl ProviderKind {
    /// The IdP's client id for this kind.
    pub fn client_id(self) -> &'static str {
        match self {
            ProviderKind::Rfc8707 => "lanyard-rfc8707",
            ProviderKind::ScopeOnly => "lanyard-scopes",
        }
    }
}

/// Fixed loopback ports for the IdP and the two APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    /// The IdP (the issuer is `http://127.0.0.1:<idp>`).
    pub idp: u16,
    /// The customer API.
    pub customer: u16,
    /// The vendor API.
    pub vendor: u16,
}

/// The ports of `scripts/demo.sh` and `config/demo-*.toml`: IdP 7700, customer 7701,
/// vendor 7702.
pub const DEMO_PORTS: Ports = Ports {
    idp: 7700,
    customer: 7701,
    vendor: 7702,
};

/// Why the stack did not start.
#[derive(Debug, thiserror::Error)]
pub enum StackError {
    /// The IdP did not start.
    #[error(transparent)]
    Idp(#[from] IdpError),
    /// A demo API did not start.
    #[error("demo API: {0}")]
    Api(#[from] DemoApiError),
    /// A fixed port is taken (by `scripts/demo.sh`, or another test on the same ports).
    #[error("port {0} on 127.0.0.1 is in use (is scripts/demo.sh running?)")]
    PortInUse(u16),
    /// The temp directory or config file.
    #[error("stack files: {0}")]
    Io(#[from] std::io::Error),
}

/// A running stack.
pub struct Stack {
    kind: ProviderKind,
    /// `None` once [`Stack::stop_idp`] ran.
    idp: Option<Idp>,
    idp_options: IdpOptions,
    issuer: String,
    customer: RunningApi,
    vendor: RunningApi,
    dir: tempfile::TempDir,
}

impl Stack {
    /// Starts the IdP with default settings and both APIs.
    pub async fn start(kind: ProviderKind) -> Result<Stack, StackError> {
        Self::start_with(kind, IdpOptions::default()).await
    }

    /// Starts the IdP with `options` and both APIs.
    pub async fn start_with(kind: ProviderKind, options: IdpOptions) -> Result<Stack, StackError> {
        Self::start_at(kind, options, (0, 0)).await
    }

    /// Starts the IdP and both APIs on `ports` (e.g. [`DEMO_PORTS`], for a configuration
    /// that names them, like `config/demo-rfc8707.toml`), with default IdP settings.
    pub async fn start_on(kind: ProviderKind, ports: Ports) -> Result<Stack, StackError> {
        for port in [ports.idp, ports.customer, ports.vendor] {
            if std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).is_err() {
                return Err(StackError::PortInUse(port));
            }
        }
        let options = IdpOptions {
            port: Some(ports.idp),
            ..IdpOptions::default()
        };
        Self::start_at(kind, options, (ports.customer, ports.vendor)).await
    }

    /// The IdP with `options`, the customer and vendor APIs on `api_ports` (0: free ports).
    async fn start_at(
        kind: ProviderKind,
        options: IdpOptions,
        (customer_port, vendor_port): (u16, u16),
    ) -> Result<Stack, StackError> {
        let idp = Idp::start_with(options.clone()).await?;
        let customer =
            lanyard_demo_apis::spawn_on(ApiSpec::customer(idp.issuer()), customer_port).await?;
        let vendor =
            lanyard_demo_apis::spawn_on(ApiSpec::vendor(idp.issuer()), vendor_port).await?;
        let dir = tempfile::Builder::new()
            .prefix("lanyard-stack-")
            .tempdir()?;
        Ok(Stack {
            kind,
            issuer: idp.issuer().to_owned(),
            idp: Some(idp),
            idp_options: options,
            customer,
            vendor,
            dir,
        })
    }

    /// The provider kind.
    pub fn kind(&self) -> ProviderKind {
        self.kind
    }

    /// The IdP. Panics after [`Stack::stop_idp`].
    pub fn idp(&self) -> &Idp {
        self.idp.as_ref().expect("the IdP was stopped")
    }

    /// Stops the IdP (the provider goes offline); the APIs keep running with the keys they
    /// fetched.
    pub async fn stop_idp(&mut self) -> Result<(), StackError> {
        if let Some(idp) = self.idp.take() {
            idp.stop().await?;
        }
        Ok(())
    }

    /// Starts the IdP again on the same port (the network is back): same issuer, new keys, and
    /// none of the old sessions or grants.
    pub async fn restart_idp(&mut self) -> Result<(), StackError> {
        self.stop_idp().await?;
        let port = url::Url::parse(&self.issuer)
            .ok()
            .and_then(|u| u.port())
            .expect("the issuer names its port");
        let options = IdpOptions {
            port: Some(port),
            ..self.idp_options.clone()
        };
        self.idp = Some(Idp::start_with(options).await?);
        Ok(())
    }

    /// The customer API's runtime switches (Conditional Access context, token revocation).
    pub fn customer_policy(&self) -> &Policy {
        self.customer.policy()
    }

    /// The vendor API's runtime switches.
    pub fn vendor_policy(&self) -> &Policy {
        self.vendor.policy()
    }

    /// The customer API's base URL.
    pub fn customer_url(&self) -> String {
        self.customer.base_url()
    }

    /// The vendor API's base URL.
    pub fn vendor_url(&self) -> String {
        self.vendor.base_url()
    }

    /// The stack's private directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Where Lanyard's cache goes.
    pub fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// A Lanyard configuration (TOML) for this stack, its cache in [`Stack::cache_dir`].
    pub fn config_toml(&self) -> String {
        let (prefix, customer_resource, vendor_resource) = match self.kind {
            ProviderKind::Rfc8707 => (
                "",
                "\nresource = \"api://lanyard-customer\"",
                "\nresource = \"api://lanyard-vendor\"",
            ),
            ProviderKind::ScopeOnly => ("api://lanyard-{api}/", "", ""),
        };
        let scope = |api: &str, name: &str| format!("{}{api}.{name}", prefix.replace("{api}", api));
        format!(
            r#"authority = "{issuer}"
client_id = "{client_id}"
redirect_uri = "http://127.0.0.1/callback"
cache_dir = "{cache}"

[[apis]]
name = "customer"
base_url = "{customer}"
scopes = ["{customer_scope}"]
optional_scopes = ["{customer_reports}"]{customer_resource}

[[apis]]
name = "vendor"
base_url = "{vendor}"
scopes = ["{vendor_scope}"]
optional_scopes = ["{vendor_reports}"]{vendor_resource}
"#,
            issuer = self.issuer,
            client_id = self.kind.client_id(),
            cache = self.cache_dir().display(),
            customer = self.customer.base_url(),
            vendor = self.vendor.base_url(),
            customer_scope = scope("customer", "read"),
            customer_reports = scope("customer", "reports"),
            vendor_scope = scope("vendor", "read"),
            vendor_reports = scope("vendor", "reports"),
        )
    }

    /// Writes [`Stack::config_toml`] to `<dir>/lanyard.toml` and returns the path.
    pub fn write_config(&self) -> Result<PathBuf, StackError> {
        let path = self.dir.path().join("lanyard.toml");
        std::fs::write(&path, self.config_toml())?;
        Ok(path)
    }
}

/// The path of a workspace binary (`lanyard`, `lanyard-test-browser`) beside the running test
/// executable (`target/<profile>/deps/..`). Build it first: `cargo build --workspace --bins`.
pub fn bin_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let mut dir = exe.parent().expect("a directory").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first",
        path.display()
    );
    path
}

/// Runs the `lanyard` CLI: [`lanyard_command`], run to completion.
pub fn run_lanyard(config: &Path, args: &[&str]) -> std::process::Output {
    lanyard_command(config, args)
        .output()
        .expect("lanyard runs")
}

/// The `lanyard` CLI with `--config config` and `args`, with `lanyard-test-browser` as its
/// browser, its logs in `logs/` beside `config` (default settings: `LANYARD_LOG*` removed) and
/// no `LANYARD_CONFIG` / `LANYARD_CACHE_DIR` from the environment. Add to its environment
/// before running it.
pub fn lanyard_command(config: &Path, args: &[&str]) -> std::process::Command {
    let logs = config.parent().unwrap_or(Path::new(".")).join("logs");
    let mut command = std::process::Command::new(bin_path("lanyard"));
    command
        .arg("--config")
        .arg(config)
        .args(args)
        .env("LANYARD_BROWSER", bin_path("lanyard-test-browser"))
        .env("LANYARD_LOG_DIR", logs)
        .env_remove("LANYARD_CONFIG")
        .env_remove("LANYARD_CACHE_DIR")
        .env_remove("LANYARD_LOG")
        .env_remove("LANYARD_LOG_PII")
        .env_remove("LANYARD_LOG_STDERR")
        .env_remove("LANYARD_TEST_BROWSER_RECORD");
    command
}
