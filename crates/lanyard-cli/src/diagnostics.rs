//! `lanyard diagnostics`: the redacted report (see `lanyard_diagnostics::report`).

use std::path::PathBuf;

use lanyard::Engine;
use lanyard_diagnostics::logging;
use lanyard_diagnostics::recent;
use lanyard_diagnostics::redact::Redactor;
use lanyard_diagnostics::report::{self, Report, Section};

/// The CLI's log files: `lanyard-cli.YYYY-MM-DD.log`.
pub const LOG_PREFIX: &str = "lanyard-cli";

/// How many of the log file's last errors the report shows.
const RECENT_ERRORS: usize = 20;

/// The report for the configuration at `path` (if any): it loads the configuration and the
/// engine as the other commands do, and reports a failure instead of failing.
pub async fn report(path: Option<PathBuf>) -> String {
    let shown_path = path.as_ref().map(|p| p.display().to_string());
    let mut problem = None;
    let config = match path.as_deref().map(lanyard_product::load_config) {
        Some(Ok(config)) => Some(config),
        Some(Err(e)) => {
            problem = Some(e.to_string());
            None
        }
        None => None,
    };
    let engine = config
        .clone()
        .map(|c| Engine::builder(c, lanyard_product::identity()).build());
    let mut redactor = Redactor::for_this_user();
    let mut protection = None;
    if let Some(engine) = engine {
        match engine {
            Ok(engine) => {
                protection = Some(engine.cache_protection());
                if let Ok(accounts) = engine.accounts().await {
                    redactor = redactor.hide(accounts.into_iter().flat_map(|a| {
                        [Some(a.id.0), a.username, a.name, a.tenant_id]
                            .into_iter()
                            .flatten()
                    }));
                }
            }
            Err(e) => problem = Some(e.to_string()),
        }
    }
    let mut configuration = report::configuration(
        shown_path.as_deref(),
        config.as_ref(),
        protection.as_deref(),
    );
    if let Some(problem) = problem {
        configuration = configuration.line("problem", problem);
    }
    let log = logging::current();
    let errors = log
        .and_then(|l| l.newest_file())
        .map(|f| recent::error_lines(&f, RECENT_ERRORS))
        .unwrap_or_default();
    let errors = errors
        .iter()
        .enumerate()
        .fold(Section::new("recent errors"), |s, (i, line)| {
            s.line(&format!("#{}", i + 1), line)
        });
    Report {
        sections: vec![
            report::versions("lanyard", env!("CARGO_PKG_VERSION")),
            configuration,
            report::logging(log),
            errors,
        ],
    }
    .render(&redactor)
}
