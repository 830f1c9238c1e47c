use super::*;

fn api(resource: Option<&str>) -> Api {
    let api = Api::new("customer", "https://api.example").scopes(["b.read", "a.read", "a.read"]);
    match resource {
        Some(r) => api.resource(r),
        None => api,
    }
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn sets_keep_order_and_drop_duplicates() {
    assert_eq!(ScopeSet::of(&api(None)).as_slice(), ["b.read", "a.read"]);
    let union = ScopeSet::new(["a", "b"]).union(&strings(&["c", "a"]));
    assert_eq!(union.as_slice(), ["a", "b", "c"]);
    assert_eq!(union.joined(), "a b c");
}

#[test]
fn coverage() {
    let want = ScopeSet::new(["a", "b"]);
    assert!(want.is_covered_by(&strings(&["b", "x", "a"])));
    assert!(!want.is_covered_by(&strings(&["a"])));
    assert!(ScopeSet::default().is_covered_by(&[]));
}

#[test]
fn token_requests_add_the_oidc_scopes_once() {
    assert_eq!(
        ScopeSet::new(["x"]).with_oidc().joined(),
        "x openid profile offline_access"
    );
    assert_eq!(
        ScopeSet::new(["openid", "x"]).with_oidc().joined(),
        "openid x profile offline_access"
    );
}

#[test]
fn sign_in_asks_for_every_api_and_the_extra_scopes() {
    let apis = [
        Api::new("a", "https://a.example").scopes(["a.read", "openid"]),
        Api::new("b", "https://b.example").scopes(["b.read", "a.read"]),
    ];
    assert_eq!(
        ScopeSet::for_sign_in(&apis, &strings(&["b.reports"])).joined(),
        "openid profile offline_access a.read b.read b.reports"
    );
}

#[test]
fn cache_targets_are_the_resource_or_sorted_scopes() {
    assert_eq!(ScopeSet::cache_target(&api(Some("api://a"))), "api://a");
    assert_eq!(ScopeSet::cache_target(&api(None)), "a.read b.read");
}
