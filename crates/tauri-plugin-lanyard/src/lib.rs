//! Sign-in and API calls for Tauri 2 apps, on the [`lanyard`] engine: one sign-in in the
//! system browser (authorization code + PKCE, loopback redirect) with the Microsoft identity
//! platform or any OpenID Connect provider, consent for several web APIs in that one prompt,
//! the other APIs' tokens silently from the refresh token, API calls from Rust, an encrypted
//! token cache. **Tokens never enter the webview**: commands and events carry accounts, token
//! metadata and API answers only.
//!
//! # Three steps
//!
//! 1. Register the plugin, with the configuration in code or in `tauri.conf.json` under
//!    `plugins.lanyard` (the same fields as Lanyard's TOML):
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = lanyard::Config::from_toml(r#"
//!     authority = "https://login.microsoftonline.com/organizations/v2.0"
//!     client_id = "00000000-0000-0000-0000-000000000000"
//!     [[apis]]
//!     name = "customer"
//!     base_url = "https://customer.example.com/"
//!     scopes = ["api://customer/customer.read"]
//!     [[apis]]
//!     name = "vendor"
//!     base_url = "https://vendor.example.com/"
//!     scopes = ["api://vendor/vendor.read"]
//! "#)?;
//! tauri::Builder::default()
//!     .plugin(tauri_plugin_lanyard::Builder::new().config(config).build())
//!     # ;
//! # Ok(())
//! # }
//! ```
//!
//! 2. Grant the window the plugin's default permissions in a capability:
//!    `"permissions": ["lanyard:default"]`. To limit which APIs a window may use, scope
//!    `call_api`, `token_info` and `grant_access` (see [`scope`]).
//!
//! 3. Call it from the page with the `tauri-plugin-lanyard-api` package:
//!
//! ```js
//! import { signIn, callApi } from "tauri-plugin-lanyard-api";
//! const { account } = await signIn();
//! const orders = await callApi(account.id, "vendor", "/orders");
//! ```
//!
//! Rust code of the host uses the same operations through [`LanyardExt`]:
//! `app.lanyard().call_api(&account_id, "vendor", "/orders").await`.
//!
//! Events (signed in, signed out, token refreshed, connection) reach the windows that
//! subscribe (`onSignedIn` and the like, over their own IPC channel) and
//! [`Builder::on_event`].
//!
//! Failures cross as [`IpcError`] (`{ kind, message, reason?, api?, retryAfterSecs?,
//! correlationId? }`, with the engine's [`lanyard::ErrorKind`] and
//! [`lanyard::InteractionReason`]); events are listed in [`events`].

#![warn(missing_docs)]

mod account_memory;
mod commands;
pub mod dto;
pub mod error;
pub mod events;
mod main_thread;
pub mod scope;
mod service;
mod state;
mod tauri_conf;
#[cfg(feature = "ts")]
pub mod ts;
pub mod validate;

#[cfg(all(test, feature = "ts"))]
mod bindings;

use std::sync::Arc;

use lanyard::{AppIdentity, Config, Engine};
use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime};

pub use account_memory::{AccountMemory, InMemoryAccountMemory};
pub use commands::NAMES as COMMANDS;
pub use error::IpcError;
pub use events::Event;
pub use state::{ErrorHook, Lanyard};

/// The plugin's name: commands are `plugin:lanyard|<command>`, permissions `lanyard:<id>`,
/// its configuration `plugins.lanyard` in `tauri.conf.json`.
pub const PLUGIN_NAME: &str = "lanyard";

/// The plugin's configuration in `tauri.conf.json > plugins.lanyard`, if any: the fields of a
/// [`lanyard::Config`] (read when the plugin starts; a bad one becomes the configuration
/// error every command reports).
pub type PluginConfig = Option<serde_json::Value>;

/// Where the engine comes from.
enum Source {
    /// `tauri.conf.json > plugins.lanyard`.
    TauriConf,
    /// A configuration given in code.
    Config(Box<Config>),
    /// An engine made by the host (its own dependencies).
    Engine(Engine),
    /// The host could not make a configuration: every command reports this.
    Unconfigured(IpcError),
}

/// Builds the plugin.
pub struct Builder {
    source: Source,
    identity: Option<AppIdentity>,
    account_memory: Option<Arc<dyn AccountMemory>>,
    on_error: Option<ErrorHook>,
    on_event: Option<events::EventSink>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A plugin configured from `tauri.conf.json > plugins.lanyard`, unless a configuration
    /// or an engine is given.
    pub fn new() -> Self {
        Builder {
            source: Source::TauriConf,
            identity: None,
            account_memory: None,
            on_error: None,
            on_event: None,
        }
    }

    /// Uses `config` (with the production dependencies).
    pub fn config(mut self, config: Config) -> Self {
        self.source = Source::Config(Box::new(config));
        self
    }

    /// The app's identity: the name on the sign-in pages, the keyring service and the cache's
    /// directory and file. Default: from `tauri.conf.json` (`identifier` as the app id,
    /// `productName` as the name), so two apps never share a cache, a lock or a key.
    pub fn identity(mut self, identity: AppIdentity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Uses an engine the host made, e.g. with dependencies of its own (its identity is the
    /// engine's).
    pub fn engine(mut self, engine: Engine) -> Self {
        self.source = Source::Engine(engine);
        self
    }

    /// Starts without a configuration: every command fails with a `configuration` error
    /// carrying `message` (a UI can show it from `info`).
    pub fn unconfigured(mut self, message: impl Into<String>) -> Self {
        self.source = Source::Unconfigured(IpcError::configuration(message));
        self
    }

    /// Remembers the account used last in `memory` (default: in memory for the run).
    pub fn account_memory(mut self, memory: Arc<dyn AccountMemory>) -> Self {
        self.account_memory = Some(memory);
        self
    }

    /// Calls `hook` with the name and error of every failed command.
    pub fn on_command_error(
        mut self,
        hook: impl Fn(&str, &IpcError) + Send + Sync + 'static,
    ) -> Self {
        self.on_error = Some(Arc::new(hook));
        self
    }

    /// Calls `listener` with every event the plugin sends (Rust code of the host; windows
    /// subscribe with `subscribe`).
    pub fn on_event(mut self, listener: impl Fn(Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(listener));
        self
    }

    /// The plugin.
    pub fn build<R: Runtime>(self) -> TauriPlugin<R, PluginConfig> {
        let Builder {
            source,
            identity,
            account_memory,
            on_error,
            on_event,
        } = self;
        tauri::plugin::Builder::<R, PluginConfig>::new(PLUGIN_NAME)
            // A cache hit for `token_info` is answered where the request arrives; the rest
            // goes to the commands.
            .invoke_handler(|invoke| main_thread::answer_or(invoke, commands::handler()))
            .setup(move |app, api| {
                let identity_given = identity.is_some();
                if !matches!(source, Source::TauriConf) && api.config().is_some() {
                    tracing::warn!(
                        "plugins.lanyard in tauri.conf.json is ignored: the Builder was given \
                         the configuration"
                    );
                }
                let identity = || match identity {
                    Some(identity) => Ok(identity),
                    None => tauri_conf::identity(app.config()),
                };
                let engine = match source {
                    Source::TauriConf => tauri_conf::config(api.config().as_ref())
                        .and_then(|config| production_engine(*config, identity()?)),
                    Source::Config(config) => production_engine(*config, identity()?),
                    Source::Engine(engine) => {
                        if identity_given {
                            tracing::warn!("Builder::identity is ignored: the engine has its own");
                        }
                        Ok(engine)
                    }
                    Source::Unconfigured(error) => Err(error),
                };
                if let Err(e) = &engine {
                    tracing::error!(error = %e.message, "lanyard is not configured");
                }
                // The cache key comes from the OS secret store: fetch it and decrypt the
                // cache while the webview starts, not when the UI first asks.
                if let Ok(engine) = &engine {
                    let engine = engine.clone();
                    tauri::async_runtime::spawn(async move { engine.warm_up().await });
                }
                let mut state = Lanyard::new(engine);
                if let Some(memory) = account_memory {
                    state = state.with_account_memory(memory);
                }
                if let Some(hook) = on_error {
                    state = state.with_error_hook(hook);
                }
                if let Some(listener) = on_event {
                    state = state.with_events(listener);
                }
                app.manage(state);
                Ok(())
            })
            .build()
    }
}

/// The plugin configured from `tauri.conf.json > plugins.lanyard`.
pub fn init<R: Runtime>() -> TauriPlugin<R, PluginConfig> {
    Builder::new().build()
}

/// The engine with the production dependencies; every failure is a configuration error.
fn production_engine(config: Config, identity: AppIdentity) -> Result<Engine, IpcError> {
    Engine::builder(config, identity)
        .build()
        .map_err(|e| IpcError::configuration(e.to_string()))
}

/// The plugin's state for Rust code of the host: `app.lanyard().call_api(..)`.
pub trait LanyardExt<R: Runtime> {
    /// The plugin's [`Lanyard`] state (panics if the plugin was not registered).
    fn lanyard(&self) -> &Lanyard;
}

impl<R: Runtime, T: Manager<R>> LanyardExt<R> for T {
    fn lanyard(&self) -> &Lanyard {
        self.state::<Lanyard>().inner()
    }
}
