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

    /// A tag for the cache file when this store is a fallback (`tokens.<tag>.lanyard`), so a
    /// cache whose key lives in an unreachable platform store is never set aside because the
    /// fallback cannot open it. `None`: the platform store's own file, `tokens.lanyard`.
    fn file_tag(&self) -> Option<&'static str> {
        None
    }
}

/// The OS secret store, via `keyring`.
///
/// On Linux the key goes to the Secret Service (GNOME Keyring, KWallet). Where none answers
/// (a headless session with no D-Bus session bus or no keyring daemon), it goes to the kernel
/// keyring (keyutils) instead: still outside every file, but kept only for the login session
/// (and the kernel's persistent keyring, a few days idle), so after a reboot the cache cannot
/// be decrypted, is set aside, and the user signs in again. Never plaintext.
/// [`KeyStore::protection`] says which one is in use.
#[derive(Debug)]
pub struct OsKeyStore {
    service: String,
    backend: std::sync::OnceLock<Backend>,
}

/// Where the key actually lives.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Backend {
    /// The platform's own store (Secret Service, Keychain, Credential Manager).
    Platform,
    /// Linux kernel keyring: no Secret Service answered.
    #[cfg(target_os = "linux")]
    KernelKeyring,
}

impl OsKeyStore {
    /// A store whose entries are filed under `service` (an app's
    /// [`AppIdentity::keyring_service_name`](crate::AppIdentity::keyring_service_name), e.g.
    /// `com.contoso.notes.token-cache`).
    pub fn new(service: impl Into<String>) -> Self {
        OsKeyStore {
            service: service.into(),
            backend: std::sync::OnceLock::new(),
        }
    }

    /// The service its entries are filed under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Probes the platform store once: a store that answers (even "no such entry") is used.
    fn backend(&self) -> &Backend {
        self.backend.get_or_init(|| {
            let probe = keyring::Entry::new(&self.service, "lanyard-probe").and_then(|e| e.get_password());
            match probe {
                Ok(_) | Err(keyring::Error::NoEntry) => Backend::Platform,
                #[cfg(target_os = "linux")]
                Err(e @ (keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_))) => {
                    tracing::warn!(
                        "no Secret Service answers ({e}); the cache key is kept in the kernel keyring \
                         for this login session"
                    );
                    Backend::KernelKeyring
                }
                Err(e) => {
                    tracing::warn!("the OS secret store failed its probe: {e}");
                    Backend::Platform
                }
            }
        })
    }

    fn entry(&self, id: &str) -> Result<keyring::Entry, Error> {
        match self.backend() {
            Backend::Platform => keyring::Entry::new(&self.service, id).map_err(keyring_error),
            #[cfg(target_os = "linux")]
            Backend::KernelKeyring => {
                let credential =
                    keyring::keyutils::KeyutilsCredential::new_with_target(None, &self.service, id)
                        .map_err(keyring_error)?;
                Ok(keyring::Entry::new_with_credential(Box::new(credential)))
            }
        }
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
        match self.backend() {
            Backend::Platform if cfg!(target_os = "macos") => "macOS Keychain".into(),
            Backend::Platform if cfg!(windows) => "Windows Credential Manager".into(),
            Backend::Platform => "Secret Service".into(),
            #[cfg(target_os = "linux")]
            Backend::KernelKeyring => {
                "kernel keyring (no Secret Service: the key lasts until logout or reboot)".into()
            }
        }
    }

    fn file_tag(&self) -> Option<&'static str> {
        match self.backend() {
            Backend::Platform => None,
            #[cfg(target_os = "linux")]
            Backend::KernelKeyring => Some("kernel-keyring"),
        }
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    Error::Cache(format!("OS secret store: {e}"))
}

/// A key store in memory, for tests and benchmarks: the key is lost when the process ends.
#[derive(Debug, Default)]
pub struct MemoryKeyStore(std::sync::Mutex<std::collections::HashMap<String, CacheKey>>);

impl KeyStore for MemoryKeyStore {
    fn load(&self, id: &str) -> Result<Option<CacheKey>, Error> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned())
    }

    fn store(&self, id: &str, key: &CacheKey) -> Result<(), Error> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned(), key.clone());
        Ok(())
    }

    fn protection(&self) -> String {
        "memory (tests only: not persistent)".into()
    }
}
