//! Doctors' signatures on prescriptions and record updates, and their verification; the state the model keeps.
//!
//! ```text
//!  record created ──registrar signs──▶ (record, signature)
//!  doctor reads record ──verifies signature──▶ ok | tampering caught      (also: every integrity audit)
//!  doctor sends prescription ──signs prescription + record update──▶ patient's gateway verifies the prescription
//! ```
//!
//! Every record is signed when it is created (by the hospital's registrar) and again at each update: the doctor
//! signs the record as read plus the update line (the prescription). The store keeps the last signature and its
//! signer; an intruder who modifies a record cannot sign (no key), so the next verification fails: when a doctor
//! reads the record, or at an integrity audit. Verifying is real for the built-in schemes (`ecdsa-p256`,
//! `ed25519`, [`super::real`]); for a custom profile a verification fails when the record is tampered. Doctors'
//! work runs on their devices (server cycles at `signatures.doctor_clock_hz`); its time adds to the care steps
//! ([`super::config::CareSigning`]); the patient's gateway verifies a prescription (Cortex-M4 cycles, charged to its
//! battery). See docs/model.md §15.

use std::collections::HashMap;

use rand::RngCore;

use crate::care::Step;
use crate::chain::{topology::Topology, NodeId, PatientId};
use crate::energy::ledger::EnergyLedger;
use crate::kernel::{SimTime, StreamFactory};
use crate::records::RecordsState;
use crate::scenario::ModelConfig;
use crate::stats::LatencyStats;
use crate::streams;

use super::config::{CareSigning, SignaturesSpec};
use super::real::SigningKey;
use super::upload::UploadSigning;

/// Signer id of the hospital's registrar, who signs every record when it is created.
const REGISTRAR: u32 = u32::MAX;

/// Who found a record that fails verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Doctor,
    Audit,
}

/// What signatures cost and caught, counted over the whole run.
#[derive(Debug, Clone, Default)]
pub struct SignaturesMetrics {
    /// Prescriptions signed.
    pub prescriptions_signed: u64,
    /// Prescriptions verified at the patient's gateway.
    pub prescriptions_verified: u64,
    /// Prescription verifications that failed.
    pub prescription_failures: u64,
    /// Records signed when created.
    pub records_signed_at_creation: u64,
    /// Record updates signed.
    pub record_updates_signed: u64,
    /// Record signatures verified by doctors reading the record.
    pub records_verified_on_read: u64,
    /// Record signatures verified by integrity audits.
    pub records_verified_at_audit: u64,
    /// Record verifications that failed on a doctor's read (tampering caught).
    pub failures_on_read: u64,
    /// Record verifications that failed at an audit (tampering caught).
    pub failures_at_audit: u64,
    /// Distinct modifications caught by a failed verification (on a read or at an audit).
    pub tampering_caught: u64,
    /// First undetected modification → the first failed verification that caught it.
    pub detection_delay: LatencyStats,
    /// Doctors' devices' energy (signing and verifying), J.
    pub doctor_j: f64,
    /// Patients' gateways' energy verifying prescriptions, J.
    pub gateway_j: f64,
    /// The remote cloud's energy (the registrar's signatures, audits' verifications), J.
    pub cloud_j: f64,
}

/// A record's current signature: who signed, the update line appended to the record's bytes, the signature.
#[derive(Debug, Clone)]
struct RecordSignature {
    signer: u32,
    suffix: Vec<u8>,
    sig: Vec<u8>,
}

/// The signatures' state.
pub struct SignaturesState {
    spec: SignaturesSpec,
    seeds: Option<StreamFactory>,
    keys: HashMap<u32, SigningKey>,
    records: Vec<Option<RecordSignature>>,
    /// Per patient, the start of the modification a failed verification last caught: a record that stays modified
    /// (nothing restores it, e.g. under an intruder who recomputes the digest and no keyed audit) fails every later
    /// verification too, and each failure counts, but the modification is caught once.
    caught: Vec<Option<SimTime>>,
    /// The record as the doctor read it, by appointment, until the update is signed.
    read: HashMap<u32, Vec<u8>>,
    /// Prescriptions on their way: (doctor, message, signature), by appointment.
    in_flight: HashMap<u32, (u32, Vec<u8>, Vec<u8>)>,
    first_gateway: NodeId,
    server_j_per_cycle: f64,
    care_added: CareSigning,
    /// Upload signing (lent to the delivery chain), if patients sign uploads.
    pub uploads: Option<UploadSigning>,
    /// Counters.
    pub metrics: SignaturesMetrics,
}

impl SignaturesState {
    /// The signatures of `cfg` on `topo`, every record of `records` signed at creation; empty when off.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory, records: &RecordsState) -> Self {
        let spec = cfg.signatures.clone();
        let mut s = SignaturesState {
            seeds: spec.real.then(|| streams.clone()),
            keys: HashMap::new(),
            records: Vec::new(),
            caught: Vec::new(),
            read: HashMap::new(),
            in_flight: HashMap::new(),
            first_gateway: topo.gateway_node(PatientId(0)),
            server_j_per_cycle: cfg.energy.cloudlet_j_per_cycle,
            care_added: CareSigning::new(cfg),
            uploads: UploadSigning::new(cfg),
            metrics: SignaturesMetrics::default(),
            spec,
        };
        if s.spec.signs_records() && records.enabled() {
            for p in 0..records.len() as u32 {
                let msg = records.exposed_bytes(p);
                let sig = s.sign(REGISTRAR, &msg);
                s.records.push(Some(RecordSignature { signer: REGISTRAR, suffix: Vec::new(), sig }));
                s.metrics.records_signed_at_creation += 1;
                s.metrics.cloud_j += s.spec.profile.server_sign_cycles * s.server_j_per_cycle;
            }
        }
        s
    }

    /// Whether signatures are on.
    pub fn enabled(&self) -> bool {
        self.spec.enabled
    }

    /// The configuration.
    pub fn spec(&self) -> &SignaturesSpec {
        &self.spec
    }

    /// The time signatures add to the care steps.
    pub fn care_added(&self) -> CareSigning {
        self.care_added
    }

    /// Signer `signer`'s key (made from its own stream on first use), or `None` without a real implementation.
    fn key(&mut self, signer: u32) -> Option<&SigningKey> {
        let seeds = self.seeds.as_ref()?;
        let name = &self.spec.profile.name;
        Some(self.keys.entry(signer).or_insert_with(|| {
            let mut seed = [0u8; 32];
            seeds.stream(streams::SIGNATURE_KEY, u64::from(signer)).fill_bytes(&mut seed);
            SigningKey::from_seed(name, seed).expect("a real scheme has keys")
        }))
    }

    /// Signer `signer`'s signature of `msg` (a placeholder of the profile's size without a real implementation).
    fn sign(&mut self, signer: u32, msg: &[u8]) -> Vec<u8> {
        let bytes = self.spec.profile.signature_bytes as usize;
        self.key(signer).map_or_else(|| vec![0; bytes], |k| k.sign(msg))
    }

    /// Whether `sig` is `signer`'s signature of `msg`; without a real implementation, `fallback`.
    fn check(&mut self, signer: u32, msg: &[u8], sig: &[u8], fallback: bool) -> bool {
        self.key(signer).map_or(fallback, |k| k.verify(msg, sig))
    }

    /// Verifies patient `p`'s record signature against the record as stored now; counts a failure as tampering
    /// caught (from the record's first undetected modification).
    fn verify_record(&mut self, p: u32, records: &RecordsState, now: SimTime, by: Reader) {
        let Some(rs) = self.records.get(p as usize).and_then(Option::clone) else { return };
        let mut msg = records.exposed_bytes(p);
        msg.extend_from_slice(&rs.suffix);
        let since = records.tampered_since(p);
        let ok = self.check(rs.signer, &msg, &rs.sig, since.is_none());
        let m = &mut self.metrics;
        match by {
            Reader::Doctor => m.records_verified_on_read += 1,
            Reader::Audit => m.records_verified_at_audit += 1,
        }
        if !ok {
            match by {
                Reader::Doctor => m.failures_on_read += 1,
                Reader::Audit => m.failures_at_audit += 1,
            }
            let start = since.unwrap_or(now);
            let slot = p as usize;
            if self.caught.len() <= slot {
                self.caught.resize(slot + 1, None);
            }
            if self.caught[slot] != Some(start) {
                self.caught[slot] = Some(start);
                m.tampering_caught += 1;
                m.detection_delay.record(now.saturating_sub(start));
            }
        }
    }

    /// Before the care workflow handles `step` of appointment `appointment` (patient `patient`, doctor `doctor`):
    /// the doctor verifies the record just fetched, signs the prescription and the record update, or the patient's
    /// gateway verifies the delivered prescription.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn before_care_step(
        &mut self,
        appointment: u32,
        patient: PatientId,
        doctor: u32,
        step: Step,
        records: &RecordsState,
        energy: &mut EnergyLedger,
        now: SimTime,
    ) {
        let p = patient.get();
        let prof = self.spec.profile.clone();
        let doctor_j = self.spec.doctor_j_per_cycle;
        match step {
            Step::RecordRead if self.spec.signs_records() && records.enabled() => {
                self.metrics.doctor_j += prof.server_verify_cycles * doctor_j;
                self.verify_record(p, records, now, Reader::Doctor);
            }
            Step::PrescriptionSent => {
                if self.spec.signs_prescriptions() {
                    let mut msg =
                        format!("rx appointment={appointment} patient={p} doctor={doctor} t={now};").into_bytes();
                    msg.resize(self.spec.prescription_bytes.max(msg.len() as u32) as usize, b' ');
                    let sig = self.sign(doctor, &msg);
                    self.in_flight.insert(appointment, (doctor, msg, sig));
                    self.metrics.prescriptions_signed += 1;
                    self.metrics.doctor_j += prof.server_sign_cycles * doctor_j;
                }
                if let Some(mut msg) = self.read.remove(&appointment) {
                    let suffix = format!("\x1eupdate appointment={appointment} doctor={doctor} t={now}").into_bytes();
                    msg.extend_from_slice(&suffix);
                    let sig = self.sign(doctor, &msg);
                    self.records[p as usize] = Some(RecordSignature { signer: doctor, suffix, sig });
                    self.metrics.record_updates_signed += 1;
                    self.metrics.doctor_j += prof.server_sign_cycles * doctor_j;
                }
            }
            Step::Delivered => {
                if let Some((signer, msg, sig)) = self.in_flight.remove(&appointment) {
                    let gateway = self.first_gateway.offset(p);
                    let j = prof.verify_cycles * energy.kind(gateway).j_per_cycle;
                    energy.charge_cycles(gateway, prof.verify_cycles, now);
                    let ok = self.check(signer, &msg, &sig, true);
                    let m = &mut self.metrics;
                    m.prescriptions_verified += 1;
                    m.prescription_failures += u64::from(!ok);
                    m.gateway_j += j;
                }
            }
            _ => {}
        }
    }

    /// After the care workflow handled `step`: the doctor keeps the record as read (restored if tampering was
    /// found), to sign the update with it.
    pub(crate) fn after_care_step(&mut self, appointment: u32, patient: PatientId, step: Step, records: &RecordsState) {
        if step == Step::RecordRead && self.spec.signs_records() && records.enabled() {
            self.read.insert(appointment, records.exposed_bytes(patient.get()));
        }
    }

    /// Before an integrity audit: the auditor verifies every record's signature at the remote cloud.
    pub(crate) fn before_audit(&mut self, records: &RecordsState, now: SimTime) {
        if !(self.spec.signs_records() && self.spec.verify_at_audits && records.enabled()) {
            return;
        }
        for p in 0..self.records.len() as u32 {
            self.metrics.cloud_j += self.spec.profile.server_verify_cycles * self.server_j_per_cycle;
            self.verify_record(p, records, now, Reader::Audit);
        }
    }
}
