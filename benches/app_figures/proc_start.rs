//! When a process started, as Unix time in ms, from `/proc`: its start in clock ticks since
//! boot (`/proc/<pid>/stat`, field 22) plus the boot time, itself taken from `/proc/uptime`
//! against the wall clock (so it has the ticks' 10 ms resolution, not `btime`'s 1 s).

use std::time::{SystemTime, UNIX_EPOCH};

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// The process `pid`'s start, Unix ms.
pub fn start_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After `pid (comm)`: state is field 3, starttime field 22.
    let ticks: f64 = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()?;
    Some(boot_ms()? + ticks / TICKS_PER_SEC * 1000.0)
}

fn boot_ms() -> Option<f64> {
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Some((now - uptime) * 1000.0)
}
