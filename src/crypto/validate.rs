//! Validation of `[crypto]` (see [`crate::scenario::validate`]).

use super::cipher::validate::{Field, Legacy};
use super::cipher::{self, CipherProfile, DEFAULT_CIPHER};
use super::config::{CryptoSpec, SchemeProfile};
use super::raw::{builtin_schemes, CryptoAt, CryptoMode, RawCrypto, RawScheme};
use crate::scenario::checker::Checker;

pub(crate) fn crypto(c: &mut Checker, raw: &RawCrypto) -> CryptoSpec {
    let mut catalogue = builtin_schemes();
    catalogue.extend(raw.schemes.iter().map(|(k, v)| (k.clone(), v.clone())));
    // Schemes defined but not chosen are checked too, so that no out-of-range or non-finite value passes.
    for (name, s) in raw.schemes.iter().filter(|(n, _)| **n != raw.scheme) {
        scheme(c, name, s);
    }
    let scheme = match catalogue.get(&raw.scheme) {
        Some(s) => scheme(c, &raw.scheme, s),
        None => {
            let known: Vec<&str> = catalogue.keys().map(String::as_str).collect();
            c.fail("crypto.scheme", format!("unknown scheme {:?}; known: {}", raw.scheme, known.join(", ")));
            scheme(c, "none", &builtin_schemes()["none"])
        }
    };
    let aead = aead(c, raw);
    if raw.mode == CryptoMode::Batch && raw.at != CryptoAt::Gateway {
        c.fail("crypto.mode", "\"batch\" collects samples at the BAN gateway; it needs crypto.at = \"gateway\"");
    }
    CryptoSpec {
        scheme,
        at: raw.at,
        mode: raw.mode,
        rekey: c.time("crypto.rekey_s", raw.rekey_s, true),
        batch: c.time("crypto.batch_s", raw.batch_s, true),
        batch_header_bytes: c.small("crypto.batch_header_bytes", raw.batch_header_bytes),
        aead_nonce_bytes: c.small("crypto.aead_nonce_bytes", raw.aead_nonce_bytes),
        aead_tag_bytes: c.small("crypto.aead_tag_bytes", raw.aead_tag_bytes),
        aead_cycles_per_byte: c.non_negative("crypto.aead_cycles_per_byte", raw.aead_cycles_per_byte),
        aead_cycles_per_message: c.non_negative("crypto.aead_cycles_per_message", raw.aead_cycles_per_message),
        aead_server_cycles_per_byte: c
            .non_negative("crypto.aead_server_cycles_per_byte", raw.aead_server_cycles_per_byte),
        aead_server_cycles_per_message: c
            .non_negative("crypto.aead_server_cycles_per_message", raw.aead_server_cycles_per_message),
        aead,
        aead_explicit: raw.aead != DEFAULT_CIPHER || raw.ciphers.contains_key(&raw.aead),
    }
}

/// The session AEAD's profile: `crypto.aead`, with `[crypto.ciphers]` and, for AES-128-GCM, the `crypto.aead_*` keys.
fn aead(c: &mut Checker, raw: &RawCrypto) -> CipherProfile {
    cipher::validate::check_tables(c, &raw.ciphers);
    let d = RawCrypto::default();
    let l = |key, value: f64, default: f64, field| Legacy { key, value, default, field };
    let legacy = [
        l("crypto.aead_nonce_bytes", raw.aead_nonce_bytes as f64, d.aead_nonce_bytes as f64, Field::Nonce),
        l("crypto.aead_tag_bytes", raw.aead_tag_bytes as f64, d.aead_tag_bytes as f64, Field::Tag),
        l("crypto.aead_cycles_per_byte", raw.aead_cycles_per_byte, d.aead_cycles_per_byte, Field::WearablePerByte),
        l(
            "crypto.aead_cycles_per_message",
            raw.aead_cycles_per_message,
            d.aead_cycles_per_message,
            Field::WearablePerMessage,
        ),
        l(
            "crypto.aead_server_cycles_per_byte",
            raw.aead_server_cycles_per_byte,
            d.aead_server_cycles_per_byte,
            Field::ServerPerByte,
        ),
        l(
            "crypto.aead_server_cycles_per_message",
            raw.aead_server_cycles_per_message,
            d.aead_server_cycles_per_message,
            Field::ServerPerMessage,
        ),
    ];
    cipher::validate::resolve(c, "crypto.aead", &raw.aead, &raw.ciphers, &legacy)
}

fn scheme(c: &mut Checker, name: &str, s: &RawScheme) -> SchemeProfile {
    let key = |k: &str| format!("crypto.schemes.{name}.{k}");
    let (keygen, encaps, decaps) = (
        c.non_negative(&key("keygen_cycles"), s.keygen_cycles),
        c.non_negative(&key("encaps_cycles"), s.encaps_cycles),
        c.non_negative(&key("decaps_cycles"), s.decaps_cycles),
    );
    // A server figure left out is the Cortex-M4 one: a server is no slower per cycle of work.
    let mut server = |k: &str, v: Option<f64>, m4: f64| v.map_or(m4, |v| c.non_negative(&key(k), v));
    SchemeProfile {
        name: name.to_string(),
        kind: s.kind,
        keygen_cycles: keygen,
        encaps_cycles: encaps,
        decaps_cycles: decaps,
        server_keygen_cycles: server("server_keygen_cycles", s.server_keygen_cycles, keygen),
        server_encaps_cycles: server("server_encaps_cycles", s.server_encaps_cycles, encaps),
        server_decaps_cycles: server("server_decaps_cycles", s.server_decaps_cycles, decaps),
        public_key_bytes: c.small(&key("public_key_bytes"), s.public_key_bytes),
        ciphertext_bytes: c.small(&key("ciphertext_bytes"), s.ciphertext_bytes),
        secret_key_bytes: c.small(&key("secret_key_bytes"), s.secret_key_bytes),
    }
}
