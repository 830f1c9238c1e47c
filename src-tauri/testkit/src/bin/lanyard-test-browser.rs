//! `lanyard-test-browser <authorize-url>`: the "system browser" the app launches in tests.
//!
//! Signs in on the test IdP's pages as the user in `$LANYARD_TEST_USER_FILE` when set (a file
//! whose first line is `user password`, read at each launch, so a test can sign in a second
//! account as someone else), else as `$LANYARD_TEST_USER` (default `alice`) with
//! `$LANYARD_TEST_PASSWORD` (default `alice-password`); answers consent with
//! `$LANYARD_TEST_CONSENT` (`allow`, the default, or `deny`), and loads the app's loopback
//! redirect. Logs one line per step to stderr, without secrets. With
//! `$LANYARD_TEST_BROWSER_RECORD` set, appends the `state`, `nonce`, `code_challenge` and `code`
//! it saw to that file (for the log leak test). Exits 0 once the app's listener
//! answered (whatever it answered), 1 on any failure, 2 on bad usage.

use std::process::ExitCode;

use lanyard_testkit::{complete_sign_in_recording, Consent};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// The environment variable naming the file to record the sign-in's secrets in.
const RECORD_FILE: &str = "LANYARD_TEST_BROWSER_RECORD";

/// The environment variable naming the user file.
const USER_FILE: &str = "LANYARD_TEST_USER_FILE";

/// `(user, password)`: from the first line of `$LANYARD_TEST_USER_FILE` when set, else from the
/// environment variables and their defaults.
fn credentials() -> Result<(String, String), String> {
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
fn parse_user_line(line: &str) -> Option<(String, String)> {
    let mut words = line.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(user), Some(password), None) => Some((user.to_owned(), password.to_owned())),
        _ => None,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_ansi(false)
        .init();

    let mut args = std::env::args().skip(1);
    let (Some(url), None) = (args.next(), args.next()) else {
        eprintln!("usage: lanyard-test-browser <authorize-url>");
        return ExitCode::from(2);
    };
    let (user, password) = match credentials() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lanyard-test-browser: {e}");
            return ExitCode::from(2);
        }
    };
    let consent: Consent = match env_or("LANYARD_TEST_CONSENT", "allow").parse() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lanyard-test-browser: LANYARD_TEST_CONSENT: {e}");
            return ExitCode::from(2);
        }
    };

    eprintln!("lanyard-test-browser: signing in as {user}, consent {consent:?}");
    let record = std::env::var_os(RECORD_FILE)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    match complete_sign_in_recording(&url, &user, &password, consent, record.as_deref()).await {
        Ok(trace) => {
            eprintln!(
                "lanyard-test-browser: done: the app answered HTTP {} on {}{} (consent pages: {})",
                trace.final_status, trace.final_host, trace.final_path, trace.consent_prompts
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lanyard-test-browser: failed: {e}");
            ExitCode::FAILURE
        }
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
