//! User preferences that are not secrets: the last account used. Kept with
//! tauri-plugin-store in `preferences.json` (app data dir); tests use [`MemoryPreferences`].

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tauri::Runtime;
use tauri_plugin_store::Store;

/// The store file, under the app data directory.
pub const STORE_FILE: &str = "preferences.json";
/// The key of the last account id.
const LAST_ACCOUNT: &str = "lastAccountId";

/// Where preferences live. Failures to save are logged, never fatal.
pub trait Preferences: Send + Sync {
    /// The account id used last, if any.
    fn last_account(&self) -> Option<String>;
    /// Remembers (or, with `None`, forgets) the account id used last.
    fn set_last_account(&self, id: Option<&str>);
}

/// Preferences in tauri-plugin-store.
pub struct StorePreferences<R: Runtime> {
    store: Arc<Store<R>>,
}

impl<R: Runtime> StorePreferences<R> {
    /// Opens (or creates) [`STORE_FILE`] for `app`.
    pub fn open(app: &tauri::AppHandle<R>) -> Result<Self, tauri_plugin_store::Error> {
        use tauri_plugin_store::StoreExt;
        Ok(StorePreferences {
            store: app.store(STORE_FILE)?,
        })
    }
}

impl<R: Runtime> Preferences for StorePreferences<R> {
    fn last_account(&self) -> Option<String> {
        match self.store.get(LAST_ACCOUNT) {
            Some(Value::String(id)) => Some(id),
            _ => None,
        }
    }

    fn set_last_account(&self, id: Option<&str>) {
        match id {
            Some(id) => self.store.set(LAST_ACCOUNT, id),
            None => {
                self.store.delete(LAST_ACCOUNT);
            }
        }
        if let Err(e) = self.store.save() {
            tracing::warn!(error = %e, "cannot save the preferences");
        }
    }
}

/// Preferences in memory, for tests and for a failed store.
#[derive(Debug, Default)]
pub struct MemoryPreferences {
    last_account: Mutex<Option<String>>,
}

impl Preferences for MemoryPreferences {
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
