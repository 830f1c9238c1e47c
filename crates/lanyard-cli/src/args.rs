//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Sign in once in the system browser and call web APIs, from the command line.
#[derive(Debug, Parser)]
#[command(name = "lanyard", version, about)]
pub struct Cli {
    /// The configuration file (default: the desktop app's, `<config dir>/dev.lanyard.app/lanyard.toml`).
    #[arg(long, global = true, env = "LANYARD_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in interactively in the browser, consenting to every configured API.
    SignIn,
    /// List the signed-in accounts (JSON).
    Accounts,
    /// Get an API's access token silently and print its metadata (JSON).
    Token {
        /// The API's name in the configuration.
        #[arg(long)]
        api: String,
        /// The account id (default: the only signed-in account).
        #[arg(long)]
        account: Option<String>,
        /// Print the access token itself instead of its metadata.
        #[arg(long)]
        raw: bool,
    },
    /// Call `GET <api base URL><PATH>` with the API's token and print status and body (JSON).
    Call {
        /// The API's name in the configuration.
        #[arg(long)]
        api: String,
        /// The account id (default: the only signed-in account).
        #[arg(long)]
        account: Option<String>,
        /// The path, starting with `/`.
        path: String,
        /// When the API asks for more (consent to a further scope, a stronger sign-in for
        /// Conditional Access), open the browser for it and call once more.
        #[arg(long)]
        interactive: bool,
    },
    /// Export or import the token cache in MSAL's unified token cache format.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Print a redacted diagnostics report: versions, configuration without secrets, log file
    /// location and settings, recent errors (from the log file) with their correlation ids.
    Diagnostics,
    /// Remove an account and its tokens from the cache.
    SignOut {
        /// The account id (default: the only signed-in account).
        #[arg(long)]
        account: Option<String>,
    },
}

/// What to do with the token cache.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Write the cache as MSAL unified-cache JSON (read by MSAL Python, msal-node, MSAL.NET).
    /// The file holds the tokens in plaintext, as MSAL's own cache files do; it is created
    /// with mode 0600.
    Export {
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        msal: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Merge an MSAL unified-cache JSON file into the cache; prints what was taken (JSON).
    Import {
        /// The file to read.
        #[arg(long, value_name = "FILE")]
        msal: PathBuf,
    },
}

impl Command {
    /// The subcommand's name, for the logs.
    pub fn name(&self) -> &'static str {
        match self {
            Command::SignIn => "sign-in",
            Command::Accounts => "accounts",
            Command::Token { .. } => "token",
            Command::Call { .. } => "call",
            Command::Cache { .. } => "cache",
            Command::Diagnostics => "diagnostics",
            Command::SignOut { .. } => "sign-out",
        }
    }

    /// The account named on the command line, if any (personal: hidden in the logs).
    pub fn account(&self) -> Option<&str> {
        match self {
            Command::Token { account, .. }
            | Command::Call { account, .. }
            | Command::SignOut { account } => account.as_deref(),
            _ => None,
        }
    }
}
