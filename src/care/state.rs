//! People and their workflow: appointments from request to acknowledgement.
//!
//! ```text
//!  patient ─request─▶ cloudlet ─assign─▶ doctor ─key request─▶ KDC ─check (or ask the owner)─▶ key | denial
//!     ▲                 (FIFO queue when                                                          │
//!     │                  every doctor is busy)                                                    ▼
//!     └──acknowledge◀── patient ◀──prescription── doctor (consults) ◀──record fetch + decrypt── doctor
//! ```
//!
//! Each patient requests appointments as a Poisson process at its cloudlet. The cloudlet assigns a free doctor (first
//! come, first served); a doctor handles one appointment from assignment to prescription. The doctor asks the key
//! distribution centre (KDC) for the key of the patient's record; the KDC denies a doctor it cannot verify, and
//! otherwise hands over the key, or first asks the owner patient, who may deny. A denial ends the appointment and
//! alerts the owner. With the key the doctor fetches and decrypts the record (really, when the record store is on,
//! which also finds any tampering), consults, and sends a prescription that the patient acknowledges. Every arrow is
//! an event with its own latency, fixed or exponential. See docs/model.md, "Trust, records and care".

use std::collections::VecDeque;

use rand::Rng;
use slab::Slab;

use crate::care::{AccessRule, CareSpec, StepLatency};
use crate::kernel::{EntityRng, Scheduler, SimTime, StreamFactory};
use crate::scenario::ModelConfig;
use crate::stats::LatencyStats;

use crate::care::kdc::KdcState;
use crate::chain::{topology::Topology, PatientId};
use crate::records::RecordsState;
use crate::streams;

#[path = "kdc_flow.rs"]
mod kdc_flow;

/// A step of an appointment, named by what has just happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The request reached the cloudlet.
    AtCloudlet,
    /// A doctor has the appointment and sends the key request.
    Assigned,
    /// The key request reached the KDC.
    AtKdc,
    /// The owner patient decided.
    OwnerDecided,
    /// The doctor received the key.
    KeyReceived,
    /// The doctor received a denial.
    Denied,
    /// The doctor has the decrypted record.
    RecordRead,
    /// The doctor sent the prescription (and is free again).
    PrescriptionSent,
    /// The prescription reached the patient.
    Delivered,
    /// The patient acknowledged.
    Acknowledged,
    /// The finite KDC (`[care.kdc]`) finished serving the key request.
    KdcServed,
    /// The finite KDC is repaired (the event carries the first waiting appointment).
    KdcWake,
    /// The finite KDC's reply is on its way: the decision's step follows.
    KdcReplied,
}

/// Counters of the care workflow; appointments requested before the warm-up are not counted.
#[derive(Debug, Clone, Default)]
pub struct CareMetrics {
    /// Appointments requested.
    pub requested: u64,
    /// Appointments acknowledged.
    pub completed: u64,
    /// Key requests denied (by the KDC or the owner).
    pub denied: u64,
    /// Denials by the KDC (doctor not verified).
    pub denied_by_kdc: u64,
    /// Denials by the owner.
    pub denied_by_owner: u64,
    /// Key requests the owner approved.
    pub owner_approvals: u64,
    /// Prescriptions sent.
    pub prescriptions: u64,
    /// Records read by doctors in which tampering was found.
    pub tampering_found: u64,
    /// Request → acknowledgement.
    pub turnaround: LatencyStats,
    /// Key request sent → key received.
    pub key_latency: LatencyStats,
    /// Request at the cloudlet → doctor assigned (0 when a doctor was free).
    pub doctor_wait: LatencyStats,
}

#[derive(Debug, Clone)]
struct Appointment {
    patient: PatientId,
    doctor: u32,
    requested: SimTime,
    waiting_since: SimTime,
    key_requested: SimTime,
    counted: bool,
    /// The owner (not the KDC) denied the key; the denial is counted when it reaches the doctor.
    owner_denied: bool,
}

/// Bytes of one appointment in progress (for [`crate::estimate`]).
pub(crate) const APPOINTMENT_BYTES: usize = std::mem::size_of::<Appointment>();

/// The care workflow's state.
pub struct CareState {
    spec: CareSpec,
    patient_rngs: Vec<EntityRng>,
    doctor_rngs: Vec<EntityRng>,
    cloudlet_of: Vec<u32>,
    free: Vec<Vec<u32>>,
    queue: Vec<VecDeque<u32>>,
    appointments: Slab<Appointment>,
    warmup: SimTime,
    end: SimTime,
    /// What signatures add to the steps (zero when off).
    signing: crate::signatures::CareSigning,
    kdc: Option<KdcState>,
    /// Counters.
    pub metrics: CareMetrics,
}

impl CareState {
    /// The workflow of `cfg` on `topo`; empty when it is off.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let spec = cfg.care.clone();
        let mut s = CareState {
            patient_rngs: Vec::new(),
            doctor_rngs: Vec::new(),
            cloudlet_of: Vec::new(),
            free: Vec::new(),
            queue: Vec::new(),
            appointments: Slab::new(),
            warmup: cfg.warmup,
            end: cfg.duration,
            signing: crate::signatures::CareSigning::new(cfg),
            kdc: None,
            metrics: CareMetrics::default(),
            spec,
        };
        if !s.spec.enabled {
            return s;
        }
        let per = s.spec.doctors_per_cloudlet;
        s.patient_rngs = (0..topo.patients).map(|p| streams.stream(streams::CARE_PATIENT, p as u64)).collect();
        s.doctor_rngs = (0..topo.cloudlets * per).map(|d| streams.stream(streams::CARE_DOCTOR, d as u64)).collect();
        s.cloudlet_of = topo.cloudlet_of_patient.clone();
        // Free doctors as a stack: the lowest-numbered free doctor is taken first.
        s.free = (0..topo.cloudlets).map(|c| (c * per..(c + 1) * per).rev().collect()).collect();
        s.queue = vec![VecDeque::new(); topo.cloudlets as usize];
        let kem_bytes = cfg.crypto.scheme.ciphertext_bytes as u64;
        s.kdc = s
            .spec
            .kdc
            .clone()
            .map(|k| KdcState::new(k, kem_bytes, streams.stream(streams::KDC, 0), streams.stream(streams::KDC, 1)));
        s
    }

    /// Whether appointments are on.
    pub fn enabled(&self) -> bool {
        self.spec.enabled
    }

    /// The configuration.
    pub fn spec(&self) -> &CareSpec {
        &self.spec
    }

    /// Doctors in all.
    pub fn doctors(&self) -> u64 {
        self.doctor_rngs.len() as u64
    }

    /// Appointments not yet finished (acknowledged or denied).
    pub fn in_progress(&self) -> usize {
        self.appointments.len()
    }

    /// Patient and doctor of appointment `id` (the doctor is `u32::MAX` until one is assigned), if in progress.
    pub fn appointment(&self, id: u32) -> Option<(PatientId, u32)> {
        self.appointments.get(id as usize).map(|a| (a.patient, a.doctor))
    }

    /// The latency of one step of patient `patient`'s appointment, whose configured value is `mean`.
    fn latency(&mut self, patient: PatientId, mean: SimTime) -> SimTime {
        match self.spec.latency {
            StepLatency::Fixed => mean,
            StepLatency::Exponential => {
                let u: f64 = self.patient_rngs[patient.index()].random::<f64>();
                SimTime::try_from_secs_f64(-(1.0 - u).ln() * mean.as_secs_f64()).unwrap_or(SimTime::MAX)
            }
        }
    }
}

/// The care workflow's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareEvent {
    /// Patient `patient` requests an appointment.
    AppointmentRequest {
        /// Patient index.
        patient: PatientId,
    },
    /// `step` of appointment `appointment` has just happened.
    AppointmentStep {
        /// Appointment id.
        appointment: u32,
        /// The step.
        step: Step,
    },
}

impl CareState {
    /// Schedules every patient's first appointment request.
    pub(crate) fn schedule_first_events(&mut self, sched: &mut impl FnMut(SimTime, CareEvent)) {
        if !self.enabled() {
            return;
        }
        let rate = self.spec.appointment_rate_per_s;
        for p in 0..self.patient_rngs.len() {
            let t = crate::trust::state::exp_gap(&mut self.patient_rngs[p], rate);
            if t < self.end {
                sched(t, CareEvent::AppointmentRequest { patient: PatientId(p as u32) });
            }
        }
    }

    /// Schedules `step` of `appointment` after the step latency `mean` (drawn from its patient's stream).
    fn care_step<E: From<CareEvent>>(&mut self, appointment: u32, step: Step, mean: SimTime, sched: &mut Scheduler<E>) {
        let patient = self.appointments[appointment as usize].patient;
        let delay = self.latency(patient, mean).saturating_add(self.signing.added(step));
        sched.schedule_in(delay, CareEvent::AppointmentStep { appointment, step });
    }

    /// Patient `patient` requests an appointment.
    pub(crate) fn on_appointment_request<E: From<CareEvent>>(&mut self, patient: PatientId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let steps = self.spec.steps;
        let rate = self.spec.appointment_rate_per_s;
        let next = now.saturating_add(crate::trust::state::exp_gap(&mut self.patient_rngs[patient.index()], rate));
        if next < self.end {
            sched.schedule_at(next, CareEvent::AppointmentRequest { patient });
        }
        let counted = now >= self.warmup;
        if counted {
            self.metrics.requested += 1;
        }
        let a = Appointment {
            patient,
            doctor: u32::MAX,
            requested: now,
            waiting_since: now,
            key_requested: now,
            counted,
            owner_denied: false,
        };
        let id = self.appointments.insert(a) as u32;
        self.care_step(id, Step::AtCloudlet, steps.request, sched);
    }

    /// `step` of appointment `appointment` has just happened.
    pub(crate) fn on_appointment_step<E: From<CareEvent>>(
        &mut self,
        records: &mut RecordsState,
        appointment: u32,
        step: Step,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        let steps = self.spec.steps;
        let a = self.appointments[appointment as usize].clone();
        let m = &mut self.metrics;
        match step {
            Step::AtCloudlet => {
                let cloudlet = self.cloudlet_of[a.patient.index()] as usize;
                self.appointments[appointment as usize].waiting_since = now;
                match self.free[cloudlet].pop() {
                    Some(doctor) => self.assign(appointment, doctor, sched),
                    None => self.queue[cloudlet].push_back(appointment),
                }
            }
            Step::Assigned if self.kdc.is_some() => self.kdc_assigned(appointment, sched),
            Step::AtKdc if self.kdc.is_some() => self.kdc_arrive(appointment, sched),
            Step::KdcServed => self.kdc_served(appointment, sched),
            Step::KdcWake => self.kdc_wake(sched),
            Step::Assigned => {
                self.appointments[appointment as usize].key_requested = now;
                self.care_step(appointment, Step::AtKdc, steps.key_request, sched);
            }
            Step::AtKdc | Step::KdcReplied => {
                let unverified = self.doctor_rngs[a.doctor as usize].random::<f64>();
                if unverified < self.spec.unverified_doctor_prob {
                    self.care_step(appointment, Step::Denied, steps.kdc_check, sched);
                } else if self.spec.access == AccessRule::Owner {
                    self.care_step(appointment, Step::OwnerDecided, steps.owner_approval, sched);
                } else {
                    self.care_step(appointment, Step::KeyReceived, steps.kdc_check, sched);
                }
            }
            Step::OwnerDecided => {
                let deny = self.patient_rngs[a.patient.index()].random::<f64>() < self.spec.owner_deny_prob;
                if a.counted && !deny {
                    m.owner_approvals += 1;
                }
                self.appointments[appointment as usize].owner_denied = deny;
                let next = if deny { Step::Denied } else { Step::KeyReceived };
                self.care_step(appointment, next, steps.kdc_check, sched);
            }
            Step::Denied => {
                // Counted with its cause when the denial reaches the doctor, so that a denial still on its way at the
                // end is in none of `denied`, `denied_by_kdc` and `denied_by_owner` (they always add up).
                if a.counted {
                    m.denied += 1;
                    if a.owner_denied {
                        m.denied_by_owner += 1;
                    } else {
                        m.denied_by_kdc += 1;
                    }
                }
                self.appointments.remove(appointment as usize);
                self.free_doctor(a.doctor, sched);
            }
            Step::KeyReceived => {
                if a.counted {
                    m.key_latency.record(now - a.key_requested);
                }
                self.care_step(appointment, Step::RecordRead, steps.record_fetch, sched);
            }
            Step::RecordRead => {
                if records.enabled() && records.doctor_read(a.patient.get(), now) && a.counted {
                    self.metrics.tampering_found += 1;
                }
                self.care_step(appointment, Step::PrescriptionSent, steps.consult, sched);
            }
            Step::PrescriptionSent => {
                if a.counted {
                    m.prescriptions += 1;
                }
                self.care_step(appointment, Step::Delivered, steps.prescription, sched);
                self.free_doctor(a.doctor, sched);
            }
            Step::Delivered => self.care_step(appointment, Step::Acknowledged, steps.ack, sched),
            Step::Acknowledged => {
                if a.counted {
                    m.completed += 1;
                    m.turnaround.record(now - a.requested);
                }
                self.appointments.remove(appointment as usize);
            }
        }
    }

    /// Doctor `doctor` takes `appointment`.
    fn assign<E: From<CareEvent>>(&mut self, appointment: u32, doctor: u32, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let a = &mut self.appointments[appointment as usize];
        a.doctor = doctor;
        if a.counted {
            self.metrics.doctor_wait.record(now - a.waiting_since);
        }
        let assign = self.spec.steps.assign;
        self.care_step(appointment, Step::Assigned, assign, sched);
    }

    /// Doctor `doctor` is free: it takes the oldest waiting appointment of its cloudlet, if any.
    fn free_doctor<E: From<CareEvent>>(&mut self, doctor: u32, sched: &mut Scheduler<E>) {
        let cloudlet = (doctor / self.spec.doctors_per_cloudlet) as usize;
        match self.queue[cloudlet].pop_front() {
            Some(next) => self.assign(next, doctor, sched),
            None => self.free[cloudlet].push(doctor),
        }
    }
}
