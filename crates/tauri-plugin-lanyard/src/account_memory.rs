//! Which account a UI shows: the one used last, remembered by the host (Lanyard keeps it in
//! its preferences file; the default keeps it in memory for the run).

use std::sync::Mutex;

/// Where the account used last is remembered. Failures to save are the implementation's to
/// log; they are never fatal.
pub trait AccountMemory: Send + Sync {
    /// The account id used last, if any.
    fn last_account(&self) -> Option<String>;
    /// Remembers (or, with `None`, forgets) the account id used last.
    fn set_last_account(&self, id: Option<&str>);
}

/// The account used last, in memory for this run.
#[derive(Debug, Default)]
pub struct InMemoryAccountMemory {
    last_account: Mutex<Option<String>>,
}

impl AccountMemory for InMemoryAccountMemory {
    fn last_account(&self) -> Option<String> {
        self.last_account
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_last_account(&self, id: Option<&str>) {
        *self.last_account.lock().unwrap_or_else(|p| p.into_inner()) = id.map(str::to_owned);
    }
}
