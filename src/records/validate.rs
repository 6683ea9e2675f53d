//! Validation of `[records]` (see [`crate::scenario::validate`]). Ranges are checked whether or not the store is
//! on; checks against the population (k at most the number of patients) only apply when it is.

use super::config::RecordsSpec;
use super::raw::RawRecords;
use crate::crypto::cipher::validate::{Field, Legacy};
use crate::crypto::cipher::CipherProfile;
use crate::crypto::raw::RawCrypto;
use crate::kernel::SimTime;
use crate::scenario::checker::Checker;

/// Oldest allowed age, in years.
const MAX_AGE_YEARS: u64 = 150;
/// Most postcode digits (a postcode is a `u32`).
const MAX_POSTCODE_DIGITS: u64 = 9;

pub(crate) fn records(c: &mut Checker, raw: &RawRecords, patients: u32, crypto: &RawCrypto) -> RecordsSpec {
    let k = c.count("records.k", raw.k, 1);
    if raw.enabled && k > patients {
        c.fail(
            "records.k",
            format!("must be at most the number of patients ({patients}), or no generalisation reaches it (got {k})"),
        );
    }
    if raw.age_max_years > MAX_AGE_YEARS {
        c.fail("records.age_max_years", format!("must be at most {MAX_AGE_YEARS} (got {})", raw.age_max_years));
    }
    if raw.age_min_years > raw.age_max_years {
        c.fail(
            "records.age_min_years",
            format!("must be at most records.age_max_years = {} (got {})", raw.age_max_years, raw.age_min_years),
        );
    }
    if !(1..=MAX_POSTCODE_DIGITS).contains(&raw.postcode_digits) {
        c.fail(
            "records.postcode_digits",
            format!("must be an integer from 1 to {MAX_POSTCODE_DIGITS} (got {})", raw.postcode_digits),
        );
    }
    let audit = c.time("records.audit_interval_s", raw.audit_interval_s, false);
    RecordsSpec {
        enabled: raw.enabled,
        ei: raw.ei,
        qi: raw.qi,
        mi: raw.mi,
        k,
        max_suppression: c.probability("records.max_suppression", raw.max_suppression),
        age_min_years: raw.age_min_years.min(MAX_AGE_YEARS) as u8,
        age_max_years: raw.age_max_years.min(MAX_AGE_YEARS) as u8,
        male_fraction: c.probability("records.male_fraction", raw.male_fraction),
        postcode_digits: raw.postcode_digits.clamp(1, MAX_POSTCODE_DIGITS) as u8,
        audit_interval: (audit > SimTime::ZERO).then_some(audit),
        aead_cycles_per_byte: c.non_negative("records.aead_cycles_per_byte", raw.aead_cycles_per_byte),
        aead_cycles_per_message: c.non_negative("records.aead_cycles_per_message", raw.aead_cycles_per_message),
        generalise_cycles_per_record: c
            .non_negative("records.generalise_cycles_per_record", raw.generalise_cycles_per_record),
        cipher: cipher(c, raw, crypto),
        audit: super::audit_keys::audit(c, &raw.audit),
    }
}

/// The cipher at rest: `records.cipher`, with `[crypto.ciphers]`; for AES-128-GCM its wearable-class cycles are
/// `records.aead_*` and its server-class ones `crypto.aead_server_*`.
fn cipher(c: &mut Checker, raw: &RawRecords, crypto: &RawCrypto) -> CipherProfile {
    let d = RawRecords::default();
    let legacy = [
        Legacy {
            key: "records.aead_cycles_per_byte",
            value: raw.aead_cycles_per_byte,
            default: d.aead_cycles_per_byte,
            field: Field::WearablePerByte,
        },
        Legacy {
            key: "records.aead_cycles_per_message",
            value: raw.aead_cycles_per_message,
            default: d.aead_cycles_per_message,
            field: Field::WearablePerMessage,
        },
    ];
    let mut p = crate::crypto::cipher::validate::resolve(c, "records.cipher", &raw.cipher, &crypto.ciphers, &legacy);
    if p.name == crate::crypto::cipher::DEFAULT_CIPHER {
        p.server_cycles_per_byte = crypto.aead_server_cycles_per_byte;
        p.server_cycles_per_message = crypto.aead_server_cycles_per_message;
    }
    p
}
