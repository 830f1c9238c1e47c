//! The last command errors, kept in memory for the diagnostics report.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Mutex;

/// One failed command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorRecord {
    /// When, RFC 3339 UTC (seconds).
    pub time: String,
    /// The command that failed (`call_api`, ...).
    pub command: String,
    /// The error's kind (`interaction_required`, `service`, ...).
    pub kind: String,
    /// The error's message (built without secrets; personal data is redacted in the report).
    pub message: String,
    /// The provider's correlation id, for support.
    pub correlation_id: Option<String>,
}

impl ErrorRecord {
    /// A record stamped now.
    pub fn now(
        command: &str,
        kind: &str,
        message: &str,
        correlation_id: Option<&str>,
    ) -> ErrorRecord {
        ErrorRecord {
            time: chrono::Utc::now()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                .to_owned(),
            command: command.to_owned(),
            kind: kind.to_owned(),
            message: message.to_owned(),
            correlation_id: correlation_id.map(str::to_owned),
        }
    }

    /// One line: `<time> <command> <kind>: <message> (correlation id: <id>)`.
    pub fn line(&self) -> String {
        let correlation = self
            .correlation_id
            .as_deref()
            .map(|id| format!(" (correlation id: {id})"))
            .unwrap_or_default();
        format!(
            "{} {} {}: {}{correlation}",
            self.time, self.command, self.kind, self.message
        )
    }
}

/// A bounded ring of [`ErrorRecord`]s: the oldest goes when a new one comes and it is full.
#[derive(Debug)]
pub struct RecentErrors {
    capacity: usize,
    records: Mutex<VecDeque<ErrorRecord>>,
}

impl RecentErrors {
    /// How many records the app keeps.
    pub const DEFAULT_CAPACITY: usize = 20;

    /// An empty ring of `capacity` (at least 1).
    pub fn new(capacity: usize) -> Self {
        RecentErrors {
            capacity: capacity.max(1),
            records: Mutex::new(VecDeque::new()),
        }
    }

    /// Adds a record.
    pub fn push(&self, record: ErrorRecord) {
        let mut records = self.records.lock().unwrap_or_else(|p| p.into_inner());
        while records.len() >= self.capacity {
            records.pop_front();
        }
        records.push_back(record);
    }

    /// The records, oldest first.
    pub fn snapshot(&self) -> Vec<ErrorRecord> {
        let records = self.records.lock().unwrap_or_else(|p| p.into_inner());
        records.iter().cloned().collect()
    }
}

impl Default for RecentErrors {
    fn default() -> Self {
        RecentErrors::new(Self::DEFAULT_CAPACITY)
    }
}

/// The last `n` `ERROR` lines of a log file (the CLI's recent errors: one process per command).
pub fn error_lines(file: &Path, n: usize) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let errors: Vec<&str> = text.lines().filter(|l| l.contains(" ERROR ")).collect();
    errors[errors.len().saturating_sub(n)..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_ones() {
        let ring = RecentErrors::new(2);
        for i in 0..3 {
            ring.push(ErrorRecord::now(
                "call_api",
                "network",
                &format!("e{i}"),
                None,
            ));
        }
        let messages: Vec<String> = ring.snapshot().into_iter().map(|r| r.message).collect();
        assert_eq!(messages, ["e1", "e2"]);
    }

    #[test]
    fn a_line_names_the_correlation_id() {
        let r = ErrorRecord::now("token_info", "service", "boom", Some("abc-123"));
        assert!(r.time.ends_with('Z'), "{}", r.time);
        assert!(
            r.line()
                .ends_with("token_info service: boom (correlation id: abc-123)"),
            "{}",
            r.line()
        );
    }

    #[test]
    fn error_lines_of_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.log");
        std::fs::write(
            &file,
            "t  INFO a: ok\nt ERROR a: one\nt  WARN a: w\nt ERROR a: two\nt ERROR a: three\n",
        )
        .unwrap();
        assert_eq!(
            error_lines(&file, 2),
            ["t ERROR a: two", "t ERROR a: three"]
        );
        assert!(error_lines(&dir.path().join("missing"), 2).is_empty());
    }
}
