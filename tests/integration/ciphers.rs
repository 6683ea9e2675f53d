//! Symmetric cipher profiles (issue 15, part 1): a 64-bit block cipher's sizes and costs by hand in a run, its
//! birthday-bound rekeys against the closed form, real round trips in a run for every cipher, the default unchanged
//! when named, the at-rest table against the record store's own figures, and bad names.

use std::path::Path;

use cloudletsim::crypto::cipher::at_rest::at_rest;
use cloudletsim::energy::output::energy_rows;
use cloudletsim::output::Summary;
use cloudletsim::run::RunOptions;
use cloudletsim::scenario;

use crate::common::{config, run};

/// One wearable with one 8-byte sensor every `period_s`, ideal lossless links, a toy KEM, hand-picked energies.
fn one_wearable(period_s: f64, duration_s: f64, extra: &str) -> String {
    format!(
        r#"
name = "ciphers"
[simulation]
duration_s = {duration_s}
drain_s = 1.0
[wearables]
count = 1
sensors = ["pulse"]
[sensors.pulse]
period_s = {period_s}
sample_bytes = 8
[cloudlets]
count = 1
[links.ban]
mac = "ideal"
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
[crypto.schemes.toy-kem]
kind = "kem"
keygen_cycles = 4000.0
encaps_cycles = 1000.0
decaps_cycles = 2000.0
ciphertext_bytes = 100
{extra}
"#
    )
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= 1e-12 * expected.abs().max(1e-30)
}

#[test]
fn one_3des_sample_costs_and_weighs_what_the_profile_says() {
    let crypto = "[crypto]\nscheme = \"toy-kem\"\nmode = \"per_packet\"\naead = \"3des-cbc-hmac\"\n";
    let r = run(&config(&one_wearable(10.0, 10.0, crypto)), false);
    assert_eq!(r.model.metrics().delivered, 1);
    let rows: Vec<_> = energy_rows(&r).collect();
    // 8 bytes pad to 16 (PKCS#7); the wearable pays encaps 1 000 + key setup 8 128 + 9 144 + 449.04 × 16.
    let wearable = (1000.0 + 8_128.0 + 9_144.0 + 449.04 * 16.0) * 0.5e-9;
    assert!(close(rows[0].crypto_j, wearable), "{} vs {wearable}", rows[0].crypto_j);
    // On air: 8 + 100 (KEM) + 8 (IV) + 16 (padded ciphertext − 8) ... i.e. 100 + 8 + 16 + 16 + 10 header bytes.
    let bits = 8.0 * (100.0 + 8.0 + 16.0 + 16.0 + 10.0);
    assert!(close(rows[0].radio_tx_j, bits * (10e-9 + 1e-9 * 4.0)), "{}", rows[0].radio_tx_j);
    // The cloudlet: keygen 4 000 + decaps 2 000 + server key setup 706 + 193 + 141.4 × 16, at 2 nJ/cycle.
    let cloudlet = (4000.0 + 2000.0 + 706.0 + 193.0 + 141.4 * 16.0) * 2e-9;
    assert!(close(rows[2].crypto_j, cloudlet), "{} vs {cloudlet}", rows[2].crypto_j);
}

#[test]
fn sweet32_rekeys_follow_the_closed_form_and_cost_a_fresh_key_each() {
    // Session mode, one key for the whole run but for the limit: 64 bytes per key carry k = 64 / 16 = 4 samples.
    let crypto = "[crypto]\nscheme = \"toy-kem\"\nmode = \"session\"\nrekey_s = 3600.0\naead = \"3des-cbc-hmac\"\n\
                  [crypto.ciphers.3des-cbc-hmac]\nmax_bytes_per_key = 64\n";
    let r = run(&config(&one_wearable(0.1, 10.0, crypto)), false);
    let n = r.model.metrics().generated;
    assert!(n >= 99, "{n} samples");
    let s = serde_json::to_value(Summary::from_run(&r)).unwrap();
    let rekeys = s["crypto"]["cipher"]["forced_rekeys"].as_u64().unwrap();
    assert_eq!(rekeys, (n - 1) / 4, "n = {n}");
    assert_eq!(s["crypto"]["cipher"]["max_bytes_per_key"], 64);
    // Each key (the first, and every forced one) costs an encapsulation and a key setup on the wearable.
    let rows: Vec<_> = energy_rows(&r).collect();
    let keys = (1 + rekeys) as f64;
    let wearable = (n as f64 * (9_144.0 + 449.04 * 16.0) + keys * (1000.0 + 8_128.0)) * 0.5e-9;
    assert!((rows[0].crypto_j - wearable).abs() <= 1e-9 * wearable, "{} vs {wearable}", rows[0].crypto_j);
    // Without a limit: no rekey at all, and the section says so.
    let unlimited = crypto.replace("max_bytes_per_key = 64", "max_bytes_per_key = 0");
    let r = run(&config(&one_wearable(0.1, 10.0, &unlimited)), false);
    let s = serde_json::to_value(Summary::from_run(&r)).unwrap();
    assert_eq!(s["crypto"]["cipher"]["forced_rekeys"], 0);
}

#[test]
fn every_cipher_really_round_trips_in_a_run() {
    let text = "name = \"real\"\n[simulation]\nduration_s = 3.0\ndrain_s = 1.0\n[wearables]\ncount = 2\n\
                [cloudlets]\ncount = 1\n";
    for cipher in cloudletsim::crypto::cipher::CIPHER_NAMES {
        for (scheme, mode) in [("ntru-hps2048509", "session"), ("aes-128-gcm", "per_packet")] {
            let sets =
                vec![format!("crypto.aead={cipher}"), format!("crypto.scheme={scheme}"), format!("crypto.mode={mode}")];
            let cfg = scenario::load_str(text, Path::new("real.toml"), &sets).unwrap().config;
            let opts = RunOptions { real_crypto: true, ..RunOptions::default() };
            let r = cloudletsim::run::run(&cfg, &opts, |_| {}).unwrap();
            let (checked, errors) = r.model.real_crypto_counts();
            assert!(checked > 0, "{cipher} {scheme}: nothing decrypted");
            assert_eq!(errors, 0, "{cipher} {scheme}: {errors} of {checked} failed");
        }
    }
}

#[test]
fn naming_the_default_changes_nothing() {
    let base =
        "name = \"d\"\n[simulation]\nduration_s = 3.0\ndrain_s = 1.0\n[wearables]\ncount = 4\n[cloudlets]\ncount = 1\n\
                [records]\nenabled = true\nk = 1\nmi = \"encrypted\"\n";
    let named = format!("{base}cipher = \"aes-128-gcm\"\n[crypto]\naead = \"aes-128-gcm\"\n");
    let a = serde_json::to_value(Summary::from_run(&run(&config(base), false))).unwrap();
    let b = serde_json::to_value(Summary::from_run(&run(&config(&named), false))).unwrap();
    assert_eq!(a, b);
    assert!(a["crypto"].get("cipher").is_none());
    let resolved = scenario::load_str(&named, Path::new("d.toml"), &[]).unwrap().resolved_toml().unwrap();
    assert!(!resolved.contains("aead = ") && !resolved.contains("cipher = "), "{resolved}");
}

#[test]
fn the_at_rest_table_agrees_with_the_record_store_it_models() {
    let text = "name = \"rest\"\n[simulation]\nduration_s = 1.0\ndrain_s = 0.0\n[wearables]\ncount = 12\n\
                [cloudlets]\ncount = 1\n[records]\nk = 2\nmi = \"encrypted\"\n";
    let rows = at_rest(text, Path::new("rest.toml"), &[]).unwrap();
    assert_eq!(rows.len(), 10);
    for cipher in cloudletsim::crypto::cipher::CIPHER_NAMES {
        // The store really sealed with that cipher: its stored EI and MI bytes are the table's sealed bytes, its
        // processing cycles the table's wearable-class cycles (the store counts Cortex-M4-equivalent cycles).
        let sets = vec!["records.enabled=true".to_string(), format!("records.cipher={cipher}")];
        let cfg = scenario::load_str(text, Path::new("rest.toml"), &sets).unwrap().config;
        let r = run(&cfg, false);
        let s = serde_json::to_value(Summary::from_run(&r)).unwrap();
        let stored = s["records"]["storage_bytes"]["ei"].as_u64().unwrap()
            + s["records"]["storage_bytes"]["mi"].as_u64().unwrap();
        let cycles = s["records"]["processing_cycles"]["ei"].as_f64().unwrap()
            + s["records"]["processing_cycles"]["mi"].as_f64().unwrap();
        let w = rows.iter().find(|r| r.cipher == cipher && r.class == "wearable").unwrap();
        assert_eq!(stored, w.sealed_bytes, "{cipher}");
        assert!((cycles - w.cycles_per_record * w.records as f64).abs() < 1e-6 * cycles, "{cipher}");
        assert_eq!(s["records"]["decrypt_failures"], 0);
    }
    let get = |c: &str, class: &str| rows.iter().find(|r| r.cipher == c && r.class == class).unwrap();
    // 64-bit blocks cost bytes (IV 8 + pad 1..8 + tag 16 vs nonce 12 + tag 16) and, on both classes, far more time.
    assert!(get("3des-cbc-hmac", "server").time_s_per_mb > 10.0 * get("aes-128-gcm", "server").time_s_per_mb);
    // Every part has its own key (its record's), so Blowfish's key schedule (521 block encryptions) outweighs its
    // faster bytes on records of a few dozen bytes: per part ≈ 540 k cycles against 3DES's ≈ 17 k + 449 per byte.
    for class in ["wearable", "server"] {
        assert!(
            get("blowfish-cbc-hmac", class).energy_j_per_mb > get("3des-cbc-hmac", class).energy_j_per_mb,
            "{class}"
        );
    }
    assert_eq!(get("3des-cbc-hmac", "server").forced_rekeys, 0);
}

#[test]
fn unknown_cipher_names_are_errors_that_list_the_allowed_ones() {
    let cases = [
        ("[crypto]\naead = \"rot13\"\n", "crypto.aead"),
        ("[records]\ncipher = \"des\"\n", "records.cipher"),
        ("[crypto.ciphers.rc4]\nserver_cycles_per_byte = 1.0\n", "crypto.ciphers.rc4"),
    ];
    for (body, key) in cases {
        let e =
            scenario::load_str(&format!("name = \"bad\"\n{body}"), Path::new("bad.toml"), &[]).unwrap_err().to_string();
        assert!(e.contains("bad.toml:") && e.contains(&format!("key `{key}`")), "{e}");
        assert!(
            e.contains("known: aes-128-gcm, aes-256-gcm, chacha20-poly1305, 3des-cbc-hmac, blowfish-cbc-hmac"),
            "{e}"
        );
    }
    // The older AES-128-GCM keys may not silently stay behind another cipher, nor be given twice.
    let e = scenario::load_str(
        "name = \"bad\"\n[crypto]\naead = \"chacha20-poly1305\"\naead_cycles_per_byte = 10.0\n",
        Path::new("bad.toml"),
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("key `crypto.aead_cycles_per_byte`") && e.contains("crypto.ciphers.chacha20-poly1305"), "{e}");
    let e =
        scenario::load_str("name = \"bad\"\n[crypto.ciphers.aes-128-gcm]\ntag_bytes = 8\n", Path::new("bad.toml"), &[])
            .unwrap_err()
            .to_string();
    assert!(e.contains("crypto.aead_tag_bytes"), "{e}");
}
