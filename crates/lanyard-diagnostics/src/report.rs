//! The "copy diagnostics" report: plain text in sections, for a support request.
//!
//! It holds versions, the configuration without secrets (a public client has none; extra
//! authorize parameters show their names only, as `login_hint` names a person), the log
//! settings and the recent errors. [`Report::render`] passes everything through a
//! [`Redactor`] that hides the signed-in accounts' ids, names and tenants.

use lanyard::Config;

use crate::logging::LogInfo;
use crate::recent::ErrorRecord;
use crate::redact::Redactor;

/// A titled list of `name: value` lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// The section's title (`versions`, `configuration`, ...).
    pub title: String,
    /// Its lines.
    pub lines: Vec<(String, String)>,
}

impl Section {
    /// An empty section.
    pub fn new(title: &str) -> Self {
        Section {
            title: title.to_owned(),
            lines: Vec::new(),
        }
    }

    /// Adds `name: value`.
    pub fn line(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.lines.push((name.to_owned(), value.to_string()));
        self
    }
}

/// The report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Report {
    /// The report as text, every personal value `redactor` knows hidden.
    pub fn render(&self, redactor: &Redactor) -> String {
        let mut out = format!(
            "Lanyard diagnostics (no tokens; personal data redacted)\ngenerated: {}\n",
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        for section in &self.sections {
            out.push_str(&format!("\n[{}]\n", section.title));
            if section.lines.is_empty() {
                out.push_str("(none)\n");
            }
            for (name, value) in &section.lines {
                out.push_str(&format!("{name}: {value}\n"));
            }
        }
        redactor.apply(&out)
    }
}

/// `versions`: the program, the engine, the OS, and what the caller adds (Tauri, WebKit).
pub fn versions(program: &str, version: &str) -> Section {
    let mut section = Section::new("versions")
        .line(program, version)
        .line("lanyard", lanyard::VERSION)
        .line(
            "os",
            format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        );
    if let Some(name) = os_release_name() {
        section = section.line("os release", name);
    }
    section
}

/// `PRETTY_NAME` of `/etc/os-release`, where there is one.
fn os_release_name() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
}

/// `configuration`: what the engine was configured with, without values that could be secret
/// or personal.
pub fn configuration(
    config_path: Option<&str>,
    config: Option<&Config>,
    cache_protection: Option<&str>,
) -> Section {
    let mut s = Section::new("configuration").line("file", config_path.unwrap_or("(none)"));
    let Some(config) = config else {
        return s.line("status", "not loaded");
    };
    let redirect = match config.redirect_uri.port() {
        Some(port) => format!("loopback, fixed port {port}"),
        None => "loopback, any free port".to_owned(),
    };
    s = s
        .line("authority", &config.authority)
        .line("client id", &config.client_id)
        .line("redirect uri", &config.redirect_uri)
        .line("redirect mode", redirect)
        .line(
            "provider",
            if config.uses_resource_indicators() {
                "RFC 8707 resource indicators"
            } else {
                "scopes only"
            },
        )
        .line("client_info", config.client_info)
        .line(
            "extra authorize parameters",
            names(config.extra_authorize_params.keys()),
        )
        .line(
            "browser",
            config.browser.as_deref().unwrap_or("system default"),
        )
        .line(
            "CA file",
            config
                .ca_file
                .as_ref()
                .map_or("(none)".to_owned(), |p| p.display().to_string()),
        )
        .line("sign-in timeout (s)", config.sign_in_timeout_secs);
    for api in &config.apis {
        let resource = api
            .resource
            .as_deref()
            .map(|r| format!(", resource {r}"))
            .unwrap_or_default();
        s = s.line(
            &format!("api {}", api.name),
            format!(
                "{}, scopes {}{resource}",
                api.base_url,
                api.scopes.join(" ")
            ),
        );
    }
    let cache_dir = config
        .cache_dir_for(&lanyard_product::identity())
        .map_or_else(|e| format!("({e})"), |p| p.display().to_string());
    s.line("cache dir", cache_dir)
        .line("cache protection", cache_protection.unwrap_or("(unknown)"))
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let keys: Vec<&str> = keys.map(String::as_str).collect();
    if keys.is_empty() {
        "(none)".to_owned()
    } else {
        format!("{} (values not shown)", keys.join(", "))
    }
}

/// `logging`: where the log file is, the filter, and whether personal data is logged.
pub fn logging(info: Option<&LogInfo>) -> Section {
    let Some(info) = info else {
        return Section::new("logging").line("status", "not set up");
    };
    let mut s = Section::new("logging")
        .line(
            "log dir",
            info.dir
                .as_ref()
                .map_or("(no log file)".to_owned(), |d| d.display().to_string()),
        )
        .line("log files", info.file_pattern())
        .line("level", &info.settings.filter)
        .line(
            "personal data in logs",
            if info.settings.pii { "on" } else { "off" },
        )
        .line("stderr", if info.settings.stderr { "on" } else { "off" });
    for problem in &info.problems {
        s = s.line("problem", problem);
    }
    s
}

/// `recent errors`: the records, oldest first.
pub fn recent_errors(records: &[ErrorRecord]) -> Section {
    records
        .iter()
        .enumerate()
        .fold(Section::new("recent errors"), |s, (i, r)| {
            s.line(&format!("#{}", i + 1), r.line())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
authority = "https://login.microsoftonline.com/0000aaaa-tenant/v2.0"
client_id = "11111111-2222"
redirect_uri = "http://127.0.0.1/callback"
cache_dir = "/home/alice/cache"
[extra_authorize_params]
login_hint = "alice@example.test"
[[apis]]
name = "vendor"
base_url = "https://vendor.example.test"
scopes = ["api://vendor/vendor.read"]
"#;

    #[test]
    fn sections_without_personal_values() {
        let config = Config::from_toml(CONFIG).unwrap();
        let report = Report {
            sections: vec![
                versions("lanyard", "1.2.3"),
                configuration(Some("/home/alice/lanyard.toml"), Some(&config), Some("kr")),
                logging(None),
                recent_errors(&[ErrorRecord::now(
                    "call_api",
                    "service",
                    "user alice@example.test in 0000aaaa-tenant refused",
                    Some("corr-1"),
                )]),
            ],
        };
        let redactor = Redactor::default()
            .with_home(Some(std::path::Path::new("/home/alice")))
            .hide(["0000aaaa-tenant", "alice@example.test"]);
        let text = report.render(&redactor);
        for heading in [
            "[versions]",
            "[configuration]",
            "[logging]",
            "[recent errors]",
        ] {
            assert!(text.contains(heading), "{text}");
        }
        assert!(text.contains("lanyard: 1.2.3"), "{text}");
        assert!(
            text.lines().nth(1).unwrap().starts_with("generated: 20"),
            "{text}"
        );
        assert!(
            text.contains("redirect mode: loopback, any free port"),
            "{text}"
        );
        assert!(text.contains("extra authorize parameters: login_hint (values not shown)"));
        assert!(text.contains("file: ~/lanyard.toml"), "{text}");
        assert!(text.contains("(correlation id: corr-1)"), "{text}");
        assert!(
            text.contains(
                "api vendor: https://vendor.example.test/, scopes api://vendor/vendor.read"
            ),
            "{text}"
        );
        assert!(!text.contains("alice"), "{text}");
        assert!(!text.contains("0000aaaa"), "{text}");
    }
}
