//! `lanyard-demo-api`: one demo web API as a process.
//!
//! Prints `LANYARD_API_READY <name> http://<addr>` on stdout once listening,
//! logs to stderr, and stops on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use lanyard_demo_apis::{serve_with_shutdown, ApiSpec};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Serve one Lanyard demo API that accepts the IdP's JWT access tokens.
#[derive(Debug, Parser)]
#[command(name = "lanyard-demo-api", version)]
struct Args {
    /// The API's name: "customer" serves /customers, "vendor" serves /orders.
    #[arg(long, env = "LANYARD_API_NAME")]
    name: String,
    /// The address to listen on (port 0 picks a free one).
    #[arg(long, env = "LANYARD_API_LISTEN", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The IdP's issuer, exactly as tokens carry it in `iss`.
    #[arg(long, env = "LANYARD_API_ISSUER")]
    issuer: String,
    /// The audience tokens must carry [default: api://lanyard-NAME].
    #[arg(long, env = "LANYARD_API_AUDIENCE")]
    audience: Option<String>,
    /// The scope tokens must carry [default: NAME.read].
    #[arg(long, env = "LANYARD_API_SCOPE")]
    scope: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let mut spec = ApiSpec::named(&args.name, args.issuer);
    if let Some(audience) = args.audience {
        spec.audience = audience;
    }
    if let Some(scope) = args.scope {
        spec.required_scope = scope;
    }
    match run(args.listen, spec).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(%err, "demo API failed");
            ExitCode::FAILURE
        }
    }
}

async fn run(listen: SocketAddr, spec: ApiSpec) -> Result<(), lanyard_demo_apis::DemoApiError> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(
        api = %spec.name,
        %addr,
        issuer = %spec.issuer,
        audience = %spec.audience,
        scope = %spec.required_scope,
        "demo API listening"
    );
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "LANYARD_API_READY {} http://{addr}", spec.name)?;
    stdout.flush()?;
    drop(stdout);
    serve_with_shutdown(listener, spec, shutdown_signal()).await?;
    tracing::info!("demo API stopped");
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM where there is one.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
