//! Host cost of the real cryptographic schemes beside their Cortex-M4 profiles.
//!
//! For each built-in scheme: mean wall time of one encapsulation (sender) and one decapsulation (receiver) on this
//! host, and the ratios of both to NTRU-HPS-2048-509's, printed next to the same ratios of the profile cycle counts
//! the simulator charges. Host and microcontroller implementations differ (vector units, big-number libraries), so
//! the ratios are a sanity check of orders of magnitude, not a calibration.
//!
//! It then prints the host's cycles per operation (mean time × the clock `/proc/cpuinfo` reports): key generation,
//! encapsulation and decapsulation of every KEM, and the AES-128-GCM opening of a 64-byte and a 1024-byte message
//! (giving cycles = a + b·bytes). The built-in `server_*_cycles` were measured this way once, on the CPU named in
//! `docs/model.md` ("Processors").
//!
//! Run: `cargo bench --bench crypto`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cloudletsim::crypto::raw::{builtin_schemes, SchemeKind};
use cloudletsim::crypto::{open, seal, Kem};

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

/// Mean times of one key generation, encapsulation and decapsulation of built-in KEM `name` on this host, s.
fn measure(name: &str) -> [f64; 3] {
    let keygen = mean_time(|| {
        black_box(Kem::generate(name).expect("built-in scheme"));
    });
    let kem = Kem::generate(name).expect("built-in scheme").expect("a KEM");
    let (_, ct) = kem.encapsulate().expect("encapsulate");
    let enc = mean_time(|| {
        black_box(kem.encapsulate().expect("encapsulate"));
    });
    let dec = mean_time(|| {
        black_box(kem.decapsulate(black_box(&ct)).expect("decapsulate"));
    });
    [keygen, enc, dec]
}

fn main() {
    let reference = "ntru-hps2048509";
    let profiles = builtin_schemes();
    // (name, host keygen / encaps / decaps s, profile encaps / decaps cycles)
    let mut rows = Vec::new();
    for (name, profile) in &profiles {
        if profile.kind != SchemeKind::Kem {
            continue;
        }
        rows.push((name.clone(), measure(name), profile.encaps_cycles, profile.decaps_cycles));
    }
    let r = rows.iter().find(|r| r.0 == reference).expect("reference scheme measured").clone();
    println!("host cost of real schemes vs the Cortex-M4 profile cycles (ratios to {reference})");
    println!(
        "{:16} {:>12} {:>12} {:>11} {:>11} {:>11} {:>11}",
        "scheme", "encaps µs", "decaps µs", "host enc×", "prof enc×", "host dec×", "prof dec×"
    );
    for (name, [_, enc, dec], enc_cycles, dec_cycles) in &rows {
        println!(
            "{:16} {:>12.1} {:>12.1} {:>11.2} {:>11.2} {:>11.2} {:>11.2}",
            name,
            enc * 1e6,
            dec * 1e6,
            enc / r.1[1],
            enc_cycles / r.2,
            dec / r.1[2],
            dec_cycles / r.3
        );
    }
    server_cycles(&rows.iter().map(|(name, t, _, _)| (name.clone(), *t)).collect::<Vec<_>>());
}

/// The host clock in Hz, from the first "cpu MHz" line of `/proc/cpuinfo` (none elsewhere).
fn host_hz() -> Option<f64> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("cpu MHz"))?;
    line.split(':').nth(1)?.trim().parse::<f64>().ok().map(|mhz| mhz * 1e6)
}

/// Prints the host's cycles per operation of the KEMs measured (`times`: keygen, encaps, decaps in s) and of the
/// AEAD, as the `server_*_cycles` of the scheme profiles count them.
fn server_cycles(times: &[(String, [f64; 3])]) {
    let Some(hz) = host_hz() else {
        println!("no /proc/cpuinfo clock: host cycles not printed");
        return;
    };
    println!("\nhost cycles per operation at {:.0} MHz (mean time × clock)", hz / 1e6);
    println!("{:16} {:>12} {:>12} {:>12}", "scheme", "keygen", "encaps", "decaps");
    for (name, [keygen, enc, dec]) in times {
        println!("{:16} {:>12.0} {:>12.0} {:>12.0}", name, keygen * hz, enc * hz, dec * hz);
    }
    let key = [7u8; 16];
    let opening = |bytes: usize| {
        let sealed = seal(&key, &vec![0x5a; bytes]);
        mean_time(|| {
            black_box(open(&key, black_box(&sealed)).expect("open"));
        }) * hz
    };
    let (short, long) = (opening(64), opening(1024));
    let per_byte = (long - short) / (1024.0 - 64.0);
    println!(
        "aes-128-gcm open: {short:.0} cycles at 64 B, {long:.0} at 1024 B: a = {:.0} cycles, b = {per_byte:.3} cycles/byte",
        short - 64.0 * per_byte
    );
}
