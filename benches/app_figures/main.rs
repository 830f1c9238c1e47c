//! App figures (medians), printed as a table: `scripts/bench.sh` (or, under Xvfb with a session
//! bus and an unlocked Secret Service, `cargo bench --bench app_figures`).
//!
//! - **Cold start to first paint**, empty cache and 1,000 accounts: from the start of the app
//!   process (`/proc/<pid>/stat`, 10 ms resolution) to the moment the UI has painted its first
//!   real view (`data-first-paint`, set by `ui/src/first-paint.ts` one frame after the view was
//!   rendered, as `performance.timeOrigin + performance.now()`). Both ends are wall-clock times
//!   on this machine. Also: navigation start → first paint (webview only), and from the
//!   WebDriver New Session request (which adds WebKitWebDriver's own start).
//! - **IPC round trip**: `token_info` answered from the cache, called from the webview through
//!   `__TAURI_INTERNALS__.invoke` 1,000 times in a row, timed with `performance.now()` in
//!   batches of 100 calls (WebKit's `performance.now()` has a 1 ms resolution here): the median
//!   of the 10 batches' per-call means, and the mean of all calls.
//! - **Memory** after a sign-in: RSS and PSS (`/proc/<pid>/smaps_rollup`) of the app and its
//!   WebKit processes.
//! - **.deb size**, if `scripts/bundle-check.sh` built one.
//!
//! `LANYARD_BENCH_RUNS` sets the number of app starts per case (default 11, after one
//! warm-up start). Each start waits until the previous app and all its WebKit processes have
//! exited: a web process outlives its window by up to a second here (still compiling shaders
//! on the CPU), and a start measured beside it would share the two cores with it.

mod memory;
mod proc_start;
mod stats;
#[path = "../../tests/webdriver_support/mod.rs"]
mod webdriver_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lanyard::bench_support::{self, BENCH_API};
use lanyard::{Config, Engine};
use lanyard_testkit::stack::{ProviderKind, Stack};
use serde_json::{json, Value};
use stats::{epoch_ms, median};
use thirtyfour::prelude::*;
use webdriver_support::{should_run, sign_in, AppHome, Driver};

/// Calls per IPC figure (after as many warm-up calls).
const IPC_CALLS: usize = 1_000;
/// Accounts in the large cache.
const ACCOUNTS: usize = 1_000;

/// One app start: ms to first paint from the app process's start, from the New Session
/// request (which adds WebKitWebDriver's own start), and from navigation start.
struct Start {
    process_to_paint: f64,
    spawn_to_paint: f64,
    navigation_to_paint: f64,
}

/// Starts the app, waits for its first-paint mark and `check`s the view; then quits it.
async fn start_once(driver: &Driver, expect: Expect) -> Start {
    let requested = epoch_ms();
    let app = driver.launch().await;
    let session = app.session().clone();
    let mark = loop {
        let found = session
            .execute(
                "const d = document.documentElement.dataset;
                 return d.firstPaint ? [Number(d.firstPaint), Number(d.firstPaintSinceStart)] : null;",
                Vec::new(),
            )
            .await
            .expect("the page answers");
        if let Ok([at, since_start]) = found.convert::<[f64; 2]>() {
            let app_pid = memory::pid_below(driver.pid(), "lanyard-app")
                .expect("the app process runs below tauri-driver");
            let started = proc_start::start_ms(app_pid).expect("the app's start time");
            break Start {
                process_to_paint: at - started,
                spawn_to_paint: at - requested,
                navigation_to_paint: since_start,
            };
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    expect.check(&session).await;
    quit_and_wait(driver, app).await;
    mark
}

/// Ends the app's session and waits until the app and its WebKit processes have exited, so
/// that the next start does not share the CPU with them.
async fn quit_and_wait(driver: &Driver, app: webdriver_support::App) {
    let pids = memory::tree_pids(driver.pid(), "lanyard-app");
    assert!(!pids.is_empty(), "the app's processes were not found");
    app.quit().await;
    assert!(
        memory::wait_gone(&pids, Duration::from_secs(20)).await,
        "the app's processes still run 20 s after it was asked to quit"
    );
}

/// What the first view must show, so that the figure is of the real state.
#[derive(Clone, Copy)]
enum Expect {
    /// The signed-out view.
    SignedOut,
    /// The signed-in view with this many accounts in the picker.
    Accounts(usize),
}

impl Expect {
    async fn check(self, session: &WebDriver) {
        match self {
            Expect::SignedOut => {
                session
                    .find(By::Id("sign-in"))
                    .await
                    .expect("the first paint shows the signed-out view");
            }
            Expect::Accounts(n) => {
                let picker = session
                    .find(By::Id("account-picker"))
                    .await
                    .expect("the first paint shows the signed-in view");
                let count = picker.attr("data-count").await.ok().flatten();
                assert_eq!(count, Some(n.to_string()), "accounts in the picker");
            }
        }
    }
}

/// `runs` app starts after one warm-up start; medians in ms.
async fn cold_start(driver: &Driver, expect: Expect, runs: usize) -> Medians {
    start_once(driver, expect).await;
    let (mut process, mut spawn, mut navigation) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let s = start_once(driver, expect).await;
        process.push(s.process_to_paint);
        spawn.push(s.spawn_to_paint);
        navigation.push(s.navigation_to_paint);
    }
    Medians {
        process: median(process),
        spawn: median(spawn),
        navigation: median(navigation),
    }
}

/// The medians of [`Start`]'s figures.
struct Medians {
    process: f64,
    spawn: f64,
    navigation: f64,
}

impl Medians {
    fn print(&self, case: &str) {
        println!(
            "| cold start → first paint, {case} (app process start → first paint) | {:.0} ms | ≤ 300 ms |",
            self.process
        );
        println!(
            "|   of which navigation start → first paint | {:.0} ms | |",
            self.navigation
        );
        println!(
            "|   WebDriver New Session → first paint (adds WebKitWebDriver's own start) | {:.0} ms | |",
            self.spawn
        );
    }
}

/// Calls per timed batch: WebKit gives `performance.now()` a 1 ms resolution here, so calls
/// are timed in batches and each batch's mean is one sample (to 0.01 ms).
const IPC_BATCH: usize = 100;

/// Times `n` sequential invokes of `command` with `args` in the webview, in batches of
/// `batch`; returns the first reply, each batch's ms and the whole run's ms.
const IPC_SCRIPT: &str = r#"
const [command, args, n, batch, done] = arguments;
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  const first = await invoke(command, args);
  const batches = [];
  const start = performance.now();
  for (let i = 0; i < n; i += batch) {
    const t = performance.now();
    for (let j = 0; j < batch; j++) await invoke(command, args);
    batches.push(performance.now() - t);
  }
  done({ first: first ?? null, batches, total: performance.now() - start });
})().catch((e) => done({ error: String(e && e.message || e) }));
"#;

/// The IPC figures in ms for `command`: the median of the batches' per-call means, and the
/// mean of all [`IPC_CALLS`] calls; `check` looks at the first reply.
async fn ipc_round_trip(
    session: &WebDriver,
    command: &str,
    args: Value,
    check: fn(&Value),
) -> (f64, f64) {
    let run = || {
        let session = session.clone();
        let args = vec![
            json!(command),
            args.clone(),
            json!(IPC_CALLS),
            json!(IPC_BATCH),
        ];
        async move {
            let reply = session
                .execute_async(IPC_SCRIPT, args)
                .await
                .expect("the IPC script runs");
            let reply: Value = reply.json().clone();
            assert!(reply.get("error").is_none(), "{command} failed: {reply}");
            check(&reply["first"]);
            reply
        }
    };
    run().await; // warm-up
    let reply = run().await;
    let batches: Vec<f64> = serde_json::from_value(reply["batches"].clone()).expect("times");
    assert_eq!(batches.len(), IPC_CALLS / IPC_BATCH);
    let per_call = batches.iter().map(|b| b / IPC_BATCH as f64).collect();
    let total = reply["total"].as_f64().expect("the total");
    (median(per_call), total / IPC_CALLS as f64)
}

/// A configuration with one API named [`BENCH_API`] and a cache of [`ACCOUNTS`] accounts
/// (filled by the engine's `bench-support` helpers, sealed with a key in the Secret Service).
async fn seeded_cache(stack: &Stack, dir: &Path) -> (PathBuf, PathBuf) {
    let cache_dir = dir.join("seeded-cache");
    let text = format!(
        r#"authority = "{issuer}"
client_id = "{client}"
cache_dir = "{cache}"

[[apis]]
name = "{BENCH_API}"
base_url = "{customer}"
scopes = ["customer.read"]
resource = "api://lanyard-customer"
"#,
        issuer = stack.idp().issuer(),
        client = stack.kind().client_id(),
        cache = cache_dir.display(),
        customer = stack.customer_url(),
    );
    let path = dir.join("seeded.toml");
    std::fs::write(&path, &text).expect("the seeded config");
    let config = Config::from_toml(&text).expect("the seeded config parses");
    // The app reads this cache: Lanyard's own identity (its keyring service and file names).
    let engine = Engine::builder(config, lanyard_product::identity())
        .build()
        .expect("an engine");
    bench_support::seed(&engine, ACCOUNTS)
        .await
        .expect("the cache is seeded");
    (path, cache_dir)
}

/// The size of the first `.deb` under `target/release/bundle/deb`, if any.
fn deb_size() -> Option<(String, u64)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/bundle/deb");
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "deb"))
        .find_map(|e| {
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().ok()?.len(),
            ))
        })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if !should_run() {
        return;
    }
    let runs: usize = std::env::var("LANYARD_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");

    // Empty cache: cold starts, then one run signed in for the IPC and memory figures.
    let home = AppHome::new(&stack);
    let driver = home.driver();
    let empty = cold_start(&driver, Expect::SignedOut, runs).await;
    let app = driver.launch().await;
    sign_in(app.session(), "Alice Example")
        .await
        .expect("sign-in");
    let (ipc_median, ipc_mean) = ipc_round_trip(
        app.session(),
        "plugin:lanyard|token_info",
        json!({ "accountId": "alice", "api": "customer" }),
        |first| {
            assert_eq!(
                first["source"], "cache",
                "token_info not served from the cache"
            )
        },
    )
    .await;
    // The floor: a command that does nothing (no sign-in is under way to cancel).
    let (floor_median, _) = ipc_round_trip(
        app.session(),
        "plugin:lanyard|cancel_sign_in",
        json!({}),
        |_| {},
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let procs = memory::app_tree(driver.pid(), "lanyard-app");
    quit_and_wait(&driver, app).await;
    assert!(!procs.is_empty(), "the app's processes were not found");

    // 1,000 accounts.
    let (config, cache_dir) = seeded_cache(&stack, home.dir()).await;
    let seeded_home = AppHome::new(&stack).with_config(config, cache_dir);
    let seeded_driver = seeded_home.driver();
    let full = cold_start(&seeded_driver, Expect::Accounts(ACCOUNTS), runs).await;

    println!("app figures (medians; {runs} starts per case after one warm-up)");
    println!("| figure | median | target |");
    println!("|---|---:|---:|");
    empty.print("empty cache");
    full.print(&format!("{ACCOUNTS} accounts"));
    println!(
        "| IPC round trip, token_info from the cache ({IPC_CALLS} calls, median of batches of {IPC_BATCH}) | {:.3} ms | ≤ 0.5 ms |",
        ipc_median
    );
    println!("|   mean of the same {IPC_CALLS} calls | {ipc_mean:.3} ms | |");
    println!(
        "|   floor: cancel_sign_in, a command that does nothing (median of batches) | {floor_median:.3} ms | |"
    );
    let rss: u64 = procs.iter().map(|p| p.rss_kib).sum();
    let pss: u64 = procs.iter().map(|p| p.pss_kib).sum();
    println!(
        "| memory after sign-in, {} processes: PSS (RSS) | {:.1} MiB ({:.1} MiB) | |",
        procs.len(),
        pss as f64 / 1024.0,
        rss as f64 / 1024.0
    );
    for p in &procs {
        println!(
            "|   {}: PSS (RSS) | {:.1} MiB ({:.1} MiB) | |",
            p.name,
            p.pss_kib as f64 / 1024.0,
            p.rss_kib as f64 / 1024.0
        );
    }
    match deb_size() {
        Some((name, bytes)) => println!(
            "| .deb size ({name}) | {:.1} MB | ≤ 10 MB |",
            bytes as f64 / 1e6
        ),
        None => println!("| .deb size | not built (scripts/bundle-check.sh builds it) | ≤ 10 MB |"),
    }
}
