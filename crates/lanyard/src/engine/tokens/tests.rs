use super::*;

#[test]
fn an_optional_scope_the_response_did_not_grant_is_not_recorded() {
    let api = Api::new("customer", "https://api.example/v1")
        .scopes(["b.read", "a.read"])
        .optional_scopes(["https://api.example/a.reports"]);
    let requested = ScopeSet::new(["b.read", "https://api.example/a.reports"]);
    let as_requested = requested.as_slice().to_vec();
    let response = |scope: Option<&str>| -> crate::oidc::TokenResponse {
        let mut json = serde_json::json!({"access_token": "x", "token_type": "Bearer"});
        if let Some(scope) = scope {
            json["scope"] = scope.into();
        }
        serde_json::from_value(json).unwrap()
    };
    // No `scope` in the answer: as requested.
    assert_eq!(
        granted_scopes(&api, &requested, &response(None)),
        as_requested
    );
    // Granted, in the short form some providers answer with.
    assert_eq!(
        granted_scopes(&api, &requested, &response(Some("b.read a.reports"))),
        as_requested
    );
    // Not granted: left out, so it is asked for again. Configured scopes are kept as asked.
    assert_eq!(
        granted_scopes(&api, &requested, &response(Some("openid"))),
        vec!["b.read".to_owned()]
    );
}
