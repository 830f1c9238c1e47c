//! Who a scripted browser signs in as: the first line of `$LANYARD_TEST_USER_FILE` (`user
//! password`, read at each launch, so a test can sign in a second account as someone else),
//! else `$LANYARD_TEST_USER` (default `alice`) with `$LANYARD_TEST_PASSWORD` (default
//! `alice-password`).

/// The environment variable naming the user file.
pub const USER_FILE: &str = "LANYARD_TEST_USER_FILE";

/// `$name`, unless unset or empty; else `default`.
pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// `(user, password)`: from the first line of `$LANYARD_TEST_USER_FILE` when set, else from the
/// environment variables and their defaults.
pub fn credentials() -> Result<(String, String), String> {
    let Some(path) = std::env::var_os(USER_FILE).filter(|v| !v.is_empty()) else {
        return Ok((
            env_or("LANYARD_TEST_USER", "alice"),
            env_or("LANYARD_TEST_PASSWORD", "alice-password"),
        ));
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{USER_FILE}: cannot read {}: {e}", path.to_string_lossy()))?;
    parse_user_line(text.lines().next().unwrap_or_default())
        .ok_or_else(|| format!("{USER_FILE}: the first line must be `user password`"))
}

/// `user password` (separated by white space, nothing else on the line).
pub fn parse_user_line(line: &str) -> Option<(String, String)> {
    let mut words = line.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(user), Some(password), None) => Some((user.to_owned(), password.to_owned())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_user_line;

    #[test]
    fn user_lines() {
        assert_eq!(
            parse_user_line("bob bob-password"),
            Some(("bob".into(), "bob-password".into()))
        );
        assert_eq!(
            parse_user_line("  bob\tbob-password \r"),
            Some(("bob".into(), "bob-password".into()))
        );
        assert_eq!(parse_user_line("bob"), None);
        assert_eq!(parse_user_line(""), None);
        assert_eq!(parse_user_line("a b c"), None);
    }
}
