use serde_json::{json, Value};

use super::normalize_expires_in;

fn expires_in(body: Value) -> Option<Value> {
    normalize_expires_in(body.to_string().as_bytes())
        .map(|b| serde_json::from_slice::<Value>(&b).unwrap()["expires_in"].clone())
}

#[test]
fn odd_values_become_non_negative_integers() {
    assert_eq!(expires_in(json!({"expires_in": -60})), Some(json!(0)));
    assert_eq!(expires_in(json!({"expires_in": -0.5})), Some(json!(0)));
    assert_eq!(expires_in(json!({"expires_in": 3599.9})), Some(json!(3599)));
    assert_eq!(
        expires_in(json!({"expires_in": 1e30})),
        Some(json!(u64::MAX))
    );
    assert_eq!(expires_in(json!({"expires_in": "3599"})), Some(json!(3599)));
    assert_eq!(expires_in(json!({"expires_in": "-1"})), Some(json!(0)));
}

#[test]
fn good_absent_or_unreadable_values_are_left_alone() {
    assert_eq!(expires_in(json!({"expires_in": 3600})), None);
    assert_eq!(expires_in(json!({"access_token": "x"})), None);
    assert_eq!(expires_in(json!({"expires_in": "soon"})), None);
    assert_eq!(expires_in(json!({"expires_in": null})), None);
    assert_eq!(normalize_expires_in(b"<html>"), None);
    assert_eq!(normalize_expires_in(b"[1]"), None);
}

#[test]
fn other_fields_survive() {
    let body = json!({"access_token": "a", "refresh_token": "r", "expires_in": -5});
    let fixed: Value =
        serde_json::from_slice(&normalize_expires_in(body.to_string().as_bytes()).unwrap())
            .unwrap();
    assert_eq!(fixed["refresh_token"], "r");
    assert_eq!(fixed["access_token"], "a");
}
