//! The provider's signing keys: fetched with discovery, fetched again when an ID token names a
//! key that is not in the set (signing-key rotation), at most once per
//! [`JWKS_REFETCH_INTERVAL_SECS`] so that tokens with made-up key ids cannot make the engine
//! hammer the provider.

use std::sync::{Arc, Mutex};

use openidconnect::core::CoreJsonWebKeySet;
use url::Url;

use super::discovery::get_json;
use crate::error::Error;
use crate::http::HttpTransport;

/// The shortest time between two re-fetches of the JWKS.
pub const JWKS_REFETCH_INTERVAL_SECS: u64 = 300;

/// The current key set, shared by all clones of the provider.
#[derive(Clone, Debug)]
pub(crate) struct Keys {
    url: Url,
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    set: CoreJsonWebKeySet,
    /// When the last re-fetch was started (Unix seconds); `None`: only the first fetch ran.
    refetched_at: Option<u64>,
}

impl Keys {
    /// Fetches the key set at `url`.
    pub async fn fetch(http: &dyn HttpTransport, url: Url) -> Result<Keys, Error> {
        let set: CoreJsonWebKeySet = get_json(http, &url, "JWKS").await?;
        Ok(Keys {
            url,
            state: Arc::new(Mutex::new(State {
                set,
                refetched_at: None,
            })),
        })
    }

    /// The keys as last fetched.
    pub fn current(&self) -> CoreJsonWebKeySet {
        self.lock().set.clone()
    }

    /// Fetches the key set again, unless that was done less than
    /// [`JWKS_REFETCH_INTERVAL_SECS`] before `now`: then `None`.
    pub async fn refetch(
        &self,
        http: &dyn HttpTransport,
        now: u64,
    ) -> Result<Option<CoreJsonWebKeySet>, Error> {
        {
            let mut state = self.lock();
            if let Some(at) = state.refetched_at {
                if now < at.saturating_add(JWKS_REFETCH_INTERVAL_SECS) {
                    return Ok(None);
                }
            }
            state.refetched_at = Some(now);
        }
        tracing::info!("an ID token names an unknown signing key; fetching the JWKS again");
        let set: CoreJsonWebKeySet = get_json(http, &self.url, "JWKS").await?;
        self.lock().set = set.clone();
        Ok(Some(set))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
