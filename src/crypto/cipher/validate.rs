//! Resolving a cipher name (`crypto.aead`, `records.cipher`) into a validated profile: the built-in figures, the
//! `[crypto.ciphers.<name>]` overrides, and for the default AES-128-GCM the older `*.aead_*` keys, which are its
//! figures (so that a scenario that never names a cipher runs exactly as before).

use std::collections::BTreeMap;

use super::profile::{builtin, CipherProfile, CIPHER_NAMES, DEFAULT_CIPHER};
use super::raw::RawCipher;
use crate::scenario::checker::Checker;

/// A profile figure that an older `*.aead_*` key gives for AES-128-GCM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// Nonce bytes.
    Nonce,
    /// Tag bytes.
    Tag,
    /// Wearable cycles per byte.
    WearablePerByte,
    /// Wearable cycles per message.
    WearablePerMessage,
    /// Server cycles per byte.
    ServerPerByte,
    /// Server cycles per message.
    ServerPerMessage,
}

/// An older key that carries an AES-128-GCM figure: its dotted name, its value, its default, the field it sets.
pub(crate) struct Legacy<'a> {
    pub key: &'a str,
    pub value: f64,
    pub default: f64,
    pub field: Field,
}

/// The allowed names, for messages.
pub(crate) fn known() -> String {
    CIPHER_NAMES.join(", ")
}

/// Checks that every `[crypto.ciphers.<name>]` names a built-in cipher.
pub(crate) fn check_tables(c: &mut Checker, ciphers: &BTreeMap<String, RawCipher>) {
    for name in ciphers.keys().filter(|n| !CIPHER_NAMES.contains(&n.as_str())) {
        c.fail(&format!("crypto.ciphers.{name}"), format!("unknown cipher {name:?}; known: {}", known()));
    }
}

/// The profile `name` (set at `key`), with the overrides of `ciphers` and, for AES-128-GCM, the `legacy` keys.
pub(crate) fn resolve(
    c: &mut Checker,
    key: &str,
    name: &str,
    ciphers: &BTreeMap<String, RawCipher>,
    legacy: &[Legacy<'_>],
) -> CipherProfile {
    let Some(mut p) = builtin(name) else {
        c.fail(key, format!("unknown cipher {name:?}; known: {}", known()));
        return builtin(DEFAULT_CIPHER).expect("the default cipher is built in");
    };
    let table = ciphers.get(name).cloned().unwrap_or_default();
    let k = |f: &str| format!("crypto.ciphers.{name}.{f}");
    for l in legacy {
        if name == DEFAULT_CIPHER {
            // The older key is range-checked where it is read; here it only fills the profile.
            let (set, v) = (legacy_in_table(&table, l.field), l.value);
            if let Some(f) = set {
                c.fail(&k(f), format!("for {DEFAULT_CIPHER} this figure is {} (one key for one figure)", l.key));
            }
            match l.field {
                Field::Nonce => p.nonce_bytes = v as u32,
                Field::Tag => p.tag_bytes = v as u32,
                Field::WearablePerByte => p.wearable_cycles_per_byte = v,
                Field::WearablePerMessage => p.wearable_cycles_per_message = v,
                Field::ServerPerByte => p.server_cycles_per_byte = v,
                Field::ServerPerMessage => p.server_cycles_per_message = v,
            }
        } else if l.value != l.default {
            c.fail(
                l.key,
                format!(
                    "describes {DEFAULT_CIPHER}, but {key} = {name:?}; set the figure in [crypto.ciphers.{name}] instead"
                ),
            );
        }
    }
    let small = |c: &mut Checker, f: &str, v: Option<u64>, into: &mut u32| {
        if let Some(v) = v {
            *into = c.small(&k(f), v);
        }
    };
    small(c, "block_bits", table.block_bits, &mut p.block_bits);
    small(c, "key_bytes", table.key_bytes, &mut p.key_bytes);
    small(c, "nonce_bytes", table.nonce_bytes, &mut p.nonce_bytes);
    small(c, "tag_bytes", table.tag_bytes, &mut p.tag_bytes);
    if p.block_bits == 0 {
        c.fail(&k("block_bits"), "must be > 0");
    }
    if let Some(pad) = table.padding {
        p.padding = pad;
    }
    let cycles = [
        ("wearable_cycles_per_byte", table.wearable_cycles_per_byte, &mut p.wearable_cycles_per_byte),
        ("wearable_cycles_per_message", table.wearable_cycles_per_message, &mut p.wearable_cycles_per_message),
        ("wearable_key_setup_cycles", table.wearable_key_setup_cycles, &mut p.wearable_key_setup_cycles),
        ("server_cycles_per_byte", table.server_cycles_per_byte, &mut p.server_cycles_per_byte),
        ("server_cycles_per_message", table.server_cycles_per_message, &mut p.server_cycles_per_message),
        ("server_key_setup_cycles", table.server_key_setup_cycles, &mut p.server_key_setup_cycles),
    ];
    for (f, v, into) in cycles {
        if let Some(v) = v {
            *into = c.non_negative(&k(f), v);
        }
    }
    if let Some(limit) = table.max_bytes_per_key {
        p.max_bytes_per_key = (limit > 0).then_some(limit);
    }
    p
}

/// The table key that sets a figure an older key already gives, if any.
fn legacy_in_table(t: &RawCipher, f: Field) -> Option<&'static str> {
    match f {
        Field::Nonce => t.nonce_bytes.map(|_| "nonce_bytes"),
        Field::Tag => t.tag_bytes.map(|_| "tag_bytes"),
        Field::WearablePerByte => t.wearable_cycles_per_byte.map(|_| "wearable_cycles_per_byte"),
        Field::WearablePerMessage => t.wearable_cycles_per_message.map(|_| "wearable_cycles_per_message"),
        Field::ServerPerByte => t.server_cycles_per_byte.map(|_| "server_cycles_per_byte"),
        Field::ServerPerMessage => t.server_cycles_per_message.map(|_| "server_cycles_per_message"),
    }
}
