//! The `lanyard` CLI end to end against the real stack: sign-in through the IdP's pages with
//! `lanyard-test-browser` as the browser, silent tokens, API calls, sign-out, one-line errors.
//! Needs the binaries built: `cargo build --workspace --bins` (the README's test command does).

use std::path::Path;
use std::process::Output;

use lanyard_testkit::stack::{run_lanyard, ProviderKind, Stack};

fn lanyard(config: &Path, args: &[&str]) -> Output {
    run_lanyard(config, args)
}

fn ok_json(output: Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// Exit non-zero with exactly one line, `lanyard: <kind>: ...`.
fn fails_with(output: Output, kind: &str) -> String {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(
        lines[0].starts_with(&format!("lanyard: {kind}: ")),
        "{stderr}"
    );
    stderr
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_signs_in_gets_tokens_calls_and_signs_out() {
    let stack = Stack::start(ProviderKind::ScopeOnly).await.unwrap();
    let config = stack.write_config().unwrap();

    assert_eq!(
        ok_json(lanyard(&config, &["accounts"])),
        serde_json::json!([])
    );
    fails_with(
        lanyard(&config, &["token", "--api", "vendor"]),
        "interaction_required",
    );

    let account = ok_json(lanyard(&config, &["sign-in"]));
    assert_eq!(account["username"], "alice@example.test");

    // A new process each time: the cache persists between them.
    let vendor = ok_json(lanyard(&config, &["token", "--api", "vendor"]));
    assert_eq!(vendor["source"], "refresh");
    assert_eq!(vendor["api"], "vendor");
    assert!(vendor.get("secret").is_none() && vendor.get("accessToken").is_none());
    let again = ok_json(lanyard(&config, &["token", "--api", "vendor"]));
    assert_eq!(again["source"], "cache");

    let raw = lanyard(&config, &["token", "--api", "customer", "--raw"]);
    assert!(raw.status.success());
    let token = String::from_utf8(raw.stdout).unwrap().trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT access token");
    for entry in std::fs::read_dir(stack.cache_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&token),
            "token in plaintext on disk"
        );
    }

    let called = ok_json(lanyard(&config, &["call", "--api", "vendor", "/orders"]));
    assert_eq!(called["status"], 200);
    assert_eq!(called["body"]["api"], "vendor");
    assert_eq!(called["token"]["source"], "cache");

    // Conditional Access switched on at the API: a claims challenge, resolved with --interactive.
    stack.vendor_policy().require_auth_context(Some("c1"));
    let refused = fails_with(
        lanyard(&config, &["call", "--api", "vendor", "/orders"]),
        "interaction_required",
    );
    assert!(refused.contains("stronger sign-in"), "{refused}");
    let stepped_up = ok_json(lanyard(
        &config,
        &["call", "--api", "vendor", "--interactive", "/orders"],
    ));
    assert_eq!(stepped_up["status"], 200);
    assert_eq!(stepped_up["tokenClaims"]["acrs"], serde_json::json!(["c1"]));
    // Incremental consent the same way (with the policy lifted: a grant without the claims
    // does not carry the authentication context).
    stack.vendor_policy().require_auth_context(None);
    fails_with(
        lanyard(&config, &["call", "--api", "vendor", "/reports"]),
        "interaction_required",
    );
    let reports = ok_json(lanyard(
        &config,
        &["call", "--api", "vendor", "--interactive", "/reports"],
    ));
    assert_eq!(reports["status"], 200);

    fails_with(
        lanyard(&config, &["call", "--api", "nope", "/x"]),
        "not_found",
    );
    fails_with(
        lanyard(&config, &["call", "--api", "vendor", "orders"]),
        "invalid_argument",
    );

    // `lanyard diagnostics`: the report holds the failures above, and no token or account.
    let out = lanyard(&config, &["diagnostics"]);
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "[versions]",
        "[configuration]",
        "[logging]",
        "[recent errors]",
    ] {
        assert!(report.contains(heading), "{heading} missing: {report}");
    }
    assert!(report.contains("client id: lanyard-scopes"), "{report}");
    assert!(report.contains("api vendor: "), "{report}");
    let logs = config.with_file_name("logs");
    assert!(
        report.contains(&format!("log dir: {}", logs.display())),
        "{report}"
    );
    assert!(report.contains("personal data in logs: off"), "{report}");
    assert!(
        report.contains(r#"command="call" kind="not_found""#),
        "{report}"
    );
    assert!(
        report.contains(r#"command="call" kind="invalid_argument""#),
        "{report}"
    );
    assert!(!report.contains(&token), "a token in the report");
    assert!(
        !report.contains("alice"),
        "the account in the report: {report}"
    );

    let out = lanyard(&config, &["sign-out"]);
    assert!(out.status.success());
    assert_eq!(
        ok_json(lanyard(&config, &["accounts"])),
        serde_json::json!([])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_reports_bad_configuration_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "authority = \"http://idp.example.com\"\nclient_id = \"x\"\n[[apis]]\nname = \"a\"\nbase_url = \"https://a.example\"\nscopes = [\"a\"]\n",
    )
    .unwrap();
    let line = fails_with(lanyard(&config, &["accounts"]), "configuration");
    assert!(line.contains("authority"), "{line}");
    let line = fails_with(
        lanyard(&dir.path().join("missing.toml"), &["accounts"]),
        "configuration",
    );
    assert!(line.contains("missing.toml"), "{line}");
}
