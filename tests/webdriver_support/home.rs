//! The app's environment for one test.

use std::path::{Path, PathBuf};

use lanyard_testkit::stack::{bin_path, Stack};

use super::{Driver, APP};

/// The app's surroundings for one test: the stack's config and cache, a private home
/// (preferences, WebKit data), the scripted browser and the user it signs in as. The same
/// `AppHome` launched twice is the same installation started twice.
pub struct AppHome {
    home: tempfile::TempDir,
    config: PathBuf,
    cache_dir: PathBuf,
    browser: PathBuf,
    extra_envs: Vec<(String, String)>,
}

impl AppHome {
    /// A home for the app on `stack`, with `lanyard-test-browser` signing in as alice.
    pub fn new(stack: &Stack) -> AppHome {
        let home = tempfile::tempdir().unwrap();
        for dir in ["config", "data", "cache"] {
            std::fs::create_dir_all(home.path().join(dir)).unwrap();
        }
        let app_home = AppHome {
            config: stack.write_config().expect("config file"),
            cache_dir: stack.cache_dir(),
            browser: bin_path("lanyard-test-browser"),
            extra_envs: Vec::new(),
            home,
        };
        app_home.set_user("alice", "alice-password");
        app_home
    }

    /// One more environment variable for the app (and the browser it launches).
    pub fn with_env(mut self, key: &str, value: &str) -> AppHome {
        self.extra_envs.push((key.into(), value.into()));
        self
    }

    /// Another configuration file, with its cache directory (`LANYARD_CACHE_DIR`).
    pub fn with_config(mut self, config: PathBuf, cache_dir: PathBuf) -> AppHome {
        self.config = config;
        self.cache_dir = cache_dir;
        self
    }

    /// The browser the app launches: `program` gets the authorize URL as its only argument.
    pub fn with_browser(mut self, program: PathBuf) -> AppHome {
        self.browser = program;
        self
    }

    /// Who the scripted browser signs in as at its next launch.
    pub fn set_user(&self, user: &str, password: &str) {
        std::fs::write(self.user_file(), format!("{user} {password}\n")).expect("the user file");
    }

    /// The file `lanyard-test-browser` reads its user from (`LANYARD_TEST_USER_FILE`).
    pub fn user_file(&self) -> PathBuf {
        self.home.path().join("user")
    }

    /// The test's private directory (for scripts and marker files).
    pub fn dir(&self) -> &Path {
        self.home.path()
    }

    /// The app's `XDG_DATA_HOME` (its preferences live below).
    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// The token cache directory.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// The environment the app runs with.
    pub fn envs(&self) -> Vec<(String, String)> {
        let dir = |d: &str| self.home.path().join(d).display().to_string();
        vec![
            ("LANYARD_CONFIG".into(), self.config.display().to_string()),
            (
                "LANYARD_CACHE_DIR".into(),
                self.cache_dir.display().to_string(),
            ),
            ("LANYARD_BROWSER".into(), self.browser.display().to_string()),
            (
                "LANYARD_TEST_USER_FILE".into(),
                self.user_file().display().to_string(),
            ),
            // The app's preferences and WebKit's data stay in the test's directory.
            ("XDG_CONFIG_HOME".into(), dir("config")),
            ("XDG_DATA_HOME".into(), dir("data")),
            ("XDG_CACHE_HOME".into(), dir("cache")),
        ]
        .into_iter()
        .chain(self.extra_envs.iter().cloned())
        .collect()
    }

    /// Starts tauri-driver for this home; each [`Driver::launch`] starts the app once.
    pub fn driver(&self) -> Driver {
        Driver::start(APP, &self.envs())
    }

    /// Writes an executable shell script `name` into the test's directory and returns it.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.home.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}
