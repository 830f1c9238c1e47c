//! The shell's service layer (what every command does) against the real local IdP and both
//! demo APIs, without a webview: each reply is checked, and none may carry a token issued in
//! the run. Two accounts: pick one, call as either, sign one out and keep the other.

mod common;

use std::sync::{Arc, Mutex};

use lanyard::browser::BrowserOpener;
use lanyard::cache::{CacheKey, KeyStore};
use lanyard::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, ReqwestTransport};
use lanyard::{Config, Engine};
use lanyard_app::dto::default_path;
use lanyard_app::error::IpcError;
use lanyard_app::preferences::{MemoryPreferences, Preferences};
use lanyard_app::service;
use lanyard_app::state::AppState;
use lanyard_testkit::stack::{ProviderKind, Stack};
use lanyard_testkit::{complete_sign_in, Consent};
use serde::Serialize;

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
                common::collect_secrets(&json, &mut self.secrets.lock().unwrap());
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

/// The app's state on the demo stack: recorded HTTP, the scripted user, preferences in memory.
struct Demo {
    state: AppState,
    prefs: Arc<MemoryPreferences>,
    user: Arc<ScriptedUser>,
    secrets: Arc<Mutex<Vec<String>>>,
}

fn demo(stack: &Stack) -> Demo {
    demo_with_keys(stack, Arc::new(MemoryKeys::default()))
}

fn demo_with_keys(stack: &Stack, keys: Arc<MemoryKeys>) -> Demo {
    let config_path = stack.write_config().unwrap();
    let config = Config::from_toml(&stack.config_toml()).unwrap();
    let secrets = Arc::new(Mutex::new(Vec::new()));
    let user = Arc::new(ScriptedUser {
        runtime: tokio::runtime::Handle::current(),
        user: Mutex::new("alice"),
    });
    let engine = Engine::builder(config, lanyard_product::identity())
        .http(Arc::new(Recording {
            inner: ReqwestTransport::new(None).unwrap(),
            secrets: secrets.clone(),
        }))
        .browser(user.clone())
        .key_store(keys)
        .build();
    let prefs = Arc::new(MemoryPreferences::default());
    let state = AppState::new(engine.map_err(Into::into), Some(config_path), prefs.clone());
    Demo {
        state,
        prefs,
        user,
        secrets,
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
        ..
    } = demo(&stack);
    let mut replies = Vec::new();

    // app_info: the configuration, no secrets, no error.
    let info = service::app_info(&state).await;
    replies.push(serde_json::to_string(&info).unwrap());
    assert!(info.config_error.is_none());
    assert_eq!(
        info.authority.as_deref().map(|a| a.trim_end_matches('/')),
        Some(stack.idp().issuer())
    );
    assert_eq!(info.client_id.as_deref(), Some("lanyard-rfc8707"));
    let names: Vec<&str> = info.apis.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["customer", "vendor"]);
    assert_eq!(info.apis[1].default_path, "/orders");
    assert_eq!(info.cache_protection.as_deref(), Some("test memory"));

    // Nobody signed in yet.
    let accounts = service::list_accounts(&state).await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    assert!(accounts.accounts.is_empty());
    assert_eq!(accounts.current_id, None);

    // A call before signing in needs interaction.
    let early = service::call_api(&state, "alice", "customer", "/customers").await;
    reply(&mut replies, &early);
    assert_eq!(early.unwrap_err().kind, "interaction_required");

    // Sign in (the scripted user answers the browser).
    let signed_in = service::sign_in(&state).await;
    reply(&mut replies, &signed_in);
    let signed_in = signed_in.expect("sign-in");
    let id = signed_in.account.id.clone();
    assert_eq!(
        signed_in.account.username.as_deref(),
        Some("alice@example.test")
    );
    assert_eq!(signed_in.account.name.as_deref(), Some("Alice Example"));
    assert_eq!(signed_in.token.api, "customer");
    assert_eq!(signed_in.token.source, "sign_in");
    assert_eq!(prefs.last_account().as_deref(), Some(id.as_str()));

    let accounts = service::list_accounts(&state).await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    assert_eq!(accounts.accounts.len(), 1);
    assert_eq!(accounts.current_id.as_deref(), Some(id.as_str()));

    // Both APIs, with their default paths: 200 and JSON.
    for api in ["customer", "vendor"] {
        let r = service::call_api(&state, &id, api, default_path(api)).await;
        let text = reply(&mut replies, &r);
        let r = r.unwrap_or_else(|e| panic!("{api}: {e}"));
        assert_eq!(r.status, 200, "{api}: {text}");
        assert!(r.body.is_object() || r.body.is_array(), "{api}: {text}");
        assert_eq!(r.token.api, api);
    }
    // The vendor token came from the refresh token; asked again, both come from the cache.
    // The main thread's answer (no waiting) is the same as the async one.
    for api in ["customer", "vendor"] {
        let t = service::token_info(&state, &id, api).await;
        let general = reply(&mut replies, &t);
        assert_eq!(t.unwrap().source, "cache", "{api}");
        let now = service::token_info_cached(&state, &id, api).ok_or(IpcError::new("miss", api));
        assert_eq!(reply(&mut replies, &now), general, "{api}");
    }
    for (account, api) in [
        (id.as_str(), "payroll"),
        ("x", "customer"),
        ("", "customer"),
    ] {
        assert!(service::token_info_cached(&state, account, api).is_none());
    }

    // Bad arguments never reach the engine.
    let bad = [
        service::call_api(&state, &id, "payroll", "/x")
            .await
            .map(drop),
        service::call_api(&state, &id, "customer", "//evil.example/")
            .await
            .map(drop),
        service::call_api(&state, &id, "customer", "/a/../b")
            .await
            .map(drop),
        service::call_api(&state, "", "customer", "/customers")
            .await
            .map(drop),
        service::token_info(&state, &"x".repeat(300), "customer")
            .await
            .map(drop),
        service::sign_out(&state, "\u{0}").await.map(drop),
    ];
    let kinds: Vec<String> = bad.iter().map(|r| reply(&mut replies, r)).collect();
    for (r, text) in bad.iter().zip(&kinds) {
        let kind = &r.as_ref().unwrap_err().kind;
        assert!(kind == "invalid_argument" || kind == "not_found", "{text}");
    }

    // Cancelling with no sign-in under way is harmless.
    let cancelled = service::cancel_sign_in(&state);
    reply(&mut replies, &cancelled);
    assert!(cancelled.is_ok());

    // Sign out: the account, its tokens and the remembered id are gone; the IdP revoked its
    // refresh token.
    let out = service::sign_out(&state, &id).await;
    reply(&mut replies, &out);
    let out = out.unwrap();
    assert!(out.revoked, "{out:?}");
    assert_eq!(out.revocation_error, None);
    assert_eq!(prefs.last_account(), None);
    let accounts = service::list_accounts(&state).await;
    reply(&mut replies, &accounts);
    assert!(accounts.unwrap().accounts.is_empty());
    let after = service::token_info(&state, &id, "customer").await;
    reply(&mut replies, &after);
    assert_eq!(after.unwrap_err().kind, "interaction_required");
    assert!(service::token_info_cached(&state, &id, "customer").is_none());

    // No reply holds any token the IdP issued in this run.
    let secrets = secrets.lock().unwrap().clone();
    assert!(
        secrets.len() >= 4,
        "expected 2 access, 1+ refresh and 1 ID token; saw {}",
        secrets.len()
    );
    common::assert_no_secret_in(&replies, &secrets);
}

#[tokio::test]
async fn a_missing_configuration_is_reported_by_every_command() {
    let state = AppState::load(
        Ok("/nonexistent/lanyard.toml".into()),
        Arc::new(MemoryPreferences::default()),
    );
    let info = service::app_info(&state).await;
    let error = info.config_error.expect("a configuration error");
    assert_eq!(error.kind, "configuration");
    assert!(
        error.message.contains("/nonexistent/lanyard.toml"),
        "{}",
        error.message
    );
    assert!(info.apis.is_empty());
    assert_eq!(
        info.config_path.as_deref(),
        Some("/nonexistent/lanyard.toml")
    );

    assert_eq!(service::list_accounts(&state).await.unwrap_err(), error);
    assert_eq!(service::sign_in(&state).await.unwrap_err(), error);
    assert_eq!(service::cancel_sign_in(&state).unwrap_err(), error);
    assert_eq!(
        service::call_api(&state, "a", "customer", "/customers")
            .await
            .unwrap_err(),
        error
    );
    assert_eq!(
        service::token_info(&state, "a", "customer")
            .await
            .unwrap_err(),
        error
    );
    assert_eq!(service::sign_out(&state, "a").await.unwrap_err(), error);
    assert_eq!(
        service::select_account(&state, "a").await.unwrap_err(),
        error
    );
}

#[tokio::test]
async fn no_configuration_file_at_all() {
    let state = AppState::load(
        Err("no configuration: set LANYARD_CONFIG".into()),
        Arc::new(MemoryPreferences::default()),
    );
    let info = service::app_info(&state).await;
    assert_eq!(info.config_path, None);
    assert_eq!(
        info.config_error.unwrap().message,
        "no configuration: set LANYARD_CONFIG"
    );
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
    } = demo(&stack);
    let mut replies = Vec::new();

    // alice, then "Add account" as bob: the new account becomes the current one.
    for who in ["alice", "bob"] {
        user.set_user(who);
        let r = service::sign_in(&state).await;
        reply(&mut replies, &r);
        assert_eq!(r.expect("sign-in").account.id, who);
        assert_eq!(prefs.last_account().as_deref(), Some(who));
    }
    let accounts = service::list_accounts(&state).await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    let ids: Vec<&str> = accounts.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["alice", "bob"]);
    assert_eq!(accounts.current_id.as_deref(), Some("bob"));

    // Each account's calls carry its own identity.
    let call = |id: &'static str, api: &'static str| {
        let state = &state;
        async move { service::call_api(state, id, api, default_path(api)).await }
    };
    for (id, api) in [("bob", "customer"), ("alice", "vendor"), ("bob", "vendor")] {
        let r = call(id, api).await;
        let text = reply(&mut replies, &r);
        let r = r.unwrap_or_else(|e| panic!("{id} {api}: {e}"));
        assert_eq!(r.status, 200, "{text}");
        assert_eq!(r.body["subject"], id, "{text}");
    }

    // Picking an account remembers it; unknown or bad ids are refused.
    let picked = service::select_account(&state, "alice").await;
    reply(&mut replies, &picked);
    assert_eq!(picked.unwrap().current_id.as_deref(), Some("alice"));
    assert_eq!(prefs.last_account().as_deref(), Some("alice"));
    for (id, kind) in [("carol", "not_found"), ("", "invalid_argument")] {
        let r = service::select_account(&state, id).await;
        reply(&mut replies, &r);
        assert_eq!(r.unwrap_err().kind, kind, "{id:?}");
    }
    assert_eq!(prefs.last_account().as_deref(), Some("alice"));
    let picked = service::select_account(&state, "bob").await;
    reply(&mut replies, &picked);
    assert_eq!(picked.unwrap().current_id.as_deref(), Some("bob"));

    // Signing the picked account (bob) out keeps alice, who becomes the current account.
    let out = service::sign_out(&state, "bob").await;
    reply(&mut replies, &out);
    assert!(out.unwrap().revoked);
    assert_eq!(prefs.last_account().as_deref(), Some("alice"));
    let accounts = service::list_accounts(&state).await;
    reply(&mut replies, &accounts);
    let accounts = accounts.unwrap();
    let ids: Vec<&str> = accounts.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["alice"]);
    assert_eq!(accounts.current_id.as_deref(), Some("alice"));
    let r = call("alice", "customer").await;
    reply(&mut replies, &r);
    assert_eq!(r.unwrap().body["subject"], "alice");
    let gone = service::token_info(&state, "bob", "customer").await;
    reply(&mut replies, &gone);
    assert_eq!(gone.unwrap_err().kind, "interaction_required");

    let secrets = secrets.lock().unwrap().clone();
    assert!(secrets.len() >= 8, "saw {} secrets", secrets.len());
    common::assert_no_secret_in(&replies, &secrets);
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
    service::list_accounts(&demo_with_keys(&stack, keys.clone()).state)
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
        service::app_info(&demo.state).await;
        let accounts = service::list_accounts(&demo.state).await.unwrap();
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
        let info = service::app_info(&demo.state).await;
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

        let signed_in = service::sign_in(&demo.state).await.unwrap();
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
    let signed_in = service::sign_in(&state).await;
    reply(&mut replies, &signed_in);
    let id = signed_in.unwrap().account.id;

    // Incremental consent: the call names the API to grant access to; granting resumes it.
    let needs = service::call_api(&state, &id, "vendor", "/reports").await;
    let text = reply(&mut replies, &needs);
    let e = needs.unwrap_err();
    assert_eq!(e.kind, "interaction_required", "{text}");
    let details = e.details.as_deref().expect("details");
    assert_eq!(details.reason.as_deref(), Some("consent_required"));
    assert_eq!(details.api.as_deref(), Some("vendor"));
    let granted = service::grant_access(&state, &id, "vendor").await;
    reply(&mut replies, &granted);
    assert_eq!(granted.unwrap().token.api, "vendor");
    let resumed = service::call_api(&state, &id, "vendor", "/reports").await;
    reply(&mut replies, &resumed);
    let resumed = resumed.unwrap();
    assert_eq!(resumed.status, 200);
    assert!(resumed.token.scopes.iter().any(|s| s == "vendor.reports"));

    // Conditional Access: the claims stay in the shell; the UI only names the API.
    stack.customer_policy().require_auth_context(Some("c1"));
    let challenged = service::call_api(&state, &id, "customer", "/customers").await;
    let text = reply(&mut replies, &challenged);
    let e = challenged.unwrap_err();
    assert_eq!(
        e.details.as_deref().unwrap().reason.as_deref(),
        Some("claims_challenge"),
        "{text}"
    );
    assert!(
        !text.contains("acrs"),
        "claims are not sent to the UI: {text}"
    );
    reply(
        &mut replies,
        &service::grant_access(&state, &id, "customer").await,
    );
    let after = service::call_api(&state, &id, "customer", "/customers").await;
    reply(&mut replies, &after);
    assert_eq!(after.unwrap().status, 200);
    let info = service::token_info(&state, &id, "customer").await;
    reply(&mut replies, &info);
    let claims = info.unwrap().claims.expect("decoded claims");
    assert_eq!(claims["acrs"], serde_json::json!(["c1"]));
    assert_eq!(claims["aud"], "api://lanyard-customer");

    // grant_access for an unknown account is not_found, and a check of the connection works.
    let unknown = service::grant_access(&state, "nobody", "customer").await;
    reply(&mut replies, &unknown);
    assert_eq!(unknown.unwrap_err().kind, "not_found");
    let online = service::check_connection(&state).await;
    reply(&mut replies, &online);
    assert!(online.is_ok());

    let secrets = secrets.lock().unwrap().clone();
    common::assert_no_secret_in(&replies, &secrets);
}

/// "Copy diagnostics" after a real sign-in, a refresh and failed commands: every section, the
/// failures with their kinds, and no token, account id, user name or name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_report_after_sign_in_and_errors() {
    let stack = Stack::start(ProviderKind::ScopeOnly)
        .await
        .expect("demo stack");
    let Demo { state, secrets, .. } = demo(&stack);
    let signed_in = service::sign_in(&state).await.expect("sign-in");
    let account = signed_in.account.clone();
    service::token_info(&state, &account.id, "vendor")
        .await
        .expect("the vendor token, by refresh");
    // Induced failures: an unknown API, then the account after it signed out (its id is in
    // that message).
    let unknown = service::call_api(&state, &account.id, "nope", "/x").await;
    assert_eq!(unknown.unwrap_err().kind, "not_found");
    service::sign_out(&state, &account.id)
        .await
        .expect("sign-out");
    let gone = service::token_info(&state, &account.id, "vendor")
        .await
        .unwrap_err();
    assert_eq!(gone.kind, "interaction_required");
    assert!(gone.message.contains(&account.id), "{}", gone.message);

    let report = service::diagnostics(&state).await.report;
    for heading in [
        "[versions]",
        "[configuration]",
        "[logging]",
        "[recent errors]",
    ] {
        assert!(report.contains(heading), "{heading} missing: {report}");
    }
    assert!(report.contains("lanyard-app: "), "{report}");
    assert!(report.contains("tauri: 2."), "{report}");
    assert!(report.contains("client id: lanyard-scopes"), "{report}");
    assert!(
        report.contains(&format!("api vendor: {}", stack.vendor_url())),
        "{report}"
    );
    assert!(report.contains("cache protection: test memory"), "{report}");
    assert!(
        report.contains("redirect mode: loopback, any free port"),
        "{report}"
    );
    assert!(report.contains("call_api not_found: "), "{report}");
    assert!(
        report.contains("token_info interaction_required: "),
        "{report}"
    );
    assert!(
        report.contains("account [pii] is not signed in"),
        "{report}"
    );
    for personal in account.personal_values() {
        assert!(
            !report.contains(&personal),
            "personal data ({} chars) in the report: {report}",
            personal.len()
        );
    }
    let secrets = secrets.lock().unwrap().clone();
    assert!(secrets.len() >= 3, "tokens seen: {}", secrets.len());
    common::assert_no_secret_in(&[report], &secrets);
}
