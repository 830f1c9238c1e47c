//! The cache's contents, indexed by typed keys (hash lookups, never substring matching).
//!
//! The records carry what MSAL's unified cache schema needs (realm, local account id, ID
//! tokens, `cached_at` / `expires_on` / `extended_expires_on`, `family_id`), so the cache can be
//! exported to and imported from MSAL ([`super::msal`]).
//!
//! Access tokens are keyed per account, client and *target* (the API's resource, or its sorted
//! scopes for scope-only providers); expired ones stay until [`TokenCache::prune`] removes them.

use std::collections::HashMap;

use oauth2::{AccessToken, RefreshToken};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::AccountInfo;

/// Identifies an account at one identity provider.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct AccountKey {
    pub home_account_id: String,
    /// The issuer's host (MSAL's `environment`).
    pub environment: String,
}

/// Identifies a refresh token: one per account and client.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct RefreshKey {
    pub account: AccountKey,
    pub client_id: String,
}

/// Identifies an access token: one per account, client and target.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct AccessKey {
    pub account: AccountKey,
    pub client_id: String,
    /// The API's resource indicator, or its sorted, space-joined scopes.
    pub target: String,
}

/// Identifies an ID token: one per account, client and realm (MSAL's key for it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct IdTokenKey {
    pub account: AccountKey,
    pub client_id: String,
    pub realm: String,
}

/// An account and its display data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AccountRecord {
    pub key: AccountKey,
    pub info: AccountInfo,
    /// MSAL's `realm`: the tenant (`tid`, or `utid` from `client_info`); empty when the
    /// provider has no tenants.
    #[serde(default)]
    pub realm: String,
    /// MSAL's `local_account_id`: `uid` from `client_info`, else the ID token's `sub`.
    #[serde(default)]
    pub local_account_id: String,
}

/// A refresh token (rotated in place on every refresh).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct RefreshRecord {
    pub key: RefreshKey,
    pub secret: RefreshToken,
    /// Microsoft's family of client ids (FOCI) the token belongs to, if any.
    #[serde(default)]
    pub family_id: Option<String>,
}

/// An access token and its metadata.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AccessRecord {
    pub key: AccessKey,
    pub secret: AccessToken,
    pub scopes: Vec<String>,
    /// The API's RFC 8707 resource indicator, when it has one.
    #[serde(default)]
    pub resource: Option<String>,
    /// MSAL's `realm` (the tenant that issued the token); empty when none.
    #[serde(default)]
    pub realm: String,
    pub cached_at: u64,
    pub expires_on: u64,
    /// Until when the token may be used while the provider is down (Microsoft's
    /// `ext_expires_in`); `expires_on` when the provider said nothing.
    #[serde(default)]
    pub extended_expires_on: u64,
}

/// A raw ID token (a JWT). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct IdTokenSecret(String);

impl IdTokenSecret {
    pub fn new(jwt: String) -> Self {
        IdTokenSecret(jwt)
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for IdTokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdTokenSecret([redacted])")
    }
}

/// The ID token a sign-in returned (kept for MSAL interoperability; Lanyard reads the
/// validated claims at sign-in and never trusts this copy).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct IdTokenRecord {
    pub key: IdTokenKey,
    pub secret: IdTokenSecret,
}

/// What is serialized inside the sealed file.
#[derive(Default, Serialize, Deserialize)]
struct CacheDocument {
    accounts: Vec<AccountRecord>,
    refresh_tokens: Vec<RefreshRecord>,
    access_tokens: Vec<AccessRecord>,
    #[serde(default)]
    id_tokens: Vec<IdTokenRecord>,
}

/// The in-memory cache.
#[derive(Default, Debug)]
pub(crate) struct TokenCache {
    accounts: HashMap<AccountKey, AccountRecord>,
    refresh_tokens: HashMap<RefreshKey, RefreshRecord>,
    access_tokens: HashMap<AccessKey, AccessRecord>,
    id_tokens: HashMap<IdTokenKey, IdTokenRecord>,
}

impl TokenCache {
    /// Parses the plaintext of a sealed file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let doc: CacheDocument = serde_json::from_slice(bytes)
            .map_err(|e| Error::Cache(format!("the cache contents are not valid: {e}")))?;
        Ok(TokenCache {
            accounts: index(doc.accounts, |r| r.key.clone()),
            refresh_tokens: index(doc.refresh_tokens, |r| r.key.clone()),
            access_tokens: index(doc.access_tokens, |r| r.key.clone()),
            id_tokens: index(doc.id_tokens, |r| r.key.clone()),
        })
    }

    /// The plaintext to seal.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let doc = CacheDocument {
            accounts: self.accounts.values().cloned().collect(),
            refresh_tokens: self.refresh_tokens.values().cloned().collect(),
            access_tokens: self.access_tokens.values().cloned().collect(),
            id_tokens: self.id_tokens.values().cloned().collect(),
        };
        serde_json::to_vec(&doc).map_err(|e| Error::Cache(format!("cannot serialize: {e}")))
    }

    /// All accounts, sorted by id.
    pub fn accounts(&self) -> Vec<AccountInfo> {
        let mut list: Vec<AccountInfo> = self.accounts.values().map(|r| r.info.clone()).collect();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list
    }

    /// The account with this key.
    pub fn account(&self, key: &AccountKey) -> Option<&AccountRecord> {
        self.accounts.get(key)
    }

    pub fn upsert_account(&mut self, record: AccountRecord) {
        self.accounts.insert(record.key.clone(), record);
    }

    pub fn refresh_token(&self, key: &RefreshKey) -> Option<&RefreshRecord> {
        self.refresh_tokens.get(key)
    }

    /// Stores a (rotated) refresh token, keeping the family the previous one belonged to.
    pub fn put_refresh_token(&mut self, key: RefreshKey, secret: RefreshToken) {
        let family_id = self
            .refresh_tokens
            .get(&key)
            .and_then(|r| r.family_id.clone());
        self.refresh_tokens.insert(
            key.clone(),
            RefreshRecord {
                key,
                secret,
                family_id,
            },
        );
    }

    /// Stores a refresh token record as it is (import).
    pub fn put_refresh_record(&mut self, record: RefreshRecord) {
        self.refresh_tokens.insert(record.key.clone(), record);
    }

    pub fn remove_refresh_token(&mut self, key: &RefreshKey) {
        self.refresh_tokens.remove(key);
    }

    pub fn access_token(&self, key: &AccessKey) -> Option<&AccessRecord> {
        self.access_tokens.get(key)
    }

    pub fn put_access_token(&mut self, record: AccessRecord) {
        self.access_tokens.insert(record.key.clone(), record);
    }

    pub fn put_id_token(&mut self, record: IdTokenRecord) {
        self.id_tokens.insert(record.key.clone(), record);
    }

    /// Every account record (export; no particular order).
    pub fn account_records(&self) -> impl Iterator<Item = &AccountRecord> {
        self.accounts.values()
    }

    /// Every refresh token record (export; no particular order).
    pub fn refresh_records(&self) -> impl Iterator<Item = &RefreshRecord> {
        self.refresh_tokens.values()
    }

    /// Every access token record (export; no particular order).
    pub fn access_records(&self) -> impl Iterator<Item = &AccessRecord> {
        self.access_tokens.values()
    }

    /// Every ID token record (export; no particular order).
    pub fn id_token_records(&self) -> impl Iterator<Item = &IdTokenRecord> {
        self.id_tokens.values()
    }

    /// Removes an account and every token it owns.
    pub fn remove_account(&mut self, account: &AccountKey) {
        self.accounts.remove(account);
        self.refresh_tokens.retain(|k, _| &k.account != account);
        self.access_tokens.retain(|k, _| &k.account != account);
        self.id_tokens.retain(|k, _| &k.account != account);
    }

    /// Removes access tokens that expired before `now`; returns how many.
    pub fn prune(&mut self, now: u64) -> usize {
        let before = self.access_tokens.len();
        self.access_tokens.retain(|_, r| r.expires_on > now);
        before - self.access_tokens.len()
    }
}

fn index<K: std::hash::Hash + Eq, R>(records: Vec<R>, key: impl Fn(&R) -> K) -> HashMap<K, R> {
    records.into_iter().map(|r| (key(&r), r)).collect()
}
