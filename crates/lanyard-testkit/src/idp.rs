//! The local OpenID Connect provider (`tests/idp/server.mjs`, node-oidc-provider) as a child process.
//!
//! ```no_run
//! # async fn demo() -> Result<(), lanyard_testkit::idp::IdpError> {
//! let idp = lanyard_testkit::idp::Idp::start().await?;
//! println!("issuer: {}", idp.issuer()); // e.g. http://127.0.0.1:41234
//! # Ok(()) }
//! ```
//!
//! The process is killed when the [`Idp`] is dropped. It also exits by itself when our end of its
//! stdin closes (`--watch-stdin`), so a test that dies does not leave it behind.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use url::Url;

/// The line prefix `server.mjs` prints on stdout once it serves requests.
pub const READY_PREFIX: &str = "LANYARD_IDP_READY ";

/// How many of the server's last log lines an [`IdpError`] quotes.
const TAIL_LINES: usize = 30;

/// Why the IdP could not be started.
#[derive(Debug, thiserror::Error)]
pub enum IdpError {
    /// `tests/idp/node_modules` is missing: the npm packages are not installed.
    #[error("the test IdP's npm packages are missing ({0}): run `npm ci --prefix tests/idp` in the repository root")]
    NotInstalled(PathBuf),
    /// The `node` program could not be started.
    #[error("could not start `{program}` (is Node.js installed? set LANYARD_NODE to its path): {source}")]
    Spawn {
        /// The program we tried to run.
        program: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The server exited before it printed its READY line.
    #[error("the test IdP exited before it was ready ({status}); its last log lines:\n{log_tail}")]
    Exited {
        /// The exit status, as text.
        status: String,
        /// The last lines it logged.
        log_tail: String,
    },
    /// The server printed no READY line in time.
    #[error("the test IdP was not ready after {after:?}; its last log lines:\n{log_tail}")]
    Timeout {
        /// How long we waited.
        after: Duration,
        /// The last lines it logged.
        log_tail: String,
    },
    /// The READY line did not hold a valid issuer URL.
    #[error("the test IdP announced an invalid issuer {0:?}")]
    BadIssuer(String),
    /// Other I/O with the child process.
    #[error("I/O with the test IdP process: {0}")]
    Io(#[from] std::io::Error),
}

/// Settings for [`Idp::start_with`]. `Default` gives the server's own defaults.
#[derive(Debug, Clone)]
pub struct IdpOptions {
    /// Access token lifetime (`LANYARD_IDP_AT_TTL`, whole seconds; server default 3600 s).
    pub access_token_ttl: Option<Duration>,
    /// Refresh token lifetime (`LANYARD_IDP_RT_TTL`, whole seconds; server default 14 days).
    pub refresh_token_ttl: Option<Duration>,
    /// How long to wait for the READY line.
    pub ready_timeout: Duration,
    /// The Node.js program; default: `$LANYARD_NODE`, else `node` from `PATH`.
    pub node: Option<PathBuf>,
    /// The loopback port; default: one the OS picks.
    pub port: Option<u16>,
}

impl Default for IdpOptions {
    fn default() -> Self {
        Self {
            access_token_ttl: None,
            refresh_token_ttl: None,
            ready_timeout: Duration::from_secs(30),
            node: None,
            port: None,
        }
    }
}

/// A running test IdP. Killed on drop.
#[derive(Debug)]
pub struct Idp {
    issuer: String,
    child: Child,
    /// Held open: the server exits when it closes.
    stdin: Option<ChildStdin>,
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The directory holding `server.mjs`, `package.json` and `node_modules`.
pub fn idp_dir() -> PathBuf {
    repo_root().join("tests/idp")
}

impl Idp {
    /// Starts the IdP on an OS-assigned loopback port with default settings.
    pub async fn start() -> Result<Self, IdpError> {
        Self::start_with(IdpOptions::default()).await
    }

    /// Starts the IdP with `options` and waits for its READY line.
    pub async fn start_with(options: IdpOptions) -> Result<Self, IdpError> {
        let dir = idp_dir();
        let installed = dir.join("node_modules/oidc-provider/package.json");
        if !installed.is_file() {
            return Err(IdpError::NotInstalled(dir.join("node_modules")));
        }
        let program = options
            .node
            .clone()
            .or_else(|| std::env::var_os("LANYARD_NODE").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("node"));

        let mut command = Command::new(&program);
        command
            .arg(dir.join("server.mjs"))
            .arg("--port")
            .arg(options.port.unwrap_or(0).to_string())
            .args(["--host", "127.0.0.1", "--watch-stdin"])
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(ttl) = options.access_token_ttl {
            command.env("LANYARD_IDP_AT_TTL", ttl.as_secs().max(1).to_string());
        }
        if let Some(ttl) = options.refresh_token_ttl {
            command.env("LANYARD_IDP_RT_TTL", ttl.as_secs().max(1).to_string());
        }
        let mut child = command.spawn().map_err(|source| IdpError::Spawn {
            program: program.display().to_string(),
            source,
        })?;

        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let stderr = child.stderr.take().expect("stderr is piped");
        tokio::spawn(forward_log(stderr, Arc::clone(&tail)));
        let stdout = child.stdout.take().expect("stdout is piped");
        let stdin = child.stdin.take();

        let mut lines = BufReader::new(stdout).lines();
        let waited = tokio::time::timeout(options.ready_timeout, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(issuer) = line.strip_prefix(READY_PREFIX) {
                    return Ok(Some(issuer.trim().to_owned()));
                }
                log_line(&line, &tail);
            }
            Ok::<_, std::io::Error>(None)
        })
        .await;

        let issuer = match waited {
            Ok(Ok(Some(issuer))) => issuer,
            Ok(Ok(None)) => {
                let status = child.wait().await?;
                // Let the stderr task catch up on the last lines.
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Err(IdpError::Exited {
                    status: status.to_string(),
                    log_tail: tail_text(&tail),
                });
            }
            Ok(Err(e)) => return Err(IdpError::Io(e)),
            Err(_) => {
                let _ = child.start_kill();
                return Err(IdpError::Timeout {
                    after: options.ready_timeout,
                    log_tail: tail_text(&tail),
                });
            }
        };
        if Url::parse(&issuer).is_err() {
            return Err(IdpError::BadIssuer(issuer));
        }
        // Keep draining stdout so that the pipe never fills up.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                log_line(&line, &tail);
            }
        });
        tracing::debug!(%issuer, "test IdP ready");
        Ok(Self {
            issuer,
            child,
            stdin,
        })
    }

    /// The issuer, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The issuer as a [`Url`].
    pub fn issuer_url(&self) -> Url {
        Url::parse(&self.issuer).expect("checked at start")
    }

    /// An endpoint of the IdP: `endpoint("/auth")`, `endpoint("/token")`,
    /// `endpoint("/.well-known/openid-configuration")`.
    pub fn endpoint(&self, path: &str) -> Url {
        self.issuer_url().join(path).expect("a valid path")
    }

    /// The child's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Stops the server cleanly (closes its stdin, waits up to 5 s, then kills it).
    pub async fn stop(mut self) -> Result<(), IdpError> {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.shutdown().await;
        }
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            self.child.kill().await?;
        }
        Ok(())
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// Forwards the child's log lines to our stderr (or to the file `$LANYARD_IDP_LOG`), keeping a tail.
async fn forward_log(stream: impl AsyncRead + Unpin, tail: Arc<Mutex<VecDeque<String>>>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        log_line(&line, &tail);
    }
}

fn log_line(line: &str, tail: &Mutex<VecDeque<String>>) {
    match std::env::var_os("LANYARD_IDP_LOG") {
        Some(path) => {
            use std::io::Write;
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let _ = writeln!(f, "{line}");
            }
        }
        None => eprintln!("idp| {line}"),
    }
    let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
    if tail.len() == TAIL_LINES {
        tail.pop_front();
    }
    tail.push_back(line.to_owned());
}

fn tail_text(tail: &Mutex<VecDeque<String>>) -> String {
    let tail = tail.lock().unwrap_or_else(|e| e.into_inner());
    tail.iter().cloned().collect::<Vec<_>>().join("\n")
}
