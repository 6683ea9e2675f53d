//! Host cost of the real cryptographic schemes beside their Cortex-M4 profiles.
//!
//! For each built-in scheme: mean wall time of one encapsulation (sender) and one decapsulation (receiver) on this
//! host, and the ratios of both to NTRU-HPS-2048-509's, printed next to the same ratios of the profile cycle counts
//! the simulator charges. Host and microcontroller implementations differ (vector units, big-number libraries), so
//! the ratios are a sanity check of orders of magnitude, not a calibration.
//!
//! Run: `cargo bench --bench crypto`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cloudletsim::crypto::raw::{builtin_schemes, SchemeKind};
use cloudletsim::crypto::Kem;

/// Wall time spent measuring each operation of each scheme.
const BUDGET: Duration = Duration::from_millis(400);

fn mean_time(mut op: impl FnMut()) -> f64 {
    op(); // warm up
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < BUDGET || n < 3 {
        op();
        n += 1;
    }
    start.elapsed().as_secs_f64() / n as f64
}

fn main() {
    let reference = "ntru-hps2048509";
    let profiles = builtin_schemes();
    let mut rows = Vec::new();
    for (name, profile) in &profiles {
        if profile.kind != SchemeKind::Kem {
            continue;
        }
        let kem = Kem::generate(name).expect("built-in scheme").expect("a KEM");
        let (_, ct) = kem.encapsulate().expect("encapsulate");
        let enc = mean_time(|| {
            black_box(kem.encapsulate().expect("encapsulate"));
        });
        let dec = mean_time(|| {
            black_box(kem.decapsulate(black_box(&ct)).expect("decapsulate"));
        });
        rows.push((name.clone(), enc, dec, profile.encaps_cycles, profile.decaps_cycles));
    }
    let r = rows.iter().find(|r| r.0 == reference).expect("reference scheme measured").clone();
    println!("host cost of real schemes vs the Cortex-M4 profile cycles (ratios to {reference})");
    println!(
        "{:16} {:>12} {:>12} {:>11} {:>11} {:>11} {:>11}",
        "scheme", "encaps µs", "decaps µs", "host enc×", "prof enc×", "host dec×", "prof dec×"
    );
    for (name, enc, dec, enc_cycles, dec_cycles) in &rows {
        println!(
            "{:16} {:>12.1} {:>12.1} {:>11.2} {:>11.2} {:>11.2} {:>11.2}",
            name,
            enc * 1e6,
            dec * 1e6,
            enc / r.1,
            enc_cycles / r.3,
            dec / r.2,
            dec_cycles / r.4
        );
    }
}
