//! `crypto-compare`'s signature table, `crypto_signatures.csv`: for every signature profile (built in, and those
//! the scenario defines) and every processor class that signs or verifies in the model, the cycles, time and energy
//! of one signature and one verification at the scenario's clocks and energies per cycle, and the sizes. A pure
//! function of the scenario: no run.

use std::path::Path;

use serde::Serialize;

use super::config::SignaturesSpec;
use super::raw::builtin_profiles;
use crate::analysis::error::AnalysisError;
use crate::output::ResultsDir;
use crate::scenario::load_str_edited;

/// One row of `crypto_signatures.csv`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SignatureRow {
    /// Profile name.
    pub scheme: String,
    /// `wearable`, `gateway` (Cortex-M4 cycles), `cloudlet` or `doctor` (server cycles).
    pub class: String,
    /// The class's clock, Hz.
    pub clock_hz: f64,
    /// Cycles of one signature.
    pub sign_cycles: f64,
    /// Cycles of one verification.
    pub verify_cycles: f64,
    /// Time of one signature, s.
    pub sign_s: f64,
    /// Time of one verification, s.
    pub verify_s: f64,
    /// Energy of one signature, J.
    pub sign_j: f64,
    /// Energy of one verification, J.
    pub verify_j: f64,
    /// Signature bytes on the wire.
    pub signature_bytes: u32,
    /// Public key bytes.
    pub public_key_bytes: u32,
}

/// The rows for the scenario in `text` (from `file`, with `sets` applied first).
pub fn rows(text: &str, file: &Path, sets: &[String]) -> Result<Vec<SignatureRow>, AnalysisError> {
    let base = load_str_edited(text, file, sets, |_| {})?;
    let mut names: Vec<String> = builtin_profiles().into_keys().collect();
    names.extend(base.raw.signatures.profiles.keys().cloned());
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let s = load_str_edited(text, file, sets, |raw| raw.signatures.scheme = name.clone())?;
        let (cfg, p) = (&s.config, &s.config.signatures.profile);
        let cpu = &cfg.energy.processor;
        let classes = [
            ("wearable", cpu.wearable_hz, cfg.energy.wearable_j_per_cycle, false),
            ("gateway", cpu.gateway_hz, cfg.energy.gateway_j_per_cycle, false),
            ("cloudlet", cpu.cloudlet_hz, cfg.energy.cloudlet_j_per_cycle, true),
            ("doctor", cfg.signatures.doctor_clock_hz, cfg.signatures.doctor_j_per_cycle, true),
        ];
        for (class, hz, j, server) in classes {
            let (sign, verify) =
                if server { (p.server_sign_cycles, p.server_verify_cycles) } else { (p.sign_cycles, p.verify_cycles) };
            out.push(SignatureRow {
                scheme: p.name.clone(),
                class: class.to_string(),
                clock_hz: hz,
                sign_cycles: sign,
                verify_cycles: verify,
                sign_s: SignaturesSpec::duration(sign, hz).as_secs_f64(),
                verify_s: SignaturesSpec::duration(verify, hz).as_secs_f64(),
                sign_j: sign * j,
                verify_j: verify * j,
                signature_bytes: p.signature_bytes,
                public_key_bytes: p.public_key_bytes,
            });
        }
    }
    Ok(out)
}

/// Writes `crypto_signatures.csv` into `dir`.
pub fn write(dir: &ResultsDir, rows: &[SignatureRow]) -> Result<(), AnalysisError> {
    dir.write_csv("crypto_signatures.csv", rows)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every profile × class, time = cycles ÷ clock and energy = cycles × J/cycle at the scenario's settings; a
    /// profile the scenario defines is listed too.
    #[test]
    fn the_table_is_cycles_over_the_clock_and_times_the_energy_per_cycle() {
        let text = "name = \"t\"\n[energy.processor]\nwearable_clock_hz = 32e6\n\
                    [signatures.profiles.mine]\nsign_cycles = 1e6\nverify_cycles = 2e6\nserver_sign_cycles = 1e4\n\
                    server_verify_cycles = 2e4\nsignature_bytes = 48\npublic_key_bytes = 48\n";
        let rows = rows(text, Path::new("t.toml"), &[]).unwrap();
        assert_eq!(rows.len(), 3 * 4);
        let find = |s: &str, c: &str| rows.iter().find(|r| r.scheme == s && r.class == c).unwrap();
        let w = find("ed25519", "wearable");
        assert_eq!((w.sign_cycles, w.clock_hz), (12_996_480.0, 32e6));
        assert!((w.sign_s - 12_996_480.0 / 32e6).abs() < 1e-9);
        assert!((w.verify_j - 29_482_320.0 * 0.15e-9).abs() < 1e-15);
        let d = find("ed25519", "doctor");
        assert!((d.sign_j - 96_222.0 * 1e-9).abs() < 1e-15 && (d.verify_s - 320_673.0 / 2e9).abs() < 1e-9);
        let m = find("mine", "cloudlet");
        assert_eq!((m.sign_cycles, m.verify_cycles, m.signature_bytes), (1e4, 2e4, 48));
        assert_eq!(find("ecdsa-p256", "gateway").public_key_bytes, 33);
    }
}
