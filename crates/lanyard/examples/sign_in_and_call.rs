//! Signs in and calls every configured API: the engine from configuration file to API answer.
//!
//! ```text
//! cargo run -p lanyard --example sign_in_and_call -- CONFIG.toml [--browser PROGRAM]
//! ```
//!
//! Reads the configuration file, signs in in the browser (the system browser, or `PROGRAM`
//! started with the authorize URL as its only argument) unless an account is already in the
//! cache, then gets each API's token silently and calls `GET /me` on it. Prints the account,
//! each token's metadata and each API's answer, never a token. Exits 0 when every API answered
//! with a 2xx status.
//!
//! Against the repository's local stack (`scripts/demo.sh` starts it), use
//! `config/demo-rfc8707.toml` or `config/demo-scopes.toml`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use lanyard::browser::CommandBrowser;
use lanyard::{AppIdentity, Config, Engine, Error, TokenInfo};

/// The example's own identity: its cache key under `dev.lanyard.engine-example.token-cache`,
/// its name on the page the browser shows after sign-in.
const APP_ID: &str = "dev.lanyard.engine-example";
const APP_NAME: &str = "Lanyard example";
/// What each API is asked.
const PATH: &str = "/me";

struct Args {
    config: PathBuf,
    browser: Option<String>,
}

fn args() -> Result<Args, String> {
    let usage = "usage: sign_in_and_call CONFIG.toml [--browser PROGRAM]";
    let mut config = None;
    let mut browser = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--browser" => browser = Some(args.next().ok_or(usage)?),
            "-h" | "--help" => return Err(usage.into()),
            _ if config.is_none() && !arg.starts_with('-') => config = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}\n{usage}")),
        }
    }
    Ok(Args {
        config: config.ok_or(usage)?,
        browser,
    })
}

fn describe(token: &TokenInfo) -> String {
    format!(
        "api {}, scopes [{}], expires at {} (Unix time), from {}",
        token.api,
        token.scopes.join(" "),
        token.expires_on,
        token.source.as_str()
    )
}

async fn run(args: Args) -> Result<bool, Error> {
    let config = Config::load(&args.config)?;
    let mut builder = Engine::builder(config, AppIdentity::new(APP_ID, APP_NAME)?);
    if let Some(program) = args.browser {
        builder = builder.browser(Arc::new(CommandBrowser::new(program)));
    }
    let engine = builder.build()?;

    let account = match engine.accounts().await?.into_iter().next() {
        Some(account) => {
            println!("account (from the cache): {}", account.id);
            account
        }
        None => {
            println!("opening the browser to sign in...");
            let signed_in = engine.sign_in().await?;
            println!("signed in: {}", signed_in.account.id);
            println!("  token: {}", describe(&signed_in.token));
            signed_in.account
        }
    };
    println!(
        "  username {:?}, name {:?}, issuer {}",
        account.username.as_deref().unwrap_or("-"),
        account.name.as_deref().unwrap_or("-"),
        account.issuer
    );

    let mut all_ok = true;
    let apis: Vec<String> = engine
        .config()
        .apis
        .iter()
        .map(|a| a.name.clone())
        .collect();
    for api in apis {
        let grant = engine.acquire_token_silent(&account.id, &api).await?;
        println!("{api}: token: {}", describe(grant.info()));
        let answer = engine.call_api(&account.id, &api, PATH).await?;
        println!("{api}: GET {PATH} -> {} {}", answer.status, answer.body);
        all_ok &= (200..300).contains(&answer.status);
    }
    Ok(all_ok)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("sign_in_and_call: {e}");
            ExitCode::FAILURE
        }
    }
}
