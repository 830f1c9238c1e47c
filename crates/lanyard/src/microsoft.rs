//! The Microsoft identity platform's own rules, in one place: its authority hosts and issuer
//! forms (tenant-resolved, `{tenantid}`-templated, Azure AD B2C), the personal-accounts
//! (consumers) tenant, `client_info` and MSAL's account ids, and what its `suberror` values and
//! AADSTS codes ask of the user.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;
use url::Url;

use crate::error::Error;

/// The tenant of Microsoft personal accounts, which must consent again on each run of a
/// desktop app.
pub(crate) const CONSUMERS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The authorize and token parameter asking for `client_info` (MSAL's home account id).
pub(crate) const CLIENT_INFO_PARAM: (&str, &str) = ("client_info", "1");

/// Hosts of the Microsoft identity platform's authorities (public and national clouds).
const AUTHORITY_HOSTS: [&str; 5] = [
    "login.microsoftonline.com",
    "login.microsoft.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
    "login.chinacloudapi.cn",
];

/// True when personal Microsoft accounts can sign in at `authority`: the `common` or
/// `consumers` tenant (or the consumers tenant's id) on `login.microsoftonline.com` or
/// `login.live.com`.
pub(crate) fn allows_personal_accounts(authority: &Url) -> bool {
    let host = authority.host_str().unwrap_or("").to_ascii_lowercase();
    let microsoft = host == "login.microsoftonline.com" || host == "login.live.com";
    let tenant = authority
        .path_segments()
        .and_then(|mut s| s.next())
        .unwrap_or("")
        .to_ascii_lowercase();
    microsoft && matches!(tenant.as_str(), "common" | "consumers" | CONSUMERS_TENANT)
}

/// Whether the discovered issuer `i` belongs to the authority `a` by Microsoft's rules: Azure
/// AD B2C (the user flow is not in the issuer), or, on a Microsoft authority host, the same URL
/// with the tenant segment resolved (a tenant named by domain answers with its GUID,
/// `consumers` with the consumer tenant's).
pub(crate) fn issuer_accepted(a: &Url, i: &Url) -> bool {
    if b2c_issuer_accepted(a, i) {
        return true;
    }
    let microsoft = a
        .host_str()
        .is_some_and(|h| AUTHORITY_HOSTS.contains(&h.to_ascii_lowercase().as_str()));
    if !microsoft || a.scheme() != "https" || a.origin() != i.origin() {
        return false;
    }
    let segments = |u: &Url| -> Vec<String> {
        u.path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (sa, si) = (segments(a), segments(i));
    sa.len() == si.len() && !sa.is_empty() && sa[1..] == si[1..] && !si[0].is_empty()
}

/// Azure AD B2C: the authority `https://<t>.b2clogin.com/<t>.onmicrosoft.com/<user flow>/v2.0`
/// names a user flow, its issuer `https://<t>.b2clogin.com/<tenant id>/v2.0/` does not. Same
/// https origin on a `b2clogin.com` host, and both end in `v2.0`.
fn b2c_issuer_accepted(a: &Url, i: &Url) -> bool {
    let b2c = a
        .host_str()
        .is_some_and(|h| h.to_ascii_lowercase().ends_with(".b2clogin.com"));
    let segments = |u: &Url| -> Vec<String> {
        u.path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let (sa, si) = (segments(a), segments(i));
    b2c && a.scheme() == "https"
        && a.origin() == i.origin()
        && sa.len() == 3
        && sa[2] == "v2.0"
        && si.len() == 2
        && si[1] == "v2.0"
}

/// MSAL's ids of a signed-in account.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct AccountIds {
    /// `uid.utid` from `client_info`, else the ID token's `sub`.
    pub home_account_id: String,
    /// The tenant: `tid`, else `utid`; empty when neither is known.
    pub realm: String,
    /// `uid` from `client_info`, else `sub`.
    pub local_account_id: String,
}

impl AccountIds {
    /// The ids from the token response's `client_info` (when sent) and the ID token's `sub` and
    /// `tid`.
    pub fn new(
        client_info: Option<&str>,
        subject: &str,
        tenant_id: Option<&str>,
    ) -> Result<AccountIds, Error> {
        let home_account_id = match client_info {
            Some(info) => home_account_id(info)?,
            None => subject.to_owned(),
        };
        let (uid, utid) = match home_account_id.split_once('.') {
            Some((uid, utid)) if client_info.is_some() => (Some(uid), Some(utid)),
            _ => (None, None),
        };
        let realm = tenant_id.or(utid).unwrap_or_default().to_owned();
        let local_account_id = uid.unwrap_or(subject).to_owned();
        Ok(AccountIds {
            home_account_id,
            realm,
            local_account_id,
        })
    }
}

/// MSAL's home account id `uid.utid` from Microsoft's `client_info`.
fn home_account_id(client_info: &str) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct ClientInfo {
        uid: String,
        utid: String,
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(client_info.trim_end_matches('='))
        .map_err(|_| Error::Protocol("client_info is not base64url".into()))?;
    let info: ClientInfo = serde_json::from_slice(&bytes)
        .map_err(|_| Error::Protocol("client_info is not the expected JSON".into()))?;
    Ok(format!("{}.{}", info.uid, info.utid))
}

/// Whether an AADSTS code appears as a word of `description`.
fn aadsts(description: &str, code: &str) -> bool {
    description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == code)
}

/// Consent is missing: `suberror: consent_required`, or AADSTS65001.
pub(crate) fn consent_required(suberror: Option<&str>, description: &str) -> bool {
    suberror == Some("consent_required") || aadsts(description, "AADSTS65001")
}

/// Multi-factor authentication is required: AADSTS50076, AADSTS50079.
pub(crate) fn mfa_required(description: &str) -> bool {
    aadsts(description, "AADSTS50076") || aadsts(description, "AADSTS50079")
}

/// The user must act at the provider: the `suberror` values `basic_action`,
/// `additional_action`, `message_only`, `user_password_expired`.
pub(crate) fn user_action_required(suberror: Option<&str>) -> bool {
    matches!(
        suberror,
        Some("basic_action" | "additional_action" | "message_only" | "user_password_expired")
    )
}

#[cfg(test)]
mod tests;
