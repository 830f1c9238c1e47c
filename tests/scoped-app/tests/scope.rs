//! The plugin's API scope through Tauri's real permissions: the window's capability lets it use
//! the vendor API only. After a sign-in (whose code is redeemed for the customer API, so a
//! customer token is in the cache), `call_api`, `grant_access` and `token_info` for the
//! customer API are refused — `token_info` also on the main-thread fast path, which a cached
//! token would otherwise answer — while the vendor API answers.
//!
//! Needs what the example app's WebDriver test needs (a display, a session bus with an unlocked
//! Secret Service, tauri-driver, the workspace binaries, free ports 7700-7702).

use serde_json::Value;

use lanyard_testkit::leaks;
use lanyard_testkit::stack::{ProviderKind, Stack, DEMO_PORTS};
use lanyard_testkit::webdriver::{scripted_user_env, should_run, Driver};

/// Each command's outcome as `{ ok }` or `{ err }`, run in the page through Tauri's IPC.
const SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const invoke = window.__TAURI_INTERNALS__.invoke;
const run = async (command, args) => {
  try { return { ok: await invoke('plugin:lanyard|' + command, args) }; }
  catch (err) { return { err }; }
};
(async () => {
  const signIn = await run('sign_in', {});
  const accountId = signIn.ok && signIn.ok.account.id;
  const out = { signIn };
  out.customerCall = await run('call_api', { accountId, api: 'customer', path: '/customers' });
  out.customerToken = await run('token_info', { accountId, api: 'customer' });
  out.customerGrant = await run('grant_access', { accountId, api: 'customer' });
  out.vendorCall = await run('call_api', { accountId, api: 'vendor', path: '/orders' });
  out.vendorToken = await run('token_info', { accountId, api: 'vendor' });
  out.signOut = await run('sign_out', { accountId });
  done(out);
})();
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_uses_only_the_apis_its_scope_names() {
    if !should_run() {
        return;
    }
    let _stack = Stack::start_on(ProviderKind::Rfc8707, DEMO_PORTS)
        .await
        .unwrap_or_else(|e| panic!("the IdP and the demo APIs on 7700-7702: {e}"));
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("browser.log");
    let driver = Driver::start(
        env!("CARGO_BIN_EXE_lanyard-scoped-app"),
        &scripted_user_env(home.path(), &log),
    );
    let app = driver.launch().await;
    let out: Value = app
        .step(|session| async move {
            session
                .set_script_timeout(std::time::Duration::from_secs(60))
                .await?;
            session.execute_async(SCRIPT, Vec::new()).await?.convert()
        })
        .await;
    app.quit().await;

    let signed_in = &out["signIn"]["ok"];
    assert_eq!(
        signed_in["account"]["username"], "alice@example.test",
        "{out:#}"
    );
    assert_eq!(signed_in["token"]["api"], "customer", "{out:#}");
    for refused in ["customerCall", "customerToken", "customerGrant"] {
        let err = &out[refused]["err"];
        assert_eq!(err["kind"], "invalid_argument", "{refused}: {out:#}");
        assert!(
            err["message"]
                .as_str()
                .unwrap_or("")
                .contains("may not use the API \"customer\""),
            "{refused}: {out:#}"
        );
    }
    assert_eq!(out["vendorCall"]["ok"]["status"], 200, "{out:#}");
    assert_eq!(out["vendorToken"]["ok"]["api"], "vendor", "{out:#}");
    // A command the capability does not grant at all is refused by Tauri itself.
    assert!(
        out["signOut"]["err"]
            .as_str()
            .unwrap_or("")
            .contains("not allowed"),
        "sign_out is not granted: {out:#}"
    );
    assert!(
        !leaks::contains_jwt(&out.to_string()),
        "a reply holds a JWT"
    );
}
