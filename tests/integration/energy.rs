//! Energy and cryptography (issue 3): exact charges, conservation of battery energy, orderings that follow from the
//! cited cycle counts, real cryptography round trips, and bad input.

use std::path::Path;

use cloudletsim::energy::output::{energy_rows, energy_summary, EnergyRow};
use cloudletsim::output::Summary;
use cloudletsim::run::RunOptions;
use cloudletsim::scenario;

use crate::common::{config, run};

/// One wearable, one sensor sampled exactly once, every constant chosen by hand.
const ONE_SAMPLE: &str = r#"
name = "one-sample"
[simulation]
duration_s = 10.0       # = the period: exactly one sample
drain_s = 1.0
[wearables]
count = 1
sensors = ["pulse"]
[sensors.pulse]
period_s = 10.0
sample_bytes = 20
[cloudlets]
count = 1
[links.ban]
mac = "ideal"        # the hand computation is of the ideal MAC (docs/model.md §5.2, §5.6)
loss_model = "fixed"
loss_prob = 0.0
header_bytes = 10
mtu_bytes = 0
distance_m = 2.0
[links.access]
mac = "ideal"
loss_prob = 0.0
header_bytes = 30
mtu_bytes = 0
[energy.radio]
ban = "handmade"
access = "none"
[energy.radios.handmade]
model = "power"
tx_elec_nj_per_bit = 10.0
rx_elec_nj_per_bit = 20.0
amp_nj_per_bit_per_m_n = 1.0
path_loss_exponent = 2.0
[energy.processor]
wearable_nj_per_cycle = 0.5
gateway_nj_per_cycle = 0.25
cloudlet_nj_per_cycle = 2.0
[energy.idle]
wearable_w = 0.0
gateway_w = 0.0
cloudlet_w = 0.0
[crypto]
scheme = "toy-kem"
at = "wearable"
mode = "per_packet"
aead_nonce_bytes = 12
aead_tag_bytes = 16
aead_cycles_per_byte = 10.0
aead_cycles_per_message = 50.0
aead_server_cycles_per_byte = 4.0
aead_server_cycles_per_message = 30.0
[crypto.schemes.toy-kem]
kind = "kem"
keygen_cycles = 4000.0
encaps_cycles = 1000.0
decaps_cycles = 2000.0
ciphertext_bytes = 100
"#;

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= 1e-12 * expected.abs().max(1e-30)
}

#[test]
fn one_sample_charges_exactly_the_hand_computed_energy() {
    let r = run(&config(ONE_SAMPLE), false);
    assert_eq!(r.model.metrics().generated, 1);
    assert_eq!(r.model.metrics().delivered, 1);
    let rows: Vec<_> = energy_rows(&r).collect();
    let wearable = &rows[0];
    let gateway = &rows[1];
    let cloudlet = &rows[2];
    assert_eq!((wearable.kind, gateway.kind, cloudlet.kind), ("wearable", "ban_gateway", "cloudlet"));
    // Wearable crypto: (encaps 1000 + AEAD 50 + 10 cycles/byte × 20 bytes) × 0.5 nJ/cycle.
    let wearable_crypto = (1000.0 + 50.0 + 10.0 * 20.0) * 0.5e-9;
    // Wearable radio: 8 × (20 payload + 100 KEM ciphertext + 12 nonce + 16 tag + 10 header) bits
    // × (10 nJ/bit + 1 nJ/bit/m² × (2 m)²).
    let bits = 8.0 * (20.0 + 100.0 + 12.0 + 16.0 + 10.0);
    let wearable_tx = bits * (10e-9 + 1e-9 * 4.0);
    // Gateway: receives the same bits at 20 nJ/bit; forwards on an uncounted ("none") access radio.
    let gateway_rx = bits * 20e-9;
    // Cloudlet, in server cycles (the toy scheme's server figures default to its Cortex-M4 ones): key generation
    // 4000 + decapsulation 2000 + server AEAD (30 + 4 × 20), at 2 nJ/cycle.
    let cloudlet_crypto = (4000.0 + 2000.0 + 30.0 + 80.0) * 2e-9;
    assert!(close(wearable.crypto_j, wearable_crypto), "{} vs {wearable_crypto}", wearable.crypto_j);
    assert!(close(wearable.radio_tx_j, wearable_tx), "{} vs {wearable_tx}", wearable.radio_tx_j);
    assert_eq!(wearable.radio_rx_j, 0.0);
    assert!(close(gateway.radio_rx_j, gateway_rx), "{} vs {gateway_rx}", gateway.radio_rx_j);
    assert_eq!((gateway.radio_tx_j, gateway.crypto_j), (0.0, 0.0));
    assert!(close(cloudlet.crypto_j, cloudlet_crypto), "{} vs {cloudlet_crypto}", cloudlet.crypto_j);
    let e = energy_summary(&r);
    assert!(close(e.per_sample_j.crypto, wearable_crypto));
    assert!(close(e.per_sample_j.radio, wearable_tx + gateway_rx));
    assert!(close(e.total_j, wearable_crypto + wearable_tx + gateway_rx + cloudlet_crypto));
}

/// The one sample's end-to-end latency with `energy.processor.timing` = `timing`, clocks 1 MHz (wearable) and
/// 100 MHz (cloudlet).
fn one_sample_latency_s(timing: &str) -> f64 {
    let toml = ONE_SAMPLE.replace(
        "cloudlet_nj_per_cycle = 2.0",
        &format!("cloudlet_nj_per_cycle = 2.0\nwearable_clock_hz = 1e6\ncloudlet_clock_hz = 1e8\ntiming = {timing:?}"),
    );
    let r = run(&config(&toml), false);
    assert_eq!(r.model.metrics().delivered, 1);
    Summary::from_run(&r).latency_s.mean
}

#[test]
fn sealing_and_opening_delay_a_sample_by_their_cycles_over_the_clock() {
    // Sealing: encaps 1000 + AEAD 50 + 10 × 20 = 1250 Cortex-M4 cycles at 1 MHz = 1.25 ms. Opening: decaps 2000 +
    // server AEAD 30 + 4 × 20 = 2110 server cycles at 100 MHz = 21.1 µs. Nothing else waits (one sample, idle
    // links), so the latency grows by exactly their sum.
    let delay = one_sample_latency_s("queued") - one_sample_latency_s("instant");
    assert!((delay - (1.25e-3 + 21.1e-6)).abs() < 1e-12, "delay {delay}");
}

/// Tiny batteries: wearables die within the run; gateways too.
const DRAIN: &str = r#"
name = "drain"
[simulation]
duration_s = 120.0
[wearables]
count = 60
sensors = ["ecg"]
[cloudlets]
count = 2
[energy.battery]
wearable_j = 0.02
gateway_j = 0.2
[energy.idle]
wearable_w = 1e-4
"#;

#[test]
fn batteries_balance_and_empty_ones_stop_their_node() {
    let r = run(&config(DRAIN), false);
    let rows: Vec<_> = energy_rows(&r).collect();
    let mut dead_wearables = 0;
    for row in &rows {
        for part in [row.radio_tx_j, row.radio_rx_j, row.crypto_j, row.idle_j, row.spent_j] {
            assert!(part >= 0.0, "negative energy in {row:?}");
        }
        if let (Some(cap), Some(rem)) = (row.capacity_j, row.remaining_j) {
            assert!(rem >= 0.0, "{row:?}");
            assert!((row.spent_j + rem - cap).abs() <= 1e-9 * cap, "spent + remaining != capacity: {row:?}");
            assert!(row.spent_j <= cap * (1.0 + 1e-9), "spent more than the battery held: {row:?}");
        }
        if row.kind == "wearable" && row.dead {
            dead_wearables += 1;
            let death = row.death_time_s.expect("a dead node has a death time");
            assert!(death < 120.0);
        }
    }
    assert!(dead_wearables > 0, "the scenario must exercise battery depletion");
    let s = Summary::from_run(&r);
    assert_eq!(s.energy.dead_wearables, dead_wearables);
    assert!(s.energy.lifetime.first_death_s.is_some());
    // A dead wearable takes no sample after its death.
    let trace_run = run(&config(DRAIN), true);
    let trace_rows: Vec<_> = energy_rows(&trace_run).collect();
    for &(w, _, t) in trace_run.model.sample_trace() {
        if let Some(death) = trace_rows[w.index()].death_time_s {
            assert!(t.as_secs_f64() <= death, "wearable {w} sampled at {t} after dying at {death} s");
        }
    }
    // Conservation still holds with deaths.
    let m = r.model.metrics();
    assert_eq!(m.generated, m.delivered + m.dropped_total() + r.model.samples_in_flight());
}

/// The summary is gathered in one pass over the nodes, as `energy.csv` is written; its figures must equal, bit for
/// bit, those computed column by column from the collected rows.
#[test]
fn the_one_pass_summary_equals_the_column_figures() {
    let r = run(&config(DRAIN), false);
    let rows: Vec<EnergyRow> = energy_rows(&r).collect();
    let e = energy_summary(&r);
    let sum = |f: fn(&EnergyRow) -> f64| rows.iter().map(f).sum::<f64>();
    let bits = |x: f64| x.to_bits();
    assert_eq!(bits(e.total_j), bits(sum(|x| x.spent_j)));
    assert_eq!(bits(e.by_part_j.radio_tx), bits(sum(|x| x.radio_tx_j)));
    assert_eq!(bits(e.by_part_j.idle), bits(sum(|x| x.idle_j)));
    let wearables: Vec<f64> = rows.iter().filter(|x| x.kind == "wearable").map(|x| x.spent_j).collect();
    assert_eq!(bits(e.wearable_mean_j), bits(wearables.iter().sum::<f64>() / wearables.len() as f64));
    let mut deaths: Vec<f64> = rows.iter().filter_map(|x| x.death_time_s).collect();
    deaths.sort_by(f64::total_cmp);
    assert!(!deaths.is_empty(), "the scenario must exercise battery depletion");
    assert_eq!(e.dead_nodes, deaths.len() as u64);
    assert_eq!(e.lifetime.first_death_s, deaths.first().copied());
    let battery_powered = rows.iter().filter(|x| x.capacity_j.is_some()).count();
    assert_eq!(e.lifetime.half_dead_s, deaths.get(battery_powered.div_ceil(2) - 1).copied());
}

/// Wearable crypto energy per sample for `scheme` in `mode`, every other setting equal.
fn wearable_crypto_per_sample(scheme: &str, mode: &str) -> f64 {
    let base = "name = \"order\"\n[simulation]\nduration_s = 30.0\n[wearables]\ncount = 20\n[cloudlets]\ncount = 2\n";
    let sets = vec![format!("crypto.scheme={scheme}"), format!("crypto.mode={mode}")];
    let cfg = scenario::load_str(base, Path::new("order.toml"), &sets).unwrap().config;
    let r = run(&cfg, false);
    energy_summary(&r).wearable_per_sample_j.crypto
}

#[test]
fn scheme_costs_are_ordered_as_their_cycle_counts() {
    let rsa = wearable_crypto_per_sample("rsa-2048", "per_packet");
    let x25519 = wearable_crypto_per_sample("ecies-x25519", "per_packet");
    let ntru = wearable_crypto_per_sample("ntru-hps2048509", "per_packet");
    let hrss = wearable_crypto_per_sample("ntru-hrss701", "per_packet");
    let aes = wearable_crypto_per_sample("aes-128-gcm", "per_packet");
    // RSA-2048 public operation (≈4.4 M cycles) > X25519 ECIES (2 × 548,873) > NTRU-HPS-509 encapsulation
    // (565,341) > NTRU-HRSS-701 encapsulation (368,351) > AES-GCM alone.
    assert!(
        rsa > x25519 && x25519 > ntru && ntru > hrss && hrss > aes && aes > 0.0,
        "{rsa} {x25519} {ntru} {hrss} {aes}"
    );
    // Same AEAD work in both, so the difference is exactly the encapsulation cycles × 0.15 nJ/cycle.
    let expected = (4_400_000.0 - 565_341.0) * 0.15e-9;
    assert!(((rsa - ntru) - expected).abs() < 1e-9 * expected, "{} vs {expected}", rsa - ntru);
    // Sessions amortise the KEM: far cheaper per sample than per-packet encapsulation.
    let ntru_session = wearable_crypto_per_sample("ntru-hps2048509", "session");
    assert!(ntru_session < ntru / 10.0, "{ntru_session} vs {ntru}");
    assert_eq!(wearable_crypto_per_sample("none", "per_packet"), 0.0);
}

#[test]
fn real_cryptography_round_trips_without_changing_results() {
    for (scheme, mode, at) in [
        ("ntru-hps2048509", "per_packet", "wearable"),
        ("ntru-hrss701", "session", "wearable"),
        ("sntrup761", "batch", "gateway"),
        ("ecies-x25519", "per_packet", "gateway"),
        ("ecies-p256", "session", "gateway"),
        ("rsa-2048", "per_packet", "wearable"),
        ("aes-128-gcm", "per_packet", "wearable"),
    ] {
        let text = "name = \"real\"\n[simulation]\nduration_s = 5.0\ndrain_s = 1.0\n[wearables]\ncount = 6\n\
                    [cloudlets]\ncount = 2\nbatch_interval_s = 0.2\n";
        let sets = vec![format!("crypto.scheme={scheme}"), format!("crypto.mode={mode}"), format!("crypto.at={at}")];
        let cfg = scenario::load_str(text, Path::new("real.toml"), &sets).unwrap().config;
        let opts = RunOptions { real_crypto: true, ..RunOptions::default() };
        let real = cloudletsim::run::run(&cfg, &opts, |_| {}).unwrap();
        let plain = run(&cfg, false);
        let (checked, errors) = real.model.real_crypto_counts();
        assert!(checked > 0, "{scheme}: nothing was really decrypted");
        assert_eq!(errors, 0, "{scheme} {mode} @ {at}: {errors} of {checked} real round trips failed");
        let mut a = serde_json::to_value(Summary::from_run(&real)).unwrap();
        let mut b = serde_json::to_value(Summary::from_run(&plain)).unwrap();
        a["crypto"] = serde_json::Value::Null;
        b["crypto"] = serde_json::Value::Null;
        assert_eq!(a, b, "{scheme}: real cryptography changed the simulation");
    }
}

#[test]
fn bad_energy_and_crypto_input_is_reported_with_its_key() {
    let cases = [
        ("[crypto]\nscheme = \"rot13\"\n", "crypto.scheme", "unknown scheme \"rot13\""),
        ("[energy.battery]\nwearable_j = -5.0\n", "energy.battery.wearable_j", "must be a finite number > 0"),
        ("[crypto]\nmode = \"session\"\nrekey_s = 0.0\n", "crypto.rekey_s", "must be > 0"),
        ("[crypto]\nmode = \"batch\"\nat = \"wearable\"\n", "crypto.mode", "needs crypto.at = \"gateway\""),
        ("[energy.radio]\nban = \"laser\"\n", "energy.radio.ban", "unknown radio profile"),
    ];
    for (body, key, message) in cases {
        let text = format!("name = \"bad\"\n{body}");
        let e = scenario::load_str(&text, Path::new("bad.toml"), &[]).unwrap_err().to_string();
        assert!(e.contains("bad.toml:") && e.contains(&format!("key `{key}`")), "{e}");
        assert!(e.contains(message), "{e}");
    }
}
