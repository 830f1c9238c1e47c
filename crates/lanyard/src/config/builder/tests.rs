use std::time::Duration;

use super::*;

fn customer() -> Api {
    Api::new("customer", "http://127.0.0.1:7701")
        .scopes(["customer.read"])
        .resource("api://lanyard-customer")
}

fn vendor() -> Api {
    Api::new("vendor", "http://127.0.0.1:7702")
        .scopes(["vendor.read"])
        .resource("api://lanyard-vendor")
        .optional_scopes(["vendor.reports"])
}

fn builder() -> ConfigBuilder {
    Config::builder("http://127.0.0.1:7700", "lanyard-rfc8707")
        .api(customer())
        .api(vendor())
}

fn field_of(result: Result<Config, Error>) -> String {
    match result {
        Err(Error::Config { field, .. }) => field,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn builds_what_the_equivalent_file_reads() {
    let built = builder()
        .redirect_uri("http://127.0.0.1:8400/cb")
        .extra_authorize_param("domain_hint", "example.test")
        .client_info(true)
        .browser("firefox")
        .ca_file("/etc/ca.pem")
        .cache_dir("/var/cache/app")
        .sign_in_timeout(Duration::from_secs(60))
        .client_capabilities(["cp1"])
        .build()
        .unwrap();
    let read = Config::from_toml(
        r#"
authority = "http://127.0.0.1:7700"
client_id = "lanyard-rfc8707"
redirect_uri = "http://127.0.0.1:8400/cb"
extra_authorize_params = { domain_hint = "example.test" }
client_info = true
browser = "firefox"
ca_file = "/etc/ca.pem"
cache_dir = "/var/cache/app"
sign_in_timeout_secs = 60
client_capabilities = ["cp1"]

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
optional_scopes = ["vendor.reports"]
"#,
    )
    .unwrap();
    // `Config` holds no secret: its Debug form is a faithful comparison.
    assert_eq!(format!("{built:?}"), format!("{read:?}"));
}

#[test]
fn defaults_match_the_files() {
    let built = builder().build().unwrap();
    assert_eq!(built.redirect_uri, Config::default_redirect_uri());
    assert_eq!(built.sign_in_timeout_secs, 300);
    assert_eq!(built.network, NetworkConfig::default());
    assert!(!built.client_info);
    assert_eq!(built.cache_dir, None);
}

#[test]
fn urls_may_be_given_parsed() {
    let authority = url::Url::parse("http://127.0.0.1:7700").unwrap();
    let base = url::Url::parse("http://127.0.0.1:7701").unwrap();
    let config = Config::builder(&authority, "c")
        .api(Api::new("customer", &base).scopes(["customer.read"]))
        .build()
        .unwrap();
    assert_eq!(config.authority, authority);
    assert_eq!(config.apis[0].base_url, base);
}

#[test]
fn errors_name_the_field_as_for_a_file() {
    let with_authority = |a: &str| Config::builder(a, "c").api(customer()).build();
    assert_eq!(field_of(with_authority("not a url")), "authority");
    assert_eq!(
        field_of(with_authority("http://idp.example.com")),
        "authority"
    );
    assert_eq!(
        field_of(
            Config::builder("http://127.0.0.1:7700", " ")
                .api(customer())
                .build()
        ),
        "client_id"
    );
    assert_eq!(
        field_of(builder().redirect_uri("::").build()),
        "redirect_uri"
    );
    assert_eq!(
        field_of(builder().redirect_uri("https://127.0.0.1/cb").build()),
        "redirect_uri"
    );
    assert_eq!(
        field_of(
            builder()
                .api(Api::new("third", "no url").scopes(["x"]))
                .build()
        ),
        "apis[2].base_url"
    );
    assert_eq!(
        field_of(
            builder()
                .api(Api::new("third", "http://127.0.0.1:1").scopes(["x"]))
                .build()
        ),
        "apis[2].resource"
    );
    assert_eq!(field_of(builder().api(customer()).build()), "apis[2].name");
    assert_eq!(
        field_of(
            builder()
                .sign_in_timeout(Duration::from_millis(500))
                .build()
        ),
        "sign_in_timeout_secs"
    );
    assert_eq!(
        field_of(builder().extra_authorize_param("nonce", "n").build()),
        "extra_authorize_params.nonce"
    );
    assert_eq!(
        field_of(builder().client_capabilities(["c p"]).build()),
        "client_capabilities[0]"
    );
    assert_eq!(
        field_of(Config::builder("http://127.0.0.1:7700", "c").build()),
        "apis"
    );
    let network = NetworkConfig {
        read_timeout_secs: 0,
        ..NetworkConfig::default()
    };
    assert_eq!(
        field_of(builder().network(network).build()),
        "network.read_timeout_secs"
    );
}

/// An invalid API pushed into a built configuration is still caught by `validate` (which the
/// engine builder runs).
#[test]
fn validate_catches_an_invalid_api_added_later() {
    let mut config = builder().build().unwrap();
    config
        .apis
        .push(Api::new("third", "::").scopes(["x"]).resource("api://x"));
    assert!(matches!(
        config.validate(),
        Err(Error::Config { field, .. }) if field == "apis[2].base_url"
    ));
}
