use super::{granted_scopes, type_is_acceptable, ScopeClaim};

#[test]
fn scopes_come_from_scope_and_scp() {
    let scope = ScopeClaim::Text("openid  customer.read profile".into());
    let scp = ScopeClaim::Text("customer.read vendor.read".into());
    assert_eq!(
        granted_scopes(Some(&scope), Some(&scp)),
        ["openid", "customer.read", "profile", "vendor.read"]
    );
    let list = ScopeClaim::List(vec!["a".into(), "b".into()]);
    assert_eq!(granted_scopes(None, Some(&list)), ["a", "b"]);
    assert!(granted_scopes(None, None).is_empty());
}

#[test]
fn scope_match_is_exact_not_prefix() {
    let scope = ScopeClaim::Text("customer.readonly customer".into());
    let granted = granted_scopes(Some(&scope), None);
    assert!(!granted.iter().any(|s| s == "customer.read"));
}

#[test]
fn token_types() {
    assert!(type_is_acceptable(None));
    assert!(type_is_acceptable(Some("at+jwt")));
    assert!(type_is_acceptable(Some("AT+JWT")));
    assert!(type_is_acceptable(Some("application/at+jwt")));
    assert!(type_is_acceptable(Some("JWT")));
    assert!(!type_is_acceptable(Some("dpop+jwt")));
    assert!(!type_is_acceptable(Some("logout+jwt")));
}
