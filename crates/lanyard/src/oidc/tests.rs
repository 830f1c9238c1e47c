use oauth2::RequestTokenError;

use super::types::IdpErrorResponse;
use super::*;
use crate::error::{Error, ErrorKind, InteractionReason};

fn server(error: &str, suberror: Option<&str>) -> RequestTokenError<Error, IdpErrorResponse> {
    RequestTokenError::ServerResponse(IdpErrorResponse {
        error: error.into(),
        error_description: Some("AADSTS70000: described".into()),
        suberror: suberror.map(Into::into),
        ..Default::default()
    })
}

#[test]
fn oauth_errors_map_to_interaction_reasons() {
    let reason = |e, sub, ctx| map_token_error(server(e, sub), ctx).interaction_reason();
    use TokenContext::*;
    assert_eq!(
        reason("invalid_grant", None, Refresh),
        Some(InteractionReason::RefreshTokenRejected)
    );
    assert_eq!(
        reason("invalid_grant", Some("consent_required"), Refresh),
        Some(InteractionReason::ConsentRequired)
    );
    assert_eq!(
        reason("consent_required", None, Refresh),
        Some(InteractionReason::ConsentRequired)
    );
    assert_eq!(
        reason("interaction_required", None, Refresh),
        Some(InteractionReason::UserActionRequired)
    );
    assert_eq!(
        reason("invalid_grant", Some("basic_action"), Refresh),
        Some(InteractionReason::UserActionRequired)
    );
    assert_eq!(
        reason("invalid_scope", None, Refresh),
        Some(InteractionReason::ConsentRequired)
    );
    assert_eq!(
        reason("login_required", None, Code),
        Some(InteractionReason::LoginRequired)
    );
    // A bad code is the provider refusing, not a reason to sign in again in a loop.
    let e = map_token_error(server("invalid_grant", None), Code);
    assert_eq!(e.kind(), ErrorKind::Service);
    assert!(e.to_string().contains("invalid_grant"));
    assert_eq!(
        map_token_error(server("invalid_target", None), Refresh).kind(),
        ErrorKind::Service
    );
}

#[test]
fn aadsts_codes_and_correlation_ids_are_read() {
    let described = |error: &str, description: &str| {
        map_token_error(
            RequestTokenError::ServerResponse(IdpErrorResponse {
                error: error.into(),
                error_description: Some(description.into()),
                correlation_id: Some("c0ffee".into()),
                ..Default::default()
            }),
            TokenContext::Refresh,
        )
    };
    let mfa = described(
        "invalid_grant",
        "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.",
    );
    assert_eq!(
        mfa.interaction_reason(),
        Some(InteractionReason::MfaRequired)
    );
    let consent = described("invalid_grant", "AADSTS65001: The user has not consented.");
    assert_eq!(
        consent.interaction_reason(),
        Some(InteractionReason::ConsentRequired)
    );
    // A code that merely contains another code's digits is not that code.
    let other = described("invalid_grant", "AADSTS500761: something else");
    assert_eq!(
        other.interaction_reason(),
        Some(InteractionReason::RefreshTokenRejected)
    );
    let service = described("temporarily_unavailable", "AADSTS90033: try later");
    assert_eq!(service.kind(), ErrorKind::Service);
    assert_eq!(service.correlation_id(), Some("c0ffee"));
    assert!(service
        .to_string()
        .contains("temporarily_unavailable: AADSTS90033"));
}

#[test]
fn unparsable_responses_never_echo_the_body() {
    let body = br#"{"access_token": "SECRET-AT", "token_type": 7}"#;
    let parse_error = serde_path_to_error::deserialize::<_, TokenResponse>(
        &mut serde_json::Deserializer::from_slice(body),
    )
    .unwrap_err();
    let e = map_token_error(
        RequestTokenError::Parse(parse_error, body.to_vec()),
        TokenContext::Code,
    );
    assert_eq!(e.kind(), ErrorKind::Protocol);
    assert!(!e.to_string().contains("SECRET-AT"), "{e}");
    assert!(e.to_string().contains("token_type"), "{e}");
}

#[test]
fn discovered_issuers_must_belong_to_the_authority() {
    use super::discovery::issuer_accepted;
    let ms = "https://login.microsoftonline.com";
    let guid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    // Same URL; the multi-tenant template.
    assert!(issuer_accepted(
        "http://127.0.0.1:7700",
        "http://127.0.0.1:7700"
    ));
    assert!(issuer_accepted(
        &format!("{ms}/common/v2.0"),
        &format!("{ms}/{{tenantid}}/v2.0")
    ));
    // A tenant named by domain, and `consumers`, answer with their GUID issuer.
    assert!(issuer_accepted(
        &format!("{ms}/contoso.onmicrosoft.com/v2.0"),
        &format!("{ms}/{guid}/v2.0")
    ));
    assert!(issuer_accepted(
        &format!("{ms}/consumers/v2.0"),
        &format!("{ms}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")
    ));
    // Anything else is a mix-up.
    assert!(!issuer_accepted(
        "https://idp.example/tenant-a",
        "https://idp.example/tenant-b"
    ));
    assert!(!issuer_accepted(
        &format!("{ms}/contoso.com/v2.0"),
        &format!("{ms}/{guid}/v1.0")
    ));
    assert!(!issuer_accepted(
        &format!("{ms}/contoso.com/v2.0"),
        &format!("https://evil.example/{guid}/v2.0")
    ));
    assert!(!issuer_accepted(
        &format!("{ms}/contoso.com/v2.0"),
        &format!("{ms}/{guid}/extra/v2.0")
    ));
    assert!(!issuer_accepted(
        "http://127.0.0.1:7700",
        "http://127.0.0.1:7701"
    ));
}

#[test]
fn b2c_user_flow_authorities_accept_their_tenant_issuer() {
    use super::discovery::issuer_accepted;
    let authority = "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signupsignin/v2.0";
    assert!(issuer_accepted(
        authority,
        "https://contoso.b2clogin.com/775527ff-9a37-4307-8b3d-cc311f58d925/v2.0/"
    ));
    // Another host, plain http, or a path that is not a v2.0 issuer: refused.
    assert!(!issuer_accepted(
        authority,
        "https://evil.b2clogin.com/775527ff-9a37-4307-8b3d-cc311f58d925/v2.0/"
    ));
    assert!(!issuer_accepted(
        "http://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_x/v2.0",
        "http://contoso.b2clogin.com/775527ff/v2.0/"
    ));
    assert!(!issuer_accepted(
        authority,
        "https://contoso.b2clogin.com/775527ff/other/v2.0/"
    ));
    assert!(!issuer_accepted(
        "https://idp.example/contoso/B2C_1_x/v2.0",
        "https://idp.example/775527ff/v2.0/"
    ));
}
