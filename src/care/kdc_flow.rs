//! The care workflow's steps at the finite KDC (`[care.kdc]`, docs/model.md section 18): a child of
//! [`super`] so that it reaches the workflow's state; the queue itself is [`crate::care::kdc`].

use super::{CareEvent, CareState, Step};
use crate::care::kdc::KdcOut;
use crate::kernel::{Scheduler, SimTime};

impl CareState {
    /// Schedules what the KDC asked for.
    fn kdc_schedule<E: From<CareEvent>>(&mut self, out: Vec<KdcOut>, sched: &mut Scheduler<E>) {
        for o in out {
            let (appointment, after, step) = match o {
                KdcOut::Serve(a, t) => (a, t, Step::KdcServed),
                KdcOut::Wake(a, t) => (a, t, Step::KdcWake),
            };
            sched.schedule_in(after, CareEvent::AppointmentStep { appointment, step });
        }
    }

    /// The doctor sends the key request: the step latency plus its transmission.
    pub(super) fn kdc_assigned<E: From<CareEvent>>(&mut self, appointment: u32, sched: &mut Scheduler<E>) {
        let Some(tx) = self.kdc.as_ref().map(|k| k.request_tx()) else { return };
        let a = &mut self.appointments[appointment as usize];
        a.key_requested = sched.now();
        let patient = a.patient;
        let delay = self.latency(patient, self.spec.steps.key_request).saturating_add(tx);
        sched.schedule_in(delay, CareEvent::AppointmentStep { appointment, step: Step::AtKdc });
    }

    /// The key request reaches the KDC: it queues, or is refused (the refusal is a denial).
    pub(super) fn kdc_arrive<E: From<CareEvent>>(&mut self, appointment: u32, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let mut out = Vec::new();
        let accepted = self.kdc.as_mut().is_some_and(|k| k.arrive(appointment, now, &mut out));
        self.kdc_schedule(out, sched);
        if !accepted {
            let check = self.spec.steps.kdc_check;
            self.care_step(appointment, Step::Denied, check, sched);
        }
    }

    /// The KDC served the request: the reply leaves (its transmission, then the decision's step), and the server
    /// takes the next request.
    pub(super) fn kdc_served<E: From<CareEvent>>(&mut self, appointment: u32, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let mut out = Vec::new();
        let Some(k) = self.kdc.as_mut() else { return };
        k.served(now, &mut out);
        let reply = k.reply_tx();
        self.kdc_schedule(out, sched);
        sched.schedule_in(reply, CareEvent::AppointmentStep { appointment, step: Step::KdcReplied });
    }

    /// The KDC is repaired.
    pub(super) fn kdc_wake<E: From<CareEvent>>(&mut self, sched: &mut Scheduler<E>) {
        let now: SimTime = sched.now();
        let mut out = Vec::new();
        if let Some(k) = self.kdc.as_mut() {
            k.wake(now, &mut out);
        }
        self.kdc_schedule(out, sched);
    }

    /// The finite KDC, if on.
    pub fn kdc(&self) -> Option<&crate::care::kdc::KdcState> {
        self.kdc.as_ref()
    }

    /// The `care.kdc` section at the end of the run.
    pub fn kdc_summary(&self) -> Option<crate::care::kdc::KdcSummary> {
        self.kdc.clone().map(|mut k| k.summary(self.end))
    }
}
