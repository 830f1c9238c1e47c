use super::*;

/// `{"uid":"u-1","utid":"t-2"}`
const CLIENT_INFO: &str = "eyJ1aWQiOiJ1LTEiLCJ1dGlkIjoidC0yIn0";

#[test]
fn client_info_gives_msal_home_account_ids() {
    assert_eq!(home_account_id(CLIENT_INFO).unwrap(), "u-1.t-2");
    assert_eq!(
        home_account_id(&format!("{CLIENT_INFO}=")).unwrap(),
        "u-1.t-2"
    );
    assert!(matches!(home_account_id("%%%"), Err(Error::Protocol(_))));
    assert!(matches!(home_account_id("e30"), Err(Error::Protocol(_))));
}

#[test]
fn account_ids_with_and_without_client_info() {
    assert_eq!(
        AccountIds::new(Some(CLIENT_INFO), "sub-1", None).unwrap(),
        AccountIds {
            home_account_id: "u-1.t-2".into(),
            realm: "t-2".into(),
            local_account_id: "u-1".into(),
        }
    );
    // `tid` wins over `utid` for the realm.
    assert_eq!(
        AccountIds::new(Some(CLIENT_INFO), "sub-1", Some("tid-9"))
            .unwrap()
            .realm,
        "tid-9"
    );
    // Any other provider: `sub`, and no realm unless `tid` was sent.
    assert_eq!(
        AccountIds::new(None, "alice.example", None).unwrap(),
        AccountIds {
            home_account_id: "alice.example".into(),
            realm: String::new(),
            local_account_id: "alice.example".into(),
        }
    );
}

#[test]
fn suberrors_and_aadsts_codes() {
    assert!(consent_required(Some("consent_required"), ""));
    assert!(consent_required(
        None,
        "AADSTS65001: The user has not consented"
    ));
    assert!(!consent_required(None, "XAADSTS65001 is not a code"));
    assert!(mfa_required("AADSTS50076: Due to a configuration change"));
    assert!(mfa_required("error AADSTS50079."));
    assert!(!mfa_required("AADSTS500761"));
    assert!(user_action_required(Some("basic_action")));
    assert!(user_action_required(Some("user_password_expired")));
    assert!(!user_action_required(Some("bad_token")));
    assert!(!user_action_required(None));
}

#[test]
fn personal_accounts_on_common_and_consumers_only() {
    let allows = |a: &str| allows_personal_accounts(&Url::parse(a).unwrap());
    assert!(allows("https://login.microsoftonline.com/common/v2.0"));
    assert!(allows("https://login.microsoftonline.com/consumers/v2.0"));
    assert!(allows(&format!(
        "https://login.microsoftonline.com/{CONSUMERS_TENANT}/v2.0"
    )));
    assert!(!allows(
        "https://login.microsoftonline.com/organizations/v2.0"
    ));
    assert!(!allows("https://idp.example/common"));
}
