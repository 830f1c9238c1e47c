//! The app registration and its APIs: [`Config`], built in code with [`Config::builder`] or
//! read from a TOML file ([`Config::from_toml`], [`Config::load`]; see `config/demo-rfc8707.toml`
//! and `config/entra-example.toml` at the repository root for commented examples).
//!
//! Every error names the offending field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::error::Error;
use crate::identity::AppIdentity;

mod api;
mod builder;
mod network;
mod validate;
pub use api::Api;
pub use builder::ConfigBuilder;
pub use network::NetworkConfig;
pub use validate::is_loopback_host;

/// Scopes every sign-in asks for besides the APIs' (OpenID Connect and a refresh token).
pub const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

/// The default `sign_in_timeout_secs`.
const DEFAULT_SIGN_IN_TIMEOUT_SECS: u64 = 300;

/// The app registration and its APIs.
///
/// Build one with [`Config::builder`], or read a TOML file with [`Config::from_toml`] or
/// [`Config::load`]; either way every field is checked ([`Config::validate`]). The fields are
/// public for reading.
///
/// ```
/// use lanyard::Config;
///
/// let config = Config::from_toml(r#"
///     authority = "https://login.example.com"
///     client_id = "my-client-id"
///
///     [[apis]]
///     name = "orders"
///     base_url = "https://orders.example.com"
///     scopes = ["orders.read"]
/// "#)?;
/// assert_eq!(config.redirect_uri, Config::default_redirect_uri());
/// # Ok::<(), lanyard::Error>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// Authority / issuer URL; discovery is at `{authority}/.well-known/openid-configuration`.
    #[serde(alias = "issuer")]
    pub authority: Url,
    /// The public client's id.
    pub client_id: String,
    /// Loopback redirect URI. Without a port, any free port is used at each sign-in
    /// (RFC 8252 §7.3); with a port, exactly that one (providers that match exactly).
    #[serde(default = "Config::default_redirect_uri")]
    pub redirect_uri: Url,
    /// Extra parameters for the authorize request (`domain_hint`, `login_hint`, `prompt`, ...).
    #[serde(default)]
    pub extra_authorize_params: BTreeMap<String, String>,
    /// Send `client_info=1` (Microsoft identity platform: home account id `uid.utid`).
    #[serde(default)]
    pub client_info: bool,
    /// Program that opens the authorize URL (the URL is its only argument). Default: the
    /// system browser.
    #[serde(default)]
    pub browser: Option<String>,
    /// Extra trusted CA certificates (PEM) besides the OS roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Where the encrypted token cache lives. Default: the [`AppIdentity`]'s cache directory.
    /// Give each app a directory of its own.
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
    /// How long an interactive sign-in may take, in seconds.
    #[serde(default = "default_sign_in_timeout")]
    pub sign_in_timeout_secs: u64,
    /// Client capabilities declared to the provider through the `claims` parameter, e.g. `cp1`
    /// (Continuous Access Evaluation: the provider may then send claims challenges).
    #[serde(default)]
    pub client_capabilities: Vec<String>,
    /// The web APIs, the first one being the one the authorization code is redeemed for.
    pub apis: Vec<Api>,
    /// Timeouts and the `Retry-After` cap (`[network]`).
    #[serde(default)]
    pub network: NetworkConfig,
}

fn default_sign_in_timeout() -> u64 {
    DEFAULT_SIGN_IN_TIMEOUT_SECS
}

impl Config {
    /// A builder for a configuration with the provider at `authority` (a `&str`, `String` or
    /// [`Url`]) and the public client `client_id`. Add at least one [`Api`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use lanyard::{Api, Config};
    ///
    /// let config = Config::builder("https://login.example.com/tenant/v2.0", "my-client-id")
    ///     .api(Api::new("customer", "https://customer.example.com").scopes(["customer.read"]))
    ///     .api(Api::new("vendor", "https://vendor.example.com").scopes(["vendor.read"]))
    ///     .extra_authorize_param("domain_hint", "contoso.com")
    ///     .sign_in_timeout(Duration::from_secs(120))
    ///     .build()?;
    /// assert_eq!(config.apis.len(), 2);
    ///
    /// // Errors name the field, as for a configuration file.
    /// let err = Config::builder("http://login.example.com", "my-client-id")
    ///     .api(Api::new("customer", "https://customer.example.com").scopes(["customer.read"]))
    ///     .build()
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("configuration: authority:"));
    /// # Ok::<(), lanyard::Error>(())
    /// ```
    pub fn builder(authority: impl AsRef<str>, client_id: impl Into<String>) -> ConfigBuilder {
        ConfigBuilder::new(authority.as_ref(), client_id.into())
    }

    /// The default redirect URI, `http://127.0.0.1/callback` (any free port).
    pub fn default_redirect_uri() -> Url {
        Url::parse("http://127.0.0.1/callback").expect("static URL")
    }

    /// Reads, parses and validates a TOML file (see [`Config::from_toml`]). Errors name the
    /// file and the field.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(path.display().to_string(), format!("cannot read: {e}")))?;
        Config::from_toml(&text).map_err(|e| prefix_file(e, path))
    }

    /// Parses and validates TOML text.
    pub fn from_toml(text: &str) -> Result<Config, Error> {
        let syntax = |e: toml::de::Error| Error::config("file", one_line(&e.to_string()));
        let deserializer = toml::Deserializer::parse(text).map_err(syntax)?;
        let config: Config = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let message = one_line(e.inner().message());
            Error::config(field_path(&e.path().to_string(), &message), message)
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The API with this name.
    pub fn api(&self, name: &str) -> Result<&Api, Error> {
        self.apis
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| Error::UnknownApi(name.to_owned()))
    }

    /// The first API whose scopes include every one of `scopes` (a request by scopes, as MSAL
    /// makes them). Cost grows with the number of configured APIs, not with the cache.
    pub fn api_for_scopes(&self, scopes: &[&str]) -> Result<&Api, Error> {
        self.apis
            .iter()
            .find(|a| !scopes.is_empty() && scopes.iter().all(|s| a.scopes.iter().any(|x| x == s)))
            .ok_or_else(|| {
                Error::UnknownApi(format!("(no API has the scopes {})", scopes.join(" ")))
            })
    }

    /// True when Microsoft personal accounts can sign in with this authority (the Microsoft
    /// identity platform's `common` or `consumers` tenants): they are asked to consent again on
    /// each run of a desktop app, which the app says before opening the browser.
    pub fn allows_personal_microsoft_accounts(&self) -> bool {
        crate::microsoft::allows_personal_accounts(&self.authority)
    }

    /// True when the APIs carry RFC 8707 resource indicators.
    pub fn uses_resource_indicators(&self) -> bool {
        self.apis.iter().any(|a| a.resource.is_some())
    }

    /// The sign-in timeout.
    pub fn sign_in_timeout(&self) -> Duration {
        Duration::from_secs(self.sign_in_timeout_secs)
    }

    /// The cache directory for the app `identity`: the configured `cache_dir`, else the
    /// identity's ([`AppIdentity::cache_dir_path`]).
    pub fn cache_dir_for(&self, identity: &AppIdentity) -> Result<PathBuf, Error> {
        match (&self.cache_dir, identity.cache_dir_path()) {
            (Some(dir), _) => Ok(dir.clone()),
            (None, Some(dir)) => Ok(dir.to_owned()),
            (None, None) => Err(Error::config(
                "cache_dir",
                "no user data directory; set cache_dir",
            )),
        }
    }

    /// Checks every field (done by the loaders and the builder;
    /// [`Engine::builder`](crate::Engine::builder) checks again, since the fields are public).
    pub fn validate(&self) -> Result<(), Error> {
        validate::config(self)
    }
}

fn prefix_file(e: Error, path: &Path) -> Error {
    match e {
        Error::Config { field, message } => Error::Config {
            field: format!("{}: {field}", path.display()),
            message,
        },
        other => other,
    }
}

/// The dotted path of the field an error is about. Serde reports missing and unknown fields at
/// their parent, naming the field in the message: append it.
fn field_path(parent: &str, message: &str) -> String {
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    match (parent, named) {
        (".", Some(name)) => name.to_owned(),
        (".", None) => "file".to_owned(),
        (parent, Some(name)) if !parent.ends_with(name) => format!("{parent}.{name}"),
        (parent, _) => parent.to_owned(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
