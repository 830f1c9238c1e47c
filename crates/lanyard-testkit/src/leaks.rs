//! Finding the tokens a run issued (in token responses and MSAL-schema caches), and checking
//! that no IPC reply, page or output carries one. Shared by the plugin's and the app's tests.

use serde_json::Value;

/// The JSON keys whose string values are secrets, in token responses and in the MSAL-schema
/// cache (`secret`).
const SECRET_KEYS: [&str; 4] = ["access_token", "refresh_token", "id_token", "secret"];

/// Adds every secret found in `json` (at any depth) to `out`.
pub fn collect_secrets(json: &Value, out: &mut Vec<String>) {
    match json {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(s) if SECRET_KEYS.contains(&key.as_str()) && s.len() >= 16 => {
                        if !out.contains(s) {
                            out.push(s.clone());
                        }
                    }
                    other => collect_secrets(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_secrets(v, out)),
        _ => {}
    }
}

/// True if `text` holds something shaped like a JWT (`eyJ….eyJ….…`).
pub fn contains_jwt(text: &str) -> bool {
    text.match_indices("eyJ").any(|(start, _)| {
        let rest = &text[start..];
        let token: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        let parts: Vec<&str> = token.split('.').collect();
        parts.len() >= 3
            && parts[1].starts_with("eyJ")
            && parts.iter().take(3).all(|p| p.len() >= 4)
    })
}

/// Panics if any reply contains a secret (or a JWT). Names the reply, never the secret.
pub fn assert_no_secret_in(replies: &[String], secrets: &[String]) {
    for (i, reply) in replies.iter().enumerate() {
        for (j, secret) in secrets.iter().enumerate() {
            assert!(
                !reply.contains(secret.as_str()),
                "IPC reply #{i} contains secret #{j} (of {}): {}",
                secrets.len(),
                shorten(reply)
            );
        }
        assert!(
            !contains_jwt(reply),
            "IPC reply #{i} contains a JWT: {}",
            shorten(reply)
        );
    }
}

fn shorten(text: &str) -> String {
    let head: String = text.chars().take(160).collect();
    format!("{head}… ({} chars)", text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_jwts() {
        assert!(contains_jwt(
            r#"{"x":"eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"}"#
        ));
        assert!(!contains_jwt(r#"{"x":"eyJhbGciOi only"}"#));
    }
}
