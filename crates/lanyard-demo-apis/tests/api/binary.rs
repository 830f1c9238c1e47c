//! The `lanyard-demo-api` process: ready line, serving, SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;

use crate::support::{claims, get, sign, FakeIdp, Key};

#[tokio::test]
async fn the_binary_serves_and_stops_on_sigterm() {
    let idp = FakeIdp::start(vec![Key::RsaA]).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanyard-demo-api"))
        .args([
            "--name",
            "customer",
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            &idp.issuer,
        ])
        .args([
            "--audience",
            "api://lanyard-customer",
            "--scope",
            "customer.read",
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start lanyard-demo-api");

    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut line))
        .await
        .expect("ready line in time")
        .unwrap();
    let rest = line
        .trim()
        .strip_prefix("LANYARD_API_READY customer ")
        .expect(&line);
    assert!(rest.starts_with("http://127.0.0.1:"), "{line}");
    let base = rest.to_owned();

    let (status, _, body) = get(&format!("{base}/health"), None).await;
    assert_eq!((status, body["api"].as_str()), (200, Some("customer")));
    let token = sign(&claims(&idp.issuer));
    let (status, _, body) = get(&format!("{base}/customers"), Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["subject"], "alice");
    let mut expired = claims(&idp.issuer);
    expired["exp"] = serde_json::json!(0);
    let refused = sign(&expired);
    assert_eq!(
        get(&format!("{base}/customers"), Some(&refused)).await.0,
        401
    );

    let pid = child.id().expect("pid").to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("exits after SIGTERM")
        .unwrap();
    assert!(status.success(), "{status}");

    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .await
        .unwrap();
    assert!(logs.contains("demo API listening"), "{logs}");
    assert!(
        logs.contains("token expired"),
        "refusals are logged: {logs}"
    );
    for secret in [&token, &refused] {
        let signature = secret.rsplit('.').next().unwrap();
        assert!(!logs.contains(signature), "a token leaked into the logs");
    }
}
