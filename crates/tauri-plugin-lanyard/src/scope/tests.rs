use super::{permits, ApiScope};

fn entry(api: &str) -> ApiScope {
    serde_json::from_value(serde_json::json!({ "api": api })).unwrap()
}

#[test]
fn no_scope_allows_every_api() {
    assert!(permits(&[], &[], "vendor"));
}

#[test]
fn an_allow_list_names_the_apis() {
    let vendor = entry("vendor");
    assert!(permits(&[&vendor], &[], "vendor"));
    assert!(!permits(&[&vendor], &[], "customer"));
    assert!(!permits(&[&vendor], &[], "Vendor"), "names match exactly");
}

#[test]
fn a_deny_entry_always_wins() {
    let vendor = entry("vendor");
    assert!(!permits(&[], &[&vendor], "vendor"));
    assert!(!permits(&[&vendor], &[&vendor], "vendor"));
    assert!(permits(&[], &[&vendor], "customer"));
}

#[test]
fn entries_are_checked_when_read() {
    let bad = serde_json::from_value::<ApiScope>(serde_json::json!({ "api": "x", "url": "y" }));
    assert!(bad.is_err(), "unknown fields are refused");
    assert!(serde_json::from_value::<ApiScope>(serde_json::json!("vendor")).is_err());
}
