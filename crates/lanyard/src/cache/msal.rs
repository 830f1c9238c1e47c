//! The cache in MSAL's unified token cache format (the JSON `msal` on PyPI, `@azure/msal-node`,
//! MSAL.NET and MSAL Java read and write): [`export`] writes it, [`MsalCache::parse`] and
//! [`MsalCache::import_into`] read it.
//!
//! MSAL's format is an exchange format only: Lanyard keeps its own typed records in the sealed
//! file. The export holds every token in plaintext, as MSAL's own cache files do.

mod import;
mod schema;
mod targets;

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{AccessRecord, TokenCache};
use crate::error::Error;
pub(crate) use import::ImportScope;
use schema::{
    account_key, app_metadata_key, credential_key, Document, Secret, TenantProfile, Timestamp,
    ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN,
};
pub(crate) use targets::ApiTarget;

/// What an import took from an MSAL cache and what it left out. Counts only, no token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportReport {
    /// Accounts added or updated.
    pub accounts: usize,
    /// ID tokens added or updated.
    pub id_tokens: usize,
    /// Access tokens added or updated (each mapped onto a configured API).
    pub access_tokens: usize,
    /// Refresh tokens added or updated.
    pub refresh_tokens: usize,
    /// Entries left out, by reason.
    pub skipped: SkippedEntries,
}

/// Entries an import left out, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SkippedEntries {
    /// For another client id or another identity provider (MSAL's `environment`).
    pub other_app: usize,
    /// Tokens of no account (app-only tokens) or of an account neither in the file nor signed in.
    pub no_account: usize,
    /// Access tokens whose scopes (or resource) match no configured API.
    pub unknown_target: usize,
    /// Access tokens whose scopes match several configured APIs equally well.
    pub ambiguous_target: usize,
    /// Access tokens that have expired.
    pub expired: usize,
    /// Kinds of credential Lanyard does not use (PoP or SSH-certificate access tokens).
    pub unsupported: usize,
    /// Entries superseded by a better one for the same account and API (another tenant's, an
    /// older one).
    pub duplicates: usize,
}

/// A parsed MSAL cache, not yet imported.
pub(crate) struct MsalCache {
    doc: Document,
}

impl MsalCache {
    /// Parses MSAL cache JSON. A malformed file is an [`Error::Cache`] that names the entry and
    /// field at fault, never a value.
    pub fn parse(json: &str) -> Result<MsalCache, Error> {
        schema::parse(json).map(|doc| MsalCache { doc })
    }

    /// Merges the entries that belong to `scope`'s app and APIs into `cache`. Nothing is
    /// changed when an entry is malformed.
    pub fn import_into(
        self,
        cache: &mut TokenCache,
        scope: &ImportScope,
        now: u64,
    ) -> Result<ImportReport, Error> {
        import::import(self.doc, cache, scope, now)
    }
}

/// The whole cache as MSAL unified-cache JSON. Holds every token in plaintext.
pub(crate) fn export(cache: &TokenCache) -> Result<String, Error> {
    let mut doc = Document::default();
    for record in cache.account_records() {
        let key = &record.key;
        let username = record.info.username.as_deref().unwrap_or_default();
        let profile = TenantProfile {
            tenant_id: &record.realm,
            local_account_id: &record.local_account_id,
            username,
            name: record.info.name.as_deref(),
            is_home_tenant: true,
        };
        let profile = serde_json::to_string(&profile).map_err(serialize_error)?;
        doc.accounts.insert(
            account_key(&key.home_account_id, &key.environment, &record.realm),
            schema::Account {
                home_account_id: key.home_account_id.clone(),
                environment: key.environment.clone(),
                realm: record.realm.clone(),
                local_account_id: record.local_account_id.clone(),
                username: username.to_owned(),
                authority_type: authority_type(&record.realm).to_owned(),
                name: record.info.name.clone(),
                tenant_profiles: Some(serde_json::Value::Array(vec![profile.into()])),
            },
        );
    }
    let mut apps: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    for record in cache.id_token_records() {
        let key = &record.key;
        let account = &key.account;
        apps.entry((account.environment.clone(), key.client_id.clone()))
            .or_default();
        doc.id_tokens.insert(
            credential_key(
                &account.home_account_id,
                &account.environment,
                ID_TOKEN,
                &key.client_id,
                &key.realm,
                "",
            ),
            schema::IdToken {
                credential_type: ID_TOKEN.into(),
                home_account_id: account.home_account_id.clone(),
                environment: account.environment.clone(),
                client_id: key.client_id.clone(),
                secret: Secret(record.secret.secret().to_owned()),
                realm: key.realm.clone(),
            },
        );
    }
    for record in cache.access_records() {
        let (key, entry) = access_entry(cache, record);
        apps.entry((entry.environment.clone(), entry.client_id.clone()))
            .or_default();
        // Two APIs with the same scopes (RFC 8707 resources) share an MSAL key: MSAL's schema
        // has no room for both, so the longer-lived token is written.
        let keep = doc
            .access_tokens
            .get(&key)
            .is_none_or(|old| old.expires_on < entry.expires_on);
        if keep {
            doc.access_tokens.insert(key, entry);
        }
    }
    for record in cache.refresh_records() {
        let key = &record.key;
        let account = &key.account;
        let family = apps
            .entry((account.environment.clone(), key.client_id.clone()))
            .or_default();
        if record.family_id.is_some() {
            family.clone_from(&record.family_id);
        }
        doc.refresh_tokens.insert(
            credential_key(
                &account.home_account_id,
                &account.environment,
                REFRESH_TOKEN,
                &key.client_id,
                "",
                "",
            ),
            schema::RefreshToken {
                credential_type: REFRESH_TOKEN.into(),
                home_account_id: account.home_account_id.clone(),
                environment: account.environment.clone(),
                client_id: key.client_id.clone(),
                secret: Secret(record.secret.secret().to_owned()),
                target: None,
                family_id: record.family_id.clone(),
                last_modification_time: None,
            },
        );
    }
    for ((environment, client_id), family_id) in apps {
        doc.app_metadata.insert(
            app_metadata_key(&environment, &client_id),
            schema::AppMetadata {
                client_id,
                environment,
                family_id,
            },
        );
    }
    serde_json::to_string_pretty(&doc).map_err(serialize_error)
}

fn access_entry(cache: &TokenCache, record: &AccessRecord) -> (String, schema::AccessToken) {
    let key = &record.key;
    let account = &key.account;
    let realm = if record.realm.is_empty() {
        cache
            .account(account)
            .map(|a| a.realm.clone())
            .unwrap_or_default()
    } else {
        record.realm.clone()
    };
    let target = msal_target(&record.scopes);
    let entry = schema::AccessToken {
        credential_type: ACCESS_TOKEN.into(),
        home_account_id: account.home_account_id.clone(),
        environment: account.environment.clone(),
        client_id: key.client_id.clone(),
        secret: Secret(record.secret.secret().to_owned()),
        realm: realm.clone(),
        target: target.clone(),
        cached_at: Timestamp(record.cached_at),
        expires_on: Timestamp(record.expires_on),
        extended_expires_on: Some(Timestamp(record.extended_expires_on.max(record.expires_on))),
        token_type: Some("Bearer".into()),
        resource: record.resource.clone(),
    };
    let msal_key = credential_key(
        &account.home_account_id,
        &account.environment,
        ACCESS_TOKEN,
        &key.client_id,
        &realm,
        &target,
    );
    (msal_key, entry)
}

/// MSAL's `target`: the scopes, sorted, space-joined (as MSAL Python writes them).
fn msal_target(scopes: &[String]) -> String {
    let mut scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes.join(" ")
}

/// MSAL's `authority_type`: `ADFS` for the `adfs` realm, else `MSSTS` (as MSAL Python writes
/// it for every other authority, OpenID Connect ones included; MSAL Python lists no others).
fn authority_type(realm: &str) -> &'static str {
    if realm.eq_ignore_ascii_case("adfs") {
        "ADFS"
    } else {
        "MSSTS"
    }
}

fn serialize_error(e: serde_json::Error) -> Error {
    Error::Cache(format!("cannot write the MSAL cache: {e}"))
}

#[cfg(test)]
mod tests;
