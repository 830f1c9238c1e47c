//! [`Lanyard`]: the state every command shares — the engine (or why there is none), the
//! host's account memory and hooks, the challenges met, and where events go. Managed by Tauri;
//! Rust code of the host reaches it with [`crate::LanyardExt`].

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use lanyard::{AccountId, Challenge, Engine};
use tauri::ipc::Channel;

use crate::account_memory::{AccountMemory, InMemoryAccountMemory};
use crate::error::IpcError;
use crate::events::{Event, EventSink};
use crate::scope::Allowed;

/// How many values that name a person a run remembers for redaction.
pub const MAX_PERSONAL_VALUES: usize = 1_000;

/// Called with the command's name and its error whenever a command fails (after logging).
pub type ErrorHook = Arc<dyn Fn(&str, &IpcError) + Send + Sync>;

/// The plugin's state. Its methods are what the commands do (see `service.rs`); they take
/// and return the same values as the commands, so Rust code and tests call them directly.
pub struct Lanyard {
    pub(crate) engine: Result<Engine, IpcError>,
    pub(crate) account_memory: Arc<dyn AccountMemory>,
    pub(crate) on_error: Option<ErrorHook>,
    pub(crate) events: Option<EventSink>,
    /// The cache warning, once taken from the engine, so every later reply can show it.
    cache_warning: Mutex<Option<String>>,
    /// The last challenge each account's calls to each API met, for `grant_access`.
    challenges: Mutex<HashMap<(AccountId, String), Challenge>>,
    /// Values seen that name a person (account ids, user names, names, tenant ids).
    personal: Mutex<BTreeSet<String>>,
    /// Whether the identity provider answered the last time it was asked (`None`: not yet).
    online: Mutex<Option<bool>>,
    /// The windows' event channels, with what each window's scope allows.
    subscribers: Mutex<Vec<(Channel<Event>, Allowed)>>,
}

impl Lanyard {
    /// A state around an engine, or around the configuration error that stopped one being
    /// made (every command then fails with it, and `info` reports it). Accounts are
    /// remembered in memory and no events are sent until set otherwise.
    pub fn new(engine: Result<Engine, IpcError>) -> Self {
        Lanyard {
            engine,
            account_memory: Arc::new(InMemoryAccountMemory::default()),
            on_error: None,
            events: None,
            cache_warning: Mutex::new(None),
            challenges: Mutex::default(),
            personal: Mutex::default(),
            online: Mutex::new(None),
            subscribers: Mutex::default(),
        }
    }

    /// Remembers the current account in `memory` (e.g. the host's preferences file).
    pub fn with_account_memory(mut self, memory: Arc<dyn AccountMemory>) -> Self {
        self.account_memory = memory;
        self
    }

    /// Calls `hook` with every failed command's name and error (e.g. for a support report).
    pub fn with_error_hook(mut self, hook: ErrorHook) -> Self {
        self.on_error = Some(hook);
        self
    }

    /// Also sends every event to `sink` (Rust code of the host, tests), whatever the windows'
    /// scopes.
    pub fn with_events(mut self, sink: EventSink) -> Self {
        self.events = Some(sink);
        self
    }

    /// The engine, or the configuration error.
    pub fn engine(&self) -> Result<&Engine, IpcError> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    /// The account memory.
    pub fn account_memory(&self) -> &dyn AccountMemory {
        &*self.account_memory
    }

    /// The values that name a person seen so far in this run (account ids, user names, names,
    /// tenant ids), to hide in a support report even after the account is gone.
    pub fn personal_values(&self) -> Vec<String> {
        lock(&self.personal).iter().cloned().collect()
    }

    /// Remembers values that name a person (checked ones only: account ids after validation,
    /// names from the cache), at most [`MAX_PERSONAL_VALUES`].
    pub(crate) fn note_personal<I, S>(&self, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut personal = lock(&self.personal);
        for value in values {
            if personal.len() >= MAX_PERSONAL_VALUES {
                break;
            }
            personal.insert(value.into());
        }
    }

    pub(crate) fn remember_challenge(&self, account: &AccountId, challenge: Challenge) {
        lock(&self.challenges).insert((account.clone(), challenge.api.clone()), challenge);
    }

    pub(crate) fn challenge(&self, account: &AccountId, api: &str) -> Option<Challenge> {
        lock(&self.challenges)
            .get(&(account.clone(), api.to_owned()))
            .cloned()
    }

    pub(crate) fn forget_challenge(&self, account: &AccountId, api: &str) {
        lock(&self.challenges).remove(&(account.clone(), api.to_owned()));
    }

    /// Moves the engine's cache warning (reported once) into the state, and returns the
    /// warning seen so far.
    pub async fn cache_warning(&self) -> Option<String> {
        let fresh = match &self.engine {
            Ok(engine) => engine.take_cache_warning().await,
            Err(_) => None,
        };
        let mut kept = lock(&self.cache_warning);
        if fresh.is_some() {
            *kept = fresh;
        }
        kept.clone()
    }

    /// Sends `event` to every subscribed window whose scope allows its API (dropping the
    /// channels of windows that are gone), and to the Rust sink.
    pub(crate) fn emit(&self, event: Event) {
        lock(&self.subscribers).retain(|(channel, allowed)| {
            if event.api().is_some_and(|api| !allowed.api(api)) {
                return true;
            }
            channel.send(event.clone()).is_ok()
        });
        if let Some(sink) = &self.events {
            sink(event);
        }
    }

    /// Sends the plugin's events to `channel` (a window's), filtered by `allowed`; returns the
    /// subscription's id.
    pub fn subscribe(&self, channel: Channel<Event>, allowed: Allowed) -> u32 {
        let id = channel.id();
        lock(&self.subscribers).push((channel, allowed));
        id
    }

    /// Ends the subscription `id`.
    pub fn unsubscribe(&self, id: u32) {
        lock(&self.subscribers).retain(|(channel, _)| channel.id() != id);
    }

    /// Records whether the provider answered; emits `lanyard://connection` on a change.
    pub(crate) fn set_online(&self, online: bool) {
        let changed = {
            let mut last = lock(&self.online);
            let changed = last.is_some_and(|was| was != online) || (last.is_none() && !online);
            *last = Some(online);
            changed
        };
        if changed {
            self.emit(Event::Connection(crate::events::ConnectionEvent { online }));
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
