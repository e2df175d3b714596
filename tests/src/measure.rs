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
    for m in pids.iter().filter_map(|pid| memory_of(*pid)) {
        sum.rss += m.rss;
        sum.pss += m.pss;
        sum.uss += m.uss;
    }
    sum
}

/// The memory of one process; `None` when it is gone.
pub fn memory_of(pid: u32) -> Option<Memory> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    Some(Memory {
        rss: field("Rss:"),
        pss: field("Pss:"),
        uss: field("Private_Clean:") + field("Private_Dirty:"),
    })
}

/// CPU seconds `pids` have used (user and system), with their children that have ended and
/// been waited for, as two sources tell it, each short in its own way: `/proc/PID/stat`
/// counts every thread, ended ones too, but in clock ticks (10 ms); the scheduler's
/// `/proc/PID/task/TID/schedstat` counts nanoseconds, but only of the threads still there.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cpu {
    /// From the clock ticks of `stat`.
    pub ticked: f64,
    /// From the scheduler's nanoseconds (and `stat`'s ticks of the children waited for).
    pub scheduled: f64,
}

impl Cpu {
    /// The closer of the two: the larger.
    pub fn seconds(&self) -> f64 {
        self.ticked.max(self.scheduled)
    }

    /// The CPU used since `earlier`, each source's difference taken on its own (the larger of
    /// two totals can come from a different source each time).
    pub fn since(&self, earlier: &Cpu) -> f64 {
        (self.ticked - earlier.ticked).max(self.scheduled - earlier.scheduled).max(0.0)
    }
}

/// The CPU time of `pids`, summed.
pub fn cpu(pids: &[u32]) -> Cpu {
    let hz = ticks_per_second() as f64;
    let mut sum = Cpu::default();
    for pid in pids {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let Some(fields) = stat_times(&stat) else { continue };
        let mut running_ns = 0u64;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                running_ns += std::fs::read_to_string(task.path().join("schedstat"))
                    .ok()
                    .and_then(|t| t.split_whitespace().next().and_then(|n| n.parse().ok()))
                    .unwrap_or(0);
            }
        }
        sum.ticked += fields.iter().sum::<u64>() as f64 / hz;
        sum.scheduled += running_ns as f64 / 1e9 + (fields[2] + fields[3]) as f64 / hz;
    }
    sum
}

/// CPU seconds of `pids`: [`cpu`]'s closer figure.
pub fn cpu_seconds(pids: &[u32]) -> f64 {
    cpu(pids).seconds()
}

/// utime, stime, cutime and cstime (fields 14 to 17) of a `/proc/PID/stat` line, in ticks.
/// The fields are counted after the command's name, which is in parentheses and may itself
/// hold spaces and parentheses.
fn stat_times(stat: &str) -> Option<[u64; 4]> {
    let rest = stat.rsplit_once(')')?.1;
    // After the name: state is field 3, so utime (14) is the 12th.
    let mut fields = rest.split_whitespace().skip(11).map(|f| f.parse::<u64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??, fields.next()??])
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
    static HZ: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *HZ.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100)
    })
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

    #[test]
    fn cpu_times_are_read_after_the_name_whatever_it_holds() {
        let line = "1234 (a (strange) name) S 1 1234 1234 0 -1 4194560 500 0 0 0 \
                    17 5 3 2 20 0 1 0 100 0 0";
        assert_eq!(stat_times(line), Some([17, 5, 3, 2]));
        assert_eq!(stat_times("1 (short) S 1"), None);
        let a = Cpu { ticked: 1.0, scheduled: 1.5 };
        let b = Cpu { ticked: 1.3, scheduled: 1.45 };
        assert!((b.since(&a) - 0.3).abs() < 1e-9, "each source's difference, the larger");
    }
}
