//! The checks every [`Config`] passes, however it was made (file or builder).

use std::net::IpAddr;

use url::Url;

use super::Config;
use crate::error::Error;

/// Checks every field of `config`; the error names the first wrong one.
pub(super) fn config(config: &Config) -> Result<(), Error> {
    config.network.validate()?;
    check_transport("authority", &config.authority)?;
    if config.authority.query().is_some() || config.authority.fragment().is_some() {
        return Err(Error::config(
            "authority",
            "must not have a query or fragment",
        ));
    }
    if config.client_id.trim().is_empty() {
        return Err(Error::config("client_id", "must not be empty"));
    }
    check_redirect(&config.redirect_uri)?;
    if config.sign_in_timeout_secs == 0 {
        return Err(Error::config("sign_in_timeout_secs", "must be at least 1"));
    }
    if let Some(browser) = &config.browser {
        if browser.trim().is_empty() {
            return Err(Error::config("browser", "must not be empty"));
        }
    }
    for key in config.extra_authorize_params.keys() {
        if RESERVED_AUTHORIZE_PARAMS.contains(&key.as_str()) {
            return Err(Error::config(
                format!("extra_authorize_params.{key}"),
                "is set by the engine itself",
            ));
        }
    }
    for (i, capability) in config.client_capabilities.iter().enumerate() {
        if capability.is_empty() || !capability.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::config(
                format!("client_capabilities[{i}]"),
                "must be a non-empty alphanumeric word such as cp1",
            ));
        }
    }
    if config.apis.is_empty() {
        return Err(Error::config("apis", "at least one API is required"));
    }
    let with_resource = config.apis.iter().filter(|a| a.resource.is_some()).count();
    for (i, api) in config.apis.iter().enumerate() {
        let at = |f: &str| format!("apis[{i}].{f}");
        if api.name.trim().is_empty() {
            return Err(Error::config(at("name"), "must not be empty"));
        }
        if config.apis[..i].iter().any(|a| a.name == api.name) {
            return Err(Error::config(
                at("name"),
                format!("{:?} is used twice", api.name),
            ));
        }
        if let Some(message) = &api.base_url_error {
            return Err(Error::config(at("base_url"), message.clone()));
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
