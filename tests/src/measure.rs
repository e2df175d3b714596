//! What a process tree costs, from `/proc`: memory (RSS, PSS, USS from `smaps_rollup`), CPU
//! time and voluntary context switches, each summed over the processes given.

/// Memory of some processes, in KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    pub rss: u64,
    pub pss: u64,
    /// Unique set size: the pages no other process maps (private clean and dirty).
    pub uss: u64,
}

/// The memory of `pids`, summed (a process gone meanwhile counts nothing).
pub fn memory(pids: &[u32]) -> Memory {
    let mut sum = Memory::default();
    for pid in pids {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue;
        };
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        sum.rss += field("Rss:");
        sum.pss += field("Pss:");
        sum.uss += field("Private_Clean:") + field("Private_Dirty:");
    }
    sum
}

/// CPU seconds `pids` have used (user and system), with their children that have ended and
/// been waited for.
///
/// Two sources, each short in its own way: `/proc/PID/stat` counts every thread, ended ones
/// too, but in clock ticks (10 ms); the scheduler's `/proc/PID/task/TID/schedstat` counts
/// nanoseconds, but only of the threads still there. Per process, the larger is the closer.
pub fn cpu_seconds(pids: &[u32]) -> f64 {
    let hz = ticks_per_second() as f64;
    let mut total = 0.0;
    for pid in pids {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // Fields after the parenthesised name: state is the 3rd field, utime the 14th.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
        let fields: Vec<u64> =
            rest.split_whitespace().skip(11).take(4).filter_map(|f| f.parse().ok()).collect();
        let ticks = fields.iter().sum::<u64>() as f64 / hz;
        let children = fields.iter().skip(2).sum::<u64>() as f64 / hz;
        let mut running_ns = 0u64;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                running_ns += std::fs::read_to_string(task.path().join("schedstat"))
                    .ok()
                    .and_then(|t| t.split_whitespace().next().and_then(|n| n.parse().ok()))
                    .unwrap_or(0);
            }
        }
        total += ticks.max(running_ns as f64 / 1e9 + children);
    }
    total
}

/// Voluntary context switches of every thread of `pids`: each is the thread going to sleep, so
/// the count is how often they woke.
pub fn voluntary_switches(pids: &[u32]) -> u64 {
    let mut sum = 0;
    for pid in pids {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { continue };
        for task in tasks.flatten() {
            let Ok(status) = std::fs::read_to_string(task.path().join("status")) else { continue };
            sum += status
                .lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    sum
}

/// Threads of `pids`, by name.
pub fn threads(pids: &[u32]) -> Vec<String> {
    let mut names = Vec::new();
    for pid in pids {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { continue };
        for task in tasks.flatten() {
            if let Ok(comm) = std::fs::read_to_string(task.path().join("comm")) {
                names.push(comm.trim().to_string());
            }
        }
    }
    names
}

/// The kernel's clock ticks per second for CPU times (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_time_and_threads() {
        let me = [std::process::id()];
        // Work a little, so there is CPU time to read.
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        assert_ne!(x, 1);
        let m = memory(&me);
        assert!(m.rss > 0 && m.pss > 0 && m.uss > 0 && m.uss <= m.rss, "{m:?}");
        assert!(cpu_seconds(&me) > 0.0);
        assert!(!threads(&me).is_empty());
        assert_eq!(memory(&[u32::MAX]), Memory::default(), "a process that is not there");
    }
}
