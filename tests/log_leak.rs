//! The log leak test: a full run of the real `lanyard` binary against the real IdP and demo
//! APIs, logging at TRACE for every target (engine, hyper, reqwest, oauth2, ...) into its log
//! file, must leave no secret in the logs: no access, refresh or ID token (every one the cache
//! ever held, read back through `cache export`), no authorization code, `state`, `nonce`, PKCE
//! challenge or verifier (what `lanyard-test-browser` saw, recorded to a file), and, PII
//! logging being off by default, no account id or user name.
//! The CLI's run (real binaries) and the app's service layer (in this process, with the app's
//! log setup) are scanned alike.
//! Needs the binaries built: `cargo build --workspace --bins`.

use lanyard_testkit::leaks;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use base64::Engine as _;
use lanyard::browser::CommandBrowser;
use lanyard::ErrorKind;
use lanyard::{Config, Engine};
use lanyard_app::app_info::default_path;
use lanyard_app::diagnostics::diagnostics;
use lanyard_app::state::AppState;
use lanyard_diagnostics::logging::{self, LogSettings};
use lanyard_testkit::browser::record;
use lanyard_testkit::stack::{bin_path, lanyard_command, ProviderKind, Stack};
use sha2::{Digest, Sha256};
use tauri_plugin_lanyard::Lanyard;

/// One CLI run with logging at TRACE everywhere and the browser recording what it saw.
fn lanyard(config: &Path, seen: &Path, args: &[&str]) -> Output {
    let output = lanyard_command(config, args)
        .env("LANYARD_LOG", "trace")
        .env("LANYARD_TEST_BROWSER_RECORD", seen)
        .output()
        .expect("lanyard runs");
    assert!(
        output.status.success(),
        "lanyard {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The secrets in the cache right now, read back in MSAL's plaintext format.
fn cached_secrets(config: &Path, seen: &Path, out: &mut Vec<String>) {
    let file = config.with_file_name("export.json");
    let file_arg = file.display().to_string();
    lanyard(
        config,
        seen,
        &["cache", "export", "--msal", &file_arg, "--force"],
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    std::fs::remove_file(&file).unwrap();
    leaks::collect_secrets(&json, out);
}

/// Every log file's text.
fn read_logs(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a log directory")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no log file in {}", dir.display());
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// The runs of PKCE verifier characters (RFC 7636: 43 to 128 of `A-Z a-z 0-9 - . _ ~`) whose
/// S256 challenge is `challenge`.
fn verifiers_of(text: &str, challenge: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
        .filter(|run| (43..=128).contains(&run.len()))
        .filter(|run| {
            let digest = Sha256::digest(run.as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) == challenge
        })
        .map(str::to_owned)
        .collect()
}

/// Panics naming the secret's label (never the secret) if `text` holds it.
fn assert_absent(what: &str, text: &str, label: &str, secret: &str) {
    assert!(
        !text.contains(secret),
        "{what} contains {label} ({} chars)",
        secret.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_run_logged_at_trace_leaks_no_secret() {
    let stack = Stack::start(ProviderKind::ScopeOnly).await.unwrap();
    let config = stack.write_config().unwrap();
    let seen = stack.dir().join("browser-saw.txt");
    let logs = stack.dir().join("logs");
    let mut secrets = Vec::new();
    let mut outputs = Vec::new();

    // Sign-in with consent (the code is redeemed for the customer API).
    let signed_in = lanyard(&config, &seen, &["sign-in"]);
    let account: serde_json::Value = serde_json::from_slice(&signed_in.stdout).unwrap();
    outputs.push(signed_in);
    cached_secrets(&config, &seen, &mut secrets);
    // The vendor API's token from the refresh token (a refresh; rotated refresh token kept).
    let vendor = lanyard(&config, &seen, &["token", "--api", "vendor"]);
    let vendor_json: serde_json::Value = serde_json::from_slice(&vendor.stdout).unwrap();
    assert_eq!(vendor_json["source"], "refresh");
    outputs.push(vendor);
    cached_secrets(&config, &seen, &mut secrets);
    // Both APIs called with their tokens.
    for (api, path) in [("customer", "/customers"), ("vendor", "/orders")] {
        let called = lanyard(&config, &seen, &["call", "--api", api, path]);
        let json: serde_json::Value = serde_json::from_slice(&called.stdout).unwrap();
        assert_eq!(json["status"], 200, "{api}");
        outputs.push(called);
    }
    cached_secrets(&config, &seen, &mut secrets);
    outputs.push(lanyard(&config, &seen, &["diagnostics"]));
    // Sign-out revokes the refresh token at the IdP.
    outputs.push(lanyard(&config, &seen, &["sign-out"]));

    assert!(secrets.len() >= 4, "tokens found: {}", secrets.len());
    let recorded = recorded_secrets(&seen);
    let text = read_logs(&logs);
    assert_trace_of_everything(&text);
    assert!(
        text.contains("signed in"),
        "the engine's events are missing"
    );

    // Personal data: not in the logs nor in the report (stderr names the account on purpose,
    // and the test browser's own lines name its user).
    let diagnostics = String::from_utf8_lossy(&outputs[outputs.len() - 2].stdout).into_owned();
    assert!(diagnostics.contains("[recent errors]"), "{diagnostics}");
    let personal = [
        account["id"].as_str().expect("an account id").to_owned(),
        account["username"]
            .as_str()
            .expect("a user name")
            .to_owned(),
    ];
    assert_no_personal_data("the log files", &text, &personal);
    assert_no_personal_data("the diagnostics report", &diagnostics, &personal);

    let mut texts = vec![
        ("the log files".to_owned(), text),
        ("the diagnostics report".to_owned(), diagnostics),
    ];
    for (i, output) in outputs.iter().enumerate() {
        texts.push((
            format!("stderr of run #{i}"),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    assert_no_secret(&texts, &secrets, &recorded);
}

/// The sign-in's secrets `lanyard-test-browser` saw (code, state, nonce, challenge): all there.
fn recorded_secrets(file: &Path) -> Vec<(String, String)> {
    let recorded = record::read(file).expect("the browser's record");
    let names: Vec<&str> = recorded.iter().map(|(k, _)| k.as_str()).collect();
    for name in [
        "authorize.state",
        "authorize.nonce",
        "authorize.code_challenge",
        "redirect.code",
        "redirect.state",
    ] {
        assert!(
            names.contains(&name),
            "the browser did not see {name}: {names:?}"
        );
    }
    recorded
}

/// The logs are really at TRACE and hold the HTTP stack's events, or the scan proves nothing.
fn assert_trace_of_everything(text: &str) {
    assert!(text.contains(" TRACE "), "no TRACE event in the logs");
    assert!(
        ["hyper", "reqwest"].iter().any(|t| text.contains(t)),
        "no event of the HTTP stack in the logs"
    );
}

/// No account id or user name in `text`.
fn assert_no_personal_data(what: &str, text: &str, personal: &[String]) {
    for (i, value) in personal.iter().enumerate() {
        assert_absent(what, text, &format!("personal value #{i}"), value);
    }
}

/// No cached token, recorded sign-in value, PKCE verifier or JWT in any of `texts`.
fn assert_no_secret(texts: &[(String, String)], secrets: &[String], recorded: &[(String, String)]) {
    let challenge = recorded
        .iter()
        .find(|(k, _)| k == "authorize.code_challenge")
        .map(|(_, v)| v.clone())
        .expect("a recorded challenge");
    for (what, text) in texts {
        for (i, secret) in secrets.iter().enumerate() {
            assert_absent(what, text, &format!("cached token #{i}"), secret);
        }
        for (name, value) in recorded {
            assert_absent(what, text, name, value);
        }
        let verifiers = verifiers_of(text, &challenge);
        assert!(verifiers.is_empty(), "{what} contains the PKCE verifier");
        assert!(!leaks::contains_jwt(text), "{what} contains a JWT");
    }
}

/// The app's browser, a separate process as in real use (so its HTML parser's events are not
/// the app's): `lanyard-test-browser` recording what it saw to `record_to`, through a script.
fn recording_browser(dir: &Path, record_to: &Path) -> CommandBrowser {
    let script = dir.join("recording-browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nLANYARD_TEST_BROWSER_RECORD='{}' exec '{}' \"$@\"\n",
            record_to.display(),
            bin_path("lanyard-test-browser").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    CommandBrowser::new(script.display().to_string())
}

/// The app's side: its log setup (this test process's only subscriber) at TRACE for every
/// target, its service layer on a production engine (real HTTP, OS key store, the test browser
/// as a separate process) against the real stack, a failed command, the diagnostics report;
/// then the same scan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_service_logged_at_trace_leaks_no_secret() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let logs = stack.dir().join("app-logs");
    let info = logging::init(LogSettings {
        filter: "trace".into(),
        dir: Some(logs.clone()),
        file_prefix: lanyard_app::LOG_PREFIX.into(),
        pii: false,
        stderr: false,
    });
    assert_eq!(
        info.dir.as_deref(),
        Some(logs.as_path()),
        "{:?}",
        info.problems
    );
    let config_path = stack.write_config().unwrap();
    let config = Config::load(&config_path).unwrap();
    let seen = stack.dir().join("browser-saw.txt");
    let engine = Engine::builder(config, lanyard_product::identity())
        .browser(Arc::new(recording_browser(stack.dir(), &seen)))
        .build();
    // The app's state and the plugin's, wired as the app wires them (failed commands go to
    // the app's recent errors).
    let app = AppState::new(Some(config_path));
    let state =
        Lanyard::new(engine.map_err(Into::into)).with_error_hook(lanyard_app::record_errors(&app));
    let mut secrets = Vec::new();

    let signed_in = state.sign_in().await.expect("sign-in");
    let id = signed_in.account.id.clone();
    exported_secrets(&state, &mut secrets).await;
    let vendor = state.token_info(&id, "vendor").await.unwrap();
    assert_eq!(vendor.source, lanyard::TokenSource::Refresh);
    exported_secrets(&state, &mut secrets).await;
    for api in ["customer", "vendor"] {
        let called = state.call_api(&id, api, default_path(api)).await.unwrap();
        assert_eq!(called.status, 200, "{api}");
    }
    let failed = state.call_api(&id, "nope", "/x").await.unwrap_err();
    assert_eq!(failed.kind, ErrorKind::NotFound);
    exported_secrets(&state, &mut secrets).await;
    state.sign_out(&id).await.expect("sign-out");
    // The account after it signed out: its id is in that message.
    let gone = state.token_info(&id, "vendor").await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::InteractionRequired);
    assert!(gone.message.contains(&id), "{}", gone.message);
    let diagnostics = diagnostics(&app, &state).await.report;
    assert_report_sections(&diagnostics, &stack);

    assert!(secrets.len() >= 4, "tokens found: {}", secrets.len());
    let recorded = recorded_secrets(&seen);
    let text = read_logs(&logs);
    assert_trace_of_everything(&text);
    assert!(
        text.contains("command failed") && text.contains("not_found"),
        "the shell's events are missing"
    );
    let personal = signed_in.account.personal_values();
    assert_no_personal_data("the app's log file", &text, &personal);
    assert_no_personal_data("the diagnostics report", &diagnostics, &personal);
    let texts = [
        ("the app's log file".to_owned(), text),
        ("the diagnostics report".to_owned(), diagnostics),
    ];
    assert_no_secret(&texts, &secrets, &recorded);
}

/// "Copy diagnostics" after a real sign-in, a refresh and failed commands: the app's and
/// Tauri's versions, the configuration, the failures the plugin reported with their kinds,
/// the account named only as `[pii]` (the report's layout is tested with the CLI's).
fn assert_report_sections(report: &str, stack: &Stack) {
    assert!(report.contains("lanyard-app: "), "{report}");
    assert!(report.contains("tauri: 2."), "{report}");
    assert!(report.contains("client id: lanyard-rfc8707"), "{report}");
    assert!(
        report.contains(&format!("api vendor: {}", stack.vendor_url())),
        "{report}"
    );
    assert!(report.contains("cache protection: "), "{report}");
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
}

/// The secrets in the app's cache right now, read back in MSAL's plaintext format.
async fn exported_secrets(state: &Lanyard, out: &mut Vec<String>) {
    let json = state.engine().unwrap().export_msal().await.unwrap();
    leaks::collect_secrets(&serde_json::from_str(&json).unwrap(), out);
}

#[test]
fn finds_a_verifier_by_its_challenge() {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    // RFC 7636, appendix B.
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let text = format!("POST /token code_verifier={verifier}&grant_type=authorization_code");
    assert_eq!(verifiers_of(&text, challenge), [verifier]);
    assert!(verifiers_of("nothing here", challenge).is_empty());
}
