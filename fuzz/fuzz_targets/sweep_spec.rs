//! Sweep files: `cloudletsim::sweep::spec::Sweep::from_texts`, against a small fixed base scenario (no file is
//! read). Any input must give a sweep or a located error, never a panic.

#![no_main]

use std::path::Path;

use cloudletsim::sweep::spec::Sweep;
use libfuzzer_sys::fuzz_target;

const BASE: &str = "name = \"base\"\nseed = 1\n\n[simulation]\nduration_s = 10.0\n\n[wearables]\ncount = 20\n\n\
                    [cloudlets]\ncount = 4\nmesh = \"ring\"\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Sweep::from_texts(&text, Path::new("fuzz/sweep.toml"), BASE) {
        Ok(sweep) => {
            assert!(!sweep.points.is_empty());
            let _ = sweep.run_count();
            let first = sweep.runs().next().expect("a sweep has at least one run");
            let _ = sweep.overrides(&first);
            let _ = sweep.describe(first.point);
        }
        Err(e) => {
            assert!(!format!("{e:#}").is_empty());
        }
    }
});
