//! MSAL cache interop end to end, with the real libraries: a cache `lanyard cache export --msal`
//! wrote after a real sign-in is read by MSAL Python (`msal` from PyPI) and by
//! `@azure/msal-node`, whose own silent lookups must return Lanyard's tokens; caches those two
//! libraries built are imported with `lanyard cache import --msal` and used by `lanyard token`.
//!
//! Needs the binaries (`cargo build --workspace --bins`) and the pinned libraries in `tests/msal`
//! (`scripts/install-deps.sh`). No network: the scripts run MSAL offline.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use lanyard_testkit::stack::{run_lanyard, ProviderKind, Stack};
use serde_json::{json, Value};

fn msal_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/msal");
    for installed in [".python/msal", "node_modules/@azure/msal-node"] {
        assert!(
            dir.join(installed).exists(),
            "{} is missing: run scripts/install-deps.sh",
            dir.join(installed).display()
        );
    }
    dir
}

fn lanyard(config: &Path, args: &[&str]) -> Output {
    run_lanyard(config, args)
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn ok_json(output: Output) -> Value {
    serde_json::from_slice(&ok(output).stdout).expect("JSON on stdout")
}

fn raw_token(config: &Path, api: &str) -> String {
    let out = ok(lanyard(config, &["token", "--api", api, "--raw"]));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Runs a helper script of `tests/msal` with `program` (`python3`, `node`); its JSON answer.
fn script(program: &str, name: &str, args: &[&str]) -> Value {
    let dir = msal_dir();
    let output = Command::new(program)
        .arg(dir.join(name))
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    serde_json::from_slice(&ok(output).stdout).expect("the script prints JSON")
}

/// Lowercase hex SHA-256, as the scripts print it (coreutils' `sha256sum`, fed on stdin).
fn sha256(secret: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sha256sum runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(secret.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// The stack's APIs as `[name, scopes]` (see `Stack::config_toml`).
fn stack_apis(kind: ProviderKind) -> [(&'static str, &'static str); 2] {
    match kind {
        ProviderKind::Rfc8707 => [("customer", "customer.read"), ("vendor", "vendor.read")],
        ProviderKind::ScopeOnly => [
            ("customer", "api://lanyard-customer/customer.read"),
            ("vendor", "api://lanyard-vendor/vendor.read"),
        ],
    }
}

fn api_args(apis: &[(&str, &str)]) -> Vec<String> {
    apis.iter()
        .flat_map(|(name, scopes)| ["--api".to_owned(), name.to_string(), scopes.to_string()])
        .collect()
}

fn as_strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

async fn exported_cache_is_read_by_msal_and_imported_back(kind: ProviderKind) {
    msal_dir();
    let stack = Stack::start(kind).await.unwrap();
    let config = stack.write_config().unwrap();
    let account = ok_json(lanyard(&config, &["sign-in"]));
    let id = account["id"].as_str().unwrap().to_owned();
    let customer = raw_token(&config, "customer");
    let vendor = raw_token(&config, "vendor");

    // Export: a private file, a warning, no token on stdout, no silent overwrite.
    let file = stack.dir().join("msal-cache.json");
    let file_arg = file.to_str().unwrap();
    let out = ok(lanyard(&config, &["cache", "export", "--msal", file_arg]));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("plaintext"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
    let again = lanyard(&config, &["cache", "export", "--msal", file_arg]);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.starts_with("lanyard: configuration: ") && stderr.contains("--force"),
        "{stderr}"
    );
    ok(lanyard(
        &config,
        &["cache", "export", "--msal", file_arg, "--force"],
    ));
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let refresh_tokens: Vec<&Value> = exported["RefreshToken"]
        .as_object()
        .unwrap()
        .values()
        .collect();
    assert_eq!(refresh_tokens.len(), 1);
    let refresh = sha256(refresh_tokens[0]["secret"].as_str().unwrap());

    let apis = stack_apis(kind);
    let client_id = kind.client_id();
    let mut python_args = vec![file_arg, "--client-id", client_id];
    let api_args = api_args(&apis);
    python_args.extend(as_strs(&api_args));

    // MSAL Python: the account, and its own lookups find Lanyard's tokens.
    let python = script("python3", "read_cache.py", &python_args);
    assert_eq!(python["accounts"].as_array().unwrap().len(), 1, "{python}");
    assert_eq!(python["accounts"][0]["home_account_id"], id.as_str());
    assert_eq!(python["accounts"][0]["environment"], "127.0.0.1");
    assert_eq!(python["accounts"][0]["username"], account["username"]);
    assert_eq!(python["id_tokens"].as_array().unwrap().len(), 1);
    assert_eq!(python["access_tokens"].as_array().unwrap().len(), 2);
    let lookups = &python["lookups"][id.as_str()];
    assert_eq!(lookups["customer"], json!([sha256(&customer)]), "{python}");
    assert_eq!(lookups["vendor"], json!([sha256(&vendor)]), "{python}");
    assert_eq!(lookups["refresh_token"], json!([refresh]), "{python}");

    // msal-node: getAllAccounts, and acquireTokenSilent answers from the cache, offline.
    let mut node_args = python_args.clone();
    node_args.extend(["--environment", "127.0.0.1"]);
    let node = script("node", "read_cache.mjs", &node_args);
    let accounts = node["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{node}");
    assert_eq!(accounts[0]["homeAccountId"], id.as_str());
    assert_eq!(accounts[0]["hasIdToken"], true);
    assert_eq!(accounts[0]["username"], account["username"]);
    for (name, token) in [("customer", &customer), ("vendor", &vendor)] {
        let found = &node["silent"][id.as_str()][name];
        assert_eq!(found["sha256"], sha256(token).as_str(), "{name}: {node}");
        assert_eq!(found["fromCache"], true);
    }
    assert_eq!(node["refresh_tokens"][0]["sha256"], refresh.as_str());
    assert_eq!(node["network_posts"], 0);

    // Back into a fresh Lanyard cache: the same account, the same tokens, and they work.
    let other = stack.dir().join("other.toml");
    let toml = stack.config_toml().replace(
        &stack.cache_dir().display().to_string(),
        &stack.dir().join("other-cache").display().to_string(),
    );
    std::fs::write(&other, toml).unwrap();
    let report = ok_json(lanyard(&other, &["cache", "import", "--msal", file_arg]));
    assert_eq!(
        report,
        json!({"accounts": 1, "idTokens": 1, "accessTokens": 2, "refreshTokens": 1,
               "skipped": {"otherApp": 0, "noAccount": 0, "unknownTarget": 0,
                           "ambiguousTarget": 0, "expired": 0, "unsupported": 0,
                           "duplicates": 0}})
    );
    assert_eq!(ok_json(lanyard(&other, &["accounts"])), json!([account]));
    let info = ok_json(lanyard(&other, &["token", "--api", "vendor"]));
    assert_eq!(info["source"], "cache");
    assert_eq!(raw_token(&other, "vendor"), vendor);
    assert_eq!(raw_token(&other, "customer"), customer);
    for api in ["customer", "vendor"] {
        let called = ok_json(lanyard(&other, &["call", "--api", api, "/me"]));
        assert_eq!(called["status"], 200, "{called}");
        assert_eq!(called["token"]["source"], "cache");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn scope_only_export_is_read_by_msal_python_and_msal_node() {
    exported_cache_is_read_by_msal_and_imported_back(ProviderKind::ScopeOnly).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rfc8707_export_is_read_by_msal_python_and_msal_node() {
    exported_cache_is_read_by_msal_and_imported_back(ProviderKind::Rfc8707).await;
}

// ---- Caches MSAL built, imported into Lanyard ----

const CLIENT_ID: &str = "0f3c5a9e-5d2b-4c39-9a55-4d1e4cd2a001";
const ENVIRONMENT: &str = "login.example.test";
const TENANT: &str = "7c2d9c1e-1111-4a2b-8c3d-00000000beef";
const CUSTOMER_SCOPE: &str = "api://customer/customer.read";
const VENDOR_SCOPE: &str = "api://vendor/vendor.read";

/// A Microsoft-style (scope-only, `client_info`) configuration; nothing in these tests
/// reaches its authority.
fn entra_like_config(dir: &Path) -> PathBuf {
    let path = dir.join("lanyard.toml");
    std::fs::write(
        &path,
        format!(
            r#"authority = "https://{ENVIRONMENT}/{TENANT}/v2.0"
client_id = "{CLIENT_ID}"
client_info = true
cache_dir = "{cache}"

[[apis]]
name = "customer"
base_url = "https://customer.example.test"
scopes = ["{CUSTOMER_SCOPE}"]

[[apis]]
name = "vendor"
base_url = "https://vendor.example.test"
scopes = ["{VENDOR_SCOPE}"]
"#,
            cache = dir.join("cache").display()
        ),
    )
    .unwrap();
    path
}

/// Synthetic but well-formed token responses, one per scope, as the Microsoft identity
/// platform sends them (`client_info`, an ID token, a refresh token).
struct Responses {
    uid: &'static str,
    username: &'static str,
    tokens: Vec<(&'static str, String)>,
    refresh_token: String,
}

impl Responses {
    fn new(tag: &str, uid: &'static str, username: &'static str) -> Self {
        Responses {
            uid,
            username,
            tokens: [CUSTOMER_SCOPE, VENDOR_SCOPE, "api://payroll/payroll.read"]
                .into_iter()
                .map(|scope| (scope, format!("{tag}-access-token-for-{scope}-0123456789")))
                .collect(),
            refresh_token: format!("{tag}-refresh-token-0123456789abcdef"),
        }
    }

    fn home_account_id(&self) -> String {
        format!("{}.{TENANT}", self.uid)
    }

    fn response(&self, scope: &str, access_token: &str) -> Value {
        let b64 = |v: Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap());
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let id_token = format!(
            "{}.{}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk",
            b64(json!({"alg": "RS256", "typ": "JWT", "kid": "k1"})),
            b64(json!({
                "iss": format!("https://{ENVIRONMENT}/{TENANT}/v2.0"), "aud": CLIENT_ID,
                "sub": format!("sub-of-{}", self.uid), "oid": self.uid, "tid": TENANT,
                "preferred_username": self.username, "name": "Carol Example",
                "iat": now, "nbf": now, "exp": now + 3600, "ver": "2.0"
            }))
        );
        json!({
            "token_type": "Bearer", "scope": scope, "expires_in": 3600, "ext_expires_in": 3600,
            "access_token": access_token, "refresh_token": self.refresh_token,
            "id_token": id_token,
            "client_info": b64(json!({"uid": self.uid, "utid": TENANT})),
        })
    }
}

/// Imports `cache_file` and checks what `lanyard accounts` and `lanyard token` see.
fn import_and_check(config: &Path, cache_file: &Path, responses: &Responses) {
    let report = ok_json(lanyard(
        config,
        &["cache", "import", "--msal", cache_file.to_str().unwrap()],
    ));
    assert_eq!(report["accounts"], 1, "{report}");
    assert_eq!(report["accessTokens"], 2, "{report}");
    assert_eq!(report["refreshTokens"], 1, "{report}");
    assert_eq!(report["idTokens"], 1, "{report}");
    assert_eq!(report["skipped"]["unknownTarget"], 1, "payroll: {report}");
    assert!(!report.to_string().contains("access-token"), "{report}");

    let accounts = ok_json(lanyard(config, &["accounts"]));
    assert_eq!(
        accounts,
        json!([{
            "id": responses.home_account_id(),
            "username": responses.username,
            "name": "Carol Example",
            "issuer": format!("https://{ENVIRONMENT}/{TENANT}/v2.0"),
            "tenantId": TENANT,
        }])
    );
    for (api, scope) in [("customer", CUSTOMER_SCOPE), ("vendor", VENDOR_SCOPE)] {
        let info = ok_json(lanyard(config, &["token", "--api", api]));
        assert_eq!(info["source"], "cache", "{api}: {info}");
        let expected = &responses
            .tokens
            .iter()
            .find(|(s, _)| *s == scope)
            .unwrap()
            .1;
        assert_eq!(&raw_token(config, api), expected, "{api}");
    }
    // Exported again, MSAL Python finds the imported refresh token under the same account.
    let again = config.parent().unwrap().join("again.json");
    ok(lanyard(
        config,
        &["cache", "export", "--msal", again.to_str().unwrap()],
    ));
    let python = script(
        "python3",
        "read_cache.py",
        &[again.to_str().unwrap(), "--client-id", CLIENT_ID],
    );
    assert_eq!(
        python["lookups"][responses.home_account_id()]["refresh_token"],
        json!([sha256(&responses.refresh_token)])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cache_msal_python_built_is_imported() {
    msal_dir();
    let dir = tempfile::tempdir().unwrap();
    let config = entra_like_config(dir.path());
    let responses = Responses::new(
        "python",
        "5e1f0a2b-aaaa-4bbb-8ccc-000000000001",
        "carol@example.test",
    );
    let events: Vec<Value> = responses
        .tokens
        .iter()
        .enumerate()
        .map(|(i, (scope, token))| {
            json!({
                "client_id": CLIENT_ID,
                "scope": [scope],
                "token_endpoint": format!("https://{ENVIRONMENT}/{TENANT}/oauth2/v2.0/token"),
                "environment": ENVIRONMENT,
                "grant_type": if i == 0 { "authorization_code" } else { "refresh_token" },
                "response": responses.response(scope, token),
            })
        })
        .collect();
    let spec = dir.path().join("spec.json");
    std::fs::write(&spec, json!({ "events": events }).to_string()).unwrap();
    let built = dir.path().join("python-cache.json");
    let answer = script(
        "python3",
        "write_cache.py",
        &[spec.to_str().unwrap(), built.to_str().unwrap()],
    );
    assert_eq!(answer["events"], 3);
    import_and_check(&config, &built, &responses);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cache_msal_node_built_is_imported() {
    msal_dir();
    let dir = tempfile::tempdir().unwrap();
    let config = entra_like_config(dir.path());
    let responses = Responses::new(
        "node",
        "5e1f0a2b-aaaa-4bbb-8ccc-000000000002",
        "dave@example.test",
    );
    let requests: Vec<Value> = responses
        .tokens
        .iter()
        .map(|(scope, token)| json!({"scopes": [scope], "response": responses.response(scope, token)}))
        .collect();
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        json!({
            "client_id": CLIENT_ID, "environment": ENVIRONMENT, "realm": TENANT,
            "redirect_uri": "http://localhost", "requests": requests,
        })
        .to_string(),
    )
    .unwrap();
    let built = dir.path().join("node-cache.json");
    let answer = script(
        "node",
        "write_cache.mjs",
        &[spec.to_str().unwrap(), built.to_str().unwrap()],
    );
    assert_eq!(answer["requests"], 3);
    import_and_check(&config, &built, &responses);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_msal_cache_is_refused_in_one_line_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = entra_like_config(dir.path());
    let bad = dir.path().join("bad.json");
    let secret = "a-token-value-that-must-not-be-echoed";
    std::fs::write(
        &bad,
        json!({"AccessToken": {"k": {"secret": secret, "expires_on": secret}}}).to_string(),
    )
    .unwrap();
    let out = lanyard(
        &config,
        &["cache", "import", "--msal", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("lanyard: cache: "), "{stderr}");
    assert!(stderr.contains("AccessToken.k"), "{stderr}");
    assert!(!stderr.contains(secret), "{stderr}");
    let missing = lanyard(
        &config,
        &[
            "cache",
            "import",
            "--msal",
            dir.path().join("nope.json").to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.starts_with("lanyard: configuration: ") && stderr.contains("--msal"),
        "{stderr}"
    );
}
