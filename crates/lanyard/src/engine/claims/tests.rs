use super::*;

#[test]
fn claims_merge_the_challenge_with_the_client_capabilities() {
    assert_eq!(claims_parameter(None, &[]).unwrap(), None);
    let caps = vec!["cp1".to_owned()];
    let only_caps: serde_json::Value =
        serde_json::from_str(&claims_parameter(None, &caps).unwrap().unwrap()).unwrap();
    assert_eq!(
        only_caps,
        serde_json::json!({"access_token": {"xms_cc": {"values": ["cp1"]}}})
    );
    let challenge = r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}},"id_token":{"auth_time":{"essential":true}}}"#;
    let merged: serde_json::Value =
        serde_json::from_str(&claims_parameter(Some(challenge), &caps).unwrap().unwrap()).unwrap();
    assert_eq!(merged["access_token"]["acrs"]["value"], "c1");
    assert_eq!(merged["access_token"]["xms_cc"]["values"][0], "cp1");
    assert_eq!(merged["id_token"]["auth_time"]["essential"], true);
    for bad in ["[1]", "not json", "\"c1\""] {
        assert_eq!(
            claims_parameter(Some(bad), &caps).unwrap_err().kind(),
            crate::ErrorKind::InvalidArgument
        );
    }
}
