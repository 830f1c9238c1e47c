//! A Tauri app driven over WebDriver: `tauri-driver` (+ WebKitWebDriver) on free ports,
//! sessions (one per app start) that always end, and helpers any such test needs.
//!
//! ```no_run
//! # async fn demo() {
//! use lanyard_testkit::webdriver::{should_run, Driver};
//! if !should_run() {
//!     return;
//! }
//! // In an integration test of the app's package: cargo builds the binary first.
//! let driver = Driver::start("target/debug/my-app", &[("HOME".into(), "/tmp/h".into())]);
//! let app = driver.launch().await;
//! app.step(|session| async move { session.title().await }).await;
//! app.quit().await;
//! # }
//! ```
//!
//! Needs an X display, `tauri-driver` (`$TAURI_DRIVER`, else from `PATH`) and `WebKitWebDriver`;
//! `scripts/test.sh` runs the tests under Xvfb with a session bus and a Secret Service.

use std::future::Future;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use thirtyfour::prelude::*;

/// `tauri-driver` on free ports; killed on drop.
pub struct TauriDriver {
    child: Child,
    port: u16,
}

impl TauriDriver {
    /// Starts `tauri-driver` (`$TAURI_DRIVER`, else from `PATH`) with `envs`, which the app
    /// inherits, and waits until it and WebKitWebDriver listen.
    pub fn start(envs: &[(String, String)]) -> TauriDriver {
        let port = free_port();
        let native_port = free_port();
        let program = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut command = Command::new(&program);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdin(Stdio::null());
        // tauri:options has no `env` (tauri-driver 2.1): the app inherits these through
        // tauri-driver and WebKitWebDriver.
        for (k, v) in envs {
            command.env(k, v);
        }
        let child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {program} (cargo install tauri-driver --locked --version 2.1.0): {e}"
            )
        });
        let driver = TauriDriver { child, port };
        // tauri-driver listens before WebKitWebDriver does: wait for both.
        wait_for_port(port);
        wait_for_port(native_port);
        driver
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// tauri-driver's process id (the app runs below it: tauri-driver, WebKitWebDriver, app).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for TauriDriver {
    /// SIGTERM first: tauri-driver then stops WebKitWebDriver too (SIGKILL would orphan it).
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits (up to 20 s) until something accepts connections on `port`.
pub fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// tauri-driver, ready to start one application.
pub struct Driver {
    tauri_driver: TauriDriver,
    application: PathBuf,
}

impl Driver {
    /// Starts tauri-driver with `envs` for `application`, the app binary's path (in an
    /// integration test of its package: `env!("CARGO_BIN_EXE_<name>")`).
    pub fn start(application: impl Into<PathBuf>, envs: &[(String, String)]) -> Driver {
        Driver {
            tauri_driver: TauriDriver::start(envs),
            application: application.into(),
        }
    }

    /// Starts the application (a new WebDriver session); its page may still be loading.
    pub async fn launch(&self) -> App {
        let mut caps = Capabilities::new();
        caps.set(
            "tauri:options",
            json!({ "application": self.application, "args": [] }),
        )
        .unwrap();
        let driver = WebDriver::new(self.tauri_driver.url(), caps)
            .await
            .expect("a WebDriver session");
        App { driver }
    }

    /// The application this driver starts.
    pub fn application(&self) -> &Path {
        &self.application
    }

    /// tauri-driver's process id.
    pub fn pid(&self) -> u32 {
        self.tauri_driver.pid()
    }
}

/// One run of the app (a WebDriver session).
pub struct App {
    driver: WebDriver,
}

impl App {
    /// The session, for callers that handle failures themselves (the figures bench).
    pub fn session(&self) -> &WebDriver {
        &self.driver
    }

    /// Runs `flow` on the app in a task, so that a failed assertion still ends the session
    /// (and the app): then the session is ended and the failure goes on.
    pub async fn step<T, F, Fut>(&self, flow: F) -> T
    where
        F: FnOnce(WebDriver) -> Fut,
        Fut: Future<Output = WebDriverResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        let outcome = tokio::spawn(flow(self.driver.clone())).await;
        let failure = match outcome {
            Ok(Ok(value)) => return value,
            Ok(Err(e)) => format!("the app flow: {e}"),
            Err(e) if e.is_panic() => {
                let _ = self.driver.clone().quit().await;
                std::panic::resume_unwind(e.into_panic())
            }
            Err(e) => format!("the app flow did not finish: {e}"),
        };
        let _ = self.driver.clone().quit().await;
        panic!("{failure}");
    }

    /// Ends the session: the app exits.
    pub async fn quit(self) {
        let _ = self.driver.quit().await;
    }
}

/// True when a WebDriver test can run; false (after saying why) when it is skipped. Panics if
/// `LANYARD_WEBDRIVER_REQUIRED` is set but there is no display.
pub fn should_run() -> bool {
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !display {
        assert!(
            std::env::var_os("LANYARD_WEBDRIVER_REQUIRED").is_none(),
            "LANYARD_WEBDRIVER_REQUIRED is set but there is no display (run under xvfb-run)"
        );
        eprintln!("skipped: no display (run scripts/test.sh, or set up Xvfb and a session bus)");
    }
    display
}

/// The element's rendered text (`innerText`). WebDriver's own Get Element Text answered ""
/// for every element here (WebKitWebDriver 2.50 under Xvfb; with or without freezePrototype).
pub async fn text_of(el: &WebElement) -> String {
    el.prop("innerText")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Saves a PNG screenshot to `path` (creating its directory) once WebKit has painted the
/// latest change (two animation frames: a screenshot taken at once may show an older frame).
pub async fn screenshot(driver: &WebDriver, path: &Path) -> WebDriverResult<()> {
    driver
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            Vec::new(),
        )
        .await?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("the screenshot directory");
    }
    driver.screenshot(path).await
}

/// The environment of an app whose "system browser" is the scripted user: a directory with an
/// `xdg-open` script that runs `lanyard-test-browser` (its log to `browser_log`) first on
/// `PATH`, and a private home (`HOME`, `XDG_CONFIG_HOME`, `XDG_DATA_HOME`, `XDG_CACHE_HOME`)
/// under `home` for the token cache and WebKit's data. tauri-driver passes it to the app.
pub fn scripted_user_env(home: &Path, browser_log: &Path) -> Vec<(String, String)> {
    use std::os::unix::fs::PermissionsExt;
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).expect("the script directory");
    if let Some(dir) = browser_log.parent() {
        std::fs::create_dir_all(dir).expect("the log directory");
    }
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' \"$1\" 2>'{}'\n",
            crate::stack::bin_path("lanyard-test-browser").display(),
            browser_log.display()
        ),
    )
    .expect("the xdg-open script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .expect("an executable script");
    let path = std::env::var("PATH").unwrap_or_default();
    let dir = |d: &str| {
        let dir = home.join(d);
        std::fs::create_dir_all(&dir).expect("a home directory");
        dir.display().to_string()
    };
    vec![
        ("PATH".into(), format!("{}:{path}", bin.display())),
        ("HOME".into(), home.display().to_string()),
        ("XDG_CONFIG_HOME".into(), dir("config")),
        ("XDG_DATA_HOME".into(), dir("data")),
        ("XDG_CACHE_HOME".into(), dir("cache")),
    ]
}
