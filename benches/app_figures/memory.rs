//! Memory of the app and its WebKit processes, from `/proc`: the app is found below
//! tauri-driver (tauri-driver → WebKitWebDriver → lanyard-app → WebKitWebProcess, …).

use std::collections::HashMap;

/// One process's memory.
#[derive(Debug, Clone)]
pub struct ProcMemory {
    /// Its name (`/proc/<pid>/comm`).
    pub name: String,
    /// Resident set size, KiB.
    pub rss_kib: u64,
    /// Proportional set size (shared pages divided among their users), KiB.
    pub pss_kib: u64,
}

/// `(pid, name, parent pid)` of every process.
fn processes() -> Vec<(u32, String, u32)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_owned();
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        out.push((pid, name, ppid));
    }
    out
}

/// `root` and every process below it.
fn subtree(root: u32, all: &[(u32, String, u32)]) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (pid, _, ppid) in all {
        children.entry(*ppid).or_default().push(*pid);
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            out.extend(kids);
        }
        i += 1;
    }
    out
}

fn rollup(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("Rss:")?, field("Pss:")?))
}

/// The process named `name` below `ancestor`, if any.
pub fn pid_below(ancestor: u32, name: &str) -> Option<u32> {
    let all = processes();
    subtree(ancestor, &all)
        .into_iter()
        .find(|pid| all.iter().any(|(p, n, _)| p == pid && n == name))
}

/// The process ids of the process named `app` below `ancestor` and of every process below it.
pub fn tree_pids(ancestor: u32, app: &str) -> Vec<u32> {
    let all = processes();
    pid_below(ancestor, app)
        .map(|app_pid| subtree(app_pid, &all))
        .unwrap_or_default()
}

/// Waits (up to `limit`) until none of `pids` runs any more; false if some still do. WebKit's
/// processes outlive the app's window by a moment (a web process may still be compiling
/// shaders), and a start measured while they run shares the CPU with them.
pub async fn wait_gone(pids: &[u32], limit: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        let running = pids.iter().any(|pid| is_running(*pid));
        if !running {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Whether `pid` runs (a zombie, exited but not yet reaped, does not).
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|close| stat[close + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

/// The process named `app` below `ancestor`, and every process below it, with their memory.
pub fn app_tree(ancestor: u32, app: &str) -> Vec<ProcMemory> {
    let all = processes();
    let Some(app_pid) = pid_below(ancestor, app) else {
        return Vec::new();
    };
    subtree(app_pid, &all)
        .into_iter()
        .filter_map(|pid| {
            let (rss_kib, pss_kib) = rollup(pid)?;
            let name = all.iter().find(|(p, _, _)| *p == pid)?.1.clone();
            Some(ProcMemory {
                name,
                rss_kib,
                pss_kib,
            })
        })
        .collect()
}
