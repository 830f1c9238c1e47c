//! No Secret Service (a headless session): the cache key goes to the kernel keyring, the CLI
//! works across processes of that session, the protection in use is reported, no file holds
//! a token, and the desktop's cache (keyed in the Secret Service) is left alone — it is
//! neither set aside nor overwritten, and works again once the Secret Service is back.
//! The headless part runs the CLI inside a fresh kernel session keyring (`keyctl session -`)
//! with no D-Bus session bus and no display.

use std::process::Command;

use lanyard_testkit::stack::{bin_path, run_lanyard, ProviderKind, Stack};

#[tokio::test(flavor = "multi_thread")]
async fn without_a_secret_service_the_key_goes_to_the_kernel_keyring() {
    let stack = Stack::start(ProviderKind::Rfc8707).await.unwrap();
    let config = stack.write_config().unwrap();

    // On the desktop first: the key in the Secret Service.
    assert!(run_lanyard(&config, &["sign-in"]).status.success());

    let lanyard = format!(
        "{} --config {}",
        bin_path("lanyard").display(),
        config.display()
    );
    let script = format!(
        "{lanyard} accounts && {lanyard} sign-in >/dev/null && {lanyard} token --api vendor \
         && {lanyard} token --api vendor && {lanyard} token --api vendor --raw"
    );
    let output = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("LANYARD_LOG", "warn")
        .env("LANYARD_LOG_STDERR", "1")
        .env("LANYARD_LOG_DIR", stack.dir().join("logs"))
        .env("LANYARD_BROWSER", bin_path("lanyard-test-browser"))
        .output()
        .expect("keyctl (package keyutils) runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stderr.contains("kernel keyring"),
        "the fallback is reported: {stderr}"
    );
    assert!(
        stdout.starts_with("[]"),
        "the headless session has its own cache: {stdout}"
    );
    assert!(stdout.contains("\"source\": \"refresh\""), "{stdout}");
    assert!(
        stdout.contains("\"source\": \"cache\""),
        "the next process found the key: {stdout}"
    );

    let token = stdout.lines().last().unwrap().trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT access token");
    let names: Vec<String> = std::fs::read_dir(stack.cache_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "tokens.lanyard"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "tokens.kernel-keyring.lanyard"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.contains(".bad-")),
        "nothing set aside: {names:?}"
    );
    for entry in std::fs::read_dir(stack.cache_dir()).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&token),
            "no plaintext token on disk"
        );
    }

    // Back on the desktop: still signed in, silently.
    let desktop = run_lanyard(&config, &["token", "--api", "customer"]);
    assert!(desktop.status.success(), "{desktop:?}");
    assert!(String::from_utf8_lossy(&desktop.stdout).contains("\"source\": \"cache\""));
}
