//! The IdP's signing keys: found through OpenID discovery, fetched lazily,
//! cached, and re-fetched (rate-limited) when a token names an unknown `kid`.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use tokio::sync::Mutex;
use url::Url;

use crate::DemoApiError;

/// The shortest time between two re-fetches caused by unknown key ids.
pub const DEFAULT_MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

const HTTP_TIMEOUT: Duration = Duration::from_secs(5);

/// A cached, shareable source of the IdP's token-signing keys.
///
/// Cloning is cheap; clones share one cache. Nothing is fetched until the
/// first token needs a key.
#[derive(Clone)]
pub struct JwksSource {
    inner: Arc<Inner>,
    min_refetch_interval: Duration,
}

struct Inner {
    location: Location,
    http: reqwest::Client,
    keys: RwLock<Option<Arc<KeySet>>>,
    refresh: Mutex<RefreshState>,
}

enum Location {
    /// `{issuer}/.well-known/openid-configuration` names the `jwks_uri`.
    Discovery { issuer: String, document: Url },
    /// The JWKS address is known up front.
    Direct,
}

#[derive(Default)]
struct RefreshState {
    jwks_uri: Option<Url>,
    /// When the last unknown-`kid` re-fetch started, and whether it worked.
    last_refetch: Option<(Instant, bool)>,
}

#[derive(Deserialize)]
struct DiscoveryDocument {
    issuer: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct RawJwkSet {
    keys: Vec<serde_json::Value>,
}

impl JwksSource {
    /// Keys found through OpenID discovery at `issuer`. The discovery
    /// document must name exactly this issuer.
    pub fn discovery(issuer: &str) -> Result<Self, DemoApiError> {
        let base = http_url(issuer, "issuer")?;
        let document = http_url(
            &format!(
                "{}/.well-known/openid-configuration",
                base.as_str().trim_end_matches('/')
            ),
            "discovery URL",
        )?;
        let location = Location::Discovery {
            issuer: issuer.to_owned(),
            document,
        };
        Self::new(location, None)
    }

    /// Keys read straight from `jwks_uri`, without discovery.
    pub fn from_jwks_uri(jwks_uri: &str) -> Result<Self, DemoApiError> {
        let uri = http_url(jwks_uri, "jwks_uri")?;
        Self::new(Location::Direct, Some(uri))
    }

    /// Sets the shortest time between two re-fetches caused by unknown key
    /// ids (default [`DEFAULT_MIN_REFETCH_INTERVAL`]).
    pub fn with_min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }

    fn new(location: Location, jwks_uri: Option<Url>) -> Result<Self, DemoApiError> {
        let http = reqwest::Client::builder()
            .timeout(HTTP_TIMEOUT)
            .connect_timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| DemoApiError::Config(format!("HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                location,
                http,
                keys: RwLock::new(None),
                refresh: Mutex::new(RefreshState {
                    jwks_uri,
                    last_refetch: None,
                }),
            }),
            min_refetch_interval: DEFAULT_MIN_REFETCH_INTERVAL,
        })
    }

    /// The key that verifies a token signed with `alg` under key id `kid`.
    ///
    /// Fetches the keys on first use. A `kid` missing from the cached set
    /// causes one re-fetch, at most once per refetch interval.
    pub async fn key_for(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<DecodingKey, DemoApiError> {
        if let Some(set) = self.cached() {
            if let Some(found) = set.find(kid, alg) {
                return found;
            }
        }
        let mut state = self.inner.refresh.lock().await;
        // Another request may have fetched while this one waited.
        let cached = self.cached();
        if let Some(set) = &cached {
            if let Some(found) = set.find(kid, alg) {
                return found;
            }
            if let Some((at, ok)) = state.last_refetch {
                if at.elapsed() < self.min_refetch_interval {
                    return Err(if ok {
                        DemoApiError::InvalidToken("unknown signing key")
                    } else {
                        DemoApiError::KeysUnavailable("recent re-fetch failed".into())
                    });
                }
            }
            tracing::info!(
                kid = kid.unwrap_or("-"),
                "unknown key id: re-fetching the JWKS"
            );
        }
        let result = self.fetch(&mut state).await;
        if cached.is_some() {
            state.last_refetch = Some((Instant::now(), result.is_ok()));
        }
        let set = result?;
        set.find(kid, alg)
            .unwrap_or(Err(DemoApiError::InvalidToken("unknown signing key")))
    }

    fn cached(&self) -> Option<Arc<KeySet>> {
        match self.inner.keys.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    async fn fetch(&self, state: &mut RefreshState) -> Result<Arc<KeySet>, DemoApiError> {
        let jwks_uri = match &state.jwks_uri {
            Some(uri) => uri.clone(),
            None => {
                let uri = self.discover().await?;
                state.jwks_uri = Some(uri.clone());
                uri
            }
        };
        let raw: RawJwkSet = self.get_json(&jwks_uri, "JWKS").await?;
        let set = Arc::new(KeySet::from_raw(raw.keys));
        if set.keys.is_empty() {
            return Err(DemoApiError::KeysUnavailable(
                "the JWKS holds no usable signing key".into(),
            ));
        }
        tracing::debug!(keys = set.keys.len(), "JWKS fetched");
        match self.inner.keys.write() {
            Ok(mut guard) => *guard = Some(set.clone()),
            Err(poisoned) => *poisoned.into_inner() = Some(set.clone()),
        }
        Ok(set)
    }

    async fn discover(&self) -> Result<Url, DemoApiError> {
        let Location::Discovery { issuer, document } = &self.inner.location else {
            return Err(DemoApiError::KeysUnavailable("no jwks_uri".into()));
        };
        let doc: DiscoveryDocument = self.get_json(document, "discovery document").await?;
        if doc.issuer != *issuer {
            return Err(DemoApiError::KeysUnavailable(format!(
                "discovery names issuer {:?}, expected {issuer:?}",
                doc.issuer
            )));
        }
        http_url(&doc.jwks_uri, "jwks_uri")
            .map_err(|e| DemoApiError::KeysUnavailable(e.to_string()))
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &Url,
        what: &str,
    ) -> Result<T, DemoApiError> {
        let unavailable = |e: reqwest::Error| {
            DemoApiError::KeysUnavailable(format!("{what} at {url}: {}", e.without_url()))
        };
        let response = self
            .inner
            .http
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(unavailable)?
            .error_for_status()
            .map_err(unavailable)?;
        response.json().await.map_err(unavailable)
    }
}

/// The usable verification keys of one JWKS.
struct KeySet {
    keys: Vec<CachedKey>,
}

struct CachedKey {
    kid: Option<String>,
    /// The JWK's `alg`, if it names one.
    alg: Option<String>,
    kind: KeyKind,
    key: DecodingKey,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    EcP256,
}

impl KeySet {
    /// Keeps the RSA and P-256 keys meant for signatures; skips the rest
    /// (encryption keys, other curves, entries this library cannot read).
    fn from_raw(values: Vec<serde_json::Value>) -> Self {
        let keys = values
            .into_iter()
            .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
            .filter_map(|jwk| CachedKey::from_jwk(&jwk))
            .collect();
        Self { keys }
    }

    /// `None` if no key has this id; otherwise the key, or an error if the
    /// key cannot be used with `alg`.
    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<Result<DecodingKey, DemoApiError>> {
        let key = match kid {
            Some(kid) => self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))?,
            // Without a key id, only an unambiguous set will do.
            None => match self.keys.as_slice() {
                [only] => only,
                [] => return None,
                _ => return Some(Err(DemoApiError::InvalidToken("token names no key id"))),
            },
        };
        Some(if key.fits(alg) {
            Ok(key.key.clone())
        } else {
            Err(DemoApiError::InvalidToken(
                "algorithm does not match the signing key",
            ))
        })
    }
}

impl CachedKey {
    fn from_jwk(jwk: &Jwk) -> Option<Self> {
        let common = &jwk.common;
        if matches!(
            common.public_key_use,
            Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
        ) {
            return None;
        }
        if let Some(ops) = &common.key_operations {
            if !ops.iter().any(|op| matches!(op, KeyOperations::Verify)) {
                return None;
            }
        }
        let kind = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => KeyKind::Rsa,
            AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => {
                KeyKind::EcP256
            }
            _ => return None,
        };
        let key = DecodingKey::from_jwk(jwk).ok()?;
        Some(Self {
            kid: common.key_id.clone(),
            alg: common.key_algorithm.map(|a| a.to_string()),
            kind,
            key,
        })
    }

    fn fits(&self, alg: Algorithm) -> bool {
        let kind_fits = match alg {
            Algorithm::RS256 | Algorithm::PS256 => self.kind == KeyKind::Rsa,
            Algorithm::ES256 => self.kind == KeyKind::EcP256,
            _ => false,
        };
        let alg_fits = self
            .alg
            .as_deref()
            .is_none_or(|named| named == format!("{alg:?}"));
        kind_fits && alg_fits
    }
}

fn http_url(value: &str, what: &str) -> Result<Url, DemoApiError> {
    let url =
        Url::parse(value).map_err(|e| DemoApiError::Config(format!("{what} {value:?}: {e}")))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(DemoApiError::Config(format!(
            "{what} {value:?}: scheme {other} is not http(s)"
        ))),
    }
}

#[cfg(test)]
mod tests;
