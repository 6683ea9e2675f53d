//! One synthetic record per patient before protection: explicit identifiers (a name from two lists of 16, a record
//! number, a phone number), quasi-identifiers (age, sex, a postcode from the patient's position) and medical
//! information from the patient's profile, drawn from the patient's `RECORD` stream. See docs/model.md, section 12.5.

use rand::Rng;

use super::anonymity::{postcode, Qi};
use crate::chain::{topology::Topology, PatientId};
use crate::kernel::EntityRng;
use crate::records::RecordsSpec;
use crate::scenario::ModelConfig;

const FIRST_NAMES: [&str; 16] = [
    "Ada", "Bela", "Chen", "Dara", "Emil", "Fatima", "Goran", "Hana", "Ines", "Jonas", "Kemal", "Lena", "Mateo",
    "Nadia", "Omar", "Priya",
];
const LAST_NAMES: [&str; 16] = [
    "Adeyemi",
    "Brandt",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
];

/// One generated record before protection.
pub(super) struct Draft {
    pub(super) ei: Vec<u8>,
    pub(super) qi: Qi,
    pub(super) mi: Vec<u8>,
    pub(super) key: [u8; 16],
}

pub(super) fn draft(
    p: u32,
    rng: &mut EntityRng,
    spec: &RecordsSpec,
    profile: u64,
    cfg: &ModelConfig,
    topo: &Topology,
) -> Draft {
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let mrn: u32 = rng.random_range(0..10_000);
    let phone: u32 = rng.random_range(0..10_000_000);
    let age_years = rng.random_range(spec.age_min_years..=spec.age_max_years);
    let male = rng.random::<f64>() < spec.male_fraction;
    let mut key = [0u8; 16];
    rng.fill(&mut key);
    let node = topo.node(topo.gateway_node(PatientId(p)));
    let postcode = postcode(node.x_m, node.y_m, cfg.area_width_m, cfg.area_height_m, spec.postcode_digits);
    let ei = format!("name={first} {last};mrn=MRN{p:08}{mrn:04};phone=+1-555-{phone:07}").into_bytes();
    let prof = &cfg.trust.profiles;
    let nc = prof.conditions.len();
    let dx: Vec<&str> = prof
        .conditions
        .iter()
        .enumerate()
        .filter(|(i, _)| profile >> i & 1 == 1)
        .map(|(_, c)| c.name.as_str())
        .collect();
    let sx: Vec<&str> = prof
        .symptoms
        .iter()
        .enumerate()
        .filter(|(i, _)| profile >> (nc + i) & 1 == 1)
        .map(|(_, s)| s.as_str())
        .collect();
    let rx: Vec<String> = dx.iter().map(|d| format!("RX-{d}-{}", rng.random_range(1..=9u8))).collect();
    let mi = format!("dx={};sx={};rx={}", dx.join(","), sx.join(","), rx.join(",")).into_bytes();
    Draft { ei, qi: Qi { age_years, male, postcode }, mi, key }
}
