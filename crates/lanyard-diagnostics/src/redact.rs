//! Hides personal data in text meant to be shared (the diagnostics report).

use std::path::Path;

/// What replaces a personal value.
pub const MARK: &str = "[pii]";

/// Replaces known personal values (account ids, user names, names, tenant ids) with
/// [`MARK`] and the home directory (which names the user) with `~`.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    values: Vec<String>,
    home: Option<String>,
}

impl Redactor {
    /// A redactor for the current user's home directory.
    pub fn for_this_user() -> Self {
        Redactor::default().with_home(dirs::home_dir().as_deref())
    }

    /// Replaces `home` (when longer than `/`) with `~`.
    pub fn with_home(mut self, home: Option<&Path>) -> Self {
        self.home = home
            .map(|h| h.display().to_string().trim_end_matches('/').to_owned())
            .filter(|h| h.len() > 1);
        self
    }

    /// Adds personal values to hide (values shorter than 3 characters are kept: they would
    /// blank out ordinary words).
    pub fn hide<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.values.extend(
            values
                .into_iter()
                .map(Into::into)
                .filter(|v| v.chars().count() >= 3),
        );
        // Longest first, so a value inside another does not leave part of it behind.
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        self.values.dedup();
        self
    }

    /// `text` with every personal value replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_owned();
        if let Some(home) = &self.home {
            out = out.replace(home.as_str(), "~");
        }
        for value in &self.values {
            out = out.replace(value.as_str(), MARK);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_values_and_home() {
        let r = Redactor::default()
            .with_home(Some(Path::new("/home/alice/")))
            .hide(["alice@example.test", "alice", "ab"]);
        assert_eq!(
            r.apply("no account alice@example.test in /home/alice/.local, alice, ab"),
            "no account [pii] in ~/.local, [pii], ab"
        );
    }
}
