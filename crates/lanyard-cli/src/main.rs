//! `lanyard`: the command line on Lanyard's engine, for scripts and tests.
//!
//! Failure prints one line, `lanyard: <kind>: <message>`, and exits non-zero.
//!
//! Logs go to the log file (see `lanyard diagnostics`), filtered by `LANYARD_LOG` (default
//! `info`); to stderr too only with `LANYARD_LOG_STDERR=1`, so stdout and stderr stay the
//! command's own output.

mod args;
mod cache_file;
mod diagnostics;
mod run;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    lanyard_diagnostics::logging::init(lanyard_diagnostics::logging::LogSettings::from_env(
        diagnostics::LOG_PREFIX,
        false,
    ));
    let command = cli.command.name();
    // An error message may name the account given on the command line.
    let redactor = lanyard_diagnostics::redact::Redactor::default().hide(cli.command.account());
    tracing::debug!(command, "lanyard {}", env!("CARGO_PKG_VERSION"));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lanyard: internal: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The message may already start with the kind's words ("configuration: …").
            let kind = e.kind().as_str();
            let text = e.to_string();
            let text = text
                .strip_prefix(&format!("{}: ", kind.replace('_', " ")))
                .unwrap_or(&text);
            tracing::error!(
                command,
                kind,
                correlation_id = e.correlation_id(),
                "command failed: {}",
                if lanyard::pii::logging_enabled() {
                    text.to_owned()
                } else {
                    redactor.apply(text)
                }
            );
            eprintln!("lanyard: {kind}: {text}");
            std::process::ExitCode::FAILURE
        }
    }
}
