//! Real cryptography for the built-in schemes, so that profiles are checked against real implementations and a
//! `--real-crypto` run really encrypts and decrypts every sample.
//!
//! Key establishment: NTRU and Streamlined NTRU Prime KEMs from `pqcrypto-ntru` / `pqcrypto-ntruprime` (PQClean);
//! RSA-2048 OAEP (SHA-256) key transport from `rsa`; ECIES-style ephemeral-static Diffie-Hellman on X25519
//! (`x25519-dalek`) and P-256 (`p256`). Data: AES-128-GCM (`aes-gcm`) under the first 16 bytes of the established
//! secret. That key derivation is a simplification (a deployment would use a KDF such as HKDF); it changes neither
//! sizes nor costs.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use pqcrypto_traits::kem::{Ciphertext as _, PublicKey as _, SecretKey as _, SharedSecret as _};
use rand_core_06::{OsRng, RngCore};

/// Bytes of the AES-128-GCM nonce.
pub const AEAD_NONCE_BYTES: usize = 12;
/// Bytes of the AES-128-GCM tag.
pub const AEAD_TAG_BYTES: usize = 16;

/// Errors of real cryptography.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum CryptoError {
    /// The scheme has no real implementation here.
    #[error("scheme {0:?} has no real implementation (built-in schemes only)")]
    Unsupported(String),
    /// A key or ciphertext was malformed, or authentication failed.
    #[error("{0}")]
    Failed(String),
}

macro_rules! pq_kem {
    ($module:path) => {{
        use $module as m;
        let (pk, sk) = m::keypair();
        Kem::Pq {
            pk: pk.as_bytes().to_vec(),
            sk: sk.as_bytes().to_vec(),
            encaps: |pk| {
                let pk = m::PublicKey::from_bytes(pk).map_err(|e| CryptoError::Failed(e.to_string()))?;
                let (ss, ct) = m::encapsulate(&pk);
                Ok((ss.as_bytes().to_vec(), ct.as_bytes().to_vec()))
            },
            decaps: |sk, ct| {
                let sk = m::SecretKey::from_bytes(sk).map_err(|e| CryptoError::Failed(e.to_string()))?;
                let ct = m::Ciphertext::from_bytes(ct).map_err(|e| CryptoError::Failed(e.to_string()))?;
                Ok(m::decapsulate(&ct, &sk).as_bytes().to_vec())
            },
        }
    }};
}

type Encaps = fn(&[u8]) -> Result<(Vec<u8>, Vec<u8>), CryptoError>;
type Decaps = fn(&[u8], &[u8]) -> Result<Vec<u8>, CryptoError>;

/// A receiver's key pair for one scheme.
pub enum Kem {
    /// A PQClean KEM (NTRU, sntrup).
    Pq {
        /// Public key bytes.
        pk: Vec<u8>,
        /// Secret key bytes.
        sk: Vec<u8>,
        /// Encapsulation.
        encaps: Encaps,
        /// Decapsulation.
        decaps: Decaps,
    },
    /// RSA-2048 with OAEP (SHA-256) transporting a random 16-byte key.
    Rsa(Box<rsa::RsaPrivateKey>),
    /// Ephemeral-static X25519.
    X25519(x25519_dalek::StaticSecret),
    /// Ephemeral-static ECDH on P-256.
    P256(p256::SecretKey),
    /// A pre-shared AES-128 key.
    PreShared([u8; 16]),
}

/// Sizes of a real key pair and of its encapsulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealSizes {
    /// Public key bytes (RSA: PKCS#1 DER; P-256: uncompressed SEC1 point).
    pub public_key_bytes: usize,
    /// Encapsulated key bytes carried with the data.
    pub ciphertext_bytes: usize,
    /// Secret key bytes (RSA: PKCS#1 DER).
    pub secret_key_bytes: usize,
}

impl Kem {
    /// Generates a key pair for built-in scheme `name` (`None` for the scheme `none`).
    pub fn generate(name: &str) -> Result<Option<Kem>, CryptoError> {
        Ok(Some(match name {
            "ntru-hps2048509" => pq_kem!(pqcrypto_ntru::ntruhps2048509),
            "ntru-hps2048677" => pq_kem!(pqcrypto_ntru::ntruhps2048677),
            "ntru-hrss701" => pq_kem!(pqcrypto_ntru::ntruhrss701),
            "ntru-hps4096821" => pq_kem!(pqcrypto_ntru::ntruhps4096821),
            "sntrup761" => pq_kem!(pqcrypto_ntruprime::sntrup761),
            "rsa-2048" => Kem::Rsa(Box::new(
                rsa::RsaPrivateKey::new(&mut OsRng, 2048).map_err(|e| CryptoError::Failed(e.to_string()))?,
            )),
            "ecies-x25519" => Kem::X25519(x25519_dalek::StaticSecret::random_from_rng(OsRng)),
            "ecies-p256" => Kem::P256(p256::SecretKey::random(&mut OsRng)),
            "aes-128-gcm" => {
                let mut k = [0u8; 16];
                OsRng.fill_bytes(&mut k);
                Kem::PreShared(k)
            }
            "none" => return Ok(None),
            other => return Err(CryptoError::Unsupported(other.to_string())),
        }))
    }

    /// Sender side: a fresh 16-byte data key and the bytes that carry it to the receiver.
    pub fn encapsulate(&self) -> Result<([u8; 16], Vec<u8>), CryptoError> {
        let (secret, ct) = match self {
            Kem::Pq { pk, encaps, .. } => encaps(pk)?,
            Kem::Rsa(sk) => {
                let mut key = [0u8; 16];
                OsRng.fill_bytes(&mut key);
                let ct = sk
                    .to_public_key()
                    .encrypt(&mut OsRng, rsa::Oaep::new::<sha2::Sha256>(), &key)
                    .map_err(|e| CryptoError::Failed(e.to_string()))?;
                (key.to_vec(), ct)
            }
            Kem::X25519(sk) => {
                let eph = x25519_dalek::EphemeralSecret::random_from_rng(OsRng);
                let eph_pk = x25519_dalek::PublicKey::from(&eph);
                let shared = eph.diffie_hellman(&x25519_dalek::PublicKey::from(sk));
                (shared.as_bytes().to_vec(), eph_pk.as_bytes().to_vec())
            }
            Kem::P256(sk) => {
                let eph = p256::ecdh::EphemeralSecret::random(&mut OsRng);
                let eph_pk = p256::EncodedPoint::from(eph.public_key());
                let shared = eph.diffie_hellman(&sk.public_key());
                (shared.raw_secret_bytes().to_vec(), eph_pk.as_bytes().to_vec())
            }
            Kem::PreShared(k) => (k.to_vec(), Vec::new()),
        };
        Ok((first16(&secret)?, ct))
    }

    /// Receiver side: the data key carried by `ct`.
    pub fn decapsulate(&self, ct: &[u8]) -> Result<[u8; 16], CryptoError> {
        let fail = |e: &dyn std::fmt::Display| CryptoError::Failed(e.to_string());
        let secret = match self {
            Kem::Pq { sk, decaps, .. } => decaps(sk, ct)?,
            Kem::Rsa(sk) => sk.decrypt(rsa::Oaep::new::<sha2::Sha256>(), ct).map_err(|e| fail(&e))?,
            Kem::X25519(sk) => {
                let bytes: [u8; 32] = ct.try_into().map_err(|_| fail(&"X25519 ciphertext is not 32 bytes"))?;
                sk.diffie_hellman(&x25519_dalek::PublicKey::from(bytes)).as_bytes().to_vec()
            }
            Kem::P256(sk) => {
                let pk = p256::PublicKey::from_sec1_bytes(ct).map_err(|e| fail(&e))?;
                p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine()).raw_secret_bytes().to_vec()
            }
            Kem::PreShared(k) => k.to_vec(),
        };
        first16(&secret)
    }

    /// The real sizes of this key pair and its encapsulation.
    pub fn sizes(&self) -> Result<RealSizes, CryptoError> {
        use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
        let ct = self.encapsulate()?.1.len();
        Ok(match self {
            Kem::Pq { pk, sk, .. } => {
                RealSizes { public_key_bytes: pk.len(), ciphertext_bytes: ct, secret_key_bytes: sk.len() }
            }
            Kem::Rsa(sk) => RealSizes {
                public_key_bytes: sk
                    .to_public_key()
                    .to_pkcs1_der()
                    .map_err(|e| CryptoError::Failed(e.to_string()))?
                    .as_bytes()
                    .len(),
                ciphertext_bytes: ct,
                secret_key_bytes: sk.to_pkcs1_der().map_err(|e| CryptoError::Failed(e.to_string()))?.as_bytes().len(),
            },
            Kem::X25519(sk) => RealSizes {
                public_key_bytes: x25519_dalek::PublicKey::from(sk).as_bytes().len(),
                ciphertext_bytes: ct,
                secret_key_bytes: sk.to_bytes().len(),
            },
            Kem::P256(sk) => RealSizes {
                public_key_bytes: p256::EncodedPoint::from(sk.public_key()).len(),
                ciphertext_bytes: ct,
                secret_key_bytes: sk.to_bytes().len(),
            },
            Kem::PreShared(k) => RealSizes { public_key_bytes: 0, ciphertext_bytes: ct, secret_key_bytes: k.len() },
        })
    }
}

fn first16(secret: &[u8]) -> Result<[u8; 16], CryptoError> {
    secret
        .get(..16)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| CryptoError::Failed("shared secret shorter than 16 bytes".into()))
}

/// AES-128-GCM encryption with a fresh random nonce: returns nonce ‖ ciphertext ‖ tag.
pub fn seal(key: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes128Gcm::new(key.into());
    let mut nonce = [0u8; AEAD_NONCE_BYTES];
    OsRng.fill_bytes(&mut nonce);
    let mut out = nonce.to_vec();
    out.extend(cipher.encrypt(&Nonce::from(nonce), plaintext).expect("AES-GCM encryption of a short message"));
    out
}

/// Inverse of [`seal`]; fails if the message was altered or the key is wrong.
pub fn open(key: &[u8; 16], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < AEAD_NONCE_BYTES + AEAD_TAG_BYTES {
        return Err(CryptoError::Failed("sealed message too short".into()));
    }
    let (nonce, body) = sealed.split_at(AEAD_NONCE_BYTES);
    let nonce: [u8; AEAD_NONCE_BYTES] = nonce.try_into().expect("split at the nonce length");
    Aes128Gcm::new(key.into())
        .decrypt(&Nonce::from(nonce), body)
        .map_err(|_| CryptoError::Failed("AES-GCM authentication failed".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_tamper_detection() {
        let key = [7u8; 16];
        let mut sealed = seal(&key, b"heart rate 72");
        assert_eq!(sealed.len(), 13 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES);
        assert_eq!(open(&key, &sealed).unwrap(), b"heart rate 72");
        sealed[14] ^= 1;
        assert!(open(&key, &sealed).is_err());
    }

    #[test]
    fn every_fast_scheme_round_trips() {
        for name in ["ntru-hps2048509", "ntru-hrss701", "sntrup761", "ecies-x25519", "ecies-p256", "aes-128-gcm"] {
            let kem = Kem::generate(name).unwrap().unwrap();
            let (key, ct) = kem.encapsulate().unwrap();
            assert_eq!(kem.decapsulate(&ct).unwrap(), key, "{name}");
        }
        assert!(Kem::generate("none").unwrap().is_none());
        assert!(matches!(Kem::generate("rot13"), Err(CryptoError::Unsupported(_))));
    }

    #[test]
    fn built_in_profiles_have_the_sizes_of_the_real_implementations() {
        use crate::crypto::raw::{builtin_schemes, SchemeKind};
        for (name, profile) in builtin_schemes() {
            let Some(kem) = Kem::generate(&name).unwrap() else {
                assert_eq!(profile.kind, SchemeKind::None);
                continue;
            };
            let real = kem.sizes().unwrap();
            if profile.kind == SchemeKind::Symmetric {
                assert_eq!((real.ciphertext_bytes, real.secret_key_bytes), (0, 16), "{name}");
                assert_eq!(profile.ciphertext_bytes, 0, "{name}");
                continue;
            }
            assert_eq!(profile.ciphertext_bytes as usize, real.ciphertext_bytes, "{name}: ciphertext");
            if name == "rsa-2048" {
                // PKCS#1 DER: the public key is always 270 bytes for a 2048-bit modulus and e = 65537; the private
                // key's length varies by a few bytes with the leading bits of its integers.
                assert_eq!(real.public_key_bytes, 270, "{name}: public key");
                assert_eq!(profile.public_key_bytes, 256, "{name}: the profile counts the bare modulus");
                assert!(profile.secret_key_bytes.abs_diff(real.secret_key_bytes as u64) <= 4, "{name}: {real:?}");
            } else {
                assert_eq!(profile.public_key_bytes as usize, real.public_key_bytes, "{name}: public key");
                assert_eq!(profile.secret_key_bytes as usize, real.secret_key_bytes, "{name}: secret key");
            }
        }
    }

    #[test]
    fn aead_overhead_matches_the_crypto_defaults() {
        let defaults = crate::crypto::raw::RawCrypto::default();
        assert_eq!(defaults.aead_nonce_bytes as usize, AEAD_NONCE_BYTES);
        assert_eq!(defaults.aead_tag_bytes as usize, AEAD_TAG_BYTES);
        assert_eq!(seal(&[1; 16], &[0; 40]).len(), 40 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES);
    }
}
