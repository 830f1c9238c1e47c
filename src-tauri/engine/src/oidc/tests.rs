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
        Some(InteractionReason::LoginRequired)
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
