//! What can go wrong while the scripted user signs in.

/// Why [`complete_sign_in`](super::complete_sign_in) failed. Messages never hold the
/// authorization code, the `state`, cookies or the password: URLs are shown as origin + path.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// The authorize URL is not an absolute http(s) URL.
    #[error("invalid authorize URL: {0}")]
    InvalidUrl(String),
    /// An HTTP request failed (connection refused, timeout...).
    #[error("HTTP request to {url} failed: {source}")]
    Http {
        /// Origin + path of the request.
        url: String,
        /// The error, with its URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The IdP showed its login page again after we submitted the password.
    #[error("the IdP rejected the login: {message}")]
    LoginRejected {
        /// The error message the page showed.
        message: String,
    },
    /// The IdP answered with a page we do not know (often its error page).
    #[error("unexpected page at {url} (HTTP {status}): {title}: {text}")]
    UnexpectedPage {
        /// Origin + path of the page.
        url: String,
        /// Its HTTP status.
        status: u16,
        /// Its `<title>`.
        title: String,
        /// The start of its text.
        text: String,
    },
    /// A redirect without a usable `Location`.
    #[error("redirect from {url} (HTTP {status}) has no valid Location")]
    BadRedirect {
        /// Origin + path of the redirecting page.
        url: String,
        /// Its HTTP status.
        status: u16,
    },
    /// A redirect left both the IdP and the loopback interface.
    #[error("redirect to {0}, which is neither the IdP nor a loopback address")]
    UnexpectedRedirect(String),
    /// More requests than a sign-in should need.
    #[error("gave up after {0} requests without reaching the app's loopback redirect")]
    TooManyHops(usize),
    /// The record file (see [`record`](super::record)) could not be written.
    #[error("cannot write the record file: {0}")]
    Record(String),
}
