//! The log subscriber of the app and the CLI: one filter, a rotated file, stderr on demand.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// The filter, `RUST_LOG` syntax (`debug`, `lanyard=trace,info`, ...).
pub const ENV_LOG: &str = "LANYARD_LOG";
/// The log directory, instead of the platform's.
pub const ENV_LOG_DIR: &str = "LANYARD_LOG_DIR";
/// `1` (or `true`, `yes`, `on`): log personal data (account ids, user names, API paths) as is.
pub const ENV_LOG_PII: &str = "LANYARD_LOG_PII";
/// `1` (or `true`, `yes`, `on`): log to stderr too; `0` (or `false`, `no`, `off`): never.
pub const ENV_LOG_STDERR: &str = "LANYARD_LOG_STDERR";
/// The filter when `LANYARD_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info";
/// How many daily files are kept; older ones are deleted by the appender.
pub const KEPT_FILES: usize = 7;

/// What to set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogSettings {
    /// The filter directives.
    pub filter: String,
    /// The log directory (`None`: no file).
    pub dir: Option<PathBuf>,
    /// The files' name before the date: `<prefix>.YYYY-MM-DD.log`.
    pub file_prefix: String,
    /// Personal data as is in the logs.
    pub pii: bool,
    /// Also log to stderr.
    pub stderr: bool,
}

impl LogSettings {
    /// The settings of program `prefix` from the environment: `LANYARD_LOG`, `LANYARD_LOG_DIR`
    /// (else [`default_dir`]), `LANYARD_LOG_PII`, `LANYARD_LOG_STDERR` (else `stderr_default`).
    pub fn from_env(prefix: &str, stderr_default: bool) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        LogSettings {
            filter: var(ENV_LOG).unwrap_or_else(|| DEFAULT_FILTER.to_owned()),
            dir: var(ENV_LOG_DIR).map(PathBuf::from).or_else(default_dir),
            file_prefix: prefix.to_owned(),
            pii: var(ENV_LOG_PII).and_then(|v| flag(&v)).unwrap_or(false),
            stderr: var(ENV_LOG_STDERR)
                .and_then(|v| flag(&v))
                .unwrap_or(stderr_default),
        }
    }
}

/// `1/true/yes/on` or `0/false/no/off`, any case.
fn flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// `<state dir>/lanyard/logs` (`~/.local/state/lanyard/logs` on Linux), else
/// `<local data dir>/lanyard/logs` (macOS `~/Library/Application Support`, Windows
/// `%LOCALAPPDATA%`).
pub fn default_dir() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("lanyard").join("logs"))
}

/// What [`init`] set up, for the user (the app's footer, `lanyard diagnostics`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogInfo {
    /// The settings asked for.
    pub settings: LogSettings,
    /// The directory the log file is in, if there is a file.
    pub dir: Option<PathBuf>,
    /// What did not work (bad filter, no log directory), in words.
    pub problems: Vec<String>,
}

impl LogInfo {
    /// The file name pattern, `<prefix>.YYYY-MM-DD.log`.
    pub fn file_pattern(&self) -> String {
        format!("{}.YYYY-MM-DD.log", self.settings.file_prefix)
    }

    /// The newest log file of this program, if any.
    pub fn newest_file(&self) -> Option<PathBuf> {
        newest_file(self.dir.as_deref()?, &self.settings.file_prefix)
    }
}

/// The newest `<prefix>.*.log` in `dir` (the dates sort by name).
pub fn newest_file(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let head = format!("{prefix}.");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&head) && n.ends_with(".log"))
        })
        .max()
}

static CURRENT: OnceLock<LogInfo> = OnceLock::new();

/// What the first [`init`] of this process set up.
pub fn current() -> Option<&'static LogInfo> {
    CURRENT.get()
}

/// Installs the process's subscriber (once; later calls return the first setup) and sets the
/// engine's PII flag. Never fails: a problem (bad filter, unwritable directory) falls back to
/// the default filter or to no file, is logged as a warning and listed in [`LogInfo::problems`].
/// Events of the `log` crate (reqwest, ...) are captured too.
pub fn init(settings: LogSettings) -> &'static LogInfo {
    if let Some(info) = CURRENT.get() {
        return info;
    }
    let mut problems = Vec::new();
    let filter = EnvFilter::try_new(&settings.filter).unwrap_or_else(|e| {
        problems.push(format!(
            "{ENV_LOG}={:?} is not a valid filter ({e}); using {DEFAULT_FILTER}",
            settings.filter
        ));
        EnvFilter::new(DEFAULT_FILTER)
    });
    let file =
        settings
            .dir
            .as_deref()
            .and_then(|dir| match open_file(dir, &settings.file_prefix) {
                Ok(appender) => Some((dir.to_path_buf(), appender)),
                Err(e) => {
                    problems.push(format!("no log file in {}: {e}", dir.display()));
                    None
                }
            });
    let dir = file.as_ref().map(|(dir, _)| dir.clone());
    let file_layer = file.map(|(_, appender)| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(appender)
    });
    let stderr_layer = settings
        .stderr
        .then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr));
    lanyard::pii::set_logging_enabled(settings.pii);
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    if let Err(e) = installed {
        problems.push(format!("another log subscriber was already installed: {e}"));
    }
    for problem in &problems {
        tracing::warn!("{problem}");
    }
    CURRENT.get_or_init(|| LogInfo {
        settings,
        dir,
        problems,
    })
}

/// The daily appender in `dir` (created private to the user), keeping [`KEPT_FILES`] files.
fn open_file(dir: &Path, prefix: &str) -> Result<RollingFileAppender, String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| e.to_string())?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(prefix)
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(dir)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert_eq!(flag("1"), Some(true));
        assert_eq!(flag(" On "), Some(true));
        assert_eq!(flag("no"), Some(false));
        assert_eq!(flag("maybe"), None);
    }

    #[test]
    fn the_newest_file_of_the_program() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "lanyard-cli.2026-01-02.log",
            "lanyard-cli.2026-01-03.log",
            "lanyard-app.2026-02-01.log",
            "lanyard-cli.2026-03-01.txt",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(
            newest_file(dir.path(), "lanyard-cli"),
            Some(dir.path().join("lanyard-cli.2026-01-03.log"))
        );
        assert_eq!(newest_file(dir.path(), "nope"), None);
    }

    #[test]
    fn writes_a_file_and_sets_the_pii_flag() {
        // The only test here that installs the process's subscriber.
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let info = init(LogSettings {
            filter: "debug".into(),
            dir: Some(logs.clone()),
            file_prefix: "unit".into(),
            pii: false,
            stderr: false,
        });
        assert_eq!(info.dir.as_deref(), Some(logs.as_path()));
        assert!(info.problems.is_empty(), "{:?}", info.problems);
        assert!(!lanyard::pii::logging_enabled());
        tracing::info!(account = %lanyard::pii("alice"), "hello from the test");
        let file = info.newest_file().expect("a log file");
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains("hello from the test"), "{text}");
        assert!(!text.contains("alice"), "{text}");
        assert_eq!(info.file_pattern(), "unit.YYYY-MM-DD.log");
    }
}
