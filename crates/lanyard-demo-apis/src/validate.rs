//! Access-token validation: signature against the IdP's keys, then issuer,
//! audience, lifetime and scope.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde::{Deserialize, Serialize};

use crate::policy::{claims_challenge, Policy};
use crate::{ApiSpec, DemoApiError, JwksSource};

/// The only signature algorithms a token may use.
pub const ALLOWED_ALGORITHMS: [Algorithm; 3] =
    [Algorithm::RS256, Algorithm::ES256, Algorithm::PS256];

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: u64 = 60;

/// What a valid access token says about its caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessToken {
    /// The `sub` claim.
    pub subject: String,
    /// The scopes granted, from `scope` and `scp`.
    pub scopes: Vec<String>,
    /// The `exp` claim, in seconds since the Unix epoch.
    pub expires_at: u64,
    /// Authentication context classes satisfied (`acrs`, Microsoft Conditional Access).
    pub auth_contexts: Vec<String>,
}

/// Validates bearer tokens for one API.
#[derive(Clone)]
pub struct TokenValidator {
    issuer: String,
    audience: String,
    required_scope: String,
    keys: JwksSource,
    policy: Policy,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    // Typed as a string so an array `iss` is refused outright.
    #[allow(dead_code)]
    iss: String,
    exp: f64,
    #[serde(default)]
    iat: Option<f64>,
    #[serde(default)]
    acrs: Option<ScopeClaim>,
    #[serde(default)]
    scope: Option<ScopeClaim>,
    #[serde(default)]
    scp: Option<ScopeClaim>,
}

/// `scope`/`scp`: a space-separated string, or (some IdPs) an array.
#[derive(Deserialize)]
#[serde(untagged)]
enum ScopeClaim {
    Text(String),
    List(Vec<String>),
}

impl TokenValidator {
    /// A validator for `spec`'s issuer, audience and scope, with keys from
    /// `keys`.
    pub fn new(spec: &ApiSpec, keys: JwksSource) -> Self {
        Self::with_policy(spec, keys, Policy::default())
    }

    /// Like [`TokenValidator::new`], also applying `policy`'s revocation time and required
    /// authentication context.
    pub fn with_policy(spec: &ApiSpec, keys: JwksSource, policy: Policy) -> Self {
        Self {
            issuer: spec.issuer.clone(),
            audience: spec.audience.clone(),
            required_scope: spec.required_scope.clone(),
            keys,
            policy,
        }
    }

    /// Checks `token` and returns what it says, or why it was refused.
    pub async fn validate(&self, token: &str) -> Result<AccessToken, DemoApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| DemoApiError::InvalidToken("malformed token"))?;
        if !type_is_acceptable(header.typ.as_deref()) {
            return Err(DemoApiError::InvalidToken("unexpected token type"));
        }
        if !ALLOWED_ALGORITHMS.contains(&header.alg) {
            return Err(DemoApiError::InvalidToken("algorithm not allowed"));
        }
        let key = self.keys.key_for(header.kid.as_deref(), header.alg).await?;

        let mut validation = Validation::new(header.alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);

        let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
            .map_err(|e| DemoApiError::InvalidToken(reason(e.kind())))?
            .claims;
        if self
            .policy
            .is_revoked(claims.iat.map(|iat| iat.max(0.0) as u64))
        {
            return Err(DemoApiError::InvalidToken("token revoked"));
        }
        let auth_contexts = granted_scopes(claims.acrs.as_ref(), None);
        if let Some(required) = self.policy.auth_context() {
            if !auth_contexts.contains(&required) {
                return Err(DemoApiError::InsufficientClaims {
                    claims: claims_challenge(&required),
                });
            }
        }
        let scopes = granted_scopes(claims.scope.as_ref(), claims.scp.as_ref());
        if !scopes.contains(&self.required_scope) {
            return Err(DemoApiError::InsufficientScope {
                required: self.required_scope.clone(),
            });
        }
        Ok(AccessToken {
            subject: claims.sub,
            scopes,
            expires_at: claims.exp.max(0.0) as u64,
            auth_contexts,
        })
    }
}

/// RFC 9068 access tokens say `at+jwt`; many IdPs say `JWT` or nothing.
fn type_is_acceptable(typ: Option<&str>) -> bool {
    match typ {
        None => true,
        Some(typ) => ["at+jwt", "application/at+jwt", "JWT"]
            .iter()
            .any(|ok| typ.eq_ignore_ascii_case(ok)),
    }
}

/// The union of `scope` and `scp`, in order, without repeats.
fn granted_scopes(scope: Option<&ScopeClaim>, scp: Option<&ScopeClaim>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for claim in [scope, scp].into_iter().flatten() {
        let items: Vec<&str> = match claim {
            ScopeClaim::Text(text) => text.split_whitespace().collect(),
            ScopeClaim::List(list) => list.iter().map(String::as_str).collect(),
        };
        for item in items {
            if !item.is_empty() && !out.iter().any(|s| s == item) {
                out.push(item.to_owned());
            }
        }
    }
    out
}

/// A short, fixed reason for a `jsonwebtoken` refusal.
fn reason(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ExpiredSignature => "token expired",
        ErrorKind::ImmatureSignature => "token not yet valid",
        ErrorKind::InvalidIssuer => "wrong issuer",
        ErrorKind::InvalidAudience => "wrong audience",
        ErrorKind::InvalidSignature | ErrorKind::Crypto(_) => "bad signature",
        ErrorKind::MissingRequiredClaim(_) => "missing required claim",
        ErrorKind::InvalidAlgorithm
        | ErrorKind::MissingAlgorithm
        | ErrorKind::InvalidAlgorithmName => "algorithm not allowed",
        ErrorKind::InvalidEcdsaKey | ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => {
            "unusable signing key"
        }
        ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => "malformed token",
        ErrorKind::Json(_) => "malformed claims",
        _ => "invalid token",
    }
}

#[cfg(test)]
mod tests;
