//! Validation of `[signatures]` (see [`crate::scenario::validate`]). Ranges are checked whether or not signatures
//! are on.

use super::config::{SignatureProfile, SignaturesSpec};
use super::raw::{builtin_profiles, RawSignatureProfile, RawSignatures};
use crate::crypto::CryptoSpec;
use crate::scenario::checker::Checker;

pub(crate) fn signatures(c: &mut Checker, raw: &RawSignatures, crypto: &CryptoSpec) -> SignaturesSpec {
    let builtin = builtin_profiles();
    for (name, p) in raw.profiles.iter().filter(|(n, _)| **n != raw.scheme) {
        profile(c, name, p, builtin.get(name));
    }
    let chosen = raw.profiles.get(&raw.scheme);
    let profile = match (chosen, builtin.get(&raw.scheme)) {
        (Some(p), b) => profile(c, &raw.scheme, p, b),
        (None, Some(b)) => profile(c, &raw.scheme, b, None),
        (None, None) => {
            let mut known: Vec<&str> = builtin.keys().chain(raw.profiles.keys()).map(String::as_str).collect();
            known.sort_unstable();
            known.dedup();
            c.fail("signatures.scheme", format!("unknown scheme {:?}; known: {}", raw.scheme, known.join(", ")));
            profile(c, "ed25519", &builtin["ed25519"], None)
        }
    };
    if raw.enabled && raw.uploads && crypto.mode == crate::crypto::CryptoMode::Batch && crypto.encrypts() {
        c.fail(
            "signatures.uploads",
            "is not supported with crypto.mode = \"batch\" (a gateway batch is signed per sample or per batch: \
             not modelled); allowed: crypto.mode = \"per_packet\" or \"session\", or signatures.uploads = false",
        );
    }
    SignaturesSpec {
        enabled: raw.enabled,
        real: builtin.contains_key(&raw.scheme),
        profile,
        prescriptions: raw.prescriptions,
        record_updates: raw.record_updates,
        uploads: raw.uploads,
        verify_at_audits: raw.verify_at_audits,
        doctor_clock_hz: {
            let hz = c.positive("signatures.doctor_clock_hz", raw.doctor_clock_hz);
            if hz > 0.0 && hz < 1e3 {
                c.fail("signatures.doctor_clock_hz", format!("must be at least 1000 Hz (got {hz})"));
            }
            hz.max(1e3)
        },
        doctor_j_per_cycle: c.non_negative("signatures.doctor_nj_per_cycle", raw.doctor_nj_per_cycle) * 1e-9,
        prescription_bytes: {
            let b = c.small("signatures.prescription_bytes", raw.prescription_bytes);
            if b == 0 {
                c.fail("signatures.prescription_bytes", "must be at least 1 (got 0)");
            }
            b
        },
    }
}

/// A profile: the keys given in `p`, the rest from `base` (the built-in profile of that name); a key given nowhere
/// is an error.
fn profile(
    c: &mut Checker,
    name: &str,
    p: &RawSignatureProfile,
    base: Option<&RawSignatureProfile>,
) -> SignatureProfile {
    let key = |k: &str| format!("signatures.profiles.{name}.{k}");
    let empty = RawSignatureProfile::default();
    let b = base.unwrap_or(&empty);
    let mut cycles = |k: &str, v: Option<f64>, d: Option<f64>| match v.or(d) {
        Some(v) => c.non_negative(&key(k), v),
        None => {
            c.fail(&key(k), "is missing: a profile that is not built in must give every key");
            0.0
        }
    };
    let sign_cycles = cycles("sign_cycles", p.sign_cycles, b.sign_cycles);
    let verify_cycles = cycles("verify_cycles", p.verify_cycles, b.verify_cycles);
    let server_sign_cycles = cycles("server_sign_cycles", p.server_sign_cycles, b.server_sign_cycles);
    let server_verify_cycles = cycles("server_verify_cycles", p.server_verify_cycles, b.server_verify_cycles);
    let mut bytes = |k: &str, v: Option<u64>, d: Option<u64>, max: u64| match v.or(d) {
        Some(v) if (1..=max).contains(&v) => v as u32,
        Some(v) => {
            c.fail(&key(k), format!("must be in 1..={max} bytes (got {v})"));
            1
        }
        None => {
            c.fail(&key(k), "is missing: a profile that is not built in must give every key");
            1
        }
    };
    SignatureProfile {
        name: name.to_string(),
        sign_cycles,
        verify_cycles,
        server_sign_cycles,
        server_verify_cycles,
        signature_bytes: bytes("signature_bytes", p.signature_bytes, b.signature_bytes, 1024),
        public_key_bytes: bytes("public_key_bytes", p.public_key_bytes, b.public_key_bytes, 4096),
    }
}
