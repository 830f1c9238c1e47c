//! Opening the authorize URL in a browser, injected so tests and scripts can drive sign-in.

use std::process::{Command, Stdio};
use std::sync::Arc;

use url::Url;

use crate::config::Config;
use crate::error::Error;

/// Something that shows the user the authorize URL.
pub trait BrowserOpener: Send + Sync {
    /// Opens `url`. Returns once the browser was started, not when the user is done.
    fn open(&self, url: &Url) -> Result<(), Error>;
}

/// The system's default browser (`xdg-open`, `open`, `start`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), Error> {
        open::that_detached(url.as_str()).map_err(|e| Error::Config {
            field: "browser".into(),
            message: format!("cannot open the system browser: {e}; set `browser`"),
        })
    }
}

/// A program given the URL as its only argument (no shell involved).
#[derive(Clone, Debug)]
pub struct CommandBrowser {
    program: String,
}

impl CommandBrowser {
    /// A browser started as `program <url>`.
    pub fn new(program: impl Into<String>) -> Self {
        CommandBrowser {
            program: program.into(),
        }
    }
}

impl BrowserOpener for CommandBrowser {
    fn open(&self, url: &Url) -> Result<(), Error> {
        let mut child = Command::new(&self.program)
            .arg(url.as_str())
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| {
                Error::config("browser", format!("cannot start {:?}: {e}", self.program))
            })?;
        // Reap the child whenever it exits, without blocking the sign-in.
        std::thread::spawn(move || {
            let _ = child.wait();
        });
        Ok(())
    }
}

/// The configured browser (`browser`), else the system browser.
pub fn from_config(config: &Config) -> Arc<dyn BrowserOpener> {
    match &config.browser {
        Some(program) => Arc::new(CommandBrowser::new(program.clone())),
        None => Arc::new(SystemBrowser),
    }
}
