//! `[network]`: timeouts and the longest `Retry-After` the engine honours.

use std::time::Duration;

use serde::Deserialize;

use crate::error::Error;

/// Network settings (`[network]` in the configuration file); every field has a default.
///
/// ```
/// use lanyard::config::NetworkConfig;
///
/// let mut network = NetworkConfig::default();
/// network.connect_timeout_secs = 5;
/// assert!(network.validate().is_ok());
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct NetworkConfig {
    /// How long a TCP + TLS connection may take to open, in seconds (default 10).
    pub connect_timeout_secs: u64,
    /// How long the server may stay silent while a response is read, in seconds (default 30).
    pub read_timeout_secs: u64,
    /// How long one request may take in all, in seconds (default 60).
    pub request_timeout_secs: u64,
    /// The longest `Retry-After` honoured, in seconds (default 300): a longer one is cut to
    /// this, so a wrong header cannot lock the app out for hours.
    pub max_retry_after_secs: u64,
}

/// The largest value any `[network]` field accepts (one hour).
const MAX_SECS: u64 = 3600;

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            connect_timeout_secs: 10,
            read_timeout_secs: 30,
            request_timeout_secs: 60,
            max_retry_after_secs: 300,
        }
    }
}

impl NetworkConfig {
    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout_secs)
    }

    /// The read (idle) timeout.
    pub fn read_timeout(&self) -> Duration {
        Duration::from_secs(self.read_timeout_secs)
    }

    /// The total timeout of one request.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// Every field between 1 second and an hour.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, value) in [
            ("network.connect_timeout_secs", self.connect_timeout_secs),
            ("network.read_timeout_secs", self.read_timeout_secs),
            ("network.request_timeout_secs", self.request_timeout_secs),
            ("network.max_retry_after_secs", self.max_retry_after_secs),
        ] {
            if !(1..=MAX_SECS).contains(&value) {
                return Err(Error::config(
                    field,
                    format!("must be between 1 and {MAX_SECS} seconds"),
                ));
            }
        }
        Ok(())
    }
}
