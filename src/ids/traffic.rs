//! Attack and benign traffic as the IDS sees it: Poisson campaigns of each attack kind, their attacks (one item per
//! source), flood packets sent into the delivery chain and forwarded along core routes, and doctor accesses.

use rand::Rng;

use crate::chain::packet::Packet;
use crate::chain::{ChainCtx, ChainEvent, CloudletIx, CoreIx, PacketId, PatientId};
use crate::ids::kinds::Group;
use crate::ids::state::{Campaign, Flood, IdsEvent, IdsState, ATTACKER_TAG, DOCTOR_TAG};
use crate::ids::{AttackKind, Payload};
use crate::kernel::Scheduler;

impl IdsState {
    /// A new campaign of attack kind `kind` starts.
    pub fn on_campaign_start<E>(&mut self, kind: AttackKind, chain: &mut ChainCtx<'_>, sched: &mut Scheduler<E>)
    where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let now = sched.now();
        let spec = &self.attacks[kind];
        let (rate, size, sources) = (spec.rate_per_s, spec.campaign_size, spec.sources_per_attack());
        let next = now.saturating_add(IdsState::exp(&mut self.attack_rngs[kind], rate));
        if next < self.end {
            sched.schedule_at(next, IdsEvent::CampaignStart { kind });
        }
        let source = ATTACKER_TAG + self.next_source;
        self.next_source += u64::from(sources);
        let id = self.next_campaign;
        self.next_campaign = id.wrapping_add(1);
        let campaign = self.campaigns.insert(Campaign { id, kind, source, remaining: size, follow_up: false }) as u32;
        self.attack(campaign, chain, sched);
    }

    /// A doctor accesses a record (benign traffic the IDS inspects).
    pub fn on_doctor_access<E>(&mut self, chain: &mut ChainCtx<'_>, sched: &mut Scheduler<E>)
    where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let now = sched.now();
        let rate = self.benign.doctor_access_per_s;
        let next = now.saturating_add(IdsState::exp(&mut self.benign_rng, rate));
        if next < self.end {
            sched.schedule_at(next, IdsEvent::DoctorAccess);
        }
        let entry = CloudletIx(self.benign_rng.random_range(0..self.cloudlets));
        let source = DOCTOR_TAG + self.next_source;
        self.next_source += 1;
        if self.active() {
            self.inspect(None, source, u32::MAX, entry, CoreIx(self.cloudlets), None, chain, sched);
        }
    }

    /// One attack of a campaign (one item per source: several for a kind with many sources).
    pub fn attack<E>(&mut self, campaign: u32, chain: &mut ChainCtx<'_>, sched: &mut Scheduler<E>)
    where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let now = sched.now();
        let c = &mut self.campaigns[campaign as usize];
        let (kind, source, campaign_id, follow_up) = (c.kind, c.source, c.id, c.follow_up);
        c.remaining -= 1;
        if c.remaining > 0 {
            let gap = self.attacks[kind].campaign_gap;
            let next = now.saturating_add(IdsState::exp(self.campaign_rng(kind, follow_up), 1.0 / gap.as_secs_f64()));
            if next < self.end {
                sched.schedule_at(next, IdsEvent::CampaignAttack { campaign });
            } else {
                self.campaigns.remove(campaign as usize);
            }
        } else {
            self.campaigns.remove(campaign as usize);
        }
        let sources = self.attacks[kind].sources_per_attack();
        let distinct =
            (kind.many_sources() && self.attacks[kind].distinct_entries).then(|| self.distinct_entries(kind, sources));
        let (counted, patients) = (now >= self.warmup, self.patients.max(1));
        let mut group = Group::default();
        for j in 0..sources {
            let source = source + u64::from(j);
            let entry = match &distinct {
                Some(entries) => entries[j as usize],
                None => self.draw_entry(kind, follow_up),
            };
            let target = self.draw_target(kind, follow_up, entry);
            if self.blocked(source, now) {
                if counted {
                    self.metrics.blocked_attacks += 1;
                }
                continue;
            }
            let patient =
                kind.targets_record().then(|| PatientId(self.campaign_rng(kind, follow_up).random_range(0..patients)));
            let recon = self.recon_evasion(Some(kind), source, now) > 0.0;
            let item = self.inspect(Some(kind), source, campaign_id, entry, target, patient, chain, sched);
            let alarm = self.items[item as usize].alarm_at.is_some();
            self.count_item(counted, follow_up, recon, alarm, &mut group);
            match kind.payload() {
                Payload::Flood if CoreIx::from(entry) != target => {
                    let spec = &self.attacks[kind];
                    let flood = Flood {
                        source,
                        entry,
                        target,
                        remaining: spec.flood_packets,
                        bytes: spec.flood_packet_bytes,
                        interval: spec.flood_interval,
                    };
                    let id = self.floods.insert(flood) as u32;
                    self.flood_packet(id, chain, sched);
                }
                Payload::Flood | Payload::Scan => {}
                Payload::RecordRead | Payload::RecordModification => {
                    // A record read or modification reaches its target after the route's latency.
                    let delay = self.core.latency(entry.into(), target);
                    self.items[item as usize].pending += 1;
                    sched.schedule_in(delay, IdsEvent::Impact { item });
                }
            }
        }
        if kind.many_sources() {
            self.count_group(counted, group);
        }
    }

    /// The next packet of flood `flood` enters the mesh at its entry cloudlet, unless its source is blocked.
    pub fn flood_packet<E>(&mut self, flood: u32, chain: &mut ChainCtx<'_>, sched: &mut Scheduler<E>)
    where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let now = sched.now();
        let f = &mut self.floods[flood as usize];
        f.remaining -= 1;
        let (source, entry, target, bytes, interval, remaining) =
            (f.source, f.entry, f.target, f.bytes, f.interval, f.remaining);
        if remaining > 0 {
            sched.schedule_in(interval, IdsEvent::FloodPacket { flood });
        } else {
            self.floods.remove(flood as usize);
        }
        let counted = now >= self.warmup;
        if self.blocked(source, now) {
            if counted {
                self.metrics.blocked_flood_packets += 1;
            }
            return;
        }
        if counted {
            self.metrics.flood_packets_sent += 1;
        }
        let link = self.core.next_link(entry.into(), target);
        let origin = chain.chain().cloudlet_node(entry);
        chain.send_new(Packet::flood(origin, target, bytes, now), link, sched);
    }

    /// An attack packet reached core node `here`: consumed at its target, forwarded otherwise.
    pub fn on_attack_packet<E: From<ChainEvent>>(
        &mut self,
        packet: PacketId,
        here: CoreIx,
        chain: &mut ChainCtx<'_>,
        sched: &mut Scheduler<E>,
    ) {
        let dst = chain.chain().packet(packet).dst_core;
        if here == dst {
            let p = chain.consume(packet);
            // Counted by when the packet was sent, as `flood_packets_sent` and the chain's drops are, so that
            // sent = delivered + dropped + in flight holds with a warm-up too.
            if p.created >= self.warmup {
                self.metrics.flood_packets_delivered += 1;
            }
        } else {
            let link = self.core.next_link(here, dst);
            chain.send(packet, link, sched);
        }
    }
}
