use axum::http::{header, HeaderMap, HeaderValue};

use super::bearer_token;
use crate::DemoApiError;

fn with_auth(values: &[&str]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for v in values {
        headers.append(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
    }
    headers
}

#[test]
fn reads_bearer_tokens() {
    assert_eq!(
        bearer_token(&with_auth(&["Bearer abc.def.ghi"])).unwrap(),
        "abc.def.ghi"
    );
    assert_eq!(bearer_token(&with_auth(&["bearer  abc"])).unwrap(), "abc");
}

#[test]
fn no_bearer_credentials_is_a_missing_token() {
    assert!(matches!(
        bearer_token(&with_auth(&[])),
        Err(DemoApiError::MissingToken)
    ));
    assert!(matches!(
        bearer_token(&with_auth(&["Basic dXNlcjpwYXNz"])),
        Err(DemoApiError::MissingToken)
    ));
}

#[test]
fn unusable_bearer_credentials_are_invalid() {
    for bad in [
        &["Bearer"][..],
        &["Bearer   "],
        &["Bearer a b"],
        &["Bearer a", "Bearer b"],
    ] {
        assert!(
            matches!(
                bearer_token(&with_auth(bad)),
                Err(DemoApiError::InvalidToken(_))
            ),
            "{bad:?}"
        );
    }
}
