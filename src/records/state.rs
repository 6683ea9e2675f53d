//! Three-part medical records in the remote cloud: explicit identifiers (EI), quasi-identifiers (QI) and medical
//! information (MI), each protected its own way (vertical partitioning, Li et al. 2015).
//!
//! One synthetic record per patient. EI (name, record number, phone) is real text, encrypted with real AES-128-GCM
//! ([`crate::crypto::seal`]) under the owner's key, which the key distribution centre holds; or stored in plain text.
//! QI (age, sex, postcode) is generalised by full-domain generalisation (age bands, postcode prefixes, sex withheld)
//! to the most precise level at which every combination is shared by at least k records, suppressing at most a
//! configured fraction (Sweeney 2002); the k the population actually reaches is computed. MI (diagnoses, symptoms,
//! prescriptions, from the patient's profile) is plain text or encrypted. Every record carries a SHA-256 digest.
//!
//! An undetected `unauthorized_access` exposes the record as stored: ciphertext for encrypted parts. Each exposure is
//! checked for the owner's EI plaintext, and adds the owner's re-identification risk (1 if EI is plain, else one
//! over the size of the record's QI class, at most 1/k) to the expected number of re-identified patients. An
//! undetected `data_tampering` flips a byte of the record; integrity audits recompute every digest at an interval and
//! find it (time to detection), as does a doctor who reads the record. See docs/model.md, "Trust, records and care".

use super::anonymity::{k_anonymise, plain_anonymity, Anonymity, Generalisation, Qi, SUPPRESSED_QI};
use super::audit::Auditor;
use super::draft::{draft, Draft};

use rand::Rng;
use sha2::{Digest, Sha256};

use crate::kernel::{EntityRng, Scheduler, SimTime, StreamFactory};
use crate::records::{EiProtection, MiProtection, QiProtection, RecordsSpec};
use crate::scenario::ModelConfig;
use crate::stats::LatencyStats;

use crate::chain::{topology::Topology, PatientId};
use crate::streams;

/// A stored record, as the remote cloud holds it.
#[derive(Debug, Clone)]
struct StoredRecord {
    ei: Vec<u8>,
    qi: Vec<u8>,
    mi: Vec<u8>,
    digest: [u8; 32],
}

fn digest(ei: &[u8], qi: &[u8], mi: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [ei, qi, mi] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().into()
}

/// A record as an intruder saw it: the stored parts, separated by a record-separator byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedRecord {
    /// Owner patient.
    pub patient: u32,
    /// When it was read.
    pub at: SimTime,
    /// EI ‖ 0x1e ‖ QI ‖ 0x1e ‖ MI, as stored.
    pub bytes: Vec<u8>,
}

/// Where tampering was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FoundBy {
    Audit,
    Access,
}

/// A record's undetected modifications: when the first happened, and each (part, byte, XOR mask).
#[derive(Debug, Clone, Default)]
struct Tampering {
    since: SimTime,
    flips: Vec<(u8, u32, u8)>,
}

/// Counters of the record store.
#[derive(Debug, Clone, Default)]
pub struct RecordsMetrics {
    /// Stored bytes per part (EI, QI, MI), protection overhead included.
    pub storage_bytes: [u64; 3],
    /// Plaintext bytes per part (EI, QI before generalisation as stored text, MI).
    pub plaintext_bytes: [u64; 3],
    /// Digest bytes (32 per record).
    pub digest_bytes: u64,
    /// Processing per part (EI, QI, MI), Cortex-M4-equivalent cycles: protection at store and decryption at reads.
    pub cycles: [f64; 3],
    /// Undetected record reads (every exposure).
    pub exposures: u64,
    /// Distinct records exposed.
    pub records_exposed: u64,
    /// Exposures in which the owner's EI plaintext (or its record number or phone) appears.
    pub ei_plaintext_exposures: u64,
    /// Exposures with the MI in plain text.
    pub mi_plaintext_exposures: u64,
    /// Sum over distinct exposed records of the owner's re-identification risk.
    pub expected_reidentified: f64,
    /// Largest re-identification risk of one exposed record.
    pub max_risk: f64,
    /// Undetected modifications.
    pub tamperings: u64,
    /// Tampered records found by audits.
    pub found_by_audit: u64,
    /// Tampered records found by a doctor reading them.
    pub found_on_access: u64,
    /// First modification → discovery.
    pub detection_delay: LatencyStats,
    /// Audits run.
    pub audits: u64,
    /// Bytes hashed by audits.
    pub audited_bytes: u64,
    /// Records read by doctors.
    pub doctor_reads: u64,
    /// Doctor reads whose decryption failed or did not give back the plaintext (must be 0).
    pub decrypt_failures: u64,
}

/// The record store's state.
pub struct RecordsState {
    spec: RecordsSpec,
    records: Vec<StoredRecord>,
    ei_plain: Vec<Vec<u8>>,
    mi_plain: Vec<Vec<u8>>,
    keys: Vec<[u8; 16]>,
    anonymity: Anonymity,
    rngs: Vec<EntityRng>,
    tampered: Vec<Option<Tampering>>,
    exposed: Vec<ExposedRecord>,
    seen: Vec<bool>,
    end: SimTime,
    auditor: Option<Auditor>,
    /// Counters.
    pub metrics: RecordsMetrics,
}

impl RecordsState {
    /// The record store of `cfg` on `topo`; empty when it is off.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let spec = cfg.records.clone();
        let mut s = RecordsState {
            records: Vec::new(),
            ei_plain: Vec::new(),
            mi_plain: Vec::new(),
            keys: Vec::new(),
            anonymity: plain_anonymity(&[], spec.postcode_digits),
            rngs: Vec::new(),
            tampered: Vec::new(),
            exposed: Vec::new(),
            seen: Vec::new(),
            end: cfg.end_time(),
            auditor: None,
            metrics: RecordsMetrics::default(),
            spec,
        };
        if !s.spec.enabled {
            return s;
        }
        let n = topo.patients;
        s.auditor = s.spec.audit.clone().map(|a| Auditor::new(a, n, streams));
        let profiles = crate::trust::state::draw_profiles(&cfg.trust.profiles, n, streams);
        s.rngs = (0..n).map(|p| streams.stream(streams::RECORD, p as u64)).collect();
        let drafts: Vec<Draft> =
            (0..n).map(|p| draft(p, &mut s.rngs[p as usize], &s.spec, profiles[p as usize], cfg, topo)).collect();
        let qis: Vec<Qi> = drafts.iter().map(|d| d.qi).collect();
        let digits = s.spec.postcode_digits;
        s.anonymity = match s.spec.qi {
            QiProtection::Generalised => k_anonymise(&qis, s.spec.k, s.spec.max_suppression, digits),
            QiProtection::Plain => plain_anonymity(&qis, digits),
        };
        for (p, d) in drafts.into_iter().enumerate() {
            s.store(p, d);
        }
        s.tampered = vec![None; n as usize];
        s.seen = vec![false; n as usize];
        s
    }

    /// Protects and stores one record, charging storage and processing.
    fn store(&mut self, p: usize, d: Draft) {
        let m = &mut self.metrics;
        let qi = if self.anonymity.class_size[p] == 0 {
            SUPPRESSED_QI.to_vec()
        } else {
            self.anonymity.generalisation.text(&d.qi, self.spec.postcode_digits)
        };
        let plain_qi = Generalisation::NONE.text(&d.qi, self.spec.postcode_digits);
        let ei = match self.spec.ei {
            EiProtection::Encrypted => {
                m.cycles[0] += self.spec.aead_cycles(d.ei.len());
                self.spec.cipher_kind().seal(&d.key, &d.ei)
            }
            EiProtection::Plain => d.ei.clone(),
        };
        if self.spec.qi == QiProtection::Generalised {
            m.cycles[1] += self.spec.generalise_cycles_per_record;
        }
        let mi = match self.spec.mi {
            MiProtection::Encrypted => {
                m.cycles[2] += self.spec.aead_cycles(d.mi.len());
                self.spec.cipher_kind().seal(&d.key, &d.mi)
            }
            MiProtection::Plain => d.mi.clone(),
        };
        m.plaintext_bytes[0] += d.ei.len() as u64;
        m.plaintext_bytes[1] += plain_qi.len() as u64;
        m.plaintext_bytes[2] += d.mi.len() as u64;
        m.storage_bytes[0] += ei.len() as u64;
        m.storage_bytes[1] += qi.len() as u64;
        m.storage_bytes[2] += mi.len() as u64;
        m.digest_bytes += 32;
        let digest = digest(&ei, &qi, &mi);
        if let Some(a) = self.auditor.as_mut() {
            a.store(p as u32, [&ei, &qi, &mi]);
        }
        self.records.push(StoredRecord { ei, qi, mi, digest });
        self.ei_plain.push(d.ei);
        self.mi_plain.push(d.mi);
        self.keys.push(d.key);
    }

    /// Whether the record store is on.
    pub fn enabled(&self) -> bool {
        self.spec.enabled
    }

    /// The configuration.
    pub fn spec(&self) -> &RecordsSpec {
        &self.spec
    }

    /// What generalisation achieved (for plain QI: the classes of the raw QI).
    pub fn anonymity(&self) -> &Anonymity {
        &self.anonymity
    }

    /// Records stored.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no record is stored.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The stored QI of patient `p`'s record (generalised text, or [`SUPPRESSED_QI`]).
    pub fn stored_qi(&self, p: u32) -> &[u8] {
        &self.records[p as usize].qi
    }

    /// The EI plaintext of patient `p` (the hospital's own copy, kept only to check exposures).
    pub fn ei_plaintext(&self, p: u32) -> &[u8] {
        &self.ei_plain[p as usize]
    }

    /// The MI plaintext of patient `p` (as [`RecordsState::ei_plaintext`]).
    pub fn mi_plaintext(&self, p: u32) -> &[u8] {
        &self.mi_plain[p as usize]
    }

    /// Every record exposed so far, as the intruder saw it the first time.
    pub fn exposed(&self) -> &[ExposedRecord] {
        &self.exposed
    }

    /// Records modified and not yet found.
    pub fn undetected_tampered(&self) -> u64 {
        self.tampered.iter().filter(|t| t.is_some()).count() as u64
    }

    /// Re-identification risk of patient `p`'s record once exposed.
    pub fn risk(&self, p: u32) -> f64 {
        if self.spec.ei == EiProtection::Plain {
            return 1.0;
        }
        match self.anonymity.class_size[p as usize] {
            0 => 1.0 / self.records.len() as f64,
            n => 1.0 / n as f64,
        }
    }

    /// When patient `p`'s record was first modified without being found since (signatures read it).
    pub fn tampered_since(&self, p: u32) -> Option<SimTime> {
        self.tampered.get(p as usize)?.as_ref().map(|t| t.since)
    }

    /// The stored record as one byte string (what an intruder sees, and what signatures sign).
    pub(crate) fn exposed_bytes(&self, p: u32) -> Vec<u8> {
        let r = &self.records[p as usize];
        let mut bytes = Vec::with_capacity(r.ei.len() + r.qi.len() + r.mi.len() + 2);
        bytes.extend_from_slice(&r.ei);
        bytes.push(0x1e);
        bytes.extend_from_slice(&r.qi);
        bytes.push(0x1e);
        bytes.extend_from_slice(&r.mi);
        bytes
    }

    /// Whether `bytes` holds patient `p`'s EI plaintext, record number or phone number.
    pub fn leaks_ei(&self, p: u32, bytes: &[u8]) -> bool {
        let ei = &self.ei_plain[p as usize];
        let fields = ei.split(|&b| b == b';').filter_map(|f| f.iter().position(|&b| b == b'=').map(|i| &f[i + 1..]));
        contains(bytes, ei) || fields.filter(|f| f.len() >= 8).any(|f| contains(bytes, f))
    }

    /// An undetected read of patient `p`'s record.
    fn breach(&mut self, p: u32, now: SimTime) {
        let bytes = self.exposed_bytes(p);
        let m = &mut self.metrics;
        m.exposures += 1;
        if self.spec.mi == MiProtection::Plain {
            m.mi_plaintext_exposures += 1;
        }
        if self.leaks_ei(p, &bytes) {
            self.metrics.ei_plaintext_exposures += 1;
        }
        if !self.seen[p as usize] {
            self.seen[p as usize] = true;
            let risk = self.risk(p);
            let m = &mut self.metrics;
            m.records_exposed += 1;
            m.expected_reidentified += risk;
            m.max_risk = m.max_risk.max(risk);
            self.exposed.push(ExposedRecord { patient: p, at: now, bytes });
        }
    }

    /// An undetected modification of patient `p`'s record: one byte of one part flipped (with `[records.audit]`'s
    /// HMAC tags: one byte in each of `tampered_blocks` blocks).
    fn tamper(&mut self, p: u32, now: SimTime) {
        let r = &self.records[p as usize];
        let lens = [r.ei.len(), r.qi.len(), r.mi.len()];
        let flips = match self.auditor.as_mut().and_then(|a| a.tamper_flips(p, lens)) {
            Some(flips) => flips,
            None => {
                let rng = &mut self.rngs[p as usize];
                let part: u8 = rng.random_range(0..3);
                let mask: u8 = rng.random_range(1..=255);
                let at = rng.random_range(0..lens[part as usize].max(1)) as u32;
                vec![(part, at, mask)]
            }
        };
        let r = &mut self.records[p as usize];
        for &(part, at, mask) in &flips {
            if let Some(b) = part_mut(r, part).get_mut(at as usize) {
                *b ^= mask;
            }
        }
        if self.auditor.as_ref().is_some_and(Auditor::recomputes_digest) {
            r.digest = digest(&r.ei, &r.qi, &r.mi);
        }
        self.metrics.tamperings += 1;
        self.tampered[p as usize].get_or_insert(Tampering { since: now, flips: Vec::new() }).flips.extend(flips);
    }

    /// Whether patient `p`'s record still matches its digest.
    fn intact(&self, p: usize) -> bool {
        let r = &self.records[p];
        digest(&r.ei, &r.qi, &r.mi) == r.digest
    }

    /// Tampering of patient `p`'s record found at `now`: the record is restored from the hospital's copy.
    fn found(&mut self, p: usize, now: SimTime, by: FoundBy) {
        let Some(t) = self.tampered[p].take() else { return };
        let r = &mut self.records[p];
        for &(part, at, mask) in t.flips.iter().rev() {
            if let Some(b) = part_mut(r, part).get_mut(at as usize) {
                *b ^= mask;
            }
        }
        if self.auditor.as_ref().is_some_and(Auditor::recomputes_digest) {
            r.digest = digest(&r.ei, &r.qi, &r.mi);
        }
        let m = &mut self.metrics;
        match by {
            FoundBy::Audit => m.found_by_audit += 1,
            FoundBy::Access => m.found_on_access += 1,
        }
        m.detection_delay.record(now - t.since);
    }

    /// Audits every record at `now`, finding every tampered one.
    fn audit(&mut self, now: SimTime) {
        self.metrics.audits += 1;
        if self.auditor.is_some() {
            return self.keyed_audit(now);
        }
        for p in 0..self.records.len() {
            let r = &self.records[p];
            self.metrics.audited_bytes += (r.ei.len() + r.qi.len() + r.mi.len()) as u64;
            let intact = self.intact(p);
            if !intact {
                self.found(p, now, FoundBy::Audit);
            } else if self.tampered[p].is_some() {
                // Flips that cancelled out leave the record as it was: nothing to find.
                self.tampered[p] = None;
            }
        }
    }

    /// An audit by `[records.audit]`'s auditor: modifications it finds are restored; the others stay recorded (a
    /// recomputed digest matches, a spot check may miss).
    fn keyed_audit(&mut self, now: SimTime) {
        let Some(a) = self.auditor.as_mut() else { return };
        a.metrics.audits += 1;
        let mut found = Vec::new();
        for (p, r) in self.records.iter().enumerate() {
            self.metrics.audited_bytes += (r.ei.len() + r.qi.len() + r.mi.len()) as u64;
            let digest_ok = digest(&r.ei, &r.qi, &r.mi) == r.digest;
            if a.check(p as u32, [&r.ei, &r.qi, &r.mi], digest_ok) {
                found.extend(self.tampered[p].as_ref().map(|t| (p, now - t.since)));
            }
        }
        for (p, delay) in found {
            if let Some(a) = self.auditor.as_mut() {
                a.detected(delay);
            }
            self.found(p, now, FoundBy::Audit);
        }
    }

    /// The auditor of `[records.audit]`, if on.
    pub fn auditor(&self) -> Option<&Auditor> {
        self.auditor.as_ref()
    }

    /// Blocks of patient `p`'s stored record under `[records.audit]` (0 when it is off).
    pub fn audit_blocks(&self, p: u32) -> u32 {
        let r = &self.records[p as usize];
        self.auditor.as_ref().map_or(0, |a| a.blocks(r.ei.len() + r.qi.len() + r.mi.len()))
    }

    /// A doctor reads patient `p`'s record with the key from the KDC: checks the digest (finding any tampering),
    /// decrypts the protected parts and compares them with the originals. Returns whether tampering was found.
    pub fn doctor_read(&mut self, p: u32, now: SimTime) -> bool {
        let pi = p as usize;
        self.metrics.doctor_reads += 1;
        let tampered = !self.intact(pi);
        if tampered {
            self.found(pi, now, FoundBy::Access);
        }
        let r = &self.records[pi];
        let key = &self.keys[pi];
        let mut ok = true;
        if self.spec.ei == EiProtection::Encrypted {
            self.metrics.cycles[0] += self.spec.aead_cycles(self.ei_plain[pi].len());
            ok &= self.spec.cipher_kind().open(key, &r.ei).is_ok_and(|pt| pt == self.ei_plain[pi]);
        }
        if self.spec.mi == MiProtection::Encrypted {
            self.metrics.cycles[2] += self.spec.aead_cycles(self.mi_plain[pi].len());
            ok &= self.spec.cipher_kind().open(key, &r.mi).is_ok_and(|pt| pt == self.mi_plain[pi]);
        }
        if !ok {
            self.metrics.decrypt_failures += 1;
        }
        tampered
    }
}

fn part_mut(r: &mut StoredRecord, part: u8) -> &mut Vec<u8> {
    match part {
        0 => &mut r.ei,
        1 => &mut r.qi,
        _ => &mut r.mi,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The record store's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsEvent {
    /// An integrity audit of the record store.
    Audit,
}

impl RecordsState {
    /// Schedules the first audit.
    pub(crate) fn schedule_first_events(&mut self, sched: &mut impl FnMut(SimTime, RecordsEvent)) {
        if let (true, Some(interval)) = (self.enabled(), self.spec.audit_interval) {
            if interval <= self.end {
                sched(interval, RecordsEvent::Audit);
            }
        }
    }

    /// An integrity audit of the record store.
    pub(crate) fn on_audit<E: From<RecordsEvent>>(&mut self, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let interval = self.spec.audit_interval.unwrap_or(SimTime::MAX);
        let next = now.saturating_add(interval);
        if next <= self.end {
            sched.schedule_at(next, RecordsEvent::Audit);
        }
        self.audit(now);
    }

    /// An attack on patient `patient`'s record reached the remote cloud undetected (called by the IDS): a read
    /// exposes the record, a modification tampers with it. Nothing happens while the record store is off.
    pub(crate) fn on_impact(&mut self, patient: Option<PatientId>, tampering: bool, now: SimTime) {
        let Some(p) = patient.filter(|_| self.enabled()).map(PatientId::get) else { return };
        if tampering {
            self.tamper(p, now);
        } else {
            self.breach(p, now);
        }
    }
}
