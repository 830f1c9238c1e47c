use super::*;

const GOOD: &str = r#"
authority = "http://127.0.0.1:7700"
client_id = "lanyard-rfc8707"

[[apis]]
name = "customer"
base_url = "http://127.0.0.1:7701"
scopes = ["customer.read"]
resource = "api://lanyard-customer"

[[apis]]
name = "vendor"
base_url = "http://127.0.0.1:7702"
scopes = ["vendor.read"]
resource = "api://lanyard-vendor"
"#;

fn field_of(text: &str) -> String {
    match Config::from_toml(text) {
        Err(Error::Config { field, .. }) => field,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn parses_a_good_file_with_defaults() {
    let c = Config::from_toml(GOOD).unwrap();
    assert_eq!(c.client_id, "lanyard-rfc8707");
    assert_eq!(c.redirect_uri.as_str(), "http://127.0.0.1/callback");
    assert_eq!(c.sign_in_timeout_secs, 300);
    assert!(c.uses_resource_indicators());
    assert_eq!(c.api("vendor").unwrap().scopes, ["vendor.read"]);
    assert!(matches!(c.api("nope"), Err(Error::UnknownApi(_))));
}

#[test]
fn shipped_examples_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).expect("config/ exists") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            Config::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(
        seen >= 4,
        "expected the demo, Entra and B2C example configs"
    );
}

#[test]
fn errors_name_the_field() {
    assert_eq!(
        field_of(&GOOD.replace("client_id = \"lanyard-rfc8707\"", "")),
        "client_id"
    );
    assert_eq!(
        field_of(&GOOD.replace("\"lanyard-rfc8707\"", "5")),
        "client_id"
    );
    assert_eq!(
        field_of(&GOOD.replace("\"lanyard-rfc8707\"", "\" \"")),
        "client_id"
    );
    assert_eq!(field_of(&format!("colour = \"red\"\n{GOOD}")), "colour");
    assert_eq!(
        field_of(&GOOD.replace("http://127.0.0.1:7700", "http://idp.example.com")),
        "authority"
    );
    assert_eq!(
        field_of(&GOOD.replace("http://127.0.0.1:7702", "ftp://127.0.0.1")),
        "apis[1].base_url"
    );
    assert_eq!(
        field_of(&GOOD.replace("resource = \"api://lanyard-vendor\"", "")),
        "apis[1].resource"
    );
    assert_eq!(
        field_of(&GOOD.replace("\"vendor\"", "\"customer\"")),
        "apis[1].name"
    );
    assert_eq!(
        field_of(&GOOD.replace("[\"vendor.read\"]", "[]")),
        "apis[1].scopes"
    );
    assert_eq!(
        field_of(&GOOD.replace("[\"vendor.read\"]", "[\"vendor read\"]")),
        "apis[1].scopes"
    );
    assert_eq!(
        field_of(&format!("redirect_uri = \"https://127.0.0.1/cb\"\n{GOOD}")),
        "redirect_uri"
    );
    assert_eq!(
        field_of(&format!("redirect_uri = \"http://example.com/cb\"\n{GOOD}")),
        "redirect_uri"
    );
}

#[test]
fn reserved_authorize_params_are_refused() {
    let text = GOOD.replace(
        "client_id = \"lanyard-rfc8707\"",
        "client_id = \"lanyard-rfc8707\"\nextra_authorize_params = { state = \"fixed\" }",
    );
    assert_eq!(field_of(&text), "extra_authorize_params.state");
}

#[test]
fn loopback_hosts() {
    for (url, loopback) in [
        ("http://127.0.0.1/", true),
        ("http://127.1.2.3/", true),
        ("http://[::1]/", true),
        ("http://LOCALHOST/", true),
        ("http://10.0.0.1/", false),
        ("http://example.com/", false),
    ] {
        assert_eq!(
            is_loopback_host(&Url::parse(url).unwrap()),
            loopback,
            "{url}"
        );
    }
}

#[test]
fn https_authority_anywhere_is_fine() {
    let text = GOOD.replace(
        "http://127.0.0.1:7700",
        "https://login.microsoftonline.com/common/v2.0",
    );
    assert!(Config::from_toml(&text).is_ok());
}

#[test]
fn personal_microsoft_accounts_are_expected_on_common_and_consumers_only() {
    let with_authority = |authority: &str| {
        let mut config = Config::from_toml(GOOD).unwrap();
        config.authority = authority.parse().unwrap();
        config.allows_personal_microsoft_accounts()
    };
    assert!(with_authority(
        "https://login.microsoftonline.com/common/v2.0"
    ));
    assert!(with_authority(
        "https://login.microsoftonline.com/consumers/v2.0"
    ));
    assert!(with_authority(
        "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
    ));
    assert!(!with_authority(
        "https://login.microsoftonline.com/organizations/v2.0"
    ));
    assert!(!with_authority(
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
    ));
    assert!(!with_authority("https://idp.example/common"));
}

#[test]
fn network_settings_default_and_are_bounded() {
    let c = Config::from_toml(GOOD).unwrap();
    assert_eq!(c.network, NetworkConfig::default());
    let c = Config::from_toml(&format!(
        "{GOOD}\n[network]\nconnect_timeout_secs = 3\nmax_retry_after_secs = 60\n"
    ))
    .unwrap();
    assert_eq!(c.network.connect_timeout_secs, 3);
    assert_eq!(c.network.max_retry_after_secs, 60);
    assert_eq!(c.network.read_timeout_secs, 30);
    assert_eq!(
        field_of(&format!("{GOOD}\n[network]\nread_timeout_secs = 0\n")),
        "network.read_timeout_secs"
    );
    assert_eq!(
        field_of(&format!(
            "{GOOD}\n[network]\nmax_retry_after_secs = 99999\n"
        )),
        "network.max_retry_after_secs"
    );
}
