//! The app registration: one TOML file (see `config/demo-rfc8707.toml` and
//! `config/entra-example.toml` at the repository root for commented examples).
//!
//! Every error names the offending field.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::error::Error;

mod network;
pub use network::NetworkConfig;

/// Environment variable naming the program that opens the authorize URL (overrides `browser`).
pub const ENV_BROWSER: &str = "LANYARD_BROWSER";
/// Environment variable naming an extra trusted CA file (overrides `ca_file`).
pub const ENV_CA_FILE: &str = "LANYARD_CA_FILE";
/// Environment variable naming the cache directory (overrides `cache_dir`).
pub const ENV_CACHE_DIR: &str = "LANYARD_CACHE_DIR";

/// Scopes every sign-in asks for besides the APIs' (OpenID Connect and a refresh token).
pub const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

/// The app registration and its APIs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Authority / issuer URL; discovery is at `{authority}/.well-known/openid-configuration`.
    #[serde(alias = "issuer")]
    pub authority: Url,
    /// The public client's id.
    pub client_id: String,
    /// Loopback redirect URI. Without a port, any free port is used at each sign-in
    /// (RFC 8252 §7.3); with a port, exactly that one (providers that match exactly).
    #[serde(default = "default_redirect")]
    pub redirect_uri: Url,
    /// Extra parameters for the authorize request (`domain_hint`, `login_hint`, `prompt`, ...).
    #[serde(default)]
    pub extra_authorize_params: BTreeMap<String, String>,
    /// Send `client_info=1` (Microsoft identity platform: home account id `uid.utid`).
    #[serde(default)]
    pub client_info: bool,
    /// Program that opens the authorize URL (the URL is its only argument). Default: the
    /// system browser. `LANYARD_BROWSER` overrides it.
    #[serde(default)]
    pub browser: Option<String>,
    /// Extra trusted CA certificates (PEM) besides the OS roots. `LANYARD_CA_FILE` overrides it.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Where the encrypted token cache lives. Default: the user's data directory + `lanyard`.
    /// `LANYARD_CACHE_DIR` overrides it.
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
    pub apis: Vec<ApiConfig>,
    /// Timeouts and the `Retry-After` cap (`[network]`).
    #[serde(default)]
    pub network: NetworkConfig,
}

/// One web API the app calls.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// A short name, unique in the file (`customer`, `vendor`).
    pub name: String,
    /// Base URL the API paths are joined to.
    pub base_url: Url,
    /// Scopes the API's access token must carry.
    pub scopes: Vec<String>,
    /// RFC 8707 resource indicator. Set it for every API or for none: providers that take
    /// `resource` (RFC 8707) or scope-only providers (the Microsoft identity platform).
    #[serde(default)]
    pub resource: Option<String>,
    /// Scopes not asked for at sign-in that the API may demand later (`403 insufficient_scope`
    /// naming one of them): the user is then asked to consent to it (incremental consent).
    #[serde(default)]
    pub optional_scopes: Vec<String>,
}

impl ApiConfig {
    /// The optional scope an API's `insufficient_scope` challenge names: equal to it, or (for
    /// resource-qualified scopes) ending in `/<scope>`.
    pub fn optional_scope(&self, named: &str) -> Option<&str> {
        self.optional_scopes
            .iter()
            .find(|s| {
                s.as_str() == named
                    || s.strip_suffix(named)
                        .is_some_and(|prefix| prefix.ends_with('/'))
            })
            .map(String::as_str)
    }
}

fn default_redirect() -> Url {
    Url::parse("http://127.0.0.1/callback").expect("static URL")
}

fn default_sign_in_timeout() -> u64 {
    300
}

impl Config {
    /// The default configuration file: `<config dir>/dev.lanyard.app/lanyard.toml` (the desktop
    /// app's config directory, so the app and the CLI share one file).
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join("dev.lanyard.app").join("lanyard.toml"))
    }

    /// Reads, parses and validates a file, then applies the environment overrides.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(path.display().to_string(), format!("cannot read: {e}")))?;
        let mut config = Config::from_toml(&text).map_err(|e| prefix_file(e, path))?;
        config.apply_env();
        Ok(config)
    }

    /// Parses and validates TOML text (no environment overrides).
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

    /// Applies `LANYARD_BROWSER`, `LANYARD_CA_FILE` and `LANYARD_CACHE_DIR`.
    pub fn apply_env(&mut self) {
        if let Some(v) = non_empty_env(ENV_BROWSER) {
            self.browser = Some(v);
        }
        if let Some(v) = non_empty_env(ENV_CA_FILE) {
            self.ca_file = Some(PathBuf::from(v));
        }
        if let Some(v) = non_empty_env(ENV_CACHE_DIR) {
            self.cache_dir = Some(PathBuf::from(v));
        }
    }

    /// The API with this name.
    pub fn api(&self, name: &str) -> Result<&ApiConfig, Error> {
        self.apis
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| Error::UnknownApi(name.to_owned()))
    }

    /// The first API whose scopes include every one of `scopes` (a request by scopes, as MSAL
    /// makes them). Cost grows with the number of configured APIs, not with the cache.
    pub fn api_for_scopes(&self, scopes: &[&str]) -> Result<&ApiConfig, Error> {
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
        let host = self.authority.host_str().unwrap_or("").to_ascii_lowercase();
        let microsoft = host == "login.microsoftonline.com" || host == "login.live.com";
        let tenant = self
            .authority
            .path_segments()
            .and_then(|mut s| s.next())
            .unwrap_or("")
            .to_ascii_lowercase();
        microsoft
            && matches!(
                tenant.as_str(),
                "common" | "consumers" | crate::engine::MICROSOFT_CONSUMERS_TENANT
            )
    }

    /// True when the APIs carry RFC 8707 resource indicators.
    pub fn uses_resource_indicators(&self) -> bool {
        self.apis.iter().any(|a| a.resource.is_some())
    }

    /// The sign-in timeout.
    pub fn sign_in_timeout(&self) -> Duration {
        Duration::from_secs(self.sign_in_timeout_secs)
    }

    /// The cache directory: configured, else `<data dir>/lanyard`.
    pub fn cache_dir(&self) -> Result<PathBuf, Error> {
        match &self.cache_dir {
            Some(dir) => Ok(dir.clone()),
            None => dirs::data_local_dir()
                .map(|d| d.join("lanyard"))
                .ok_or_else(|| Error::config("cache_dir", "no user data directory; set cache_dir")),
        }
    }

    /// Checks every field (done by the loaders; [`crate::Engine::new`] checks again, since the
    /// fields are public).
    pub fn validate(&self) -> Result<(), Error> {
        self.network.validate()?;
        check_transport("authority", &self.authority)?;
        if self.authority.query().is_some() || self.authority.fragment().is_some() {
            return Err(Error::config(
                "authority",
                "must not have a query or fragment",
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err(Error::config("client_id", "must not be empty"));
        }
        check_redirect(&self.redirect_uri)?;
        if self.sign_in_timeout_secs == 0 {
            return Err(Error::config("sign_in_timeout_secs", "must be at least 1"));
        }
        if let Some(browser) = &self.browser {
            if browser.trim().is_empty() {
                return Err(Error::config("browser", "must not be empty"));
            }
        }
        for key in self.extra_authorize_params.keys() {
            if RESERVED_AUTHORIZE_PARAMS.contains(&key.as_str()) {
                return Err(Error::config(
                    format!("extra_authorize_params.{key}"),
                    "is set by Lanyard itself",
                ));
            }
        }
        for (i, capability) in self.client_capabilities.iter().enumerate() {
            if capability.is_empty() || !capability.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(Error::config(
                    format!("client_capabilities[{i}]"),
                    "must be a non-empty alphanumeric word such as cp1",
                ));
            }
        }
        if self.apis.is_empty() {
            return Err(Error::config("apis", "at least one API is required"));
        }
        let with_resource = self.apis.iter().filter(|a| a.resource.is_some()).count();
        for (i, api) in self.apis.iter().enumerate() {
            let at = |f: &str| format!("apis[{i}].{f}");
            if api.name.trim().is_empty() {
                return Err(Error::config(at("name"), "must not be empty"));
            }
            if self.apis[..i].iter().any(|a| a.name == api.name) {
                return Err(Error::config(
                    at("name"),
                    format!("{:?} is used twice", api.name),
                ));
            }
            check_transport(&at("base_url"), &api.base_url)?;
            if api.scopes.is_empty() {
                return Err(Error::config(
                    at("scopes"),
                    "at least one scope is required",
                ));
            }
            if let Some(bad) = api.scopes.iter().find(|s| !is_scope_token(s)) {
                return Err(Error::config(
                    at("scopes"),
                    format!("{bad:?} is not a valid scope"),
                ));
            }
            match &api.resource {
                Some(resource) => {
                    let url = Url::parse(resource).map_err(|e| {
                        Error::config(at("resource"), format!("must be an absolute URI: {e}"))
                    })?;
                    if url.fragment().is_some() {
                        return Err(Error::config(at("resource"), "must not have a fragment"));
                    }
                }
                None if with_resource > 0 => {
                    return Err(Error::config(
                        at("resource"),
                        "set a resource for every API or for none",
                    ));
                }
                None => {}
            }
        }
        Ok(())
    }
}

const RESERVED_AUTHORIZE_PARAMS: [&str; 11] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "resource",
    "client_info",
    "claims",
];

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

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`.
fn is_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// True for `localhost`, 127.0.0.0/8 and `::1`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `https` everywhere; plain `http` only for loopback hosts (local development).
fn check_transport(field: &str, url: &Url) -> Result<(), Error> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(url) => Ok(()),
        "http" => Err(Error::config(
            field,
            "plain http is accepted only for loopback hosts; use https",
        )),
        other => Err(Error::config(
            field,
            format!("unsupported scheme {other:?}"),
        )),
    }
}

fn check_redirect(url: &Url) -> Result<(), Error> {
    if url.scheme() != "http" || !is_loopback_host(url) {
        return Err(Error::config(
            "redirect_uri",
            "must be a loopback http URI such as http://127.0.0.1/callback (RFC 8252 §7.3)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            "redirect_uri",
            "must not have a query or fragment",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
