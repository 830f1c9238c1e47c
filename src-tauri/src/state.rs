//! The state every command shares: the engine (or why there is none) and the preferences.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use lanyard::{AccountId, Challenge, Engine};
use lanyard_diagnostics::recent::RecentErrors;

use crate::error::IpcError;
use crate::preferences::Preferences;

/// Managed by Tauri; the service functions take `&AppState`.
pub struct AppState {
    engine: Result<Engine, IpcError>,
    config_path: Option<PathBuf>,
    preferences: Arc<dyn Preferences>,
    /// The cache warning, once taken from the engine, so every later reply can show it.
    cache_warning: Mutex<Option<String>>,
    /// The last challenge each account's calls to each API met, for `grant_access`.
    challenges: Mutex<HashMap<(AccountId, String), Challenge>>,
    /// The last command errors, for the diagnostics report.
    recent_errors: RecentErrors,
    /// Values seen that name a person (account ids, user names, names, tenant ids), hidden in
    /// the diagnostics report even after the account is gone.
    personal: Mutex<BTreeSet<String>>,
}

impl AppState {
    /// A state around an engine (or the configuration error that stopped one being made).
    pub fn new(
        engine: Result<Engine, IpcError>,
        config_path: Option<PathBuf>,
        preferences: Arc<dyn Preferences>,
    ) -> Self {
        AppState {
            engine,
            config_path,
            preferences,
            cache_warning: Mutex::new(None),
            challenges: Mutex::default(),
            recent_errors: RecentErrors::default(),
            personal: Mutex::new(BTreeSet::new()),
        }
    }

    /// Loads the configuration at `path` (or keeps `path`'s error) and makes a production
    /// engine. Never fails: a problem becomes the configuration error every command returns.
    pub fn load(path: Result<PathBuf, String>, preferences: Arc<dyn Preferences>) -> Self {
        match path {
            Ok(path) => {
                let engine = production_engine(&path);
                if let Err(e) = &engine {
                    tracing::error!(config = %path.display(), error = %e.message, "configuration not usable");
                }
                AppState::new(engine, Some(path), preferences)
            }
            Err(message) => {
                tracing::error!(%message, "configuration not found");
                AppState::new(Err(IpcError::configuration(message)), None, preferences)
            }
        }
    }

    /// Remembers the challenge a call of `account` met (replacing an older one for that API).
    pub fn remember_challenge(&self, account: &AccountId, challenge: Challenge) {
        self.challenges_lock()
            .insert((account.clone(), challenge.api.clone()), challenge);
    }

    /// The challenge remembered for `account` and `api`, if any.
    pub fn challenge(&self, account: &AccountId, api: &str) -> Option<Challenge> {
        self.challenges_lock()
            .get(&(account.clone(), api.to_owned()))
            .cloned()
    }

    /// Forgets the challenge for `account` and `api` (it was resolved).
    pub fn forget_challenge(&self, account: &AccountId, api: &str) {
        self.challenges_lock()
            .remove(&(account.clone(), api.to_owned()));
    }

    fn challenges_lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(AccountId, String), Challenge>> {
        self.challenges
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The engine, or the configuration error.
    pub fn engine(&self) -> Result<&Engine, IpcError> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    /// The configuration file in use or that failed.
    pub fn config_path(&self) -> Option<&Path> {
        self.config_path.as_deref()
    }

    /// The preferences.
    pub fn preferences(&self) -> &dyn Preferences {
        &*self.preferences
    }

    /// The last command errors (the service records every failed command).
    pub fn recent_errors(&self) -> &RecentErrors {
        &self.recent_errors
    }

    /// Remembers values that name a person, to hide them in the diagnostics report.
    pub fn note_personal<I, S>(&self, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut personal = self.personal.lock().unwrap_or_else(|p| p.into_inner());
        personal.extend(values.into_iter().map(Into::into));
    }

    /// The values that name a person seen so far.
    pub fn personal_values(&self) -> Vec<String> {
        let personal = self.personal.lock().unwrap_or_else(|p| p.into_inner());
        personal.iter().cloned().collect()
    }

    /// Moves the engine's cache warning (reported once) into the state, and returns the
    /// warning seen so far.
    pub async fn cache_warning(&self) -> Option<String> {
        let fresh = match &self.engine {
            Ok(engine) => engine.take_cache_warning().await,
            Err(_) => None,
        };
        let mut kept = self.cache_warning.lock().unwrap_or_else(|p| p.into_inner());
        if fresh.is_some() {
            *kept = fresh;
        }
        kept.clone()
    }
}

/// Config file → production dependencies → engine; every failure is a configuration error.
fn production_engine(path: &Path) -> Result<Engine, IpcError> {
    let config =
        lanyard_product::load_config(path).map_err(|e| IpcError::configuration(e.to_string()))?;
    Engine::builder(config, lanyard_product::identity())
        .build()
        .map_err(|e| IpcError::configuration(e.to_string()))
}
