//! What this machine allows (memory available, `--max-events`) and the check that refuses a scenario beyond it,
//! naming the keys to change.

use super::render::{bytes_text, count_text};
use super::Estimate;

/// Default `--max-events`: 2e10 events. A city run (100,000 wearables for 10 minutes) is about 1e8 events, at about
/// 6 million events per second (README, Performance) about 17 s; 2e10 is 200 such runs, roughly an hour of one core,
/// so only a scenario far beyond anything shipped meets it, and a runaway rate (1e300 per second) is stopped at once.
pub const DEFAULT_MAX_EVENTS: u64 = 20_000_000_000;

/// Share of the available memory a scenario may plan to use (dimensionless): the estimate is an estimate, the
/// allocator rounds up and vectors grow by doubling, so a quarter is kept in reserve.
pub const MEMORY_SAFETY_FRACTION: f64 = 0.75;

/// Memory assumed available when /proc/meminfo cannot be read: 8 GiB, a small laptop's.
pub const FALLBACK_MEMORY_BYTES: u64 = 8 << 30;

/// What this machine allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Most events a run may be expected to take (0: no limit).
    pub max_events: u64,
    /// Most bytes a run may be expected to use.
    pub memory_bytes: u64,
}

impl Budget {
    /// `max_events` and [`MEMORY_SAFETY_FRACTION`] of the memory available now (`MemAvailable` in /proc/meminfo,
    /// or [`FALLBACK_MEMORY_BYTES`] where that cannot be read).
    pub fn for_this_machine(max_events: u64) -> Budget {
        let available = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| mem_available(&text))
            .unwrap_or(FALLBACK_MEMORY_BYTES);
        Budget { max_events, memory_bytes: (available as f64 * MEMORY_SAFETY_FRACTION) as u64 }
    }
}

/// `MemAvailable` from the text of /proc/meminfo, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// A scenario that does not fit the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverBudget {
    /// The keys to change.
    pub keys: Vec<String>,
    /// One message: the estimate, the keys and values behind it, the budget and what to do.
    pub message: String,
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OverBudget {}

/// Whether `est` fits `budget`: memory first (nothing can run without it), then events, then setup steps (counted
/// against the same budget as events: a step of a route search costs about what an event does).
pub fn check(est: &Estimate, budget: &Budget) -> Result<(), OverBudget> {
    if est.memory_bytes > budget.memory_bytes {
        let top = est.memory.first();
        let detail = top.map_or(String::new(), |m| format!(" ({}: {}, {})", m.what, m.detail, bytes_text(m.bytes)));
        return Err(OverBudget {
            keys: top.map_or_else(Vec::new, |m| m.keys.clone()),
            message: format!(
                "the scenario needs about {} of memory{detail}, more than the {} this machine has available \
                 ({:.0}% of MemAvailable); allowed: a scenario that fits, e.g. {}",
                bytes_text(est.memory_bytes as f64),
                bytes_text(budget.memory_bytes as f64),
                MEMORY_SAFETY_FRACTION * 100.0,
                top.map_or("fewer wearables or cloudlets".to_string(), |m| remedy(&m.keys)),
            ),
        });
    }
    if budget.max_events == 0 {
        return Ok(());
    }
    let limit = budget.max_events as f64;
    let lift = "pass --max-events 0 to lift the limit or a larger value";
    if est.events > limit {
        let top = est.sources.first();
        let detail = top.map_or(String::new(), |s| format!(" (mostly {}: {})", s.what, s.detail));
        // Every source's events grow with the run's length, so the duration is one of the keys to blame (and
        // the one a `--set simulation.duration_s=...` override points the message at).
        let mut keys = top.map_or_else(Vec::new, |s| s.keys.clone());
        for k in ["simulation.duration_s", "simulation.drain_s"] {
            if !keys.iter().any(|x| x == k) {
                keys.push(k.to_string());
            }
        }
        return Err(OverBudget {
            keys,
            message: format!(
                "about {} events expected{detail}, more than --max-events {}; {lift}, or lower the rate, the count \
                 or simulation.duration_s",
                count_text(est.events),
                budget.max_events
            ),
        });
    }
    if est.setup_steps > limit {
        return Err(OverBudget {
            keys: est.setup_detail.0.clone(),
            message: format!(
                "building the network takes about {} steps ({}), more than --max-events {}; {lift}, or use fewer \
                 cloudlets or a sparser mesh",
                count_text(est.setup_steps),
                est.setup_detail.1,
                budget.max_events
            ),
        });
    }
    Ok(())
}

/// What to change, for the keys of a memory consumer.
fn remedy(keys: &[String]) -> String {
    if keys.iter().any(|k| k == "cloudlets.mesh") {
        "fewer cloudlets or another mesh".into()
    } else if keys.iter().any(|k| k == "cloudlets.count") {
        "fewer cloudlets".into()
    } else if keys.iter().any(|k| k == "trust.interval_s") {
        "a longer trust.interval_s or a shorter simulation.duration_s".into()
    } else if keys.iter().any(|k| k == "wearables.count") {
        "fewer wearables".into()
    } else {
        format!("smaller values of {}", keys.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::tests::{config, BASE};

    #[test]
    fn runaway_rate_is_refused_with_its_key() {
        let cfg = config(BASE, &["attacks.dos_flood.rate_per_s=1e9", "simulation.duration_s=60"]);
        let e = Estimate::of(&cfg);
        let err = check(&e, &Budget { max_events: DEFAULT_MAX_EVENTS, memory_bytes: u64::MAX }).unwrap_err();
        assert!(err.keys.contains(&"attacks.dos_flood.rate_per_s".to_string()), "{err:?}");
        assert!(err.message.contains("attacks.dos_flood.rate_per_s = 1e9 over 60 s"), "{}", err.message);
        assert!(err.message.contains("--max-events 0"), "{}", err.message);
        assert!(check(&e, &Budget { max_events: 0, memory_bytes: u64::MAX }).is_ok());
    }

    #[test]
    fn meminfo_is_parsed() {
        let text = "MemTotal:       32000000 kB\nMemFree:  1 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(mem_available(text), Some(20_000_000 * 1024));
        assert_eq!(mem_available("nothing"), None);
        assert!(Budget::for_this_machine(5).memory_bytes > 0);
    }
}
