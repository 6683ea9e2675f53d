//! The scenario loader with `--set` overrides: `cloudletsim::scenario::load_str`.
//!
//! Input: the scenario's TOML text, then up to four `--set` expressions, separated by NUL bytes
//! (`name = "a"\n[wearables]\ncount = 5\n\0cloudlets.mesh=ring\0links.ban.loss_prob=0.1`). Any input must give a
//! scenario or a located error, never a panic; an accepted scenario that is small is also built into a topology.

#![no_main]

use std::path::Path;

use cloudletsim::scenario::{load_str, ScenarioError};
use libfuzzer_sys::fuzz_target;

/// Most `--set` expressions taken from one input.
const MAX_OVERRIDES: usize = 4;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let scenario = parts.next().unwrap_or_default();
    let overrides: Vec<String> = parts.take(MAX_OVERRIDES).map(str::to_string).collect();
    match load_str(scenario, Path::new("fuzz.toml"), &overrides) {
        Ok(s) => {
            let cfg = &s.config;
            // The estimate and the budget check take any validated scenario, in microseconds, without panicking;
            // the resolved scenario can always be written out and loads back to the same configuration.
            let estimate = cloudletsim::estimate::Estimate::of(cfg);
            assert!(!estimate.events.is_nan() && estimate.events >= 0.0, "events {}", estimate.events);
            let budget = cloudletsim::estimate::Budget { max_events: 1_000_000_000, memory_bytes: 1 << 30 };
            let _ = cloudletsim::estimate::check(&estimate, &budget);
            let _ = estimate.render();
            let resolved = s.resolved_toml().expect("a loaded scenario resolves");
            let again = load_str(&resolved, Path::new("resolved.toml"), &[]).expect("the resolved scenario loads");
            assert_eq!(format!("{:?}", again.config), format!("{cfg:?}"), "resolving changed the scenario");
            let small = cfg.wearables <= 50
                && cfg.cloudlets.count <= 20
                && cfg.duration.as_secs_f64() <= 60.0
                && cfg.drain.as_secs_f64() <= 60.0;
            if small {
                // A validated scenario must build; a topology error (say, a disconnected mesh) is a clean error too.
                let _ = cloudletsim::run::build_topology(cfg).map_err(|e| e.to_string());
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            if let ScenarioError::Invalid { diagnostics, .. } = &e {
                assert!(!diagnostics.is_empty(), "an invalid scenario with no problem listed");
                let lines = scenario.lines().count().max(1);
                for d in diagnostics {
                    assert!(!d.message.trim().is_empty(), "a problem with no message: {d:?}");
                    if let Some(line) = d.line {
                        assert!((1..=lines + 1).contains(&line), "line {line} outside the file ({lines} lines): {d:?}");
                    }
                }
            }
        }
    }
});
