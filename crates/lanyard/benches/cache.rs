//! Token cache figures: `cargo bench -p lanyard --features bench-support`.
//!
//! Prints a table (medians): a silent cache hit through `Engine::acquire_token_silent` at 1,
//! 1,000 and 100,000 accounts, for an exact and a subset scope request; and, at 1,000
//! accounts, load + decrypt, encrypt + save, and the file size.

use std::sync::Arc;
use std::time::{Duration, Instant};

use lanyard::bench_support::{self, BENCH_API};
use lanyard::cache::MemoryKeyStore;
use lanyard::clock::SystemClock;
use lanyard::{AccountId, AppIdentity, Config, Engine};

const HIT_BATCH: u32 = 20_000;
const BATCHES: usize = 15;
const IO_RUNS: usize = 21;

fn config(dir: &std::path::Path) -> Config {
    Config::from_toml(&format!(
        r#"authority = "https://login.example.com/tenant/v2.0"
client_id = "bench"
cache_dir = "{}"
[[apis]]
name = "{BENCH_API}"
base_url = "https://api.example.com"
scopes = ["api://bench/read", "api://bench/write"]
"#,
        dir.display()
    ))
    .unwrap()
}

fn engine(dir: &std::path::Path, keys: Arc<MemoryKeyStore>) -> Engine {
    let identity = AppIdentity::new("dev.lanyard.bench", "Lanyard bench").unwrap();
    Engine::builder(config(dir), identity)
        .key_store(keys)
        .clock(Arc::new(SystemClock))
        .build()
        .unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

async fn hit_latency(engine: &Engine, account: &AccountId, scopes: Option<&[&str]>) -> Duration {
    let mut per_call = Vec::new();
    for _ in 0..BATCHES {
        let start = Instant::now();
        for _ in 0..HIT_BATCH {
            let grant = match scopes {
                None => engine.acquire_token_silent(account, BENCH_API).await,
                Some(s) => engine.acquire_token_silent_for_scopes(account, s).await,
            };
            std::hint::black_box(grant.unwrap());
        }
        per_call.push(start.elapsed() / HIT_BATCH);
    }
    median(per_call)
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        println!("| accounts | exact scopes (median per hit) | subset scopes (median per hit) |");
        println!("|---:|---:|---:|");
        let mut io_dir = None;
        for accounts in [1usize, 1_000, 100_000] {
            let dir = tempfile::tempdir().unwrap();
            let keys = Arc::new(MemoryKeyStore::default());
            let e = engine(dir.path(), keys.clone());
            let last = bench_support::seed(&e, accounts).await.unwrap();
            // Warm up: the first call loads the cache.
            e.acquire_token_silent(&last, BENCH_API).await.unwrap();
            let exact = hit_latency(&e, &last, None).await;
            let subset = hit_latency(&e, &last, Some(&["api://bench/read"])).await;
            println!("| {accounts} | {} | {} |", micros(exact), micros(subset));
            if accounts == 1_000 {
                io_dir = Some((dir, keys));
            }
        }

        let (dir, keys) = io_dir.unwrap();
        let mut loads = Vec::new();
        let mut saves = Vec::new();
        let mut seals = Vec::new();
        for _ in 0..IO_RUNS {
            let fresh = engine(dir.path(), keys.clone());
            let start = Instant::now();
            let n = fresh.accounts().await.unwrap().len();
            loads.push(start.elapsed());
            assert_eq!(n, 1_000);
            let start = Instant::now();
            bench_support::save(&fresh).await.unwrap();
            saves.push(start.elapsed());
            let start = Instant::now();
            std::hint::black_box(bench_support::seal_only(&fresh).await.unwrap());
            seals.push(start.elapsed());
        }
        let size = std::fs::metadata(dir.path().join("tokens.lanyard"))
            .unwrap()
            .len();
        println!();
        println!("| at 1,000 accounts | median |");
        println!("|---|---:|");
        println!("| load + decrypt | {} |", millis(median(loads)));
        println!(
            "| encrypt + save (temp file, fsync, rename, fsync dir) | {} |",
            millis(median(saves))
        );
        println!(
            "| of which serialize + encrypt (no disk) | {} |",
            millis(median(seals))
        );
        println!("| file size | {:.1} KiB |", size as f64 / 1024.0);
    });
}
