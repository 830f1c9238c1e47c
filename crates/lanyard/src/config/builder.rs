//! [`ConfigBuilder`]: a [`Config`] in code, checked as a configuration file is.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::{Api, Config, NetworkConfig, DEFAULT_SIGN_IN_TIMEOUT_SECS};
use crate::error::Error;

/// Builds a [`Config`]: made by [`Config::builder`]. [`ConfigBuilder::build`] runs the checks
/// a configuration file gets, and its errors name the field as the file's do.
#[derive(Clone, Debug)]
#[must_use]
pub struct ConfigBuilder {
    authority: String,
    client_id: String,
    redirect_uri: Option<String>,
    extra_authorize_params: BTreeMap<String, String>,
    client_info: bool,
    browser: Option<String>,
    ca_file: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    sign_in_timeout: Duration,
    client_capabilities: Vec<String>,
    apis: Vec<Api>,
    network: NetworkConfig,
}

impl ConfigBuilder {
    pub(super) fn new(authority: &str, client_id: String) -> Self {
        ConfigBuilder {
            authority: authority.to_owned(),
            client_id,
            redirect_uri: None,
            extra_authorize_params: BTreeMap::new(),
            client_info: false,
            browser: None,
            ca_file: None,
            cache_dir: None,
            sign_in_timeout: Duration::from_secs(DEFAULT_SIGN_IN_TIMEOUT_SECS),
            client_capabilities: Vec::new(),
            apis: Vec::new(),
            network: NetworkConfig::default(),
        }
    }

    /// Adds an API. The first one added is the one the authorization code is redeemed for.
    pub fn api(mut self, api: Api) -> Self {
        self.apis.push(api);
        self
    }

    /// The loopback redirect URI (default [`Config::default_redirect_uri`]). Without a port,
    /// any free port is used at each sign-in (RFC 8252 §7.3); with a port, exactly that one.
    pub fn redirect_uri(mut self, uri: impl AsRef<str>) -> Self {
        self.redirect_uri = Some(uri.as_ref().to_owned());
        self
    }

    /// An extra parameter for the authorize request (`domain_hint`, `login_hint`, `prompt`...).
    pub fn extra_authorize_param(
        mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.extra_authorize_params.insert(key.into(), value.into());
        self
    }

    /// Sends `client_info=1` (the Microsoft identity platform: accounts get MSAL's home
    /// account id `uid.utid`).
    pub fn client_info(mut self, enabled: bool) -> Self {
        self.client_info = enabled;
        self
    }

    /// The program that opens the authorize URL (the URL is its only argument) instead of the
    /// system browser.
    pub fn browser(mut self, program: impl Into<String>) -> Self {
        self.browser = Some(program.into());
        self
    }

    /// Extra trusted CA certificates (a PEM file) besides the OS roots.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Where the encrypted token cache lives, instead of the
    /// [`AppIdentity`](crate::AppIdentity)'s directory.
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// How long an interactive sign-in may wait for the browser, in whole seconds (default
    /// 300 s; at least 1 s).
    pub fn sign_in_timeout(mut self, timeout: Duration) -> Self {
        self.sign_in_timeout = timeout;
        self
    }

    /// Client capabilities declared to the provider in the `claims` parameter, e.g. `cp1`
    /// (Continuous Access Evaluation). Replaces any set before.
    pub fn client_capabilities<I, S>(mut self, capabilities: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client_capabilities = capabilities.into_iter().map(Into::into).collect();
        self
    }

    /// Timeouts and the `Retry-After` cap.
    pub fn network(mut self, network: NetworkConfig) -> Self {
        self.network = network;
        self
    }

    /// The configuration, checked as [`Config::from_toml`] checks a file: an error names the
    /// field (`authority`, `redirect_uri`, `apis[1].base_url`, `sign_in_timeout_secs`...).
    pub fn build(self) -> Result<Config, Error> {
        let parse = |field: &str, text: &str| {
            Url::parse(text).map_err(|e| Error::config(field, format!("not a valid URL: {e}")))
        };
        let authority = parse("authority", &self.authority)?;
        let redirect_uri = match &self.redirect_uri {
            Some(text) => parse("redirect_uri", text)?,
            None => Config::default_redirect_uri(),
        };
        let config = Config {
            authority,
            client_id: self.client_id,
            redirect_uri,
            extra_authorize_params: self.extra_authorize_params,
            client_info: self.client_info,
            browser: self.browser,
            ca_file: self.ca_file,
            cache_dir: self.cache_dir,
            sign_in_timeout_secs: self.sign_in_timeout.as_secs(),
            client_capabilities: self.client_capabilities,
            apis: self.apis,
            network: self.network,
        };
        config.validate()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests;
