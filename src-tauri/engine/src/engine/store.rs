//! The engine's handle on the persistent cache: loads it lazily, seals it after each change,
//! and sets a broken cache file aside instead of failing.

use std::path::PathBuf;
use std::sync::Arc;

use crate::cache::{CacheKey, KeyStore, SealedFile, TokenCache};
use crate::error::Error;

/// The cache file's name inside the cache directory.
pub(crate) const CACHE_FILE: &str = "tokens.lanyard";

pub(crate) struct CacheStore {
    file: SealedFile,
    key_store: Arc<dyn KeyStore>,
    loaded: Option<(TokenCache, CacheKey)>,
    warning: Option<String>,
}

impl CacheStore {
    pub fn new(dir: PathBuf, key_store: Arc<dyn KeyStore>) -> Self {
        CacheStore {
            file: SealedFile::new(dir.join(CACHE_FILE)),
            key_store,
            loaded: None,
            warning: None,
        }
    }

    /// The key store's entry id: the cache file's path, so separate caches get separate keys.
    fn key_id(&self) -> String {
        self.file.path().display().to_string()
    }

    /// The cache, loaded on first use.
    pub fn get(&mut self, now: u64) -> Result<&mut TokenCache, Error> {
        if self.loaded.is_none() {
            self.loaded = Some(self.load(now)?);
        }
        Ok(&mut self.loaded.as_mut().expect("just loaded").0)
    }

    /// Seals the cache to disk.
    pub fn save(&mut self) -> Result<(), Error> {
        let Some((cache, key)) = &self.loaded else {
            return Ok(());
        };
        let bytes = zeroize::Zeroizing::new(cache.to_bytes()?);
        self.file.save(key, &bytes)
    }

    /// A problem met while loading (the file was set aside), once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    fn load(&mut self, now: u64) -> Result<(TokenCache, CacheKey), Error> {
        let id = self.key_id();
        let key = match self.key_store.load(&id)? {
            Some(key) => key,
            None => {
                if self.file.path().exists() {
                    self.set_aside(now, "its key is missing from the secret store")?;
                }
                let key = CacheKey::generate();
                self.key_store.store(&id, &key)?;
                key
            }
        };
        let cache = match self.file.load(&key) {
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
        Ok((cache, key))
    }

    fn set_aside(&mut self, now: u64, why: &str) -> Result<(), Error> {
        let aside = self.file.quarantine(now)?;
        tracing::warn!(path = %aside.display(), "token cache set aside: {why}");
        self.warning = Some(format!(
            "The token cache could not be read ({why}). It was kept as {} and you need to sign in again.",
            aside.display()
        ));
        Ok(())
    }
}
