//! Benchmark support: fills a cache with many accounts without sign-ins. Behind the
//! `bench-support` feature; apps never need it.

use oauth2::{AccessToken, RefreshToken};

use super::Engine;
use crate::cache::{AccessRecord, AccountRecord};
use crate::error::Error;
use crate::model::{AccountId, AccountInfo};

/// The API name the benchmark configuration uses.
pub const BENCH_API: &str = "bench";

/// Adds `accounts` accounts, each with a refresh token and a valid access token for
/// [`BENCH_API`], saves the cache, and returns the last account's id.
pub async fn seed(engine: &Engine, accounts: usize) -> Result<AccountId, Error> {
    let api = engine.inner.config.api(BENCH_API)?.clone();
    let now = engine.now();
    let mut store = engine.inner.cache.lock().await;
    let mut last = None;
    for i in 0..accounts {
        let id = AccountId(format!("{i:08}-uid.bench-tenant"));
        let cache = store.get(now)?;
        cache.upsert_account(AccountRecord {
            key: engine.account_key(&id),
            info: AccountInfo {
                id: id.clone(),
                username: Some(format!("user{i}@example.test")),
                name: Some(format!("User {i}")),
                issuer: engine.inner.config.authority.to_string(),
                tenant_id: Some("bench-tenant".into()),
            },
            realm: "bench-tenant".into(),
            local_account_id: format!("{i:08}-uid"),
        });
        cache.put_refresh_token(
            engine.refresh_key(&id),
            RefreshToken::new(format!("rt-{i:08}-{}", "r".repeat(64))),
        );
        cache.put_access_token(AccessRecord {
            key: engine.access_key(&id, &api),
            secret: AccessToken::new(format!("at-{i:08}-{}", "a".repeat(900))),
            scopes: api.scopes.clone(),
            resource: api.resource.clone(),
            realm: "bench-tenant".into(),
            cached_at: now,
            expires_on: now + 3600,
            extended_expires_on: now + 3600,
        });
        last = Some(id);
    }
    store.save()?;
    last.ok_or_else(|| Error::Cache("seed at least one account".into()))
}

/// Seals and writes the cache as it is (encrypt + atomic, durable save).
pub async fn save(engine: &Engine) -> Result<(), Error> {
    let now = engine.now();
    let mut store = engine.inner.cache.lock().await;
    store.get(now)?;
    store.save()
}

/// Serializes and seals the cache without touching the disk; returns the sealed size.
pub async fn seal_only(engine: &Engine) -> Result<usize, Error> {
    let now = engine.now();
    let mut store = engine.inner.cache.lock().await;
    store.get(now)?;
    store.seal_only()
}
