//! MSAL cache interop on the engine: export the cache as MSAL unified-cache JSON, import one
//! into it (see [`crate::cache::ImportReport`]).

use super::scopes::ScopeSet;
use super::Engine;
use crate::cache::{export_msal, ApiTarget, ImportReport, ImportScope, MsalCache};
use crate::error::Error;

impl Engine {
    /// The whole cache in MSAL's unified token cache format (JSON), which the `msal` package
    /// (Python), `@azure/msal-node`, MSAL.NET and MSAL Java read.
    ///
    /// The text holds every access, refresh and ID token **in plaintext**, as MSAL's own cache
    /// files do: write it only to a private file, and never log it.
    pub async fn export_msal(&self) -> Result<String, Error> {
        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        export_msal(store.get(now)?)
    }

    /// Merges an MSAL unified token cache (JSON) into the cache and saves it.
    ///
    /// Only this app's entries are taken (the configured client id, at the configured
    /// authority's host); each access token goes to the configured API whose scopes its
    /// `target` covers (for RFC 8707 APIs, whose `resource` it names). Tokens for other
    /// targets, expired ones and tokens of unknown accounts are left out and counted in the
    /// report. Malformed input is an [`Error::Cache`] naming the entry and field at fault (never
    /// a value), and changes nothing. Accounts already signed in keep their data.
    pub async fn import_msal(&self, json: &str) -> Result<ImportReport, Error> {
        let parsed = MsalCache::parse(json)?;
        let config = &self.inner.config;
        let scope = ImportScope {
            environment: self.inner.environment.clone(),
            client_id: config.client_id.clone(),
            issuer: config.authority.as_str().trim_end_matches('/').to_owned(),
            apis: config
                .apis
                .iter()
                .map(|api| ApiTarget {
                    target: ScopeSet::cache_target(api),
                    scopes: api.scopes.clone(),
                    resource: api.resource.clone(),
                })
                .collect(),
        };
        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        let report = parsed.import_into(store.get(now)?, &scope, now)?;
        store.save()?;
        tracing::info!(
            accounts = report.accounts,
            access_tokens = report.access_tokens,
            refresh_tokens = report.refresh_tokens,
            "imported an MSAL token cache"
        );
        Ok(report)
    }
}
