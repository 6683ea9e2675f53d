//! Real signatures: ECDSA P-256 (RustCrypto `p256`, RFC 6979 deterministic nonces, signatures as the fixed 64-byte
//! r ‖ s) and Ed25519 (`ed25519-dalek`, RFC 8032). Keys come from 32 seed bytes (drawn from the simulation's own
//! streams, so runs are reproducible); signing is deterministic in both schemes.

use ed25519_dalek::{Signer as _, Verifier as _};

/// A signing key of one of the built-in schemes, with its verifying key.
#[derive(Clone)]
pub enum SigningKey {
    /// ECDSA over P-256 with SHA-256.
    P256(p256::ecdsa::SigningKey),
    /// Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SigningKey::P256(_) => "SigningKey::P256(..)",
            SigningKey::Ed25519(_) => "SigningKey::Ed25519(..)",
        })
    }
}

impl SigningKey {
    /// The key of scheme `scheme` (`ecdsa-p256` or `ed25519`) made from `seed`; `None` for another scheme. A P-256
    /// seed that is not a valid scalar (probability about 2⁻³²) is hashed until it is.
    pub fn from_seed(scheme: &str, seed: [u8; 32]) -> Option<SigningKey> {
        match scheme {
            "ed25519" => Some(SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))),
            "ecdsa-p256" => {
                let mut s = seed;
                loop {
                    if let Ok(k) = p256::ecdsa::SigningKey::from_bytes(&s.into()) {
                        return Some(SigningKey::P256(k));
                    }
                    s = sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), s)).into();
                }
            }
            _ => None,
        }
    }

    /// Signs `msg`: the signature's bytes as carried (64 for both schemes).
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::P256(k) => {
                let sig: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(k, msg);
                sig.to_bytes().to_vec()
            }
            SigningKey::Ed25519(k) => k.sign(msg).to_bytes().to_vec(),
        }
    }

    /// Whether `sig` is this key's valid signature of `msg` (verified with the public key only).
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match self {
            SigningKey::P256(k) => p256::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|s| p256::ecdsa::signature::Verifier::verify(k.verifying_key(), msg, &s).is_ok()),
            SigningKey::Ed25519(k) => <[u8; 64]>::try_from(sig)
                .is_ok_and(|b| k.verifying_key().verify(msg, &ed25519_dalek::Signature::from_bytes(&b)).is_ok()),
        }
    }

    /// The public key's size as the profiles count it: Ed25519 32 bytes; P-256 as a compressed SEC1 point, 33.
    pub fn public_key_bytes(&self) -> usize {
        match self {
            SigningKey::P256(k) => k.verifying_key().to_encoded_point(true).len(),
            SigningKey::Ed25519(k) => k.verifying_key().as_bytes().len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::raw::builtin_profiles;

    fn key(scheme: &str, b: u8) -> SigningKey {
        SigningKey::from_seed(scheme, [b; 32]).unwrap()
    }

    /// Each built-in profile's signature and public-key sizes are those of the real implementation, a signature
    /// verifies, and a flipped message bit, a flipped signature bit or another key's signature does not.
    #[test]
    fn round_trips_and_sizes_match_the_profiles() {
        for (name, p) in builtin_profiles() {
            let (k, other) = (key(&name, 7), key(&name, 9));
            let msg = b"rx appointment=3 patient=12 doctor=1: RX-asthma-2".to_vec();
            let sig = k.sign(&msg);
            assert_eq!(sig.len() as u64, p.signature_bytes.unwrap(), "{name} signature bytes");
            assert_eq!(k.public_key_bytes() as u64, p.public_key_bytes.unwrap(), "{name} public key bytes");
            assert!(k.verify(&msg, &sig), "{name}: a genuine signature verifies");
            let mut tampered = msg.clone();
            tampered[5] ^= 1;
            assert!(!k.verify(&tampered, &sig), "{name}: a tampered message fails");
            let mut bad = sig.clone();
            bad[10] ^= 0x80;
            assert!(!k.verify(&msg, &bad), "{name}: a tampered signature fails");
            assert!(!other.verify(&msg, &sig), "{name}: another key's verification fails");
            assert_eq!(k.sign(&msg), sig, "{name}: signing is deterministic");
        }
        assert!(SigningKey::from_seed("rsa", [0; 32]).is_none());
    }

    /// Prints the server cycles of both schemes on this machine (mean wall time × 2.0 GHz, the reference clock of
    /// docs/model.md §7.15). Run in release: `cargo test --release --lib measure_server_cycles -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn measure_server_cycles() {
        for name in ["ecdsa-p256", "ed25519"] {
            let k = key(name, 3);
            let msg = [0x5a_u8; 120];
            let n = 2_000;
            let t = std::time::Instant::now();
            let mut sig = Vec::new();
            for i in 0..n {
                sig = k.sign(&msg[..(100 + i % 20)]);
            }
            let sign = t.elapsed().as_secs_f64() / n as f64;
            let t = std::time::Instant::now();
            let mut ok = 0;
            for _ in 0..n {
                ok += usize::from(k.verify(&msg[..119], &sig));
            }
            let verify = t.elapsed().as_secs_f64() / n as f64;
            println!("{name}: sign {:.0} cycles, verify {:.0} cycles ({ok})", sign * 2.0e9, verify * 2.0e9);
        }
    }
}
