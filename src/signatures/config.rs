//! Validated signature configuration (see [`super::raw`] for the meaning of each key).

use crate::kernel::SimTime;

/// One signature scheme's costs and sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureProfile {
    /// Profile name.
    pub name: String,
    /// Cortex-M4 cycles to sign.
    pub sign_cycles: f64,
    /// Cortex-M4 cycles to verify.
    pub verify_cycles: f64,
    /// Server (x86-64) cycles to sign.
    pub server_sign_cycles: f64,
    /// Server (x86-64) cycles to verify.
    pub server_verify_cycles: f64,
    /// Signature bytes on the wire.
    pub signature_bytes: u32,
    /// Public key bytes.
    pub public_key_bytes: u32,
}

/// Signatures for non-repudiation.
#[derive(Debug, Clone, PartialEq)]
pub struct SignaturesSpec {
    /// On or off.
    pub enabled: bool,
    /// The scheme in use.
    pub profile: SignatureProfile,
    /// Whether a real implementation exists for the scheme (`ecdsa-p256`, `ed25519`).
    pub real: bool,
    /// Doctors sign prescriptions.
    pub prescriptions: bool,
    /// Doctors sign record updates (records signed at creation).
    pub record_updates: bool,
    /// Patients sign uploads.
    pub uploads: bool,
    /// Audits verify every record's signature.
    pub verify_at_audits: bool,
    /// Doctor's device clock, Hz.
    pub doctor_clock_hz: f64,
    /// Doctor's device energy, J per cycle.
    pub doctor_j_per_cycle: f64,
    /// Prescription bytes.
    pub prescription_bytes: u32,
}

impl SignaturesSpec {
    /// Whether doctors sign prescriptions (signatures on).
    pub fn signs_prescriptions(&self) -> bool {
        self.enabled && self.prescriptions
    }

    /// Whether record updates are signed (signatures on).
    pub fn signs_records(&self) -> bool {
        self.enabled && self.record_updates
    }

    /// Whether patients sign uploads (signatures on).
    pub fn signs_uploads(&self) -> bool {
        self.enabled && self.uploads
    }

    /// The time `cycles` take at `hz`, rounded to the nanosecond.
    pub fn duration(cycles: f64, hz: f64) -> SimTime {
        SimTime::from_nanos((cycles / hz * 1e9).round().min(u64::MAX as f64 / 2.0) as u64)
    }

    /// Time of one signature on a doctor's device.
    pub fn doctor_sign_time(&self) -> SimTime {
        Self::duration(self.profile.server_sign_cycles, self.doctor_clock_hz)
    }

    /// Time of one verification on a doctor's device.
    pub fn doctor_verify_time(&self) -> SimTime {
        Self::duration(self.profile.server_verify_cycles, self.doctor_clock_hz)
    }
}

/// What signatures add to the care workflow's steps: fixed times added after each step's drawn latency (all zero
/// when signatures are off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CareSigning {
    /// Record fetch: the doctor verifies the record's signature.
    pub record_read: SimTime,
    /// Consultation: the doctor signs the prescription and the record update before sending.
    pub prescription_sent: SimTime,
    /// Acknowledgement: the patient's gateway verifies the prescription.
    pub acknowledged: SimTime,
}

impl CareSigning {
    /// The added times under `cfg` (records are verified and updates signed only with the record store on).
    pub fn new(cfg: &crate::scenario::ModelConfig) -> Self {
        let (spec, gateway_hz) = (&cfg.signatures, cfg.energy.processor.gateway_hz);
        let mut s = CareSigning::default();
        if spec.signs_records() && cfg.records.enabled {
            s.record_read = spec.doctor_verify_time();
            s.prescription_sent = spec.doctor_sign_time();
        }
        if spec.signs_prescriptions() {
            s.prescription_sent += spec.doctor_sign_time();
            s.acknowledged = SignaturesSpec::duration(spec.profile.verify_cycles, gateway_hz);
        }
        s
    }
}

impl CareSigning {
    /// The time added to the step that ends in `step` (zero for the steps signatures do not touch).
    pub fn added(&self, step: crate::care::Step) -> SimTime {
        use crate::care::Step;
        match step {
            Step::RecordRead => self.record_read,
            Step::PrescriptionSent => self.prescription_sent,
            Step::Acknowledged => self.acknowledged,
            _ => SimTime::ZERO,
        }
    }
}
