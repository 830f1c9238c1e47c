//! `kill -9` at any moment of a cache write leaves the old or the new cache, never a broken
//! one. A child process (this test binary, re-run as `crash_writer_child`) seals and replaces
//! the cache file in a loop; the parent kills it with SIGKILL at varying moments, many times,
//! and opens the file after each kill.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use lanyard::cache::{CacheKey, SealedFile};

const CHILD_ENV: &str = "LANYARD_CRASH_WRITER_FILE";
const KEY: [u8; 32] = [7; 32];
/// Kills at least this often…
const MIN_ROUNDS: u32 = 150;
/// …and until this many landed mid-write (bounded by `MAX_ROUNDS`).
const MIN_MID_WRITE: u32 = 10;
const MAX_ROUNDS: u32 = 1_000;

fn payload(generation: u64) -> Vec<u8> {
    // Sizes vary from a few bytes to ~32 KiB, so kills land in writes of every length.
    let pad = "x".repeat(((generation * 7919) % 32) as usize * 1024);
    format!("{{\"generation\":{generation},\"pad\":\"{pad}\"}}").into_bytes()
}

/// The writer: runs only when the parent test starts it.
#[test]
#[ignore = "the child process of kill_9_during_writes_never_breaks_the_cache"]
fn crash_writer_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let file = SealedFile::new(Path::new(&path));
    let key = CacheKey::from_bytes(KEY);
    for generation in 0.. {
        file.save(&key, &payload(generation)).unwrap();
    }
}

#[test]
fn kill_9_during_writes_never_breaks_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.lanyard");
    let file = SealedFile::new(&path);
    let key = CacheKey::from_bytes(KEY);
    file.save(&key, &payload(0)).unwrap();
    let exe = std::env::current_exe().unwrap();

    let mut killed_mid_write = 0;
    let mut rounds = 0;
    for round in 0..MAX_ROUNDS {
        if round >= MIN_ROUNDS && killed_mid_write >= MIN_MID_WRITE {
            break;
        }
        rounds += 1;
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "crash_writer_child",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + u64::from(round * 37 % 40)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();

        let bytes = file
            .load(&key)
            .unwrap_or_else(|e| panic!("round {round}: the cache is broken after kill -9: {e}"))
            .expect("the cache file exists");
        let doc: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("round {round}: incomplete contents: {e}"));
        assert!(doc["generation"].is_u64());
        if file.remove_stale_temp_files() > 0 {
            killed_mid_write += 1;
        }
    }
    eprintln!("{rounds} kills, {killed_mid_write} of them in the middle of a write");
    assert!(
        killed_mid_write > 0,
        "no kill landed mid-write: the test proved nothing"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "only the cache file remains");
}
