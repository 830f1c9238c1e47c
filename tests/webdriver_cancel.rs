//! Cancelling a sign-in: the browser the app launches never finishes (it only notes the
//! loopback port of the redirect URI and exits), the app shows "Finish signing in in your
//! browser", Cancel brings back the signed-out view with no error, and the loopback port is
//! closed. See `tests/webdriver_support` for what the WebDriver tests need.

mod webdriver_support;

use std::net::{Ipv4Addr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lanyard_testkit::stack::{ProviderKind, Stack};
use thirtyfour::prelude::*;
use webdriver_support::{
    assert_no_error, screenshot, should_run, text_of, wait_for, AppHome, Until,
};

/// Where the idle browser writes the loopback port (only the port: the URL holds secrets).
const PORT_FILE: &str = "loopback-port";

/// The port the idle browser noted, waiting for it up to 20 s.
fn noted_port(file: &Path) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(port) = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            return port;
        }
        assert!(Instant::now() < deadline, "the browser was not launched");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn accepts(port: u16) -> bool {
    TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// A browser that never signs in: it writes the redirect URI's port and exits.
fn idle_browser(home: &AppHome) -> PathBuf {
    home.script(
        "idle-browser",
        &format!(
            r#"port=$(printf %s "$1" | sed -n 's/.*redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\([0-9]*\).*/\1/p')
printf '%s\n' "$port" > '{}.tmp' && mv '{}.tmp' '{}'"#,
            home.dir().join(PORT_FILE).display(),
            home.dir().join(PORT_FILE).display(),
            home.dir().join(PORT_FILE).display(),
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_a_sign_in() {
    if !should_run() {
        return;
    }
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let home = AppHome::new(&stack);
    let browser = idle_browser(&home);
    let home = home.with_browser(browser);
    let port_file = home.dir().join(PORT_FILE);
    let driver = home.driver();
    let app = driver.launch().await;
    app.step(move |d| async move {
        let button = wait_for(&d, "sign-in", "the signed-out view", Until::Present).await;
        button.click().await?;
        let waiting = wait_for(&d, "signing-in", "the waiting view", Until::HasText).await;
        let words = text_of(&waiting).await;
        assert!(
            words.contains("Finish signing in in your browser"),
            "{words}"
        );
        let port = noted_port(&port_file);
        assert!(accepts(port), "the loopback listener on {port} is not open");
        screenshot(&d, "signing-in").await?;

        d.find(By::Id("cancel-sign-in")).await?.click().await?;
        wait_for(
            &d,
            "sign-in",
            "the signed-out view after Cancel",
            Until::Present,
        )
        .await;
        assert!(d.find(By::Id("signing-in")).await.is_err());
        assert_no_error(&d).await?;
        let status = text_of(&d.find(By::Id("status")).await?).await;
        assert_eq!(status.trim(), "Signed out");
        let deadline = Instant::now() + Duration::from_secs(5);
        while accepts(port) {
            assert!(
                Instant::now() < deadline,
                "the loopback port {port} is still open after Cancel"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        screenshot(&d, "cancelled").await
    })
    .await;
    app.quit().await;
}
