//! The decision-tree optimiser from the library: choose the number of IDS nodes for a scenario.
//!
//! ```text
//!                 ┌── n = 1 ─ item ─┬─ attack (π) ── detected P_D(1) / missed
//!  IDS nodes? ────┼── n = 2 ─ ...   └─ benign (1−π) ─ false alarm P_FA(1) / quiet
//!                 └── n = 8 ─ ...        cost C(n) = c_node·n + c_miss·π·(1−P_D) + c_fa·(1−π)·P_FA
//! ```
//!
//! Run: `cargo run --release --example ids_optimize [scenario.toml]` (default: scenarios/chen2016-ids.toml).

use std::path::PathBuf;

use cloudletsim::ids::optimize::{optimize, OptimizeOptions};

fn main() -> anyhow::Result<()> {
    let file = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "scenarios/chen2016-ids.toml".into()));
    let text = std::fs::read_to_string(&file)?;
    let opts =
        OptimizeOptions { max_ids: 8, target_detection: 0.0, max_false_alarm: 1.0, replications: 4, curve_points: 0 };
    let result = optimize(&text, &file, &[], &opts)?;
    print!("{}", result.table());
    Ok(())
}
