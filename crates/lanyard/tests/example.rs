//! `examples/sign_in_and_call.rs` run as a user would: the built example binary against the
//! local IdP and both demo APIs, with `lanyard-test-browser` as its browser. Both APIs answer
//! 200, and nothing it prints holds a token or a sign-in secret.
//!
//! `cargo test` builds the example; alone: `cargo build -p lanyard --examples` and
//! `cargo build -p lanyard-testkit --bins` first.

use std::path::PathBuf;
use std::process::Command;

use lanyard::{AppIdentity, Config, Engine};
use lanyard_testkit::stack::{bin_path, ProviderKind, Stack};

/// The example's app id (`APP_ID` in examples/sign_in_and_call.rs).
const EXAMPLE_APP_ID: &str = "dev.lanyard.engine-example";

/// `target/<profile>/examples/sign_in_and_call`, beside this test's `deps/` directory.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let mut dir = exe.parent().expect("a directory").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir
        .join("examples")
        .join(format!("sign_in_and_call{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build -p lanyard --examples` first",
        path.display()
    );
    path
}

/// Every token in the example's cache (MSAL export: access, refresh and ID tokens), read with
/// the example's identity.
async fn cached_secrets(config: &std::path::Path) -> Vec<String> {
    let config = Config::load(config).unwrap();
    let identity = AppIdentity::new(EXAMPLE_APP_ID, "Lanyard example").unwrap();
    let engine = Engine::builder(config, identity).build().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&engine.export_msal().await.unwrap()).unwrap();
    let mut secrets = Vec::new();
    for section in ["AccessToken", "RefreshToken", "IdToken"] {
        for entry in json[section].as_object().expect(section).values() {
            secrets.push(entry["secret"].as_str().unwrap().to_owned());
        }
    }
    secrets
}

async fn run_example(kind: ProviderKind) {
    let stack = Stack::start(kind).await.unwrap();
    let config = stack.write_config().unwrap();
    let record = stack.dir().join("browser-saw.txt");
    let output = Command::new(example_binary())
        .arg(&config)
        .arg("--browser")
        .arg(bin_path("lanyard-test-browser"))
        .env("LANYARD_TEST_BROWSER_RECORD", &record)
        .env_remove("LANYARD_TEST_USER_FILE")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    assert!(stdout.contains("signed in: "), "{stdout}");
    assert!(stdout.contains("alice@example.test"), "{stdout}");
    for api in ["customer", "vendor"] {
        assert!(
            stdout.contains(&format!("{api}: GET /me -> 200 ")),
            "{api} answered 200:\n{stdout}"
        );
    }
    let vendor_token = stdout
        .lines()
        .find(|l| l.starts_with("vendor: token: "))
        .unwrap_or_default();
    assert!(
        vendor_token.ends_with("from refresh"),
        "the second API's token came silently from the refresh token:\n{stdout}"
    );

    let mut secrets = cached_secrets(&config).await;
    assert!(
        secrets.len() >= 4,
        "tokens for both APIs, a refresh and an ID token"
    );
    // What the browser saw: state, nonce, PKCE challenge, code (`<name> <value>` lines).
    let recorded = std::fs::read_to_string(&record).expect("the browser recorded the sign-in");
    secrets.extend(
        recorded
            .lines()
            .filter_map(|l| l.split_once(' ').map(|(_, v)| v.to_owned()))
            .filter(|v| v.len() >= 8),
    );
    assert!(secrets.len() >= 8, "{recorded}");
    for secret in &secrets {
        assert!(
            !stdout.contains(secret.as_str()) && !stderr.contains(secret.as_str()),
            "the example printed a secret"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_signs_in_and_calls_both_apis_rfc8707() {
    run_example(ProviderKind::Rfc8707).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_signs_in_and_calls_both_apis_scope_only() {
    run_example(ProviderKind::ScopeOnly).await;
}
