use axum::http::StatusCode;

use super::{error_response, quoted, www_authenticate};
use crate::DemoApiError;

#[test]
fn missing_token_has_no_error_attribute() {
    assert_eq!(
        www_authenticate("customer", &DemoApiError::MissingToken).as_deref(),
        Some(r#"Bearer realm="customer""#)
    );
}

#[test]
fn invalid_token_names_the_reason() {
    assert_eq!(
        www_authenticate("vendor", &DemoApiError::InvalidToken("token expired")).as_deref(),
        Some(r#"Bearer realm="vendor", error="invalid_token", error_description="token expired""#)
    );
}

#[test]
fn insufficient_scope_names_the_scope() {
    let err = DemoApiError::InsufficientScope {
        required: "customer.read".into(),
    };
    assert_eq!(
        www_authenticate("customer", &err).as_deref(),
        Some(r#"Bearer realm="customer", error="insufficient_scope", scope="customer.read""#)
    );
}

#[test]
fn unavailable_keys_have_no_challenge_and_answer_503() {
    let err = DemoApiError::KeysUnavailable("connection refused".into());
    assert_eq!(www_authenticate("customer", &err), None);
    let response = error_response("customer", &err);
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get("www-authenticate").is_none());
}

#[test]
fn statuses_follow_rfc_6750() {
    let cases = [
        (DemoApiError::MissingToken, StatusCode::UNAUTHORIZED),
        (
            DemoApiError::InvalidToken("bad signature"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            DemoApiError::InsufficientScope {
                required: "x".into(),
            },
            StatusCode::FORBIDDEN,
        ),
    ];
    for (err, status) in cases {
        let response = error_response("r", &err);
        assert_eq!(response.status(), status, "{err}");
        assert!(response.headers().get("www-authenticate").is_some());
    }
}

#[test]
fn quoting_escapes_and_replaces() {
    assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    assert_eq!(quoted("é\n"), r#""??""#);
}
