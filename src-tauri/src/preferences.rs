//! User preferences that are not secrets: the last account used, kept with
//! tauri-plugin-store in `preferences.json` (app data dir) as the plugin's account memory.

use std::sync::Arc;

use serde_json::Value;
use tauri::Runtime;
use tauri_plugin_lanyard::AccountMemory;
use tauri_plugin_store::Store;

/// The store file, under the app data directory.
pub const STORE_FILE: &str = "preferences.json";
/// The key of the last account id.
const LAST_ACCOUNT: &str = "lastAccountId";

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

impl<R: Runtime> AccountMemory for StorePreferences<R> {
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
