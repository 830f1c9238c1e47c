//! Several engines and processes on one cache (the app and the CLI): what one writes, the
//! other reads next, and no rotated refresh token is lost. The IdP issues 60-second access
//! tokens, reused for half their life, so silent calls keep redeeming (and rotating) the refresh
//! token: a process that read a stale cache would replay a rotated token, and the IdP would
//! revoke the whole grant.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use lanyard::browser::CommandBrowser;
use lanyard::clock::ManualClock;
use lanyard::{AppIdentity, Config, Engine, TokenSource};
use lanyard_testkit::stack::{bin_path, ProviderKind, Stack};
use lanyard_testkit::IdpOptions;

/// The `lanyard` CLI's identity (`lanyard_product::identity()`): the engines here share the
/// CLI's cache file and its key.
fn lanyard_identity() -> AppIdentity {
    AppIdentity::new("dev.lanyard.app", "Lanyard")
        .unwrap()
        .keyring_service("dev.lanyard.token-cache")
}

fn engine(stack: &Stack, clock: Option<Arc<ManualClock>>) -> Engine {
    let config = Config::from_toml(&stack.config_toml()).unwrap();
    let mut builder = Engine::builder(config, lanyard_identity()).browser(Arc::new(
        CommandBrowser::new(bin_path("lanyard-test-browser").display().to_string()),
    ));
    if let Some(clock) = clock {
        builder = builder.clock(clock);
    }
    builder.build().unwrap()
}

async fn short_lived_stack() -> Stack {
    let options = IdpOptions {
        access_token_ttl: Some(Duration::from_secs(60)),
        ..IdpOptions::default()
    };
    Stack::start_with(ProviderKind::Rfc8707, options)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn engines_sharing_a_cache_see_each_others_writes_and_never_replay_a_refresh_token() {
    let stack = short_lived_stack().await;
    let clock = Arc::new(ManualClock::new());
    let a = engine(&stack, Some(clock.clone()));
    let b = engine(&stack, Some(clock.clone()));
    assert!(
        b.accounts().await.unwrap().is_empty(),
        "b has loaded the empty cache"
    );

    let account = a.sign_in().await.unwrap().account.id;
    let seen_by_b = b.accounts().await.unwrap();
    assert_eq!(seen_by_b.len(), 1, "b sees a's sign-in on its next read");
    // Past half the tokens' life: every cached token needs a refresh.
    clock.advance(Duration::from_secs(45));

    let mut tasks = Vec::new();
    for i in 0..12 {
        let (engine, account) = (
            if i % 2 == 0 { a.clone() } else { b.clone() },
            account.clone(),
        );
        let api = if i % 3 == 0 { "customer" } else { "vendor" };
        tasks.push(tokio::spawn(async move {
            engine.acquire_token_silent(&account, api).await
        }));
    }
    let mut refreshed = Vec::new();
    for task in tasks {
        let grant = task
            .await
            .unwrap()
            .expect("no refresh fails: none replays a rotated token");
        match grant.info().source {
            TokenSource::Refresh => refreshed.push(grant.info().api.clone()),
            TokenSource::Cache => {}
            other => panic!("unexpected source {other:?}"),
        }
    }
    // One refresh per API across both engines; every other caller read what it stored.
    refreshed.sort();
    assert_eq!(refreshed, ["customer", "vendor"]);
    // The grant is still alive for both.
    for engine in [&a, &b] {
        let answer = engine
            .call_api(&account, "vendor", "/orders")
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_cli_processes_share_the_apps_cache() {
    let stack = short_lived_stack().await;
    let config = stack.write_config().unwrap();
    let app = engine(&stack, None);
    let account = app.sign_in().await.unwrap().account.id;

    let children: Vec<_> = (0..4)
        .map(|i| {
            Command::new(bin_path("lanyard"))
                .args(["--config", config.to_str().unwrap(), "token", "--api"])
                .arg(if i % 2 == 0 { "vendor" } else { "customer" })
                .env_remove("LANYARD_CACHE_DIR")
                .spawn()
                .unwrap()
        })
        .collect();
    let mid = app.acquire_token_silent(&account, "vendor").await;
    for mut child in children {
        assert!(
            child.wait().unwrap().success(),
            "every process refreshes cleanly"
        );
    }
    assert!(mid.is_ok(), "{mid:?}");
    let after = app
        .call_api(&account, "customer", "/customers")
        .await
        .unwrap();
    assert_eq!(
        after.status, 200,
        "the app's grant survived the other processes' refreshes"
    );
}
