//! The plugin's service layer (what every command does) against the real local IdP and both
//! demo APIs, without a webview: each reply is checked, and none may carry a token issued in
//! the run. Two accounts: pick one, call as either, sign one out and keep the other.

use lanyard_testkit::leaks;

use std::sync::{Arc, Mutex};

use lanyard::browser::BrowserOpener;
use lanyard::cache::{CacheKey, KeyStore};
use lanyard::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, ReqwestTransport};
use lanyard::{AppIdentity, Config, Engine};
use lanyard::{ErrorKind, InteractionReason, TokenSource};
use lanyard_testkit::stack::{ProviderKind, Stack};
use lanyard_testkit::{complete_sign_in, Consent};
use serde::Serialize;
use tauri_plugin_lanyard::events::Event;
use tauri_plugin_lanyard::{AccountMemory, InMemoryAccountMemory, IpcError, Lanyard};

/// Every HTTP exchange goes through the real transport; token responses' secrets are kept.
struct Recording {
    inner: ReqwestTransport,
    secrets: Arc<Mutex<Vec<String>>>,
}

impl HttpTransport for Recording {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, lanyard::Error>> {
        Box::pin(async move {
            let response = self.inner.send(request).await?;
            if let Ok(json) = serde_json::from_slice::<serde_json::Value>(response.body()) {
                leaks::collect_secrets(&json, &mut self.secrets.lock().unwrap());
            }
            Ok(response)
        })
    }
}

/// The cache key in memory: no Secret Service needed for this test.
#[derive(Default)]
struct MemoryKeys(Mutex<Option<CacheKey>>);

impl KeyStore for MemoryKeys {
    fn load(&self, _id: &str) -> Result<Option<CacheKey>, lanyard::Error> {
        Ok(self.0.lock().unwrap().clone())
    }
    fn store(&self, _id: &str, key: &CacheKey) -> Result<(), lanyard::Error> {
        *self.0.lock().unwrap() = Some(key.clone());
        Ok(())
    }
    fn protection(&self) -> String {
        "test memory".into()
    }
}

/// The user: signs in on the IdP's real pages, in a task, as `user` (alice unless changed).
struct ScriptedUser {
    runtime: tokio::runtime::Handle,
    user: Mutex<&'static str>,
}

impl ScriptedUser {
    /// Who signs in next.
    fn set_user(&self, user: &'static str) {
        *self.user.lock().unwrap() = user;
    }
}

impl BrowserOpener for ScriptedUser {
    fn open(&self, url: &url::Url) -> Result<(), lanyard::Error> {
        let url = url.to_string();
        let user = *self.user.lock().unwrap();
        self.runtime.spawn(async move {
            let password = format!("{user}-password");
            if let Err(e) = complete_sign_in(&url, user, &password, Consent::Allow).await {
                panic!("scripted sign-in failed: {e}");
            }
        });
        Ok(())
    }
}

/// The plugin's state on the demo stack: recorded HTTP, the scripted user, preferences in memory.
struct Demo {
    state: Lanyard,
    prefs: Arc<InMemoryAccountMemory>,
    /// Every event the plugin emitted, in order.
    events: Arc<Mutex<Vec<Event>>>,
    user: Arc<ScriptedUser>,
    secrets: Arc<Mutex<Vec<String>>>,
}

fn demo(stack: &Stack) -> Demo {
    demo_with_keys(stack, Arc::new(MemoryKeys::default()))
}

fn demo_with_keys(stack: &Stack, keys: Arc<MemoryKeys>) -> Demo {
    let config = Config::from_toml(&stack.config_toml()).unwrap();
    let secrets = Arc::new(Mutex::new(Vec::new()));
    let user = Arc::new(ScriptedUser {
        runtime: tokio::runtime::Handle::current(),
        user: Mutex::new("alice"),
    });
    let engine = Engine::builder(config, test_identity())
        .http(Arc::new(Recording {
            inner: ReqwestTransport::new(None).unwrap(),
            secrets: secrets.clone(),
        }))
        .browser(user.clone())
        .key_store(keys)
        .build();
    let prefs = Arc::new(InMemoryAccountMemory::default());
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let state = Lanyard::new(engine.map_err(Into::into))
        .with_account_memory(prefs.clone())
        .with_events(Arc::new(move |event| sink.lock().unwrap().push(event)));
    Demo {
        state,
        prefs,
        events,
        user,
        secrets,
    }
}

/// The app these tests stand for: its own keyring service (the cache directory is the
/// stack's, from the configuration).
fn test_identity() -> AppIdentity {
    AppIdentity::new("dev.lanyard.plugin-test", "Lanyard plugin test").expect("a valid identity")
}

/// The path each demo API answers.
fn path_of(api: &str) -> &'static str {
    match api {
        "customer" => "/customers",
        _ => "/orders",
    }
}

/// Serializes a reply (success or error) the way IPC does.
fn reply<T: Serialize>(replies: &mut Vec<String>, r: &Result<T, IpcError>) -> String {
    let text = match r {
        Ok(v) => serde_json::to_string(v).unwrap(),
        Err(e) => serde_json::to_string(e).unwrap(),
    };
    replies.push(text.clone());
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_against_the_demo_stack() {
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let Demo {
        state,
        prefs,
        secrets,
        events,
        ..
    } = demo(&stack);
    let mut replies = Vec::new();

    // info: the configuration, no secrets, no error.
    let info = state.info().await;
    replies.push(serde_json::to_string(&info).unwrap());
    assert!(info.config_error.is_none());
    assert_eq!(
        info.authority.as_deref().map(|a| a.trim_end_matches('/')),
        Some(stack.idp().issuer())
    );
    assert_eq!(info.client_id.as_deref(), Some("lanyard-rfc8707"));
    let names: Vec<&str> = info.apis.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["customer", "vendor"]);
    assert_eq!(info.cache_protection.as_deref(), Some("test memory"));

    // Nobody signed in yet.
    let accounts = state.list_accounts().await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    assert!(accounts.accounts.is_empty());
    assert_eq!(accounts.current_id, None);

    // A call before signing in needs interaction.
    let early = state.call_api("alice", "customer", "/customers").await;
    reply(&mut replies, &early);
    assert_eq!(early.unwrap_err().kind, ErrorKind::InteractionRequired);

    // Sign in (the scripted user answers the browser).
    let signed_in = state.sign_in().await;
    reply(&mut replies, &signed_in);
    let signed_in = signed_in.expect("sign-in");
    let id = signed_in.account.id.clone();
    assert_eq!(
        signed_in.account.username.as_deref(),
        Some("alice@example.test")
    );
    assert_eq!(signed_in.account.name.as_deref(), Some("Alice Example"));
    assert_eq!(signed_in.token.api, "customer");
    assert_eq!(signed_in.token.source, TokenSource::SignIn);
    assert_eq!(prefs.last_account().as_deref(), Some(id.as_str()));

    let accounts = state.list_accounts().await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    assert_eq!(accounts.accounts.len(), 1);
    assert_eq!(accounts.current_id.as_deref(), Some(id.as_str()));

    // Both APIs, with their default paths: 200 and JSON.
    for api in ["customer", "vendor"] {
        let r = state.call_api(&id, api, path_of(api)).await;
        let text = reply(&mut replies, &r);
        let r = r.unwrap_or_else(|e| panic!("{api}: {e}"));
        assert_eq!(r.status, 200, "{api}: {text}");
        assert!(r.body.is_object() || r.body.is_array(), "{api}: {text}");
        assert_eq!(r.token.api, api);
    }
    // The vendor token came from the refresh token; asked again, both come from the cache.
    // The main thread's answer (no waiting) is the same as the async one.
    for api in ["customer", "vendor"] {
        let t = state.token_info(&id, api).await;
        let general = reply(&mut replies, &t);
        assert_eq!(t.unwrap().source, TokenSource::Cache, "{api}");
        let now = state
            .token_info_cached(&id, api)
            .ok_or(IpcError::not_found(api));
        assert_eq!(reply(&mut replies, &now), general, "{api}");
    }
    for (account, api) in [
        (id.as_str(), "payroll"),
        ("x", "customer"),
        ("", "customer"),
    ] {
        assert!(state.token_info_cached(account, api).is_none());
    }

    // Bad arguments never reach the engine.
    let bad = [
        state.call_api(&id, "payroll", "/x").await.map(drop),
        state
            .call_api(&id, "customer", "//evil.example/")
            .await
            .map(drop),
        state.call_api(&id, "customer", "/a/../b").await.map(drop),
        state.call_api("", "customer", "/customers").await.map(drop),
        state
            .token_info(&"x".repeat(300), "customer")
            .await
            .map(drop),
        state.sign_out("\u{0}").await.map(drop),
    ];
    let kinds: Vec<String> = bad.iter().map(|r| reply(&mut replies, r)).collect();
    for (r, text) in bad.iter().zip(&kinds) {
        let kind = &r.as_ref().unwrap_err().kind;
        assert!(
            matches!(kind, ErrorKind::InvalidArgument | ErrorKind::NotFound),
            "{text}"
        );
    }

    // Cancelling with no sign-in under way is harmless.
    let cancelled = state.cancel_sign_in();
    reply(&mut replies, &cancelled);
    assert!(cancelled.is_ok());

    // Sign out: the account, its tokens and the remembered id are gone; the IdP revoked its
    // refresh token.
    let out = state.sign_out(&id).await;
    reply(&mut replies, &out);
    let out = out.unwrap();
    assert!(out.revoked, "{out:?}");
    assert_eq!(out.revocation_error, None);
    assert_eq!(prefs.last_account(), None);
    let accounts = state.list_accounts().await;
    reply(&mut replies, &accounts);
    assert!(accounts.unwrap().accounts.is_empty());
    let after = state.token_info(&id, "customer").await;
    reply(&mut replies, &after);
    assert_eq!(after.unwrap_err().kind, ErrorKind::InteractionRequired);

    // The events a UI could listen to instead of polling: the sign-in, the vendor token by
    // refresh (the customer token came with the sign-in), the sign-out; the provider was
    // reachable all along, so no connection change. Their payloads hold no token either.
    let events = events.lock().unwrap().clone();
    match &events[..] {
        [Event::SignedIn(signed_in), Event::TokenRefreshed(refreshed), Event::SignedOut(out)] => {
            assert_eq!(signed_in.account.id, id);
            assert_eq!(refreshed.account_id, id);
            assert_eq!(refreshed.token.api, "vendor");
            assert_eq!(refreshed.token.source, TokenSource::Refresh);
            assert_eq!(out.account_id, id);
            assert!(out.revoked);
        }
        other => panic!("unexpected events: {other:?}"),
    }
    let sent: Vec<String> = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    assert!(
        sent[0].starts_with(r#"{"type":"signedIn","account":{"#),
        "{}",
        sent[0]
    );
    replies.extend(sent);
    assert!(state.token_info_cached(&id, "customer").is_none());

    // No reply holds any token the IdP issued in this run.
    let secrets = secrets.lock().unwrap().clone();
    assert!(
        secrets.len() >= 4,
        "expected 2 access, 1+ refresh and 1 ID token; saw {}",
        secrets.len()
    );
    leaks::assert_no_secret_in(&replies, &secrets);
}

#[tokio::test]
async fn a_missing_configuration_is_reported_by_every_command() {
    let path = std::path::Path::new("/nonexistent/lanyard.toml");
    let error = Config::load(path).expect_err("no such file");
    let state = Lanyard::new(Err(IpcError::configuration(error.to_string())));
    let info = state.info().await;
    let error = info.config_error.expect("a configuration error");
    assert_eq!(error.kind, ErrorKind::Configuration);
    assert!(
        error.message.contains("/nonexistent/lanyard.toml"),
        "{}",
        error.message
    );
    assert!(info.apis.is_empty());

    assert_eq!(state.list_accounts().await.unwrap_err(), error);
    assert_eq!(state.sign_in().await.unwrap_err(), error);
    assert_eq!(state.cancel_sign_in().unwrap_err(), error);
    assert_eq!(
        state
            .call_api("a", "customer", "/customers")
            .await
            .unwrap_err(),
        error
    );
    assert_eq!(state.token_info("a", "customer").await.unwrap_err(), error);
    assert_eq!(
        state.grant_access("a", "customer").await.unwrap_err(),
        error
    );
    assert_eq!(state.check_connection().await.unwrap_err(), error);
    assert_eq!(state.sign_out("a").await.unwrap_err(), error);
    assert_eq!(state.select_account("a").await.unwrap_err(), error);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_accounts_pick_one_and_sign_out_one() {
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let Demo {
        state,
        prefs,
        user,
        secrets,
        ..
    } = demo(&stack);
    let mut replies = Vec::new();

    // alice, then "Add account" as bob: the new account becomes the current one.
    for who in ["alice", "bob"] {
        user.set_user(who);
        let r = state.sign_in().await;
        reply(&mut replies, &r);
        assert_eq!(r.expect("sign-in").account.id, who);
        assert_eq!(prefs.last_account().as_deref(), Some(who));
    }
    let accounts = state.list_accounts().await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    let ids: Vec<&str> = accounts.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["alice", "bob"]);
    assert_eq!(accounts.current_id.as_deref(), Some("bob"));

    // Each account's calls carry its own identity.
    let call = |id: &'static str, api: &'static str| {
        let state = &state;
        async move { state.call_api(id, api, path_of(api)).await }
    };
    for (id, api) in [("bob", "customer"), ("alice", "vendor"), ("bob", "vendor")] {
        let r = call(id, api).await;
        let text = reply(&mut replies, &r);
        let r = r.unwrap_or_else(|e| panic!("{id} {api}: {e}"));
        assert_eq!(r.status, 200, "{text}");
        assert_eq!(r.body["subject"], id, "{text}");
    }

    // Picking an account remembers it; unknown or bad ids are refused.
    let picked = state.select_account("alice").await;
    reply(&mut replies, &picked);
    assert_eq!(picked.unwrap().current_id.as_deref(), Some("alice"));
    assert_eq!(prefs.last_account().as_deref(), Some("alice"));
    for (id, kind) in [
        ("carol", ErrorKind::NotFound),
        ("", ErrorKind::InvalidArgument),
    ] {
        let r = state.select_account(id).await;
        reply(&mut replies, &r);
        assert_eq!(r.unwrap_err().kind, kind, "{id:?}");
    }
    assert_eq!(prefs.last_account().as_deref(), Some("alice"));
    let picked = state.select_account("bob").await;
    reply(&mut replies, &picked);
    assert_eq!(picked.unwrap().current_id.as_deref(), Some("bob"));

    // Signing the picked account (bob) out keeps alice, who becomes the current account.
    let out = state.sign_out("bob").await;
    reply(&mut replies, &out);
    assert!(out.unwrap().revoked);
    assert_eq!(prefs.last_account().as_deref(), Some("alice"));
    let accounts = state.list_accounts().await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    let ids: Vec<&str> = accounts.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["alice"]);
    assert_eq!(accounts.current_id.as_deref(), Some("alice"));
    let r = call("alice", "customer").await;
    reply(&mut replies, &r);
    assert_eq!(r.unwrap().body["subject"], "alice");
    let gone = state.token_info("bob", "customer").await;
    reply(&mut replies, &gone);
    assert_eq!(gone.unwrap_err().kind, ErrorKind::InteractionRequired);

    let secrets = secrets.lock().unwrap().clone();
    assert!(secrets.len() >= 8, "saw {} secrets", secrets.len());
    leaks::assert_no_secret_in(&replies, &secrets);
}

/// A broken cache file: the app starts, says so in words, keeps the file aside, and the
/// user signs in again — for a truncated, a corrupt and a future-version file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_cache_is_set_aside_reported_and_replaced_by_a_new_sign_in() {
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let cache_file = stack.cache_dir().join("tokens.lanyard");
    // One key store for all cases: the key exists, so each file fails on its own merits.
    let keys = Arc::new(MemoryKeys::default());
    demo_with_keys(&stack, keys.clone())
        .state
        .list_accounts()
        .await
        .unwrap();
    for (what, bytes) in [
        ("truncated", b"LANYARD\0\x00".to_vec()),
        (
            "corrupt",
            b"LANYARD\0\x00\x01 this is not ciphertext at all, not at all".to_vec(),
        ),
        ("future version", {
            let mut v = b"LANYARD\0\x00\x63".to_vec();
            v.extend([0u8; 64]);
            v
        }),
    ] {
        for entry in std::fs::read_dir(stack.cache_dir())
            .into_iter()
            .flatten()
            .flatten()
        {
            std::fs::remove_file(entry.path()).unwrap();
        }
        std::fs::create_dir_all(stack.cache_dir()).unwrap();
        std::fs::write(&cache_file, &bytes).unwrap();
        let demo = demo_with_keys(&stack, keys.clone());

        // The UI's start: app_info, then list_accounts (which loads the cache).
        demo.state.info().await;
        let accounts = demo.state.list_accounts().await.unwrap();
        assert!(accounts.accounts.is_empty(), "{what}");
        let warning = accounts
            .cache_warning
            .unwrap_or_else(|| panic!("{what}: no warning"));
        assert!(warning.contains("could not be read"), "{what}: {warning}");
        assert!(
            !warning.contains("key is missing"),
            "{what}: fails on the file: {warning}"
        );
        assert!(warning.contains("sign in again"), "{what}: {warning}");
        // Later replies keep saying so.
        let info = demo.state.info().await;
        assert_eq!(
            info.cache_warning.as_deref(),
            Some(warning.as_str()),
            "{what}"
        );
        let aside = std::fs::read_dir(stack.cache_dir())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".bad-"))
            .count();
        assert_eq!(aside, 1, "{what}: the bad file is kept aside");

        let signed_in = demo.state.sign_in().await.unwrap();
        assert_eq!(
            signed_in.account.username.as_deref(),
            Some("alice@example.test")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grant_access_resolves_consent_and_claims_challenges_without_a_token_in_any_reply() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let Demo { state, secrets, .. } = demo(&stack);
    let mut replies = Vec::new();
    let signed_in = state.sign_in().await;
    reply(&mut replies, &signed_in);
    let id = signed_in.unwrap().account.id;

    // Incremental consent: the call names the API to grant access to; granting resumes it.
    let needs = state.call_api(&id, "vendor", "/reports").await;
    let text = reply(&mut replies, &needs);
    let e = needs.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InteractionRequired, "{text}");
    assert_eq!(e.reason, Some(InteractionReason::ConsentRequired));
    assert_eq!(e.api.as_deref(), Some("vendor"));
    let granted = state.grant_access(&id, "vendor").await;
    reply(&mut replies, &granted);
    assert_eq!(granted.unwrap().token.api, "vendor");
    let resumed = state.call_api(&id, "vendor", "/reports").await;
    reply(&mut replies, &resumed);
    let resumed = resumed.unwrap();
    assert_eq!(resumed.status, 200);
    assert!(resumed.token.scopes.iter().any(|s| s == "vendor.reports"));

    // Conditional Access: the claims stay in the shell; the UI only names the API.
    stack.customer_policy().require_auth_context(Some("c1"));
    let challenged = state.call_api(&id, "customer", "/customers").await;
    let text = reply(&mut replies, &challenged);
    let e = challenged.unwrap_err();
    assert_eq!(e.reason, Some(InteractionReason::ClaimsChallenge), "{text}");
    assert!(
        !text.contains("acrs"),
        "claims are not sent to the UI: {text}"
    );
    reply(&mut replies, &state.grant_access(&id, "customer").await);
    let after = state.call_api(&id, "customer", "/customers").await;
    reply(&mut replies, &after);
    assert_eq!(after.unwrap().status, 200);
    let info = state.token_info(&id, "customer").await;
    reply(&mut replies, &info);
    let claims = info.unwrap().claims.expect("decoded claims");
    assert_eq!(claims["acrs"], serde_json::json!(["c1"]));
    assert_eq!(claims["aud"], "api://lanyard-customer");

    // grant_access for an unknown account is not_found, and a check of the connection works.
    let unknown = state.grant_access("nobody", "customer").await;
    reply(&mut replies, &unknown);
    assert_eq!(unknown.unwrap_err().kind, ErrorKind::NotFound);
    let online = state.check_connection().await;
    reply(&mut replies, &online);
    assert!(online.is_ok());

    let secrets = secrets.lock().unwrap().clone();
    leaks::assert_no_secret_in(&replies, &secrets);
}

/// `lanyard://connection`: the provider stopped → `online: false` once (however many
/// commands fail), back on the same port → `online: true` once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_events_say_when_the_provider_goes_away_and_comes_back() {
    let mut stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let Demo { state, events, .. } = demo(&stack);
    state
        .check_connection()
        .await
        .expect("the provider answers");
    stack.stop_idp().await.unwrap();
    for _ in 0..2 {
        let e = state.check_connection().await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Network, "{e}");
    }
    stack.restart_idp().await.unwrap();
    state
        .check_connection()
        .await
        .expect("the provider is back");
    state.check_connection().await.unwrap();
    let events = events.lock().unwrap().clone();
    assert_eq!(
        events,
        [false, true]
            .map(
                |online| Event::Connection(tauri_plugin_lanyard::events::ConnectionEvent {
                    online
                })
            )
            .to_vec()
    );
}
