//! Inspection and its consequences: every item (an attack, an upload entering the mesh, a doctor access) is
//! inspected by the IDS nodes in scope, their verdicts fused; a fused alarm blocks the source, alerts, and shares the
//! campaign's signature; an undetected record read or modification that reaches its target is damage to the record
//! store.

use rand::Rng;
use rand_distr::StandardNormal;

use crate::chain::metrics::DropCause;
use crate::chain::{ChainCtx, ChainEvent, CloudletIx, CoreIx, PacketId, PatientId};
use crate::ids::state::{IdsEvent, IdsState, Item};
use crate::ids::{AttackKind, Detector};
use crate::kernel::{Scheduler, SimTime};
use crate::records::RecordsState;

impl IdsState {
    /// Inspects one item entering at cloudlet `entry` toward core node `target` and schedules the verdict; returns
    /// the item id. With no IDS node in scope (or none with capacity) the item passes uninspected: it is counted,
    /// and can never raise an alarm. `chain` gives the routes' hops (route scope) and, in `packets` collaboration
    /// mode, carries the summaries and verdicts ([`super::exchange`]).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn inspect<E: From<IdsEvent> + From<ChainEvent>>(
        &mut self,
        kind: Option<AttackKind>,
        source: u64,
        campaign: u32,
        entry: CloudletIx,
        target: CoreIx,
        patient: Option<PatientId>,
        chain: &mut ChainCtx<'_>,
        sched: &mut Scheduler<E>,
    ) -> u32 {
        let now = sched.now();
        let counted = now >= self.warmup;
        let (slots, gather) = self.participants(entry, target, chain.chain());
        let packets = self.spec.collaboration.packets();
        let mut verdicts = Vec::new();
        let z: f64 = if matches!(self.spec.detector, Detector::Score { .. } | Detector::Roc(_)) {
            self.latent.sample(StandardNormal)
        } else {
            0.0
        };
        let (mut inspected, mut alarms) = (0u32, 0u32);
        let share = kind.is_some() && self.spec.signature_sharing;
        let mut alarmed = Vec::new();
        let evasion = self.recon_evasion(kind, source, now);
        for &slot in &slots {
            if !self.take_token(slot, now) {
                if counted {
                    self.metrics.overflow_inspections += 1;
                }
                continue;
            }
            inspected += 1;
            let seen = self.seen_as(slot, kind, campaign);
            let alarm = self.node_alarm(slot, seen, campaign, z) && !self.suppressed(slot, evasion);
            if packets {
                verdicts.push((slot, alarm));
            }
            if alarm {
                alarms += 1;
                if share {
                    alarmed.push(slot);
                }
            }
        }
        let m = &mut self.metrics;
        if counted {
            match kind {
                Some(k) => {
                    m.attacks += 1;
                    m.attacks_by_kind[k] += 1;
                }
                None => m.benign += 1,
            }
            if inspected == 0 {
                m.uninspected += 1;
            }
        }
        let alarm = inspected > 0 && alarms >= self.spec.fusion.needed(inspected);
        let item = self.items.insert(Item {
            kind,
            source,
            campaign,
            entry,
            patient,
            entered: now,
            alarm_at: None,
            counted,
            pending: 1,
            alarmed: Vec::new(),
        }) as u32;
        if packets {
            self.start_exchange(item, entry, verdicts, chain, sched);
            return item;
        }
        let at = now + self.spec.processing + gather;
        if alarm {
            let it = &mut self.items[item as usize];
            it.alarm_at = Some(at);
            it.alarmed = alarmed;
        }
        sched.schedule_at(at, IdsEvent::Verdict { item });
        item
    }

    /// The fused verdict on item `item` is known: an alarm counts, alerts, blocks the source for `block_s`, and
    /// (with signature sharing) sends the campaign's signature to the other IDS nodes.
    pub fn on_verdict<E: From<IdsEvent>>(&mut self, item: u32, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let it = self.items[item as usize].clone();
        if let Some(at) = it.alarm_at {
            let m = &mut self.metrics;
            if it.counted {
                match it.kind {
                    Some(k) => {
                        m.detected += 1;
                        m.detected_by_kind[k] += 1;
                        m.detection_latency.record(at - it.entered);
                    }
                    None => m.false_alarms += 1,
                }
                m.alerts_cloudlet += 1;
                if it.patient.is_some() {
                    m.alerts_patient += 1;
                }
            }
            if self.spec.block > SimTime::ZERO {
                self.blocked_until.insert(it.source, now + self.spec.block);
            }
            if it.kind.is_some() && self.spec.signature_sharing {
                // The nodes that raised the alarm hold the signature from the verdict on; it reaches the others
                // from the entry cloudlet, where the verdict was assembled, after the mesh latency.
                for &slot in &it.alarmed {
                    self.signatures[slot as usize].insert(it.campaign);
                }
                for slot in 0..self.slots.len() as u16 {
                    if !self.signatures[slot as usize].contains(&it.campaign) {
                        let delay = self.core.latency(it.entry.into(), self.slots[slot as usize].into());
                        sched.schedule_in(delay, IdsEvent::Signature { slot, campaign: it.campaign });
                    }
                }
            }
        }
        self.after_verdict(&it, sched);
        self.release_item(item);
    }

    /// Item `item`, a record read or modification, reaches its target: prevented if its alarm came first, damage
    /// to the record store otherwise.
    pub fn on_impact(&mut self, item: u32, records: &mut RecordsState, now: SimTime) {
        let it = &self.items[item as usize];
        let prevented = it.alarm_at.is_some_and(|t| t <= now);
        let tampering = it.kind.is_some_and(|k| k.payload().modifies_record());
        let (counted, patient) = (it.counted, it.patient);
        if counted {
            let m = &mut self.metrics;
            if prevented {
                m.prevented += 1;
            } else if tampering {
                m.records_tampered += 1;
            } else {
                m.records_read += 1;
            }
            if !prevented {
                records.on_impact(patient, tampering, now);
            }
        }
        self.release_item(item);
    }

    fn release_item(&mut self, item: u32) {
        let it = &mut self.items[item as usize];
        it.pending -= 1;
        if it.pending == 0 {
            self.items.remove(item as usize);
        }
    }

    /// The signature of campaign `campaign` reaches IDS slot `slot`.
    pub fn on_signature(&mut self, slot: u16, campaign: u32) {
        if self.signatures[slot as usize].insert(campaign) {
            self.metrics.signatures_shared += 1;
        }
    }

    /// Inspects upload `packet` entering the mesh at cloudlet `cloudlet`; if its patient is blocked (after a false
    /// alarm) the upload is dropped instead, and `false` returned.
    pub fn admit_upload<E: From<IdsEvent> + From<ChainEvent>>(
        &mut self,
        cloudlet: CloudletIx,
        packet: PacketId,
        chain: &mut ChainCtx<'_>,
        sched: &mut Scheduler<E>,
    ) -> bool {
        let patient = chain.chain().patient_of(packet);
        let now = sched.now();
        if self.blocked(u64::from(patient.get()), now) {
            if now >= self.warmup {
                self.metrics.blocked_uploads += 1;
            }
            let node = chain.chain().cloudlet_node(cloudlet);
            chain.drop_packet(packet, node, DropCause::Blocked);
            return false;
        }
        let (source, cloud) = (u64::from(patient.get()), CoreIx(self.cloudlets));
        self.inspect(None, source, u32::MAX, cloudlet, cloud, Some(patient), chain, sched);
        true
    }
}
