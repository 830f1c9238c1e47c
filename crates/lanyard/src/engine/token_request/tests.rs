use super::*;

fn config(resource: bool, client_info: bool, capabilities: &[&str]) -> Config {
    let api = |name: &str| {
        let api =
            Api::new(name, format!("https://{name}.example")).scopes([format!("{name}.read")]);
        if resource {
            api.resource(format!("api://{name}"))
        } else {
            api
        }
    };
    Config::builder("https://idp.example", "client")
        .api(api("customer"))
        .api(api("vendor"))
        .client_info(client_info)
        .client_capabilities(capabilities.iter().copied())
        .build()
        .unwrap()
}

fn params(config: &Config, grant: Grant) -> Vec<(&'static str, String)> {
    let api = &config.apis[1];
    let scopes = ScopeSet::of(api).union(&["vendor.reports".to_owned()]);
    token_params(config, api, &scopes, grant).unwrap()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(&'static str, String)> {
    p.iter()
        .map(|(k, v)| {
            let k: &'static str = match *k {
                "resource" => "resource",
                "scope" => "scope",
                "client_info" => "client_info",
                "claims" => "claims",
                other => panic!("{other}"),
            };
            (k, (*v).to_owned())
        })
        .collect()
}

#[test]
fn rfc8707_code_names_the_resource_and_refresh_the_scopes_too() {
    let c = config(true, false, &[]);
    assert_eq!(
        params(&c, Grant::Code),
        pairs(&[("resource", "api://vendor")])
    );
    assert_eq!(
        params(&c, Grant::Refresh),
        pairs(&[
            ("scope", "vendor.read vendor.reports"),
            ("resource", "api://vendor")
        ])
    );
}

#[test]
fn scope_only_requests_name_one_apis_scopes_and_the_oidc_ones() {
    let c = config(false, true, &[]);
    let expected = pairs(&[
        (
            "scope",
            "vendor.read vendor.reports openid profile offline_access",
        ),
        ("client_info", "1"),
    ]);
    assert_eq!(params(&c, Grant::Code), expected);
    assert_eq!(params(&c, Grant::Refresh), expected);
}

#[test]
fn client_capabilities_go_on_refreshes() {
    let c = config(false, false, &["cp1"]);
    assert!(!params(&c, Grant::Code).iter().any(|(k, _)| *k == "claims"));
    let refresh = params(&c, Grant::Refresh);
    let claims = &refresh.iter().find(|(k, _)| *k == "claims").unwrap().1;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(claims).unwrap(),
        serde_json::json!({"access_token": {"xms_cc": {"values": ["cp1"]}}})
    );
}
