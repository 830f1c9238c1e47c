//! Which configured API an MSAL access token is for.

use std::collections::HashSet;

/// Scopes that say nothing about which API a token is for.
const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// A configured API, as an import matches access tokens to it.
pub(crate) struct ApiTarget {
    /// Lanyard's cache target for the API (its resource, or its sorted scopes).
    pub target: String,
    /// The API's configured scopes.
    pub scopes: Vec<String>,
    /// The API's RFC 8707 resource indicator, if any.
    pub resource: Option<String>,
}

/// Why an access token matched no API.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Miss {
    /// No configured API.
    Unknown,
    /// Several configured APIs, equally well.
    Ambiguous,
}

/// The API an access token is for: by resource for RFC 8707 configurations when the entry
/// names one, else the API whose scopes its `target` covers (case-insensitively, OpenID scopes
/// aside). Several covering APIs: the one whose scopes are exactly the target's, else none.
pub(super) fn match_api<'a>(
    apis: &'a [ApiTarget],
    target: &str,
    resource: Option<&str>,
) -> Result<&'a ApiTarget, Miss> {
    if let Some(resource) = resource {
        if apis.iter().any(|a| a.resource.is_some()) {
            return apis
                .iter()
                .find(|a| a.resource.as_deref() == Some(resource))
                .ok_or(Miss::Unknown);
        }
    }
    let granted: HashSet<String> = target
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .filter(|s| !OIDC_SCOPES.contains(&s.as_str()))
        .collect();
    let wanted = |api: &ApiTarget| -> HashSet<String> {
        api.scopes.iter().map(|s| s.to_ascii_lowercase()).collect()
    };
    let covering: Vec<&ApiTarget> = apis
        .iter()
        .filter(|a| wanted(a).is_subset(&granted))
        .collect();
    match covering.as_slice() {
        [] => Err(Miss::Unknown),
        [one] => Ok(one),
        several => {
            let exact: Vec<&&ApiTarget> = several.iter().filter(|a| wanted(a) == granted).collect();
            match exact.as_slice() {
                [one] => Ok(one),
                _ => Err(Miss::Ambiguous),
            }
        }
    }
}
