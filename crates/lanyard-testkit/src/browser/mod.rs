//! A scripted "user at the browser" for the test IdP's real HTML pages.
//!
//! [`complete_sign_in`] loads an authorize URL, signs in on the login page, answers the consent
//! page, and follows redirects until one leaves the IdP for a loopback `http` URL (the app's
//! redirect listener), which it loads too, as a browser would. Nothing secret is logged: URLs
//! appear as origin + path, never with their query.

mod error;
mod page;
pub mod record;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use url::{Host, Url};

pub use error::BrowserError;
use page::{Form, Page};

/// At most this many requests per sign-in.
pub const MAX_HOPS: usize = 20;

/// Per-request timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The answer the user gives on the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Press `#allow`.
    Allow,
    /// Press `#deny` (the app then gets `error=access_denied`).
    Deny,
}

impl FromStr for Consent {
    type Err = String;

    /// `allow` or `deny` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "allow" => Ok(Self::Allow),
            "deny" => Ok(Self::Deny),
            _ => Err(format!("expected allow or deny, got {s:?}")),
        }
    }
}

/// What happened during a sign-in. Holds no code, state, cookie or password.
#[derive(Debug, Clone, Default)]
pub struct SignInTrace {
    /// HTTP status the app's loopback listener answered.
    pub final_status: u16,
    /// The body the app's loopback listener answered.
    pub final_body: String,
    /// `host:port` of the loopback redirect, e.g. `127.0.0.1:50123`.
    pub final_host: String,
    /// Path of the loopback redirect, e.g. `/callback`.
    pub final_path: String,
    /// Names (not values) of the loopback redirect's query parameters, e.g. `code`, `state`, `iss`.
    pub final_query_keys: Vec<String>,
    /// The redirect's `error` parameter (`access_denied` after [`Consent::Deny`]), if any.
    pub redirect_error: Option<String>,
    /// How many consent pages the IdP showed.
    pub consent_prompts: usize,
    /// How many times the login form was submitted.
    pub login_attempts: usize,
    /// One line per request, as logged.
    pub steps: Vec<String>,
}

impl SignInTrace {
    fn step(&mut self, line: String) {
        tracing::info!(target: "lanyard_testkit::browser", "{line}");
        self.steps.push(line);
    }
}

/// Origin + path, with long opaque path segments (interaction ids) shortened.
fn shown(url: &Url) -> String {
    let path: Vec<String> = url
        .path()
        .split('/')
        .map(|seg| {
            if seg.len() >= 16
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                ":id".to_owned()
            } else {
                seg.to_owned()
            }
        })
        .collect();
    format!("{}{}", url.origin().ascii_serialization(), path.join("/"))
}

fn is_loopback(url: &Url) -> bool {
    url.scheme() == "http"
        && match url.host() {
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        }
}

fn http_error(url: &Url) -> impl FnOnce(reqwest::Error) -> BrowserError + '_ {
    move |e| BrowserError::Http {
        url: shown(url),
        source: e.without_url(),
    }
}

fn client(cookies: bool) -> Result<Client, BrowserError> {
    Client::builder()
        .cookie_store(cookies)
        .redirect(Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(|e| BrowserError::Http {
            url: "(building the HTTP client)".to_owned(),
            source: e,
        })
}

/// The next request: a GET, or a form submission.
enum Next {
    Get(Url),
    Submit(Form),
}

async fn send(client: &Client, next: &Next) -> Result<(String, Url, Response), BrowserError> {
    let (label, url, request) = match next {
        Next::Get(url) => ("GET", url.clone(), client.get(url.clone())),
        Next::Submit(form) if form.method == "GET" => {
            let mut url = form.action.clone();
            url.query_pairs_mut().clear().extend_pairs(&form.fields);
            ("GET", url.clone(), client.get(url))
        }
        Next::Submit(form) => (
            "POST",
            form.action.clone(),
            client.post(form.action.clone()).form(&form.fields),
        ),
    };
    let response = request.send().await.map_err(http_error(&url))?;
    Ok((label.to_owned(), url, response))
}

/// Signs `user` in on the IdP pages behind `authorize_url`, answers consent with `decision`,
/// and loads the app's loopback redirect. Returns what happened; the app's listener itself
/// receives the code, state and iss.
pub async fn complete_sign_in(
    authorize_url: &str,
    user: &str,
    password: &str,
    decision: Consent,
) -> Result<SignInTrace, BrowserError> {
    complete_sign_in_recording(authorize_url, user, password, decision, None).await
}

/// [`complete_sign_in`], also writing the authorize request's `state`, `nonce` and
/// `code_challenge` and the redirect's `code` and `state` to `record_to` (see [`record`]).
pub async fn complete_sign_in_recording(
    authorize_url: &str,
    user: &str,
    password: &str,
    decision: Consent,
    record_to: Option<&Path>,
) -> Result<SignInTrace, BrowserError> {
    let start = Url::parse(authorize_url).map_err(|e| BrowserError::InvalidUrl(e.to_string()))?;
    let record_to = record_to.map(Path::to_path_buf);
    if let Some(file) = &record_to {
        record::record(file, "authorize", &start, &record::AUTHORIZE_KEYS)
            .map_err(|e| BrowserError::Record(e.to_string()))?;
    }
    if !matches!(start.scheme(), "http" | "https") {
        return Err(BrowserError::InvalidUrl(format!(
            "scheme {} is not http(s)",
            start.scheme()
        )));
    }
    let idp = start.origin();
    let client = client(true)?;
    let mut trace = SignInTrace::default();
    let mut next = Next::Get(start);

    for _ in 0..MAX_HOPS {
        let (method, url, response) = send(&client, &next).await?;
        let status = response.status().as_u16();

        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| url.join(v).ok())
                .ok_or_else(|| BrowserError::BadRedirect {
                    url: shown(&url),
                    status,
                })?;
            trace.step(format!(
                "{method} {} -> {status} to {}",
                shown(&url),
                shown(&location)
            ));
            if location.origin() == idp {
                next = Next::Get(location);
                continue;
            }
            if is_loopback(&location) {
                return finish(location, trace, record_to).await;
            }
            return Err(BrowserError::UnexpectedRedirect(shown(&location)));
        }

        let body = response.text().await.map_err(http_error(&url))?;
        match page::parse(&body, &url) {
            Page::Login {
                mut form,
                user_field,
                password_field,
                error,
            } => {
                trace.step(format!("{method} {} -> {status} login page", shown(&url)));
                if trace.login_attempts > 0 {
                    return Err(BrowserError::LoginRejected {
                        message: error.unwrap_or_else(|| "the login page was shown again".into()),
                    });
                }
                form.set(&user_field, user);
                form.set(&password_field, password);
                trace.login_attempts += 1;
                next = Next::Submit(form);
            }
            Page::Consent { allow, deny } => {
                trace.consent_prompts += 1;
                trace.step(format!(
                    "{method} {} -> {status} consent page, answering {decision:?}",
                    shown(&url)
                ));
                next = Next::Submit(match decision {
                    Consent::Allow => allow,
                    Consent::Deny => deny,
                });
            }
            Page::Other { title, text } => {
                trace.step(format!(
                    "{method} {} -> {status} unexpected page",
                    shown(&url)
                ));
                return Err(BrowserError::UnexpectedPage {
                    url: shown(&url),
                    status,
                    title,
                    text,
                });
            }
        }
    }
    Err(BrowserError::TooManyHops(MAX_HOPS))
}

/// Loads the app's loopback redirect (without the IdP's cookies) and records the answer.
async fn finish(
    location: Url,
    mut trace: SignInTrace,
    record_to: Option<PathBuf>,
) -> Result<SignInTrace, BrowserError> {
    if let Some(file) = &record_to {
        record::record(file, "redirect", &location, &record::REDIRECT_KEYS)
            .map_err(|e| BrowserError::Record(e.to_string()))?;
    }
    trace.final_host = format!(
        "{}:{}",
        location.host_str().unwrap_or_default(),
        location.port_or_known_default().unwrap_or(80)
    );
    trace.final_path = location.path().to_owned();
    for (key, value) in location.query_pairs() {
        if key == "error" {
            trace.redirect_error = Some(value.into_owned());
        }
        if !trace.final_query_keys.iter().any(|k| *k == key) {
            trace.final_query_keys.push(key.into_owned());
        }
    }
    let response = client(false)?
        .get(location.clone())
        .send()
        .await
        .map_err(http_error(&location))?;
    trace.final_status = response.status().as_u16();
    trace.final_body = response.text().await.map_err(http_error(&location))?;
    trace.step(format!(
        "GET {} -> {} (the app's loopback listener; query keys: {})",
        shown(&location),
        trace.final_status,
        trace.final_query_keys.join(",")
    ));
    Ok(trace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_hides_query_and_ids() {
        let url =
            Url::parse("http://127.0.0.1:5/interaction/AbCdEfGhIjKlMnOpQr12/login?code=x&state=y")
                .unwrap();
        assert_eq!(shown(&url), "http://127.0.0.1:5/interaction/:id/login");
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback(&Url::parse("http://127.0.0.1:1/cb").unwrap()));
        assert!(is_loopback(&Url::parse("http://[::1]:1/cb").unwrap()));
        assert!(is_loopback(&Url::parse("http://localhost:1/cb").unwrap()));
        assert!(!is_loopback(&Url::parse("https://127.0.0.1:1/cb").unwrap()));
        assert!(!is_loopback(&Url::parse("http://example.test/cb").unwrap()));
    }

    #[test]
    fn consent_parses() {
        assert_eq!("Allow".parse::<Consent>(), Ok(Consent::Allow));
        assert_eq!("deny".parse::<Consent>(), Ok(Consent::Deny));
        assert!("maybe".parse::<Consent>().is_err());
    }
}
