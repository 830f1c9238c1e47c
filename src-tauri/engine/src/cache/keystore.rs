//! Where the cache's encryption key lives: the OS secret store (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) through the `keyring` crate.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;
use zeroize::Zeroizing;

use crate::error::Error;

/// A 256-bit cache key. `Debug` never shows it.
#[derive(Clone)]
pub struct CacheKey(Zeroizing<[u8; 32]>);

impl CacheKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&key);
        CacheKey(Zeroizing::new(bytes))
    }

    /// A key from its bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        CacheKey(Zeroizing::new(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheKey([redacted])")
    }
}

/// Keeps the cache key. Injected so tests can use a store of their own.
pub trait KeyStore: Send + Sync {
    /// The key stored under `id`, if any.
    fn load(&self, id: &str) -> Result<Option<CacheKey>, Error>;
    /// Stores `key` under `id`, replacing any previous one.
    fn store(&self, id: &str, key: &CacheKey) -> Result<(), Error>;
    /// A short description of the protection, shown to the user ("Secret Service", ...).
    fn protection(&self) -> String;
}

/// The OS secret store, via `keyring`.
#[derive(Clone, Debug)]
pub struct OsKeyStore {
    service: String,
}

impl OsKeyStore {
    /// A store whose entries are filed under `service` (e.g. `dev.lanyard.token-cache`).
    pub fn new(service: impl Into<String>) -> Self {
        OsKeyStore {
            service: service.into(),
        }
    }

    fn entry(&self, id: &str) -> Result<keyring::Entry, Error> {
        keyring::Entry::new(&self.service, id).map_err(keyring_error)
    }
}

impl Default for OsKeyStore {
    fn default() -> Self {
        OsKeyStore::new("dev.lanyard.token-cache")
    }
}

impl KeyStore for OsKeyStore {
    fn load(&self, id: &str) -> Result<Option<CacheKey>, Error> {
        match self.entry(id)?.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                let bytes = Zeroizing::new(
                    STANDARD
                        .decode(text.as_bytes())
                        .map_err(|_| Error::Cache("the stored cache key is not valid".into()))?,
                );
                let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                    Error::Cache("the stored cache key has the wrong length".into())
                })?;
                Ok(Some(CacheKey::from_bytes(array)))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn store(&self, id: &str, key: &CacheKey) -> Result<(), Error> {
        let text = Zeroizing::new(STANDARD.encode(key.bytes()));
        self.entry(id)?.set_password(&text).map_err(keyring_error)
    }

    fn protection(&self) -> String {
        if cfg!(target_os = "macos") {
            "macOS Keychain".into()
        } else if cfg!(windows) {
            "Windows Credential Manager".into()
        } else {
            "Secret Service".into()
        }
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    Error::Cache(format!("OS secret store: {e}"))
}
