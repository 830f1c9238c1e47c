//! The token cache: an in-memory model indexed by typed keys ([`model`]), persisted as one
//! AEAD-sealed file ([`sealed`]) whose key lives in the OS secret store ([`keystore`]).

mod keystore;
mod model;
mod sealed;

pub use keystore::{CacheKey, KeyStore, OsKeyStore};
pub(crate) use model::{
    AccessKey, AccessRecord, AccountKey, AccountRecord, RefreshKey, TokenCache,
};
pub use sealed::SealedFile;

#[cfg(test)]
pub(crate) mod tests;
