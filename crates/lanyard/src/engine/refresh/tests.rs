use super::*;

#[test]
fn personal_microsoft_accounts_get_the_expected_reconsent_reason() {
    let api = Api::new("customer", "https://api.example/v1").scopes(["a.read"]);
    let refused = || Error::interaction(InteractionReason::ConsentRequired, "AADSTS65001");
    let work = consent_error(refused(), &api, vec![], false);
    assert_eq!(
        work.interaction_reason(),
        Some(InteractionReason::ConsentRequired)
    );
    assert_eq!(work.challenge().unwrap().api, "customer");
    let personal = consent_error(refused(), &api, vec!["x".into()], true);
    assert_eq!(
        personal.interaction_reason(),
        Some(InteractionReason::PersonalAccountConsent)
    );
    assert!(personal.to_string().contains("expected"));
    assert_eq!(personal.challenge().unwrap().scopes, vec!["x".to_owned()]);
}
