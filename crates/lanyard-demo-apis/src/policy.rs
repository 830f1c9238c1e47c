//! Runtime switches a test or the demo flips on a running API: a Conditional Access
//! authentication context the tokens must satisfy (answered with a claims challenge), and a
//! revocation time before which tokens are refused (answered with `invalid_token`), as
//! Continuous Access Evaluation does after a password change.

use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// The switches; cheap to clone, all clones share one state.
#[derive(Clone, Debug, Default)]
pub struct Policy(Arc<RwLock<State>>);

#[derive(Debug, Default)]
struct State {
    auth_context: Option<String>,
    revoked_before: Option<u64>,
}

impl Policy {
    /// Requires tokens to carry this authentication context class in `acrs` (Microsoft's
    /// Conditional Access authentication context, e.g. `c1`); `None` lifts the requirement.
    pub fn require_auth_context(&self, acrs: Option<&str>) {
        self.write().auth_context = acrs.map(str::to_owned);
    }

    /// Refuses tokens issued (`iat`) before `unix_secs`; `None` lifts it.
    pub fn revoke_tokens_issued_before(&self, unix_secs: Option<u64>) {
        self.write().revoked_before = unix_secs;
    }

    /// The required authentication context, if any.
    pub fn auth_context(&self) -> Option<String> {
        self.read().auth_context.clone()
    }

    /// Whether a token issued at `iat` has been revoked.
    pub fn is_revoked(&self, iat: Option<u64>) -> bool {
        match self.read().revoked_before {
            Some(before) => iat.is_none_or(|iat| iat < before),
            None => false,
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// The `claims` value of an `insufficient_claims` challenge for authentication context `acrs`:
/// base64 of `{"access_token":{"acrs":{"essential":true,"value":"<acrs>"}}}`, as Microsoft
/// Entra's Conditional Access sends it.
pub fn claims_challenge(acrs: &str) -> String {
    let json = serde_json::json!({
        "access_token": { "acrs": { "essential": true, "value": acrs } }
    });
    STANDARD.encode(json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_are_shared_by_clones() {
        let policy = Policy::default();
        let clone = policy.clone();
        assert_eq!(policy.auth_context(), None);
        clone.require_auth_context(Some("c1"));
        assert_eq!(policy.auth_context().as_deref(), Some("c1"));
        assert!(!policy.is_revoked(Some(5)));
        clone.revoke_tokens_issued_before(Some(10));
        assert!(policy.is_revoked(Some(9)));
        assert!(policy.is_revoked(None));
        assert!(!policy.is_revoked(Some(10)));
    }

    #[test]
    fn the_challenge_is_base64_json_naming_the_context() {
        let decoded = STANDARD.decode(claims_challenge("c1")).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&decoded).unwrap();
        assert_eq!(json["access_token"]["acrs"]["value"], "c1");
        assert_eq!(json["access_token"]["acrs"]["essential"], true);
    }
}
