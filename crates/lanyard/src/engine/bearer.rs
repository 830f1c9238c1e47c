//! What an API's `WWW-Authenticate: Bearer …` answer asks of the client (RFC 6750 §3, and
//! Microsoft's `insufficient_claims` Conditional Access challenge). Parsed with `http-auth`.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use http::header::WWW_AUTHENTICATE;
use http::HeaderMap;

/// The Bearer challenge of an API response, reduced to what the engine acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BearerChallenge {
    /// `invalid_token`: expired, revoked or otherwise refused; one forced refresh may help.
    InvalidToken,
    /// `insufficient_scope`, with the scopes the API names (may be empty).
    InsufficientScope(Vec<String>),
    /// `insufficient_claims`: the decoded claims JSON to request interactively.
    InsufficientClaims(String),
}

/// Longest decoded claims challenge accepted.
const MAX_CLAIMS_BYTES: usize = 8 * 1024;

/// The first Bearer challenge with an `error` the engine acts on, if any. Malformed headers,
/// other schemes and claims that are not base64 JSON objects are ignored (the response then
/// goes to the caller as it is).
pub(crate) fn parse(headers: &HeaderMap) -> Option<BearerChallenge> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(parse_value)
}

fn parse_value(value: &str) -> Option<BearerChallenge> {
    let challenges = http_auth::parse_challenges(value).ok()?;
    challenges
        .iter()
        .filter(|c| c.scheme.eq_ignore_ascii_case("bearer"))
        .find_map(|c| {
            let param = |name: &str| {
                c.params
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_unescaped())
            };
            match param("error")?.as_str() {
                "invalid_token" => Some(BearerChallenge::InvalidToken),
                "insufficient_scope" => Some(BearerChallenge::InsufficientScope(
                    param("scope")
                        .map(|s| s.split_whitespace().map(str::to_owned).collect())
                        .unwrap_or_default(),
                )),
                "insufficient_claims" => {
                    decode_claims(&param("claims")?).map(BearerChallenge::InsufficientClaims)
                }
                _ => None,
            }
        })
}

/// Base64, padded or not.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Base64 (standard or URL-safe, padded or not) of a JSON object, as Entra sends it.
fn decode_claims(encoded: &str) -> Option<String> {
    let trimmed = encoded.trim();
    let bytes = STANDARD_LENIENT
        .decode(trimmed)
        .or_else(|_| URL_SAFE_LENIENT.decode(trimmed))
        .ok()?;
    if bytes.len() > MAX_CLAIMS_BYTES {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    json.is_object().then(|| json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(WWW_AUTHENTICATE, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn reads_the_three_errors() {
        assert_eq!(
            parse(&headers(&[
                r#"Bearer realm="customer", error="invalid_token", error_description="token revoked""#
            ])),
            Some(BearerChallenge::InvalidToken)
        );
        assert_eq!(
            parse(&headers(&[
                r#"Bearer realm="v", error="insufficient_scope", scope="vendor.reports other""#
            ])),
            Some(BearerChallenge::InsufficientScope(vec![
                "vendor.reports".into(),
                "other".into()
            ]))
        );
        // Microsoft's example challenge.
        let entra = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19""#;
        let Some(BearerChallenge::InsufficientClaims(claims)) = parse(&headers(&[entra])) else {
            panic!("not a claims challenge");
        };
        // URL-safe without padding, and standard with padding, work too.
        let json = r#"{"access_token":{"acrs":{"essential":true,"value":"c?>"}}}"#;
        for encoded in [
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json),
            base64::engine::general_purpose::STANDARD.encode(json),
        ] {
            let value = format!(r#"Bearer error="insufficient_claims", claims="{encoded}""#);
            let Some(BearerChallenge::InsufficientClaims(claims)) = parse(&headers(&[&value]))
            else {
                panic!("not read: {value}");
            };
            assert!(claims.contains("c?>"));
        }
        let json: serde_json::Value = serde_json::from_str(&claims).unwrap();
        assert_eq!(json["access_token"]["acrs"]["value"], "c1");
    }

    #[test]
    fn ignores_what_it_cannot_act_on() {
        for value in [
            r#"Bearer realm="customer""#,
            r#"Basic realm="x""#,
            r#"Bearer error="insufficient_claims", claims="not base64!""#,
            // base64 of `[1]`: not an object.
            r#"Bearer error="insufficient_claims", claims="WzFd""#,
            r#"Bearer error="insufficient_claims""#,
            "Bearer error=",
            "",
        ] {
            assert_eq!(parse(&headers(&[value])), None, "{value}");
        }
        assert_eq!(parse(&HeaderMap::new()), None);
    }

    #[test]
    fn finds_bearer_among_several_challenges() {
        let h = headers(&[
            r#"Basic realm="x""#,
            r#"Newauth realm="apps", type=1, Bearer error="invalid_token""#,
        ]);
        assert_eq!(parse(&h), Some(BearerChallenge::InvalidToken));
    }
}
