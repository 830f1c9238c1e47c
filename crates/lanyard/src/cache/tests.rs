use oauth2::{AccessToken, RefreshToken};

use super::*;
use crate::error::Error;
use crate::model::{AccountId, AccountInfo};

pub(crate) use super::MemoryKeyStore;

const TOKEN: &str = "eyJ-access-token-that-must-not-leak";
const REFRESH: &str = "refresh-token-that-must-not-leak";

fn account(id: &str) -> AccountKey {
    AccountKey {
        home_account_id: id.into(),
        environment: "idp.example".into(),
    }
}

fn filled() -> TokenCache {
    let mut cache = TokenCache::default();
    for id in ["alice", "bob"] {
        cache.upsert_account(AccountRecord {
            key: account(id),
            info: AccountInfo {
                id: AccountId(id.into()),
                username: Some(format!("{id}@example.test")),
                name: None,
                issuer: "https://idp.example".into(),
                tenant_id: None,
            },
            realm: String::new(),
            local_account_id: id.into(),
        });
        let rk = RefreshKey {
            account: account(id),
            client_id: "app".into(),
        };
        cache.put_refresh_token(rk, RefreshToken::new(format!("{REFRESH}-{id}")));
        for (target, expires_on) in [("api://a", 1_000), ("api://b", 5_000)] {
            cache.put_access_token(AccessRecord {
                key: AccessKey {
                    account: account(id),
                    client_id: "app".into(),
                    target: target.into(),
                },
                secret: AccessToken::new(format!("{TOKEN}-{id}-{target}")),
                scopes: vec!["s".into()],
                resource: Some(target.into()),
                realm: String::new(),
                cached_at: 0,
                expires_on,
                extended_expires_on: expires_on,
            });
        }
    }
    cache
}

fn access_key(id: &str, target: &str) -> AccessKey {
    AccessKey {
        account: account(id),
        client_id: "app".into(),
        target: target.into(),
    }
}

#[test]
fn model_round_trips_and_finds_by_key() {
    let cache = TokenCache::from_bytes(&filled().to_bytes().unwrap()).unwrap();
    assert_eq!(cache.accounts().len(), 2);
    assert_eq!(
        cache
            .access_token(&access_key("bob", "api://b"))
            .unwrap()
            .secret
            .secret(),
        &format!("{TOKEN}-bob-api://b")
    );
    assert!(cache.access_token(&access_key("bob", "api://c")).is_none());
    assert!(cache.account(&account("carol")).is_none());
}

#[test]
fn removing_an_account_keeps_the_others_tokens() {
    let mut cache = filled();
    cache.remove_account(&account("alice"));
    assert_eq!(cache.accounts().len(), 1);
    assert!(cache
        .access_token(&access_key("alice", "api://a"))
        .is_none());
    assert!(cache.access_token(&access_key("bob", "api://a")).is_some());
    let bob_rt = RefreshKey {
        account: account("bob"),
        client_id: "app".into(),
    };
    assert!(cache.refresh_token(&bob_rt).is_some());
}

#[test]
fn prune_removes_only_expired_access_tokens() {
    let mut cache = filled();
    assert_eq!(cache.prune(2_000), 2);
    assert!(cache
        .access_token(&access_key("alice", "api://a"))
        .is_none());
    assert!(cache
        .access_token(&access_key("alice", "api://b"))
        .is_some());
    assert_eq!(cache.prune(2_000), 0);
}

#[test]
fn debug_output_redacts_secrets() {
    let text = format!("{:?} {:?}", filled(), CacheKey::generate());
    assert!(!text.contains(TOKEN) && !text.contains(REFRESH), "{text}");
}

#[test]
fn sealed_file_round_trips_and_holds_no_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let file = SealedFile::new(dir.path().join("sub/cache.bin"));
    let key = CacheKey::generate();
    let plain = filled().to_bytes().unwrap();
    file.save(&key, &plain).unwrap();
    assert_eq!(file.load(&key).unwrap().unwrap(), plain);
    let raw = std::fs::read(file.path()).unwrap();
    let raw_text = String::from_utf8_lossy(&raw);
    assert!(
        !raw_text.contains(TOKEN) && !raw_text.contains(REFRESH) && !raw_text.contains("alice")
    );
    // Only the cache file is left: the temp file was renamed over it.
    assert_eq!(
        std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
        1
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "cache file must be private, mode {mode:o}");
    }
}

#[test]
fn sealed_file_rejects_wrong_key_tampering_truncation_and_future_versions() {
    let dir = tempfile::tempdir().unwrap();
    let file = SealedFile::new(dir.path().join("cache.bin"));
    let key = CacheKey::generate();
    file.save(&key, b"{}").unwrap();
    let good = std::fs::read(file.path()).unwrap();
    assert!(matches!(
        file.load(&CacheKey::generate()),
        Err(Error::Cache(_))
    ));

    let mut tampered = good.clone();
    *tampered.last_mut().unwrap() ^= 1;
    std::fs::write(file.path(), &tampered).unwrap();
    assert!(matches!(file.load(&key), Err(Error::Cache(_))));

    std::fs::write(file.path(), &good[..20]).unwrap();
    assert!(matches!(file.load(&key), Err(Error::Cache(m)) if m.contains("truncated")));

    let mut future = good.clone();
    future[9] = 99;
    std::fs::write(file.path(), &future).unwrap();
    assert!(matches!(file.load(&key), Err(Error::Cache(m)) if m.contains("version")));

    assert!(SealedFile::new(dir.path().join("missing"))
        .load(&key)
        .unwrap()
        .is_none());
}

#[test]
fn quarantine_moves_the_file_aside() {
    let dir = tempfile::tempdir().unwrap();
    let file = SealedFile::new(dir.path().join("cache.bin"));
    std::fs::write(file.path(), b"garbage").unwrap();
    let aside = file.quarantine(42).unwrap();
    assert!(aside.ends_with("cache.bin.bad-42"));
    assert!(!file.path().exists() && aside.exists());
}
