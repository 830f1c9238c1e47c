//! What the scripted browser saw, written down for leak tests: the authorize request's
//! `state`, `nonce` and `code_challenge`, and the redirect's `code` and `state`. The file holds
//! those values in plaintext (they are dead once the sign-in ends): tests only, in a temp dir.

use std::io::Write;
use std::path::Path;

use url::Url;

/// The authorize request's parameters that must never be logged.
pub const AUTHORIZE_KEYS: [&str; 3] = ["state", "nonce", "code_challenge"];
/// The redirect's parameters that must never be logged.
pub const REDIRECT_KEYS: [&str; 2] = ["code", "state"];

/// Appends `<prefix>.<key> <value>` for each of `keys` found in `url`'s query.
pub fn record(file: &Path, prefix: &str, url: &Url, keys: &[&str]) -> std::io::Result<()> {
    let mut lines = String::new();
    for (key, value) in url.query_pairs() {
        if keys.contains(&key.as_ref()) {
            lines.push_str(&format!("{prefix}.{key} {value}\n"));
        }
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)?
        .write_all(lines.as_bytes())
}

/// The recorded values, `(name, value)`, in file order.
pub fn read(file: &Path) -> std::io::Result<Vec<(String, String)>> {
    Ok(std::fs::read_to_string(file)?
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_the_named_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("seen");
        let url =
            Url::parse("http://i/auth?client_id=c&state=s1&nonce=n1&code_challenge=x").unwrap();
        record(&file, "authorize", &url, &AUTHORIZE_KEYS).unwrap();
        let back = Url::parse("http://127.0.0.1:1/cb?code=c1&state=s1&iss=i").unwrap();
        record(&file, "redirect", &back, &REDIRECT_KEYS).unwrap();
        let seen = read(&file).unwrap();
        let names: Vec<&str> = seen.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "authorize.state",
                "authorize.nonce",
                "authorize.code_challenge",
                "redirect.code",
                "redirect.state"
            ]
        );
        assert_eq!(seen[3].1, "c1");
    }
}
