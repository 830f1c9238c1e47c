//! What the UI receives. camelCase, and by construction no field can hold a token: each DTO is
//! built from the engine's secret-free types ([`AccountInfo`], [`TokenInfo`], [`ApiResponse`]).

use lanyard::{
    AccessTokenGrant, AccountInfo, Api, ApiResponse, SignOutOutcome, TokenInfo, TokenSource,
};
use serde::Serialize;

use crate::error::IpcError;

/// `info`: what the plugin is configured for, and whether that worked.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InfoDto {
    /// Why the configuration could not be used; every other command fails with it too.
    pub config_error: Option<IpcError>,
    /// The identity provider (issuer).
    pub authority: Option<String>,
    /// The public client id.
    pub client_id: Option<String>,
    /// The configured APIs, in configuration order.
    pub apis: Vec<ApiDto>,
    /// How the token cache's key is protected.
    pub cache_protection: Option<String>,
    /// A problem met while loading the token cache (it was set aside).
    pub cache_warning: Option<String>,
    /// Microsoft personal accounts may sign in: they are asked to consent again on each run,
    /// and a UI should say so before the browser opens.
    pub personal_account_notice: bool,
}

/// One configured API.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ApiDto {
    /// Its short name (`customer`, `vendor`).
    pub name: String,
    /// The base URL paths are joined to.
    pub base_url: String,
    /// The scopes its token carries.
    pub scopes: Vec<String>,
    /// Its RFC 8707 resource indicator, if the provider uses them.
    pub resource: Option<String>,
    /// Scopes asked for only when the API needs them (incremental consent).
    pub optional_scopes: Vec<String>,
}

impl ApiDto {
    /// The DTO of a configured API.
    pub fn from_config(api: &Api) -> Self {
        ApiDto {
            name: api.name.clone(),
            base_url: api.base_url.to_string(),
            scopes: api.scopes.clone(),
            resource: api.resource.clone(),
            optional_scopes: api.optional_scopes.clone(),
        }
    }
}

/// A signed-in account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountDto {
    /// The stable account id (pass it back to the other commands).
    pub id: String,
    /// The user name (`preferred_username` or `email`).
    pub username: Option<String>,
    /// The display name.
    pub name: Option<String>,
    /// The issuer that signed the user in.
    pub issuer: String,
    /// The tenant, for the Microsoft identity platform.
    pub tenant_id: Option<String>,
}

impl AccountDto {
    /// The values that name a person: id, user name, name, tenant.
    pub fn personal_values(&self) -> Vec<String> {
        [
            Some(&self.id),
            self.username.as_ref(),
            self.name.as_ref(),
            self.tenant_id.as_ref(),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

impl From<AccountInfo> for AccountDto {
    fn from(a: AccountInfo) -> Self {
        AccountDto {
            id: a.id.0,
            username: a.username,
            name: a.name,
            issuer: a.issuer,
            tenant_id: a.tenant_id,
        }
    }
}

/// `list_accounts`: the accounts in the cache and the one to show.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountsDto {
    /// Every signed-in account.
    pub accounts: Vec<AccountDto>,
    /// The account used last (remembered across runs), else the first one.
    pub current_id: Option<String>,
    /// A problem met while loading the token cache (it was set aside).
    pub cache_warning: Option<String>,
}

/// Metadata of an access token: never the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TokenInfoDto {
    /// The API it is for.
    pub api: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// Expiry, Unix seconds.
    pub expires_on: u64,
    /// Where the token came from: the cache, a refresh, a sign-in, or the cache while the
    /// provider is unreachable (`offline`).
    pub source: TokenSource,
    /// Selected claims of the token, decoded (issuer, audience, scopes, times, `acrs`, ...);
    /// `null` for opaque tokens or when not asked for.
    pub claims: Option<serde_json::Value>,
}

impl From<TokenInfo> for TokenInfoDto {
    fn from(t: TokenInfo) -> Self {
        TokenInfoDto {
            api: t.api,
            scopes: t.scopes,
            expires_on: t.expires_on,
            source: t.source,
            claims: None,
        }
    }
}

impl TokenInfoDto {
    /// The metadata of `grant`, with its decoded claims.
    pub fn of_grant(grant: &AccessTokenGrant) -> Self {
        TokenInfoDto {
            claims: grant.claims(),
            ..grant.info().clone().into()
        }
    }
}

/// `sign_in`: who signed in and the first API's token metadata.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SignInDto {
    /// The account.
    pub account: AccountDto,
    /// The first API's token metadata.
    pub token: TokenInfoDto,
}

/// `call_api`: the API's answer.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ApiResultDto {
    /// The API name.
    pub api: String,
    /// The path called.
    pub path: String,
    /// HTTP status.
    pub status: u16,
    /// The JSON body (`null` if empty or not JSON).
    pub body: serde_json::Value,
    /// The body as text when it was not JSON.
    pub text: Option<String>,
    /// Metadata of the token that was sent.
    pub token: TokenInfoDto,
}

impl From<ApiResponse> for ApiResultDto {
    fn from(r: ApiResponse) -> Self {
        ApiResultDto {
            api: r.api,
            path: r.path,
            status: r.status,
            body: r.body,
            text: r.text,
            token: TokenInfoDto {
                claims: r.token_claims,
                ..r.token.into()
            },
        }
    }
}

/// `sign_out`: what happened at the identity provider (the account is gone locally either way).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SignOutDto {
    /// True when the identity provider revoked the account's refresh token.
    pub revoked: bool,
    /// Why the refresh token could not be revoked, when that was tried and failed.
    pub revocation_error: Option<String>,
}

impl From<SignOutOutcome> for SignOutDto {
    fn from(o: SignOutOutcome) -> Self {
        SignOutDto {
            revoked: o.revoked,
            revocation_error: o.revocation_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard::AccountId;
    use serde_json::json;

    #[test]
    fn account_is_camel_case() {
        let dto = AccountDto::from(AccountInfo {
            id: AccountId("sub-1".into()),
            username: Some("alice@example.test".into()),
            name: Some("Alice".into()),
            issuer: "http://127.0.0.1:7700".into(),
            tenant_id: None,
        });
        assert_eq!(
            serde_json::to_value(dto).unwrap(),
            json!({"id": "sub-1", "username": "alice@example.test", "name": "Alice",
                   "issuer": "http://127.0.0.1:7700", "tenantId": null})
        );
    }

    #[test]
    fn token_info_has_only_metadata() {
        let dto = TokenInfoDto::from(TokenInfo {
            api: "vendor".into(),
            scopes: vec!["vendor.read".into()],
            expires_on: 1_700_000_000,
            source: TokenSource::SignIn,
        });
        assert_eq!(
            serde_json::to_value(dto).unwrap(),
            json!({"api": "vendor", "scopes": ["vendor.read"], "expiresOn": 1_700_000_000u64,
                   "source": "sign_in", "claims": null})
        );
    }

    #[test]
    fn sign_out_says_whether_the_provider_revoked() {
        let dto = SignOutDto::from(SignOutOutcome {
            revoked: false,
            revocation_error: Some("network: connection refused".into()),
        });
        assert_eq!(
            serde_json::to_value(dto).unwrap(),
            json!({"revoked": false, "revocationError": "network: connection refused"})
        );
    }
}
