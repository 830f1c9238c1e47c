//! Runs one command on the engine.

use std::path::PathBuf;

use lanyard::{AccountId, Engine, Error, InteractiveRequest};
use serde::Serialize;

use crate::args::{Cli, Command};
use crate::cache_file;

/// Runs `cli`'s command.
pub async fn run(cli: Cli) -> Result<(), Error> {
    if matches!(cli.command, Command::Diagnostics) {
        // A report even when the configuration cannot be loaded.
        return print_line(&crate::diagnostics::report(config_path(cli.config).ok()).await);
    }
    let path = config_path(cli.config)?;
    let config = lanyard_product::load_config(&path)?;
    let engine = Engine::builder(config, lanyard_product::identity()).build()?;
    let result = execute(&engine, cli.command).await;
    // Loading the cache (during the command) may have set a broken file aside.
    if let Some(warning) = engine.take_cache_warning().await {
        eprintln!("lanyard: warning: {warning}");
    }
    result
}

async fn execute(engine: &Engine, command: Command) -> Result<(), Error> {
    match command {
        Command::SignIn => {
            eprintln!("Opening the browser to sign in...");
            let signed_in = engine.sign_in().await?;
            print_json(&signed_in.account)
        }
        Command::Accounts => print_json(&engine.accounts().await?),
        Command::Token { api, account, raw } => {
            let account = pick_account(engine, account).await?;
            let grant = engine.acquire_token_silent(&account, &api).await?;
            if raw {
                print_line(grant.secret())
            } else {
                print_json(grant.info())
            }
        }
        Command::Call {
            api,
            account,
            path,
            interactive,
        } => {
            let account = pick_account(engine, account).await?;
            match engine.call_api(&account, &api, &path).await {
                Err(e) if interactive && e.challenge().is_some() => {
                    let challenge = e.challenge().cloned().unwrap_or_default();
                    eprintln!("{e}\nOpening the browser...");
                    let username = engine
                        .accounts()
                        .await?
                        .into_iter()
                        .find(|a| a.id == account)
                        .and_then(|a| a.username);
                    let request = InteractiveRequest::for_challenge(&challenge, username);
                    engine.sign_in_with(request).await?;
                    print_json(&engine.call_api(&account, &api, &path).await?)
                }
                answer => print_json(&answer?),
            }
        }
        Command::Cache { action } => cache_file::run(engine, action).await,
        Command::Diagnostics => unreachable!("handled before the engine is made"),
        Command::SignOut { account } => {
            let account = pick_account(engine, account).await?;
            let outcome = engine.sign_out(&account).await?;
            match outcome.revocation_error {
                Some(e) => {
                    eprintln!("Signed out {account}; its refresh token was not revoked: {e}")
                }
                None if outcome.revoked => {
                    eprintln!("Signed out {account}; its refresh token was revoked.")
                }
                None => eprintln!("Signed out {account}."),
            }
            Ok(())
        }
    }
}

fn config_path(given: Option<PathBuf>) -> Result<PathBuf, Error> {
    given
        .or_else(lanyard_product::default_config_path)
        .ok_or_else(|| Error::Config {
            field: "--config".into(),
            message: "no configuration file: pass --config or set LANYARD_CONFIG".into(),
        })
}

/// The named account, or the only signed-in one.
async fn pick_account(engine: &Engine, given: Option<String>) -> Result<AccountId, Error> {
    if let Some(id) = given {
        return Ok(AccountId(id));
    }
    let accounts = engine.accounts().await?;
    match accounts.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err(Error::interaction(
            lanyard::InteractionReason::NoAccount,
            "no account is signed in; run `lanyard sign-in`",
        )),
        _ => Err(Error::Config {
            field: "--account".into(),
            message: "several accounts are signed in; name one (see `lanyard accounts`)".into(),
        }),
    }
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Protocol(e.to_string()))?;
    print_line(&text)
}

/// One line on stdout; a closed pipe (`lanyard … | head`) is an error, not a panic.
pub fn print_line(text: &str) -> Result<(), Error> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{text}")
        .map_err(|e| Error::Cancelled(format!("stdout was closed: {e}")))
}
