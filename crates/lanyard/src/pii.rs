//! Personal data in logs: off by default.
//!
//! Log fields that name a person (account ids, user names, tenant ids) or what they asked for
//! (API paths) go through [`pii`]: unless the application turned PII logging on with
//! [`set_logging_enabled`] (the `LANYARD_LOG_PII` flag of the app and the CLI), they print as
//! `[pii:1a2b3c4d]`, a short hash salted per process, so lines about the same account can be
//! matched within one run without naming it. The engine never installs a log subscriber.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns the logging of personal data on or off (off by default) for the whole process.
pub fn set_logging_enabled(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

/// True when log fields show personal data as is.
pub fn logging_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A log field that may name a person: shown as is only when PII logging is on.
pub struct Pii<'a, T: fmt::Display + ?Sized>(&'a T);

/// Wraps a value for a log field: `tracing::info!(account = %pii(&id), ...)`.
pub fn pii<T: fmt::Display + ?Sized>(value: &T) -> Pii<'_, T> {
    Pii(value)
}

impl<T: fmt::Display + ?Sized> fmt::Display for Pii<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if logging_enabled() {
            return write!(f, "{}", self.0);
        }
        write!(f, "[pii:{}]", redacted_tag(&self.0.to_string()))
    }
}

impl<T: fmt::Display + ?Sized> fmt::Debug for Pii<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Eight hex digits of SHA-256(per-process salt ‖ value).
pub fn redacted_tag(value: &str) -> String {
    static SALT: OnceLock<[u8; 16]> = OnceLock::new();
    let salt = SALT.get_or_init(|| {
        // RandomState is seeded from the OS's randomness, once per process.
        let a = RandomState::new().hash_one(0u8);
        let b = RandomState::new().hash_one(1u8);
        let mut salt = [0u8; 16];
        salt[..8].copy_from_slice(&a.to_le_bytes());
        salt[8..].copy_from_slice(&b.to_le_bytes());
        salt
    });
    let digest = Sha256::new()
        .chain_update(salt)
        .chain_update(value.as_bytes())
        .finalize();
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_by_default_shown_when_enabled() {
        // One test touches the global flag, so tests running in parallel do not race on it.
        let hidden = pii("alice@example.test").to_string();
        assert!(
            hidden.starts_with("[pii:") && hidden.ends_with(']'),
            "{hidden}"
        );
        assert!(!hidden.contains("alice"));
        assert_eq!(
            hidden,
            pii("alice@example.test").to_string(),
            "stable in a run"
        );
        assert_ne!(hidden, pii("bob@example.test").to_string());
        set_logging_enabled(true);
        let shown = pii("alice@example.test").to_string();
        set_logging_enabled(false);
        assert_eq!(shown, "alice@example.test");
        assert_eq!(pii("x").to_string(), format!("[pii:{}]", redacted_tag("x")));
    }
}
