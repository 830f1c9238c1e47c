//! The loopback redirect listener (RFC 8252 §7.3): listens on 127.0.0.1 (or `[::1]`), takes
//! exactly one redirect to the configured path that carries the expected `state`, answers it
//! with a short page, and closes the port. Anything else gets a plain error page and the
//! listener keeps waiting for the real redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use oauth2::{AuthorizationCode, CsrfToken};
use subtle::ConstantTimeEq;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use url::Url;
use zeroize::Zeroizing;

use crate::error::Error;

/// What the browser brought back.
#[derive(Debug)]
pub(crate) enum Callback {
    /// Success: the code, and `iss` when the provider sends it (RFC 9207).
    Code {
        code: AuthorizationCode,
        iss: Option<String>,
    },
    /// The provider redirected with an OAuth error.
    Error {
        error: String,
        description: Option<String>,
    },
}

/// A bound loopback listener, ready for one redirect.
pub(crate) struct Loopback {
    /// One listener, or two for `localhost` (127.0.0.1 and `::1`, same port).
    listeners: Vec<TcpListener>,
    redirect_uri: Url,
    /// The app's name as the pages show it, HTML-escaped.
    app_name: String,
}

const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// Pause after a failed `accept` (e.g. out of file descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

impl Loopback {
    /// Binds the port of `configured` (0 or none: any free port); the pages it answers with
    /// name the app `app_name`.
    pub async fn bind(configured: &Url, app_name: &str) -> Result<Self, Error> {
        let port = configured.port().unwrap_or(0);
        let (first, second) = match configured.host() {
            Some(url::Host::Ipv4(ip)) => (IpAddr::V4(ip), None),
            Some(url::Host::Ipv6(ip)) => (IpAddr::V6(ip), None),
            // `localhost` may resolve to either family: hold the port on both, so no other
            // local process can take the one the browser tries first.
            _ => (
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            ),
        };
        let listen = |ip: IpAddr, port: u16| async move {
            TcpListener::bind((ip, port)).await.map_err(|e| {
                Error::config(
                    "redirect_uri",
                    format!("cannot listen on {ip} port {port}: {e}"),
                )
            })
        };
        let listener = listen(first, port).await?;
        let actual = listener
            .local_addr()
            .map_err(|e| Error::config("redirect_uri", e.to_string()))?
            .port();
        let mut listeners = vec![listener];
        if let Some(ip) = second {
            // Best effort: a machine without IPv6 has no `::1` to take.
            if let Ok(l) = listen(ip, actual).await {
                listeners.push(l);
            }
        }
        let mut redirect_uri = configured.clone();
        redirect_uri
            .set_port(Some(actual))
            .map_err(|_| Error::config("redirect_uri", "cannot set the port"))?;
        Ok(Loopback {
            listeners,
            redirect_uri,
            app_name: escape_html(app_name),
        })
    }

    /// The redirect URI to send, with the real port.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Serves until one redirect with `state` arrives; the port is closed when this returns
    /// (or when the future is dropped, on timeout or cancel).
    pub async fn wait(self, state: &CsrfToken) -> Result<Callback, Error> {
        let shared = Arc::new(Shared {
            path: self.redirect_uri.path().to_owned(),
            state: Zeroizing::new(state.secret().clone()),
            done: AtomicBool::new(false),
            app_name: self.app_name.clone(),
        });
        let (tx, mut rx) = mpsc::channel::<Callback>(1);
        let mut connections = JoinSet::new();
        // The listeners belong to this future: dropping it (timeout, cancel) closes the port
        // at once.
        let first = &self.listeners[0];
        let second = self.listeners.get(1);
        loop {
            let accepted = tokio::select! {
                accepted = first.accept() => accepted,
                accepted = async {
                    match second {
                        Some(listener) => listener.accept().await,
                        None => std::future::pending().await,
                    }
                } => accepted,
                Some(callback) = rx.recv() => {
                    // Its page has been written: close every other connection too (browsers
                    // keep idle pre-connections open).
                    connections.abort_all();
                    return Ok(callback);
                }
            };
            match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve(stream, shared.clone(), tx.clone()));
                }
                // Out of descriptors or the like: do not spin.
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            }
        }
    }
}

/// Serves one connection; hands the callback it carried, if any, over only once its page has
/// been written to the browser.
async fn serve(stream: TcpStream, shared: Arc<Shared>, tx: mpsc::Sender<Callback>) {
    let slot: Arc<std::sync::Mutex<Option<Callback>>> = Arc::default();
    let service_slot = slot.clone();
    let service = service_fn(move |req| {
        let response = handle(&req, &shared, &service_slot);
        async move { Ok::<_, std::convert::Infallible>(response) }
    });
    let _ = http1::Builder::new()
        .keep_alive(false)
        .max_buf_size(MAX_REQUEST_HEAD)
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(10))
        .serve_connection(TokioIo::new(stream), service)
        .await;
    let callback = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(callback) = callback {
        let _ = tx.send(callback).await;
    }
}

struct Shared {
    path: String,
    state: Zeroizing<String>,
    done: AtomicBool,
    /// HTML-escaped.
    app_name: String,
}

fn handle(
    req: &Request<Incoming>,
    shared: &Shared,
    slot: &std::sync::Mutex<Option<Callback>>,
) -> Response<Full<Bytes>> {
    let app = shared.app_name.as_str();
    let page = |status, title, text: &str| page(status, title, text, app);
    if req.uri().path() != shared.path {
        return page(
            StatusCode::NOT_FOUND,
            "Not found",
            &format!("This address is not used by {app}."),
        );
    }
    if req.method() != Method::GET {
        let mut response = page(
            StatusCode::METHOD_NOT_ALLOWED,
            "Not allowed",
            "Only GET is accepted here.",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET"));
        return response;
    }
    let query = req.uri().query().unwrap_or_default();
    let mut params: Vec<(String, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if params.iter().any(|(seen, _)| *seen == k) {
            return page(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "A parameter was repeated.",
            );
        }
        params.push((k.into_owned(), v.into_owned()));
    }
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let state_ok =
        get("state").is_some_and(|s| bool::from(s.as_bytes().ct_eq(shared.state.as_bytes())));
    if !state_ok {
        return page(
            StatusCode::BAD_REQUEST,
            "Sign-in not recognised",
            &format!(
                "This response does not belong to the sign-in {app} is waiting for. Start the \
                 sign-in again from the app."
            ),
        );
    }
    let callback = match (get("code"), get("error")) {
        (_, Some(error)) => Callback::Error {
            error,
            description: get("error_description"),
        },
        (Some(code), None) if !code.is_empty() => Callback::Code {
            code: AuthorizationCode::new(code),
            iss: get("iss"),
        },
        _ => {
            return page(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "The response has no code and no error.",
            )
        }
    };
    if shared.done.swap(true, Ordering::SeqCst) {
        return page(
            StatusCode::BAD_REQUEST,
            "Already done",
            "This sign-in has already completed.",
        );
    }
    let ok = matches!(callback, Callback::Code { .. });
    *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(callback);
    if ok {
        page(
            StatusCode::OK,
            "Signed in",
            &format!("You are signed in to {app}. You can close this tab and return to the app."),
        )
    } else {
        page(
            StatusCode::OK,
            "Sign-in did not complete",
            &format!("The sign-in was not completed. Return to {app} to see why."),
        )
    }
}

/// A small fixed page naming the app (`app`, already escaped). Nothing from the request is
/// reflected into it.
fn page(status: StatusCode, title: &str, text: &str, app: &str) -> Response<Full<Bytes>> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - {app}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}

/// `text` with `&`, `<`, `>`, `"` and `'` written as character references.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
