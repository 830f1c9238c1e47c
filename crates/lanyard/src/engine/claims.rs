//! The `claims` parameter: a claims challenge (Conditional Access) merged with the client
//! capabilities the app declares (`xms_cc`), as MSAL sends it.

use crate::error::Error;

/// The `claims` parameter: the challenge's JSON object merged with the client capabilities
/// (`{"access_token":{"xms_cc":{"values":[…]}}}`), as MSAL does; `None` when both are absent.
pub(super) fn claims_parameter(
    challenge: Option<&str>,
    capabilities: &[String],
) -> Result<Option<String>, Error> {
    let mut claims = match challenge {
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) if json.is_object() => json,
            _ => {
                return Err(Error::InvalidArgument(
                    "the claims challenge is not a JSON object".into(),
                ))
            }
        },
        None if capabilities.is_empty() => return Ok(None),
        None => serde_json::json!({}),
    };
    if !capabilities.is_empty() {
        merge(
            &mut claims,
            serde_json::json!({ "access_token": { "xms_cc": { "values": capabilities } } }),
        );
    }
    Ok(Some(claims.to_string()))
}

/// Merges `from` into `into`: objects key by key, anything else replaced.
fn merge(into: &mut serde_json::Value, from: serde_json::Value) {
    match (into, from) {
        (serde_json::Value::Object(into), serde_json::Value::Object(from)) => {
            for (key, value) in from {
                merge(into.entry(key).or_insert(serde_json::Value::Null), value);
            }
        }
        (into, from) => *into = from,
    }
}

#[cfg(test)]
mod tests;
