//! Checks on every argument the UI sends, before anything reaches the engine. The UI is the
//! least trusted part of the app: these limits hold whatever it sends.

use lanyard::{AccountId, Config};

use crate::error::IpcError;

/// Longest accepted account id.
pub const MAX_ACCOUNT_ID_LEN: usize = 256;
/// Longest accepted API path.
pub const MAX_PATH_LEN: usize = 512;
/// Longest accepted API name.
pub const MAX_API_NAME_LEN: usize = 64;

/// A non-empty account id of at most [`MAX_ACCOUNT_ID_LEN`] characters, without control characters.
pub fn account_id(id: &str) -> Result<AccountId, IpcError> {
    if id.trim().is_empty() {
        return Err(IpcError::invalid_argument("the account id is empty"));
    }
    if id.chars().count() > MAX_ACCOUNT_ID_LEN {
        return Err(IpcError::invalid_argument(format!(
            "the account id is longer than {MAX_ACCOUNT_ID_LEN} characters"
        )));
    }
    if id.chars().any(char::is_control) {
        return Err(IpcError::invalid_argument(
            "the account id has control characters",
        ));
    }
    Ok(AccountId(id.to_owned()))
}

/// The name of an API in `config`.
pub fn api_name<'a>(config: &Config, name: &'a str) -> Result<&'a str, IpcError> {
    if name.is_empty() || name.len() > MAX_API_NAME_LEN {
        return Err(IpcError::invalid_argument(
            "the API name is empty or too long",
        ));
    }
    if !config.apis.iter().any(|a| a.name == name) {
        // Quote with {:?} so odd characters are escaped, not rendered.
        return Err(IpcError::not_found(format!(
            "no API named {name:?} is configured"
        )));
    }
    Ok(name)
}

/// An absolute path (with an optional query) under the API's base URL: starts with one `/`,
/// at most [`MAX_PATH_LEN`] bytes, only RFC 3986 path and query characters, no `.`/`..`
/// segment and no fragment.
pub fn api_path(path: &str) -> Result<&str, IpcError> {
    let bad = |why: &str| IpcError::invalid_argument(format!("the path {why}"));
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(bad("must start with a single /"));
    }
    if path.len() > MAX_PATH_LEN {
        return Err(bad(&format!("is longer than {MAX_PATH_LEN} characters")));
    }
    if !path.bytes().all(is_path_byte) {
        return Err(bad(
            "may only hold letters, digits and - . _ ~ / ? = & % + , ; : @ ! $ ' ( ) *",
        ));
    }
    let (before_query, _) = path.split_once('?').unwrap_or((path, ""));
    if before_query
        .split('/')
        .any(|s| s == "." || s == ".." || is_encoded_dot_segment(s))
    {
        return Err(bad("must not contain . or .. segments"));
    }
    Ok(path)
}

/// RFC 3986 `pchar`, `/`, `?` and `%` (percent-encoding), ASCII only.
fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~/?=&%+,;:@!$'()*".contains(&b)
}

/// `%2e`, `.%2e`, `%2e%2e`...: dot segments in disguise.
fn is_encoded_dot_segment(segment: &str) -> bool {
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard::ErrorKind;

    fn config() -> Config {
        Config::from_toml(
            r#"
            authority = "http://127.0.0.1:7700"
            client_id = "lanyard"
            [[apis]]
            name = "customer"
            base_url = "http://127.0.0.1:7701"
            scopes = ["customer.read"]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn account_ids() {
        assert_eq!(account_id("abc.def").unwrap().0, "abc.def");
        assert!(account_id("").is_err());
        assert!(account_id("  ").is_err());
        assert!(account_id("a\nb").is_err());
        assert!(account_id(&"x".repeat(256)).is_ok());
        assert_eq!(
            account_id(&"x".repeat(257)).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn api_names() {
        let c = config();
        assert_eq!(api_name(&c, "customer").unwrap(), "customer");
        assert_eq!(
            api_name(&c, "vendor").unwrap_err().kind,
            ErrorKind::NotFound
        );
        assert_eq!(
            api_name(&c, "").unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            api_name(&c, &"a".repeat(65)).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn good_paths() {
        for p in [
            "/",
            "/customers",
            "/orders?top=5&skip=0",
            "/a/b-c_d~e/%20",
            "/me",
        ] {
            assert_eq!(api_path(p).unwrap(), p);
        }
    }

    #[test]
    fn bad_paths() {
        for p in [
            "",
            "customers",
            "//evil.example/x",
            "/a/../b",
            "/..",
            "/./x",
            "/%2e%2E/x",
            "/a#frag",
            "/a b",
            "/a\\b",
            "/é",
            "/a\n",
            "http://x/",
            "/\"",
            "/<script>",
        ] {
            assert_eq!(
                api_path(p).unwrap_err().kind,
                ErrorKind::InvalidArgument,
                "{p:?}"
            );
        }
        assert!(api_path(&format!("/{}", "a".repeat(MAX_PATH_LEN))).is_err());
    }
}
