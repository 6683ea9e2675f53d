//! Random-stream namespaces of the cloudlet-mesh model (see [`crate::kernel::rng`]).
//!
//! Each entity kind draws from its own namespace, so that, for example, adding a wearable changes neither
//! another wearable's draws nor any link's.

/// Patient positions, one stream per patient.
pub const PATIENT_PLACEMENT: u16 = 1;
/// Cloudlet positions (random meshes), one stream per cloudlet.
pub const CLOUDLET_PLACEMENT: u16 = 2;
/// Wearable sampling phase and jitter, one stream per wearable.
pub const WEARABLE: u16 = 3;
/// Losses on a wearable's BAN link, one stream per wearable.
pub const LINK_BAN: u16 = 4;
/// Losses on a patient's access link, one stream per patient.
pub const LINK_ACCESS: u16 = 5;
/// Losses on a cloudlet-mesh or WAN link, one stream per ordered pair of core nodes (cloudlets and the cloud),
/// numbered `src_core · 2^24 + dst_core` with cloudlet `c` as core node `c` and the cloud as core node `2^24 − 1`.
pub const LINK_CORE: u16 = 6;

/// Stream id of a link of the core (cloudlets and the remote cloud), stable when wearables or patients change.
pub fn core_link_id(src_core: u32, dst_core: u32) -> u64 {
    ((src_core as u64) << 24) | dst_core as u64
}

/// The anchor (phase) of a wearable's BLE connection events, one stream per wearable (drawn once; a link's losses
/// keep their own stream).
pub const BLE_ANCHOR: u16 = 17;

/// A link's shadowing under `loss_model = "channel"`, one stream per link id (drawn when the link is used; a
/// link's loss draws keep their own stream).
pub const CHANNEL: u16 = 18;

/// Random IDS placement (one stream).
pub const IDS_PLACEMENT: u16 = 7;
/// One IDS node's verdict draws, one stream per cloudlet index hosting it (so a node keeps its draws when the
/// IDS count changes).
pub const IDS_NODE: u16 = 8;
/// The score model's latent factor shared by all nodes inspecting an item (one stream).
pub const IDS_LATENT: u16 = 9;
/// Attack arrivals, entries and targets, one stream per attack kind (its index), and [`ATTACK_FOLLOW_UP`].
pub const ATTACK: u16 = 10;
/// Id in [`ATTACK`] of the stream of probe follow-ups: whether and when an undetected probe is followed up, and the
/// follow-up campaigns' gaps, entries, targets and patients (so the kinds' own streams are unchanged).
pub const ATTACK_FOLLOW_UP: u64 = 64;
/// Benign doctor accesses (one stream).
pub const BENIGN: u16 = 11;
/// Patient profiles (conditions and symptoms), one stream per patient.
pub const PATIENT_PROFILE: u16 = 12;
/// Trust: whether a patient is malicious, then its share requests (gaps, peers, misuse draws), one stream per
/// patient.
pub const TRUST_PATIENT: u16 = 13;
/// Records: a patient's synthetic record (identifiers, age, sex, key), then tampering positions, one stream per
/// patient.
pub const RECORD: u16 = 14;
/// Care: a patient's appointment requests and step latencies, one stream per patient.
pub const CARE_PATIENT: u16 = 15;
/// Care: a doctor's key-request checks, one stream per doctor (`cloudlet · doctors_per_cloudlet + d`).
pub const CARE_DOCTOR: u16 = 16;
/// Signatures: one signer's key seed, one stream per signer (a doctor's index, or `u32::MAX` for the registrar).
pub const SIGNATURE_KEY: u16 = 20;

/// Provable audits of the records (`[records.audit]`): per patient (id = patient), the blocks a modification
/// changes; and, id [`AUDITOR_STREAM_ID`], the auditor's HMAC key and its spot-check challenges.
pub const RECORD_AUDIT: u16 = 22;
/// Id in [`RECORD_AUDIT`] of the auditor's stream (above every patient index).
pub const AUDITOR_STREAM_ID: u64 = 1 << 40;
/// The finite key distribution centre (`[care.kdc]`): id 0 its service times, id 1 its up and down periods.
pub const KDC: u16 = 23;

/// Mobility: a patient's random-waypoint legs (destination, speed), one stream per patient.
pub const MOBILITY: u16 = 24;
