//! One AEAD-sealed file, written atomically (temp file, fsync, rename, fsync of the directory).
//!
//! Envelope: `MAGIC` (8 bytes) | format version (u16, big endian) | XChaCha20 nonce (24 bytes) |
//! ciphertext + Poly1305 tag. The magic and version are authenticated as associated data.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::keystore::CacheKey;
use crate::error::Error;

const MAGIC: &[u8; 8] = b"LANYARD\0";
const VERSION: u16 = 1;
const HEADER_LEN: usize = MAGIC.len() + 2;
const NONCE_LEN: usize = 24;

/// A sealed file at a path.
#[derive(Clone, Debug)]
pub struct SealedFile {
    path: PathBuf,
}

impl SealedFile {
    /// The sealed file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SealedFile { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads and opens the file; `Ok(None)` when it does not exist.
    pub fn load(&self, key: &CacheKey) -> Result<Option<Vec<u8>>, Error> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::Cache(format!(
                    "cannot read {}: {e}",
                    self.path.display()
                )))
            }
        };
        self.open(key, &bytes).map(Some)
    }

    /// Opens sealed bytes read from this file (checks the envelope, decrypts, authenticates).
    pub fn open(&self, key: &CacheKey, sealed: &[u8]) -> Result<Vec<u8>, Error> {
        open(key, sealed)
    }

    /// Seals `plaintext` and replaces the file atomically and durably.
    pub fn save(&self, key: &CacheKey, plaintext: &[u8]) -> Result<(), Error> {
        let sealed = seal(key, plaintext)?;
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let io = |what: &str, e: std::io::Error| {
            Error::Cache(format!("{what} {}: {e}", self.path.display()))
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(&self.temp_prefix())
            .tempfile_in(dir)
            .map_err(|e| io("cannot create a temp file for", e))?;
        tmp.write_all(&sealed).map_err(|e| io("cannot write", e))?;
        tmp.as_file().sync_all().map_err(|e| io("cannot sync", e))?;
        tmp.persist(&self.path)
            .map_err(|e| io("cannot replace", e.error))?;
        sync_dir(dir);
        Ok(())
    }

    /// Removes temp files that writers killed mid-write left beside the file (they hold only
    /// ciphertext, but pile up). Call it only while no one else writes (under the cache lock).
    pub fn remove_stale_temp_files(&self) -> usize {
        let (Some(dir), prefix) = (self.path.parent(), self.temp_prefix()) else {
            return 0;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .filter(|e| fs::remove_file(e.path()).is_ok())
            .count()
    }

    fn temp_prefix(&self) -> String {
        format!(
            ".{}.tmp",
            self.path.file_name().unwrap_or_default().to_string_lossy()
        )
    }

    /// Moves the file aside (`<name>.bad-<unix seconds>`) and returns the new path.
    pub fn quarantine(&self, now: u64) -> Result<PathBuf, Error> {
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let aside = (0..)
            .map(|n| match n {
                0 => self.path.with_file_name(format!("{name}.bad-{now}")),
                n => self.path.with_file_name(format!("{name}.bad-{now}-{n}")),
            })
            .find(|p| !p.exists())
            .expect("an unused name");
        fs::rename(&self.path, &aside)
            .map_err(|e| Error::Cache(format!("cannot move {} aside: {e}", self.path.display())))?;
        Ok(aside)
    }
}

fn header() -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..MAGIC.len()].copy_from_slice(MAGIC);
    h[MAGIC.len()..].copy_from_slice(&VERSION.to_be_bytes());
    h
}

fn cipher(key: &CacheKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.bytes().into())
}

/// Seals `plaintext` into the envelope.
pub(crate) fn seal(key: &CacheKey, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let header = header();
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = cipher(key)
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: &header,
            },
        )
        .map_err(|_| Error::Cache("encryption failed".into()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

fn open(key: &CacheKey, bytes: &[u8]) -> Result<Vec<u8>, Error> {
    if bytes.len() < HEADER_LEN + NONCE_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Error::Cache(
            "the cache file is not a Lanyard cache (truncated or corrupt)".into(),
        ));
    }
    let version = u16::from_be_bytes([bytes[MAGIC.len()], bytes[MAGIC.len() + 1]]);
    if version != VERSION {
        return Err(Error::Cache(format!(
            "the cache file has format version {version}; this Lanyard reads version {VERSION}"
        )));
    }
    let (header, rest) = bytes.split_at(HEADER_LEN);
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    cipher(key)
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: header,
            },
        )
        .map_err(|_| {
            Error::Cache("the cache file cannot be decrypted (corrupt, or another key)".into())
        })
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Error::Cache(format!("cannot create {}: {e}", dir.display())))
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable on POSIX; not possible (nor needed) on Windows.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
