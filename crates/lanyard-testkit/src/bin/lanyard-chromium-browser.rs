//! `lanyard-chromium-browser <authorize-url>`: a "system browser" for tests that is a real
//! browser engine. Starts `chromedriver` (`$LANYARD_CHROMEDRIVER`, default `chromedriver`) with
//! headless Chromium (`$LANYARD_CHROMIUM`, default `/usr/bin/chromium`), loads the URL, fills
//! the IdP's login form as the user of [`lanyard_testkit::user`], presses Allow on the consent
//! page, and waits until Chromium has loaded the app's loopback redirect. With
//! `$LANYARD_BROWSER_SHOTS` set to a directory, saves `chromium-login.png` and
//! `chromium-consent.png` there. Logs steps, never a URL (it holds `state`, the PKCE challenge,
//! and later the code). Exits 0 once the redirect was loaded, 1 on any failure, 2 on bad usage.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use lanyard_testkit::user::{credentials, env_or};
use thirtyfour::prelude::*;
use url::Url;

/// How long each step may take.
const STEP: Duration = Duration::from_secs(30);

/// chromedriver, killed on drop.
struct ChromeDriver(Child);

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn start_chromedriver() -> Result<(ChromeDriver, u16), String> {
    let program = env_or("LANYARD_CHROMEDRIVER", "chromedriver");
    let port = free_port()?;
    let child = Command::new(&program)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {program} (apt-get install chromium-driver): {e}"))?;
    let driver = ChromeDriver(child);
    let deadline = Instant::now() + STEP;
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("{program} does not listen on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok((driver, port))
}

/// The loopback redirect URI the authorize URL names (origin and path only).
fn redirect_target(authorize: &str) -> Result<(u16, String), String> {
    let url = Url::parse(authorize).map_err(|_| "the argument is not a URL".to_owned())?;
    let redirect = url
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .ok_or("the authorize URL has no redirect_uri")?;
    let redirect = Url::parse(&redirect).map_err(|_| "redirect_uri is not a URL".to_owned())?;
    let port = redirect.port().ok_or("redirect_uri has no port")?;
    Ok((port, redirect.path().to_owned()))
}

/// Waits until `#id` is on the page.
async fn find(driver: &WebDriver, id: &str) -> Result<WebElement, String> {
    let deadline = Instant::now() + STEP;
    loop {
        if let Ok(el) = driver.find(By::Id(id)).await {
            return Ok(el);
        }
        if Instant::now() > deadline {
            return Err(format!("no #{id} on the page"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn shot(driver: &WebDriver, name: &str) {
    if let Some(dir) = std::env::var_os("LANYARD_BROWSER_SHOTS") {
        let dir = PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        if let Err(e) = driver.screenshot(&dir.join(name)).await {
            eprintln!("lanyard-chromium-browser: screenshot {name}: {e}");
        }
    }
}

async fn sign_in(driver: &WebDriver, authorize: &str) -> Result<(), String> {
    let (port, path) = redirect_target(authorize)?;
    let (user, password) = credentials()?;
    let e = |what: &'static str| move |err: WebDriverError| format!("{what}: {err}");

    driver.goto(authorize).await.map_err(e("loading the IdP"))?;
    find(driver, "login").await?;
    eprintln!("lanyard-chromium-browser: login page; signing in as {user}");
    shot(driver, "chromium-login.png").await;
    let login = find(driver, "login").await?;
    login.clear().await.map_err(e("login field"))?;
    login.send_keys(&user).await.map_err(e("login field"))?;
    find(driver, "password")
        .await?
        .send_keys(&password)
        .await
        .map_err(e("password field"))?;
    find(driver, "sign-in")
        .await?
        .click()
        .await
        .map_err(e("sign in"))?;

    let allow = find(driver, "allow").await?;
    eprintln!("lanyard-chromium-browser: consent page; pressing Allow");
    shot(driver, "chromium-consent.png").await;
    allow.click().await.map_err(e("allow"))?;

    // Chromium follows the IdP's redirects to the app's loopback listener.
    let deadline = Instant::now() + STEP;
    loop {
        let now = driver.current_url().await.map_err(e("current URL"))?;
        if now.host_str() == Some("127.0.0.1") && now.port() == Some(port) && now.path() == path {
            let ready: String = driver
                .execute("return document.readyState;", Vec::new())
                .await
                .and_then(|r| r.convert())
                .unwrap_or_default();
            if ready == "complete" {
                eprintln!("lanyard-chromium-browser: done: the app's redirect page loaded");
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "Chromium did not reach the loopback redirect (now at {}{})",
                now.origin().ascii_serialization(),
                now.path()
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), None) = (args.next(), args.next()) else {
        eprintln!("usage: lanyard-chromium-browser <authorize-url>");
        return ExitCode::from(2);
    };
    let (_chromedriver, port) = match start_chromedriver() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("lanyard-chromium-browser: {e}");
            return ExitCode::FAILURE;
        }
    };
    let profile = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("lanyard-chromium-browser: no profile directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut caps = DesiredCapabilities::chrome();
    let binary = env_or("LANYARD_CHROMIUM", "/usr/bin/chromium");
    let setup = caps
        .set_binary(&binary)
        .and_then(|_| caps.add_arg("--headless=new"))
        .and_then(|_| caps.add_arg("--no-sandbox"))
        .and_then(|_| caps.add_arg("--disable-gpu"))
        .and_then(|_| caps.add_arg("--disable-dev-shm-usage"))
        .and_then(|_| caps.add_arg(&format!("--user-data-dir={}", profile.path().display())));
    if let Err(e) = setup {
        eprintln!("lanyard-chromium-browser: capabilities: {e}");
        return ExitCode::FAILURE;
    }
    let driver = match WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("lanyard-chromium-browser: no Chromium session: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = sign_in(&driver, &url).await;
    let _ = driver.quit().await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lanyard-chromium-browser: failed: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redirect_target;

    #[test]
    fn redirect_targets() {
        let url = "http://127.0.0.1:9/auth?client_id=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Fcallback&state=s";
        assert_eq!(redirect_target(url), Ok((4711, "/callback".to_owned())));
        assert!(redirect_target("http://127.0.0.1:9/auth?state=s").is_err());
        assert!(redirect_target("not a url").is_err());
    }
}
