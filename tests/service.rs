//! The shell's service layer (what every command does) against the real local IdP and both
//! demo APIs, without a webview: each reply is checked, and none may carry a token issued in
//! the run.

mod common;

use std::sync::{Arc, Mutex};

use lanyard_app::dto::default_path;
use lanyard_app::error::IpcError;
use lanyard_app::preferences::{MemoryPreferences, Preferences};
use lanyard_app::service;
use lanyard_app::state::AppState;
use lanyard_engine::browser::BrowserOpener;
use lanyard_engine::cache::{CacheKey, KeyStore};
use lanyard_engine::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, ReqwestTransport};
use lanyard_engine::{Config, Deps, Engine};
use lanyard_testkit::stack::{ProviderKind, Stack};
use lanyard_testkit::{complete_sign_in, Consent};
use serde::Serialize;

/// Every HTTP exchange goes through the real transport; token responses' secrets are kept.
struct Recording {
    inner: ReqwestTransport,
    secrets: Arc<Mutex<Vec<String>>>,
}

impl HttpTransport for Recording {
    fn send(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, lanyard_engine::Error>> {
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
    fn load(&self, _id: &str) -> Result<Option<CacheKey>, lanyard_engine::Error> {
        Ok(self.0.lock().unwrap().clone())
    }
    fn store(&self, _id: &str, key: &CacheKey) -> Result<(), lanyard_engine::Error> {
        *self.0.lock().unwrap() = Some(key.clone());
        Ok(())
    }
    fn protection(&self) -> String {
        "test memory".into()
    }
}

/// The user: signs in as alice on the IdP's real pages, in a task.
struct ScriptedUser {
    runtime: tokio::runtime::Handle,
}

impl BrowserOpener for ScriptedUser {
    fn open(&self, url: &url::Url) -> Result<(), lanyard_engine::Error> {
        let url = url.to_string();
        self.runtime.spawn(async move {
            if let Err(e) = complete_sign_in(&url, "alice", "alice-password", Consent::Allow).await
            {
                panic!("scripted sign-in failed: {e}");
            }
        });
        Ok(())
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
    let config_path = stack.write_config().unwrap();
    let config = Config::from_toml(&stack.config_toml()).unwrap();
    let secrets = Arc::new(Mutex::new(Vec::new()));
    let deps = Deps {
        http: Arc::new(Recording {
            inner: ReqwestTransport::new(None).unwrap(),
            secrets: secrets.clone(),
        }),
        browser: Arc::new(ScriptedUser {
            runtime: tokio::runtime::Handle::current(),
        }),
        key_store: Arc::new(MemoryKeys::default()),
        ..Deps::production(&config).unwrap()
    };
    let prefs = Arc::new(MemoryPreferences::default());
    let state = AppState::new(
        Engine::new(config, deps).map_err(Into::into),
        Some(config_path),
        prefs.clone(),
    );
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
    for api in ["customer", "vendor"] {
        let t = service::token_info(&state, &id, api).await;
        reply(&mut replies, &t);
        assert_eq!(t.unwrap().source, "cache", "{api}");
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
        service::sign_out(&state, "\u{0}").await,
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

    // Sign out: the account, its tokens and the remembered id are gone.
    let out = service::sign_out(&state, &id).await;
    reply(&mut replies, &out);
    out.unwrap();
    assert_eq!(prefs.last_account(), None);
    let accounts = service::list_accounts(&state).await;
    reply(&mut replies, &accounts);
    assert!(accounts.unwrap().accounts.is_empty());
    let after = service::token_info(&state, &id, "customer").await;
    reply(&mut replies, &after);
    assert_eq!(after.unwrap_err().kind, "interaction_required");

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
