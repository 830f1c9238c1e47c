use std::sync::Arc;

use super::call::api_url;
use super::store::{CacheStore, SharedCache};
use crate::cache::tests::MemoryKeyStore;
use crate::cache::KeyStore;
use crate::config::Api;
use crate::config::Config;
use crate::error::Error;
use crate::identity::AppIdentity;

/// The cache file of [`test_identity`].
const CACHE_FILE: &str = "tokens.lanyard";

fn test_identity() -> AppIdentity {
    AppIdentity::new("dev.lanyard.tests", "Lanyard tests").unwrap()
}

fn api(base: &str, resource: Option<&str>) -> Api {
    let api = Api::new("customer", base)
        .scopes(["b.read", "a.read", "a.read"])
        .optional_scopes(["https://api.example/a.reports"]);
    match resource {
        Some(resource) => api.resource(resource),
        None => api,
    }
}

#[test]
fn api_paths_join_under_the_base_url() {
    let a = api("https://api.example/v1", None);
    assert_eq!(
        api_url(&a, "/customers").unwrap().as_str(),
        "https://api.example/v1/customers"
    );
    assert_eq!(
        api_url(&a, "/c?x=1").unwrap().as_str(),
        "https://api.example/v1/c?x=1"
    );
    let root = api("http://127.0.0.1:7701", None);
    assert_eq!(
        api_url(&root, "/orders").unwrap().as_str(),
        "http://127.0.0.1:7701/orders"
    );
    for bad in [
        "customers",
        "//evil.example/x",
        "/../admin",
        "/a/./b",
        "/a\\b",
        "/a#frag",
        "/a\nb",
    ] {
        assert!(
            matches!(api_url(&a, bad), Err(Error::InvalidArgument(_))),
            "{bad:?} must be refused"
        );
    }
    assert!(api_url(&a, &format!("/{}", "x".repeat(5000))).is_err());
}

#[tokio::test]
async fn a_broken_or_keyless_cache_is_set_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Arc<MemoryKeyStore> = Arc::new(MemoryKeyStore::default());
    let identity = test_identity();
    let path = dir.path().join(CACHE_FILE);
    let shared = |keys: &Arc<MemoryKeyStore>| {
        SharedCache::new(CacheStore::new(
            dir.path().to_owned(),
            &identity,
            keys.clone(),
        ))
    };

    // A cache file with no key in the key store.
    std::fs::write(&path, b"LANYARD\0 whatever").unwrap();
    let cache = shared(&keys);
    let mut store = cache.lock().await;
    assert_eq!(store.get(7).unwrap().accounts().len(), 0);
    assert!(store.take_warning().unwrap().contains("missing"));
    assert!(dir.path().join(format!("{CACHE_FILE}.bad-7")).exists());
    store.save().unwrap();
    drop(store);

    // Garbage under an existing key.
    std::fs::write(&path, b"not a cache").unwrap();
    let cache = shared(&keys);
    let mut store = cache.lock().await;
    store.get(8).unwrap();
    assert!(store
        .take_warning()
        .unwrap()
        .contains("not a Lanyard cache"));
    assert!(store.take_warning().is_none(), "reported once");

    // A good cache loads with no warning, and is fresh until another writer changes it.
    store.save().unwrap();
    drop(store);
    let id = path.display().to_string();
    assert!(keys.load(&id).unwrap().is_some());
    let again = shared(&keys);
    let mut store = again.lock().await;
    store.get(9).unwrap();
    assert!(store.take_warning().is_none());
    drop(store);
    assert!(again.read().await.get_if_fresh().is_some());
    let other = shared(&keys);
    let mut writer = other.lock().await;
    writer.get(10).unwrap();
    writer.save().unwrap();
    drop(writer);
    assert!(
        again.read().await.get_if_fresh().is_none(),
        "another writer makes it stale"
    );

    // Saving needs the OS lock.
    let mut unlocked = CacheStore::new(dir.path().to_owned(), &identity, keys);
    unlocked.get(11).unwrap();
    assert!(matches!(unlocked.save(), Err(Error::Cache(_))));
}

/// The engine's futures must be `Send` for any lifetime: the Tauri shell and multi-threaded
/// runtimes spawn them. This fails to compile when a future is `Send` for one lifetime only.
#[allow(dead_code)]
fn engine_futures_are_send(engine: &super::Engine, account: &crate::model::AccountId) {
    fn assert_send<T: Send>(_: T) {}
    assert_send(engine.sign_in());
    assert_send(engine.acquire_token_silent(account, "api"));
    assert_send(engine.call_api(account, "api", "/"));
    assert_send(engine.accounts());
    assert_send(engine.sign_out(account));
}

#[test]
fn short_lived_tokens_are_reused_for_half_their_life() {
    use super::silent::is_fresh;
    let record = |cached_at: u64, expires_on: u64| crate::cache::AccessRecord {
        key: crate::cache::AccessKey {
            account: crate::cache::AccountKey {
                home_account_id: "a".into(),
                environment: "e".into(),
            },
            client_id: "c".into(),
            target: "t".into(),
        },
        secret: oauth2::AccessToken::new("x".into()),
        scopes: vec![],
        resource: None,
        realm: String::new(),
        cached_at,
        expires_on,
        extended_expires_on: expires_on,
    };
    // An hour-long token: the 5-minute margin.
    let hour = record(1000, 4600);
    assert!(is_fresh(&hour, 4299));
    assert!(!is_fresh(&hour, 4300));
    // A 2-minute token: used for its first minute, not refreshed on every call.
    let short = record(1000, 1120);
    assert!(is_fresh(&short, 1059));
    assert!(!is_fresh(&short, 1060));
}

#[test]
fn optional_scopes_match_plain_and_qualified_names() {
    let api = api("https://api.example/v1", None);
    assert_eq!(
        api.optional_scope("a.reports"),
        Some("https://api.example/a.reports")
    );
    assert_eq!(api.optional_scope("reports"), None);
    assert_eq!(api.optional_scope("b.reports"), None);
}

#[test]
fn only_selected_claims_of_a_jwt_are_decoded() {
    use base64::Engine as _;
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let jwt = format!(
        "{}.{}.sig",
        b64(serde_json::json!({"alg": "RS256"})),
        b64(
            serde_json::json!({"sub": "alice", "scope": "a b", "jti": "id-1", "acrs": ["c1"], "secret_thing": "x"})
        )
    );
    let claims = super::decoded_claims(&jwt).unwrap();
    assert_eq!(
        claims,
        serde_json::json!({"sub": "alice", "scope": "a b", "acrs": ["c1"]})
    );
    assert_eq!(super::decoded_claims("opaque-token"), None);
    assert_eq!(super::decoded_claims("a.b"), None);
    assert_eq!(super::decoded_claims("a.!!!.c"), None);
}

/// Two apps on the engine, each with its identity's defaults: neither the cache file, nor the
/// lock file, nor the key's keyring entry (service and id) is shared.
#[test]
fn two_apps_never_share_a_cache_file_lock_or_keyring_entry() {
    let config = Config::builder("https://idp.example", "client")
        .api(Api::new("customer", "https://customer.example").scopes(["customer.read"]))
        .build()
        .unwrap();
    let notes = AppIdentity::new("com.contoso.notes", "Contoso Notes").unwrap();
    let mail = AppIdentity::new("com.contoso.mail", "Contoso Mail").unwrap();
    let store = |identity: &AppIdentity| {
        let dir = config.cache_dir_for(identity).unwrap();
        assert!(dir.ends_with(identity.app_id()), "{}", dir.display());
        CacheStore::new(dir, identity, Arc::new(MemoryKeyStore::default()))
    };
    let (a, b) = (store(&notes), store(&mail));
    assert_ne!(a.file().path(), b.file().path());
    assert_ne!(a.lock_path(), b.lock_path());
    assert_ne!(a.file().path().parent(), b.file().path().parent());
    assert_ne!(notes.keyring_service_name(), mail.keyring_service_name());
    assert_ne!(a.key_id(), b.key_id());
    assert_eq!(
        notes.keyring_service_name(),
        "com.contoso.notes.token-cache"
    );
    assert_eq!(
        a.file().path().file_name().unwrap(),
        "tokens.lanyard",
        "the default stem"
    );
    assert_eq!(a.lock_path().file_name().unwrap(), "tokens.lanyard.lock");

    // A directory set in the configuration overrides the identity's.
    let mut shared_dir = config.clone();
    shared_dir.cache_dir = Some("/somewhere/else".into());
    assert_eq!(
        shared_dir.cache_dir_for(&notes).unwrap(),
        std::path::Path::new("/somewhere/else")
    );
}

/// The engine builder checks what the identity's setters took.
#[test]
fn the_engine_refuses_an_identity_with_a_bad_file_stem() {
    let config = Config::builder("https://idp.example", "client")
        .api(Api::new("customer", "https://customer.example").scopes(["customer.read"]))
        .cache_dir("/nonexistent/lanyard-test")
        .build()
        .unwrap();
    let bad = test_identity().cache_file_stem("../tokens");
    let err = super::Engine::builder(config, bad)
        .key_store(Arc::new(MemoryKeyStore::default()))
        .build()
        .err()
        .expect("refused");
    assert!(
        matches!(&err, Error::Config { field, .. } if field == "identity.cache_file_stem"),
        "{err}"
    );
}
