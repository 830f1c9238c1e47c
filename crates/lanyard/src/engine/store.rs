//! The engine's handle on the persistent cache, shared by every process that uses the same
//! cache directory (the app, the CLI, several app instances):
//!
//! - [`SharedCache::lock`] takes the in-process lock, then an exclusive OS file lock on the
//!   lock file (`tokens.lanyard.lock` by default, see [`AppIdentity`]; `flock`/`LockFileEx` via
//!   `std::fs::File::lock`), held until the guard drops — so a read-modify-write, including a refresh-token redemption, is never
//!   interleaved with another process's;
//! - under that lock, [`CacheStore::get`] reloads the file when another process changed it
//!   since this one last read or wrote it (size, mtime and inode), so what one process wrote is
//!   seen by the other before its next read and no rotated refresh token is lost;
//! - a broken cache file is set aside instead of failing.

use std::fs::{File, OpenOptions, TryLockError};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{Mutex, MutexGuard};

use crate::cache::{CacheKey, KeyStore, SealedFile, TokenCache};
use crate::error::Error;
use crate::identity::AppIdentity;

/// How long to wait for another process to release the cache.
/// Above the longest a holder may keep it: a refresh (discovery, JWKS, token request) runs
/// under the lock, each request with a 30 s limit.
const LOCK_TIMEOUT: Duration = Duration::from_secs(120);
const LOCK_POLL: Duration = Duration::from_millis(2);

/// The cache, locked across threads and processes.
pub(crate) struct SharedCache {
    store: Mutex<CacheStore>,
}

impl SharedCache {
    pub fn new(store: CacheStore) -> Self {
        SharedCache {
            store: Mutex::new(store),
        }
    }

    /// Locks the cache for this process only, to read it with [`CacheStore::get_if_fresh`].
    pub async fn read(&self) -> MutexGuard<'_, CacheStore> {
        self.store.lock().await
    }

    /// The in-process lock if nobody holds it now, to read with [`CacheStore::get_if_fresh`]
    /// without waiting.
    pub fn try_read(&self) -> Option<MutexGuard<'_, CacheStore>> {
        self.store.try_lock().ok()
    }

    /// Locks the cache for this process and, through the lock file, for every other one.
    /// A failure to get the file lock is reported by the guard's first `get`/`save`.
    pub async fn lock(&self) -> CacheGuard<'_> {
        let mut guard = self.store.lock().await;
        guard.lock_error = None;
        if let Err(e) = guard.lock_file().await {
            guard.lock_error = Some(e);
        }
        CacheGuard { guard }
    }
}

/// Exclusive access to the cache; the file lock is released on drop.
pub(crate) struct CacheGuard<'a> {
    guard: MutexGuard<'a, CacheStore>,
}

impl Deref for CacheGuard<'_> {
    type Target = CacheStore;
    fn deref(&self) -> &CacheStore {
        &self.guard
    }
}

impl DerefMut for CacheGuard<'_> {
    fn deref_mut(&mut self) -> &mut CacheStore {
        &mut self.guard
    }
}

impl Drop for CacheGuard<'_> {
    fn drop(&mut self) {
        self.guard.unlock_file();
    }
}

/// What identifies one version of the cache file on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Fingerprint {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
    })
}

pub(crate) struct CacheStore {
    dir: PathBuf,
    /// Names the cache and lock files.
    identity: AppIdentity,
    /// Chosen on first use: its name depends on the key store ([`KeyStore::file_tag`]).
    file: std::sync::OnceLock<SealedFile>,
    lock_path: PathBuf,
    key_store: Arc<dyn KeyStore>,
    key: Option<CacheKey>,
    loaded: Option<TokenCache>,
    /// The file as this process last read or wrote it.
    seen: Option<Fingerprint>,
    /// The lock file, opened once and kept open; `locked` while this process holds it.
    lock_file: Option<File>,
    locked: bool,
    lock_error: Option<Error>,
    warning: Option<String>,
}

impl CacheStore {
    /// The cache of `identity` in `dir`, its key in `key_store`.
    pub fn new(dir: PathBuf, identity: &AppIdentity, key_store: Arc<dyn KeyStore>) -> Self {
        CacheStore {
            lock_path: dir.join(identity.lock_file_name()),
            dir,
            identity: identity.clone(),
            file: std::sync::OnceLock::new(),
            key_store,
            key: None,
            loaded: None,
            seen: None,
            lock_file: None,
            locked: false,
            lock_error: None,
            warning: None,
        }
    }

    /// Takes the OS lock on the lock file, waiting (asynchronously) for other processes.
    async fn lock_file(&mut self) -> Result<(), Error> {
        if self.lock_file.is_none() {
            if let Some(dir) = self.lock_path.parent() {
                crate::cache::create_private_dir(dir)?;
            }
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&self.lock_path)
                .map_err(|e| {
                    Error::Cache(format!(
                        "cannot open the lock file {}: {e}",
                        self.lock_path.display()
                    ))
                })?;
            self.lock_file = Some(file);
        }
        let file = self.lock_file.as_ref().expect("just opened");
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => {
                    self.locked = true;
                    return Ok(());
                }
                Err(TryLockError::WouldBlock) if started.elapsed() < LOCK_TIMEOUT => {
                    tokio::time::sleep(LOCK_POLL).await;
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::Cache(format!(
                        "the token cache is locked by another process for over {} s",
                        LOCK_TIMEOUT.as_secs()
                    )))
                }
                Err(TryLockError::Error(e)) => {
                    return Err(Error::Cache(format!(
                        "cannot lock {}: {e}",
                        self.lock_path.display()
                    )))
                }
            }
        }
    }

    fn unlock_file(&mut self) {
        if self.locked {
            if let Some(file) = &self.lock_file {
                let _ = file.unlock();
            }
            self.locked = false;
        }
    }

    /// The sealed file: `<stem>.lanyard`, or `<stem>.<tag>.lanyard` for a fallback key store.
    pub fn file(&self) -> &SealedFile {
        self.file.get_or_init(|| {
            let name = match self.key_store.file_tag() {
                None => self.identity.cache_file_name(),
                Some(tag) => self.identity.fallback_cache_file_name(tag),
            };
            SealedFile::new(self.dir.join(name))
        })
    }

    /// The lock file's path.
    #[cfg(test)]
    pub fn lock_path(&self) -> &Path {
        &self.lock_path
    }

    /// The key store's entry id: the cache file's path, so separate caches get separate keys.
    pub fn key_id(&self) -> String {
        self.file().path().display().to_string()
    }

    /// The cache as on disk now: loaded on first use, reloaded when another process wrote it.
    pub fn get(&mut self, now: u64) -> Result<&mut TokenCache, Error> {
        if let Some(e) = self.lock_error.take() {
            return Err(e);
        }
        if self.loaded.is_some() && fingerprint(self.file().path()) != self.seen {
            tracing::debug!("token cache changed on disk; reloading");
            self.loaded = None;
        }
        if self.loaded.is_none() {
            let cache = self.load(now)?;
            self.seen = fingerprint(self.file().path());
            self.loaded = Some(cache);
        }
        Ok(self.loaded.as_mut().expect("just loaded"))
    }

    /// The cache as loaded, if the file on disk is still the one this process last read or
    /// wrote; `None` when it was never loaded or another process changed it (then take
    /// [`SharedCache::lock`] and [`CacheStore::get`], which reload under the OS lock).
    pub fn get_if_fresh(&self) -> Option<&TokenCache> {
        let cache = self.loaded.as_ref()?;
        (fingerprint(self.file().path()) == self.seen).then_some(cache)
    }

    /// Seals the cache to disk. Only under [`SharedCache::lock`].
    pub fn save(&mut self) -> Result<(), Error> {
        if let Some(e) = self.lock_error.take() {
            return Err(e);
        }
        if !self.locked {
            return Err(Error::Cache(
                "internal: the cache was saved without its lock".into(),
            ));
        }
        let (Some(cache), Some(key)) = (&self.loaded, &self.key) else {
            return Ok(());
        };
        let bytes = zeroize::Zeroizing::new(cache.to_bytes()?);
        self.file().save(key, &bytes)?;
        self.seen = fingerprint(self.file().path());
        Ok(())
    }

    /// Serializes and seals without writing (benchmarks); returns the sealed size.
    #[cfg(feature = "bench-support")]
    pub fn seal_only(&self) -> Result<usize, Error> {
        let (Some(cache), Some(key)) = (&self.loaded, &self.key) else {
            return Ok(0);
        };
        let bytes = zeroize::Zeroizing::new(cache.to_bytes()?);
        crate::cache::seal(key, &bytes).map(|sealed| sealed.len())
    }

    /// A problem met while loading (the file was set aside), once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// The key: remembered, else from the key store, else a new one (stored).
    fn key(&mut self, now: u64) -> Result<CacheKey, Error> {
        if let Some(key) = &self.key {
            return Ok(key.clone());
        }
        let id = self.key_id();
        let key = match self.key_store.load(&id)? {
            Some(key) => key,
            None => {
                if self.file().path().exists() {
                    self.set_aside(now, "its key is missing from the secret store")?;
                }
                let key = CacheKey::generate();
                self.key_store.store(&id, &key)?;
                key
            }
        };
        self.key = Some(key.clone());
        Ok(key)
    }

    fn load(&mut self, now: u64) -> Result<TokenCache, Error> {
        if self.locked {
            let removed = self.file().remove_stale_temp_files();
            if removed > 0 {
                tracing::info!(removed, "removed temp files of interrupted cache writes");
            }
        }
        let had_key = self.key.is_some();
        let mut key = self.key(now)?;
        // Read after the key: a missing key sets the file aside first.
        let path = self.file().path().to_owned();
        let sealed = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            // Unreadable is not broken: report it, set nothing aside.
            Err(e) => return Err(Error::Cache(format!("cannot read {}: {e}", path.display()))),
        };
        let file = self.file().clone();
        let open = |key: &CacheKey| sealed.as_deref().map(|b| file.open(key, b)).transpose();
        let mut opened = open(&key);
        if opened.is_err() && had_key {
            // Another process may have set the cache aside and made a new key: ask again.
            self.key = None;
            key = self.key(now)?;
            opened = open(&key);
        }
        let cache = match opened {
            Ok(None) => TokenCache::default(),
            Ok(Some(bytes)) => {
                let bytes = zeroize::Zeroizing::new(bytes);
                match TokenCache::from_bytes(&bytes) {
                    Ok(cache) => cache,
                    Err(e) => {
                        self.set_aside(now, &e.to_string())?;
                        TokenCache::default()
                    }
                }
            }
            Err(e) => {
                self.set_aside(now, &e.to_string())?;
                TokenCache::default()
            }
        };
        Ok(cache)
    }

    fn set_aside(&mut self, now: u64, why: &str) -> Result<(), Error> {
        let aside = self.file().quarantine(now)?;
        tracing::warn!(path = %aside.display(), "token cache set aside: {why}");
        self.warning = Some(format!(
            "The token cache could not be read ({why}). It was kept as {} and you need to sign in again.",
            aside.display()
        ));
        Ok(())
    }
}
