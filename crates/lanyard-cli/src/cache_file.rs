//! `lanyard cache export|import --msal FILE`: MSAL unified-cache files on disk.

use std::io::Write;
use std::path::Path;

use lanyard::{Engine, Error};

use crate::args::CacheAction;
use crate::run::print_json;

/// Runs a `cache` subcommand.
pub async fn run(engine: &Engine, action: CacheAction) -> Result<(), Error> {
    match action {
        CacheAction::Export { msal, force } => {
            let json = engine.export_msal().await?;
            write_private(&msal, json.as_bytes(), force)?;
            eprintln!(
                "lanyard: warning: {} holds your access, refresh and ID tokens in plaintext \
                 (MSAL's cache format is not encrypted): keep it private and delete it when done",
                msal.display()
            );
            Ok(())
        }
        CacheAction::Import { msal } => {
            let json = std::fs::read_to_string(&msal).map_err(|e| Error::Config {
                field: "--msal".into(),
                message: format!("cannot read {}: {e}", msal.display()),
            })?;
            print_json(&engine.import_msal(&json).await?)
        }
    }
}

/// Writes `bytes` to a new file only the user can read (mode 0600), atomically: a temp file
/// beside `path`, then renamed onto it. An existing `path` is replaced only with `force`.
fn write_private(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    let io = |what: &str, e: std::io::Error| {
        Error::Cache(format!("cannot {what} {}: {e}", path.display()))
    };
    if !force && path.symlink_metadata().is_ok() {
        return Err(exists(path));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // tempfile creates the file with mode 0600 on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".lanyard-export")
        .tempfile_in(dir)
        .map_err(|e| io("create a temp file for", e))?;
    tmp.write_all(bytes).map_err(|e| io("write", e))?;
    tmp.as_file().sync_all().map_err(|e| io("sync", e))?;
    let persisted = if force {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(e) => Err(io("write", e.error)),
    }
}

fn exists(path: &Path) -> Error {
    Error::Config {
        field: "--msal".into(),
        message: format!("{} exists; pass --force to replace it", path.display()),
    }
}
