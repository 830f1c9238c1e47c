//! Makes a successful token response's `expires_in` readable before `oauth2` parses it, so that
//! an odd value cannot make the whole response — and the rotated refresh token in it — unreadable:
//! a negative number becomes 0 (already expired, refused later with the refresh token kept), a
//! fraction or a number beyond `u64` is cut to an integer (capped later), and a numeric string
//! (Azure AD v1 style) becomes a number. Anything else is left for the parser to refuse.

use serde_json::{Number, Value};

/// The body with `expires_in` made a non-negative integer where possible; unchanged otherwise.
pub(crate) fn normalize_expires_in(body: &[u8]) -> Option<Vec<u8>> {
    let mut json: Value = serde_json::from_slice(body).ok()?;
    let field = json.as_object_mut()?.get_mut("expires_in")?;
    let fixed = match field {
        Value::Number(n) if n.is_u64() => return None,
        Value::Number(n) => match n.as_f64() {
            Some(f) if f > 0.0 => f.min(u64::MAX as f64) as u64,
            _ => 0,
        },
        Value::String(s) => match s.trim().parse::<i128>() {
            Ok(v) => u64::try_from(v.max(0)).unwrap_or(u64::MAX),
            Err(_) => return None,
        },
        _ => return None,
    };
    *field = Value::Number(Number::from(fixed));
    serde_json::to_vec(&json).ok()
}

#[cfg(test)]
mod tests;
