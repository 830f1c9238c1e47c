//! The token cache: an in-memory model indexed by typed keys, persisted as one AEAD-sealed
//! file ([`SealedFile`]) whose key ([`CacheKey`]) lives in the OS secret store ([`OsKeyStore`],
//! or any [`KeyStore`]); exported to and imported from MSAL's unified token cache JSON
//! ([`Engine::export_msal`](crate::Engine::export_msal),
//! [`Engine::import_msal`](crate::Engine::import_msal), [`ImportReport`]).

mod keystore;
mod model;
mod msal;
mod sealed;

pub use keystore::{CacheKey, KeyStore, MemoryKeyStore, OsKeyStore};
pub(crate) use model::{
    AccessKey, AccessRecord, AccountKey, AccountRecord, IdTokenKey, IdTokenRecord, IdTokenSecret,
    RefreshKey, TokenCache,
};
pub(crate) use msal::{export as export_msal, ApiTarget, ImportScope, MsalCache};
pub use msal::{ImportReport, SkippedEntries};
pub(crate) use sealed::create_private_dir;
#[cfg(feature = "bench-support")]
pub(crate) use sealed::seal;
pub use sealed::SealedFile;

#[cfg(test)]
pub(crate) mod tests;
