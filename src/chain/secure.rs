//! Where the chain applies the cloudlet → cloud channel ([`crate::crypto::channel`], `[channel]`): an entry
//! cloudlet seals each packet it sends toward the cloud as one record, after a handshake if its session needs one;
//! every arrival is checked for what an intruder on the link could read. Both hooks return at once when the
//! `[channel]` table asks for nothing, so the base model is unchanged.
//!
//! A handshake is a closed form over the packet's static route: each flight crosses every link of the path, one
//! after the other (store and forward: latency plus serialisation at the link's bandwidth, link headers per MTU
//! frame), its bytes and radio energy charged to the links' ends, without queueing behind data. The cloudlet's
//! public-key work runs on its cores (queued with the openings); the cloud's takes its cycles at the server clock.

use crate::chain::packet::FLAG_ENCRYPTED;
use crate::chain::state::ChainCtx;
use crate::chain::{LinkClass, LinkId, NodeId, PacketId};
use crate::crypto::channel::HandshakeKind;
use crate::crypto::processor::Cpu;
use crate::energy::ledger::Account;
use crate::kernel::SimTime;

impl ChainCtx<'_> {
    /// Seals `packet`, leaving entry cloudlet `node` toward the cloud and ready at `ready` (handed over at `now`),
    /// as one record: a handshake first if the session needs one, a wait for one under way, then the AEAD on the
    /// cloudlet's cores. Returns when the record is ready for its link (`ready` when the channel is off).
    pub(super) fn seal_record(&mut self, node: NodeId, packet: PacketId, ready: SimTime, now: SimTime) -> SimTime {
        let Some(channel) = self.crypto.channel.as_ref() else { return ready };
        if !channel.spec.protects() {
            return ready;
        }
        let cloudlet = node.since(self.chain.first_cloudlet) as usize;
        if let Some(kind) = channel.needs(cloudlet, ready) {
            let done = self.handshake(node, kind, ready, now);
            self.crypto.channel.as_mut().expect("channel on").start(cloudlet, kind, ready, done);
        }
        let channel = self.crypto.channel.as_mut().expect("channel on");
        let t = channel.wait_for_session(cloudlet, ready);
        let p = self.chain.packets.get(packet);
        let (plaintext, samples) = (p.payload_bytes, p.samples());
        let cycles = channel.aead_cycles(u64::from(plaintext));
        let overhead = channel.spec.record_overhead_bytes();
        channel.metrics.records += 1;
        channel.metrics.record_samples += samples;
        channel.metrics.cloudlet_aead_cycles += cycles;
        let done = self.channel_job(node, cycles, t, now);
        self.chain.packets.get_mut(packet).payload_bytes = plaintext.saturating_add(overhead);
        done
    }

    /// Counts what `packet` (not attack traffic), arriving over its link, showed an intruder on that link, the wire
    /// bytes its record framing added there, and its opening at the cloud (a WAN arrival).
    pub(super) fn channel_on_arrive(&mut self, packet: PacketId) {
        let Some(channel) = self.crypto.channel.as_mut() else { return };
        let p = self.chain.packets.get(packet);
        if p.is_attack() {
            return;
        }
        let class = self.chain.links.ends(p.link).class;
        let protected = match class {
            LinkClass::Ban | LinkClass::Access => p.flags & FLAG_ENCRYPTED != 0,
            LinkClass::Mesh | LinkClass::Wan => channel.spec.protects(),
        };
        if !protected {
            let r = &mut channel.metrics.readable[class];
            r.0 += p.samples();
            r.1 += u64::from(p.payload_bytes);
            return;
        }
        if matches!(class, LinkClass::Mesh | LinkClass::Wan) {
            let params = &self.chain.params[class];
            let plaintext = p.payload_bytes.saturating_sub(channel.spec.record_overhead_bytes());
            channel.metrics.record_bytes[class] += params.wire_bytes(p.payload_bytes) - params.wire_bytes(plaintext);
            if class == LinkClass::Wan {
                let cycles = channel.aead_cycles(u64::from(plaintext));
                channel.metrics.cloud_aead_cycles += cycles;
            }
        }
    }

    /// Runs a handshake of `kind` from entry cloudlet `node` to the cloud, starting at `t0` (handed over at `now`);
    /// returns when the cloudlet may send its first record.
    fn handshake(&mut self, node: NodeId, kind: HandshakeKind, t0: SimTime, now: SimTime) -> SimTime {
        let spec = &self.crypto.channel.as_ref().expect("channel on").spec;
        let (flights, cycles, rtts) = (spec.flights(kind), spec.handshake_cycles(kind), spec.transport_rtts());
        let path = self.path_to_cloud(node);
        let mut t = t0;
        for _ in 0..rtts {
            // TCP: SYN and SYN-ACK (no payload; the final ACK rides with the ClientHello).
            t = self.flight(&path, 0, true, t, now);
            t = self.flight(&path, 0, false, t, now);
        }
        t = self.channel_job(node, cycles.client_hello, t, now);
        self.count_handshake_cycles(cycles.client_hello, 0.0);
        t = self.flight(&path, flights.client_hello, true, t, now);
        t = t.saturating_add(self.crypto.processors.duration(Cpu::Cloudlet, cycles.server_reply));
        t = self.flight(&path, flights.server, false, t, now);
        t = self.channel_job(node, cycles.client_finish, t, now);
        self.count_handshake_cycles(cycles.client_finish, cycles.server_reply + cycles.server_after);
        // The client's last flight leaves with the first record and the ticket follows the handshake: their bytes
        // and energy count, not their time.
        self.flight(&path, flights.client_finish, true, t, now);
        self.flight(&path, flights.ticket, false, t, now);
        t
    }

    fn count_handshake_cycles(&mut self, cloudlet: f64, cloud: f64) {
        let m = &mut self.crypto.channel.as_mut().expect("channel on").metrics;
        m.cloudlet_handshake_cycles += cloudlet;
        m.cloud_handshake_cycles += cloud;
    }

    /// The links from `node` to the cloud along the static routes.
    fn path_to_cloud(&self, node: NodeId) -> Vec<LinkId> {
        let c = &*self.chain;
        let mut path = Vec::new();
        let mut at = node;
        while at != c.cloud && path.len() <= c.counters.len() {
            let link = c.uplinks.of(at);
            path.push(link);
            at = c.links.ends(link).dst;
        }
        path
    }

    /// One flight of `bytes` over `path` (toward the cloud if `up`), leaving at `t`: charges its bytes and radio
    /// energy on every link; returns when it has crossed the last one.
    fn flight(&mut self, path: &[LinkId], bytes: u64, up: bool, mut t: SimTime, now: SimTime) -> SimTime {
        let bytes = bytes.min(u64::from(u32::MAX)) as u32;
        for &link in path {
            let c = &mut *self.chain;
            let ends = c.links.ends(link);
            let params = &c.params[ends.class];
            let wire = params.wire_bytes(bytes);
            t = t.saturating_add(params.tx_time(bytes)).saturating_add(params.spec.latency);
            let (from, to) = if up { (ends.src, ends.dst) } else { (ends.dst, ends.src) };
            let (tx_j, rx_j) = ((wire * 8) as f64 * ends.tx_j_per_bit, (wire * 8) as f64 * c.rx_j_per_bit[ends.class]);
            c.counters.add_bytes_sent(from, wire);
            c.radio.packets_j[ends.class] += tx_j + rx_j;
            self.energy.charge(from, Account::RadioTx, tx_j, now);
            self.energy.charge(to, Account::RadioRx, rx_j, now);
            self.crypto.channel.as_mut().expect("channel on").metrics.handshake_bytes[ends.class] += wire;
        }
        t
    }

    /// A job of `cycles` for the channel on cloudlet node `node`'s cores, handed over at `t` (the event at `now`):
    /// charged to its battery account and counted as the channel's; returns when it is done.
    fn channel_job(&mut self, node: NodeId, cycles: f64, t: SimTime, now: SimTime) -> SimTime {
        if cycles <= 0.0 {
            return t;
        }
        self.energy.charge_cycles(node, cycles, now);
        let cloudlet = node.since(self.chain.first_cloudlet) as usize;
        let (done, d) = self.crypto.processors.run_uncounted(cloudlet, cycles, t);
        self.crypto.channel.as_mut().expect("channel on").metrics.cloudlet_busy_ns += d.as_nanos();
        done
    }
}
