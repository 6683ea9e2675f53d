//! Real round trips of every cipher profile with RustCrypto: `aes-gcm` (Aes128Gcm, Aes256Gcm), `chacha20poly1305`,
//! and for the 64-bit block ciphers `des` (TdesEde3) or `blowfish` in CBC mode (`cbc`, PKCS#7 padding) with
//! HMAC-SHA-256 (`hmac`, `sha2`) in encrypt-then-MAC, as RFC 7518 §5.2.2.1 composes AES-CBC with HMAC: the MAC key
//! comes first in the key, the tag is HMAC(MAC key, A ‖ IV ‖ C ‖ AL) truncated to its first 16 bytes (T_LEN of
//! A128CBC-HS256), with no associated data here (A empty, AL = 0).
//!
//! Keys: the model's data key is 16 bytes (what every key establishment of `crate::crypto::real` yields). AES-128-GCM
//! uses it as it is, exactly as before; the other ciphers expand it with HKDF-SHA-256 (RFC 5869; info = the cipher
//! name) to their key length. That caps their strength at the 128 bits of the data key, a simplification that changes
//! neither sizes nor costs.

use aes_gcm::aead::{Aead, KeyInit};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::Mac;
use rand_core_06::{OsRng, RngCore};

use crate::crypto::CryptoError;

/// The cipher a profile names, with its real implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CipherKind {
    /// AES-128-GCM (`aes-gcm`), the data key as it is.
    Aes128Gcm,
    /// AES-256-GCM (`aes-gcm`).
    Aes256Gcm,
    /// ChaCha20-Poly1305 (RFC 8439, `chacha20poly1305`).
    ChaCha20Poly1305,
    /// 3DES (EDE, three keys) in CBC mode with HMAC-SHA-256.
    TdesCbcHmac,
    /// Blowfish (128-bit key) in CBC mode with HMAC-SHA-256.
    BlowfishCbcHmac,
}

/// Bytes of the truncated HMAC-SHA-256 tag (RFC 7518 §5.2.3, T_LEN = 16).
const TAG_BYTES: usize = 16;
/// Bytes of the HMAC-SHA-256 key.
const MAC_KEY_BYTES: usize = 32;
type HmacSha256 = hmac::Hmac<sha2::Sha256>;

impl CipherKind {
    /// The kind of built-in cipher `name`.
    pub fn from_name(name: &str) -> Option<CipherKind> {
        Some(match name {
            "aes-128-gcm" => CipherKind::Aes128Gcm,
            "aes-256-gcm" => CipherKind::Aes256Gcm,
            "chacha20-poly1305" => CipherKind::ChaCha20Poly1305,
            "3des-cbc-hmac" => CipherKind::TdesCbcHmac,
            "blowfish-cbc-hmac" => CipherKind::BlowfishCbcHmac,
            _ => return None,
        })
    }

    /// Key bytes the cipher takes (encryption key, plus the MAC key first for the CBC kinds).
    pub fn key_bytes(self) -> usize {
        match self {
            CipherKind::Aes128Gcm => 16,
            CipherKind::Aes256Gcm | CipherKind::ChaCha20Poly1305 => 32,
            CipherKind::TdesCbcHmac => MAC_KEY_BYTES + 24,
            CipherKind::BlowfishCbcHmac => MAC_KEY_BYTES + 16,
        }
    }

    fn name(self) -> &'static str {
        match self {
            CipherKind::Aes128Gcm => "aes-128-gcm",
            CipherKind::Aes256Gcm => "aes-256-gcm",
            CipherKind::ChaCha20Poly1305 => "chacha20-poly1305",
            CipherKind::TdesCbcHmac => "3des-cbc-hmac",
            CipherKind::BlowfishCbcHmac => "blowfish-cbc-hmac",
        }
    }

    /// The cipher key derived from the 16-byte data key (HKDF-SHA-256, info = the cipher name).
    fn key(self, data_key: &[u8; 16]) -> Vec<u8> {
        let mut out = vec![0u8; self.key_bytes()];
        hkdf::Hkdf::<sha2::Sha256>::new(None, data_key)
            .expand(self.name().as_bytes(), &mut out)
            .expect("HKDF-SHA-256 yields up to 8 160 bytes");
        out
    }

    /// Encrypts `plaintext` under `data_key` with a fresh random nonce or IV: nonce ‖ ciphertext ‖ tag.
    pub fn seal(self, data_key: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
        match self {
            CipherKind::Aes128Gcm => crate::crypto::seal(data_key, plaintext),
            CipherKind::Aes256Gcm => aead::<aes_gcm::Aes256Gcm>(&self.key(data_key), plaintext),
            CipherKind::ChaCha20Poly1305 => aead::<chacha20poly1305::ChaCha20Poly1305>(&self.key(data_key), plaintext),
            CipherKind::TdesCbcHmac => cbc_hmac::<des::TdesEde3>(&self.key(data_key), plaintext),
            CipherKind::BlowfishCbcHmac => cbc_hmac::<blowfish::Blowfish>(&self.key(data_key), plaintext),
        }
    }

    /// Inverse of [`CipherKind::seal`]; fails if the message was altered, the key is wrong or the padding is bad.
    pub fn open(self, data_key: &[u8; 16], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        match self {
            CipherKind::Aes128Gcm => crate::crypto::open(data_key, sealed),
            CipherKind::Aes256Gcm => open_aead::<aes_gcm::Aes256Gcm>(&self.key(data_key), sealed),
            CipherKind::ChaCha20Poly1305 => {
                open_aead::<chacha20poly1305::ChaCha20Poly1305>(&self.key(data_key), sealed)
            }
            CipherKind::TdesCbcHmac => open_cbc_hmac::<des::TdesEde3>(&self.key(data_key), sealed),
            CipherKind::BlowfishCbcHmac => open_cbc_hmac::<blowfish::Blowfish>(&self.key(data_key), sealed),
        }
    }
}

/// Bytes of the AEADs' nonce.
const NONCE_BYTES: usize = 12;

fn aead<A: KeyInit + Aead>(key: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = A::new_from_slice(key).expect("key length of the cipher");
    let mut nonce = [0u8; NONCE_BYTES];
    OsRng.fill_bytes(&mut nonce);
    let mut out = nonce.to_vec();
    out.extend(cipher.encrypt(nonce.as_slice().into(), plaintext).expect("AEAD encryption of a short message"));
    out
}

fn open_aead<A: KeyInit + Aead>(key: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < NONCE_BYTES + 16 {
        return Err(CryptoError::Failed("sealed message too short".into()));
    }
    let (nonce, body) = sealed.split_at(NONCE_BYTES);
    A::new_from_slice(key)
        .expect("key length of the cipher")
        .decrypt(nonce.into(), body)
        .map_err(|_| CryptoError::Failed("AEAD authentication failed".into()))
}

/// HMAC-SHA-256 over IV ‖ C ‖ AL (AL = 0: no associated data), as RFC 7518 §5.2.2.1.
fn mac(mac_key: &[u8], iv: &[u8], ct: &[u8]) -> HmacSha256 {
    let mut m = <HmacSha256 as Mac>::new_from_slice(mac_key).expect("HMAC takes any key length");
    m.update(iv);
    m.update(ct);
    m.update(&0u64.to_be_bytes());
    m
}

fn cbc_hmac<C>(key: &[u8], plaintext: &[u8]) -> Vec<u8>
where
    C: cbc::cipher::BlockEncryptMut + cbc::cipher::BlockCipher + cbc::cipher::KeyInit,
    cbc::Encryptor<C>: KeyIvInit,
{
    let (mac_key, enc_key) = key.split_at(MAC_KEY_BYTES);
    let mut iv = vec![0u8; C::block_size()];
    OsRng.fill_bytes(&mut iv);
    let ct = cbc::Encryptor::<C>::new_from_slices(enc_key, &iv)
        .expect("key and IV lengths of the cipher")
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
    let tag = mac(mac_key, &iv, &ct).finalize().into_bytes();
    let mut out = iv;
    out.extend_from_slice(&ct);
    out.extend_from_slice(&tag[..TAG_BYTES]);
    out
}

fn open_cbc_hmac<C>(key: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError>
where
    C: cbc::cipher::BlockDecryptMut + cbc::cipher::BlockCipher + cbc::cipher::KeyInit,
    cbc::Decryptor<C>: KeyIvInit,
{
    let (mac_key, enc_key) = key.split_at(MAC_KEY_BYTES);
    let block = C::block_size();
    if sealed.len() < block * 2 + TAG_BYTES {
        return Err(CryptoError::Failed("sealed message too short".into()));
    }
    let (iv, rest) = sealed.split_at(block);
    let (ct, tag) = rest.split_at(rest.len() - TAG_BYTES);
    // Encrypt-then-MAC: the tag is checked (in constant time) before anything is decrypted.
    mac(mac_key, iv, ct).verify_truncated_left(tag).map_err(|_| CryptoError::Failed("HMAC check failed".into()))?;
    cbc::Decryptor::<C>::new_from_slices(enc_key, iv)
        .map_err(|e| CryptoError::Failed(e.to_string()))?
        .decrypt_padded_vec_mut::<Pkcs7>(ct)
        .map_err(|_| CryptoError::Failed("bad CBC padding".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::cipher::profile::{builtin, CIPHER_NAMES};

    #[test]
    fn every_cipher_round_trips_rejects_tampering_and_has_its_modelled_length() {
        let key = [9u8; 16];
        for name in CIPHER_NAMES {
            let kind = CipherKind::from_name(name).unwrap();
            let profile = builtin(name).unwrap();
            assert_eq!(kind.key_bytes(), profile.key_bytes as usize, "{name}: key bytes");
            for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200] {
                let pt: Vec<u8> = (0..len as u8).collect();
                let mut sealed = kind.seal(&key, &pt);
                assert_eq!(sealed.len() as u64, profile.ciphertext_bytes(len as u64), "{name}: length at {len}");
                assert_eq!(kind.open(&key, &sealed).unwrap(), pt, "{name}: round trip at {len}");
                assert!(kind.open(&[8u8; 16], &sealed).is_err(), "{name}: wrong key at {len}");
                for at in [0, sealed.len() / 2, sealed.len() - 1] {
                    sealed[at] ^= 0x40;
                    assert!(kind.open(&key, &sealed).is_err(), "{name}: tampered byte {at} of {len}");
                    sealed[at] ^= 0x40;
                }
            }
        }
        assert!(CipherKind::from_name("rot13").is_none());
    }
}
