//! The cache's contents, indexed by typed keys (hash lookups, never substring matching).
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

/// An account and its display data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AccountRecord {
    pub key: AccountKey,
    pub info: AccountInfo,
}

/// A refresh token (rotated in place on every refresh).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct RefreshRecord {
    pub key: RefreshKey,
    pub secret: RefreshToken,
}

/// An access token and its metadata.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AccessRecord {
    pub key: AccessKey,
    pub secret: AccessToken,
    pub scopes: Vec<String>,
    pub cached_at: u64,
    pub expires_on: u64,
}

/// What is serialized inside the sealed file.
#[derive(Default, Serialize, Deserialize)]
struct CacheDocument {
    accounts: Vec<AccountRecord>,
    refresh_tokens: Vec<RefreshRecord>,
    access_tokens: Vec<AccessRecord>,
}

/// The in-memory cache.
#[derive(Default, Debug)]
pub(crate) struct TokenCache {
    accounts: HashMap<AccountKey, AccountRecord>,
    refresh_tokens: HashMap<RefreshKey, RefreshRecord>,
    access_tokens: HashMap<AccessKey, AccessRecord>,
}

impl TokenCache {
    /// Parses the plaintext of a sealed file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let doc: CacheDocument = serde_json::from_slice(bytes)
            .map_err(|e| Error::Cache(format!("the cache contents are not valid: {e}")))?;
        Ok(TokenCache {
            accounts: doc
                .accounts
                .into_iter()
                .map(|r| (r.key.clone(), r))
                .collect(),
            refresh_tokens: doc
                .refresh_tokens
                .into_iter()
                .map(|r| (r.key.clone(), r))
                .collect(),
            access_tokens: doc
                .access_tokens
                .into_iter()
                .map(|r| (r.key.clone(), r))
                .collect(),
        })
    }

    /// The plaintext to seal.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let doc = CacheDocument {
            accounts: self.accounts.values().cloned().collect(),
            refresh_tokens: self.refresh_tokens.values().cloned().collect(),
            access_tokens: self.access_tokens.values().cloned().collect(),
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

    pub fn put_refresh_token(&mut self, key: RefreshKey, secret: RefreshToken) {
        self.refresh_tokens
            .insert(key.clone(), RefreshRecord { key, secret });
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

    /// Removes an account and every token it owns.
    pub fn remove_account(&mut self, account: &AccountKey) {
        self.accounts.remove(account);
        self.refresh_tokens.retain(|k, _| &k.account != account);
        self.access_tokens.retain(|k, _| &k.account != account);
    }

    /// Removes access tokens that expired before `now`; returns how many.
    pub fn prune(&mut self, now: u64) -> usize {
        let before = self.access_tokens.len();
        self.access_tokens.retain(|_, r| r.expires_on > now);
        before - self.access_tokens.len()
    }
}
