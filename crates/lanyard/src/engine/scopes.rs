//! [`ScopeSet`]: the scopes of a request, a grant or a cached token, and what is computed from
//! them: unions (incremental consent), coverage (may a cached token serve a request?), the
//! `scope` parameter of authorize and token requests, and an API's cache target.

use crate::config::{Api, OIDC_SCOPES};

/// Scopes in the order they are sent, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ScopeSet(Vec<String>);

impl ScopeSet {
    /// `scopes`, duplicates dropped (the first one kept).
    pub fn new<I, S>(scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut set = ScopeSet::default();
        set.extend(scopes);
        set
    }

    /// The scopes the API's tokens must carry.
    pub fn of(api: &Api) -> Self {
        ScopeSet::new(api.scopes.iter().cloned())
    }

    /// What an interactive sign-in asks for: the OpenID Connect scopes, then every API's,
    /// then `extra`.
    pub fn for_sign_in(apis: &[Api], extra: &[String]) -> Self {
        let mut set = ScopeSet::new(OIDC_SCOPES);
        set.extend(apis.iter().flat_map(|a| a.scopes.iter().cloned()));
        set.extend(extra.iter().cloned());
        set
    }

    /// This set, then the scopes of `more` not in it.
    #[must_use]
    pub fn union(&self, more: &[String]) -> Self {
        let mut set = self.clone();
        set.extend(more.iter().cloned());
        set
    }

    /// Whether `have` (a token's scopes) includes every scope of this set.
    pub fn is_covered_by(&self, have: &[String]) -> bool {
        self.0.iter().all(|s| have.contains(s))
    }

    /// The scopes, in order.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// The scopes as a `scope` parameter (space-separated).
    pub fn joined(&self) -> String {
        self.0.join(" ")
    }

    /// The `scope` of a token request at a scope-only provider: these scopes plus
    /// `openid profile offline_access`.
    pub fn with_oidc(&self) -> Self {
        let mut set = self.clone();
        set.extend(OIDC_SCOPES);
        set
    }

    /// The cache target of `api`: its resource, else its scopes sorted.
    pub fn cache_target(api: &Api) -> String {
        match &api.resource {
            Some(resource) => resource.clone(),
            None => {
                let mut scopes = ScopeSet::of(api).0;
                scopes.sort_unstable();
                scopes.join(" ")
            }
        }
    }

    fn extend<I, S>(&mut self, scopes: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for scope in scopes {
            let scope = scope.into();
            if !self.0.contains(&scope) {
                self.0.push(scope);
            }
        }
    }
}

#[cfg(test)]
mod tests;
