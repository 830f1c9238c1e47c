//! `lanyard`: the command line on Lanyard's engine, for scripts and tests.
//!
//! Failure prints one line, `lanyard: <kind>: <message>`, and exits non-zero.

mod args;
mod cache_file;
mod run;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LANYARD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
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
            eprintln!("lanyard: {kind}: {text}");
            std::process::ExitCode::FAILURE
        }
    }
}
