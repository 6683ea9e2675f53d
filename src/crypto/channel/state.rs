//! The channel's state during a run: one session per entry cloudlet, and the counters of the `channel` section.
//!
//! A session starts at the first record a cloudlet sends (a full handshake) and is resumed by the first record
//! sent at least `resume_s` after the last handshake started (a PSK resumption); a record sent while a handshake
//! is under way waits for it. What a handshake and a record cost is in [`super::handshake`]; the chain applies it
//! (`src/chain/secure.rs`), on the cloudlet's cores and links.

use enum_map::EnumMap;
use serde::Serialize;

use super::handshake::HandshakeKind;
use super::raw::ChannelSpec;
use crate::chain::LinkClass;
use crate::kernel::SimTime;

/// One cloudlet's session with the cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    /// When its last handshake started.
    pub started: SimTime,
    /// When its last handshake completes: records wait until then.
    pub ready_at: SimTime,
}

/// Which handshake, if any, a record handed over at `t` needs first, given the session (if any) and the resumption
/// interval.
pub fn handshake_needed(session: Option<Session>, t: SimTime, resume: SimTime) -> Option<HandshakeKind> {
    match session {
        None => Some(HandshakeKind::Full),
        Some(s) if t >= s.ready_at && t >= s.started.saturating_add(resume) => Some(HandshakeKind::Resumed),
        Some(_) => None,
    }
}

/// Counters of the channel over a run.
#[derive(Debug, Clone, Default)]
pub struct ChannelMetrics {
    /// Full handshakes.
    pub full: u64,
    /// PSK resumptions.
    pub resumed: u64,
    /// Records sealed at entry cloudlets, and the samples they carry.
    pub records: u64,
    /// Samples in those records.
    pub record_samples: u64,
    /// Handshake wire bytes (link headers included, both directions, TCP set-up segments included), by class.
    pub handshake_bytes: EnumMap<LinkClass, u64>,
    /// Wire bytes that record framing added to packets that crossed a link, by class.
    pub record_bytes: EnumMap<LinkClass, u64>,
    /// Server cycles at cloudlets: AEAD sealing, handshakes.
    pub cloudlet_aead_cycles: f64,
    /// Handshake cycles at cloudlets.
    pub cloudlet_handshake_cycles: f64,
    /// AEAD opening cycles at the cloud.
    pub cloud_aead_cycles: f64,
    /// Handshake cycles at the cloud.
    pub cloud_handshake_cycles: f64,
    /// Time the channel's jobs occupied cloudlet cores, ns.
    pub cloudlet_busy_ns: u64,
    /// Records that waited for a handshake.
    pub waited: u64,
    /// Total handshake wait of records, ns.
    pub wait_ns: u64,
    /// Longest handshake wait of a record, ns.
    pub max_wait_ns: u64,
    /// Samples and payload bytes that crossed a link of each class readable by an intruder on it.
    pub readable: EnumMap<LinkClass, (u64, u64)>,
}

/// The channel during a run (kept only when `[channel]` asks for it: protection on or `count_exposure`).
#[derive(Debug, Clone)]
pub struct ChannelState {
    /// The validated table.
    pub spec: ChannelSpec,
    sessions: Vec<Option<Session>>,
    /// Counters.
    pub metrics: ChannelMetrics,
    /// AEAD server cycles: per record, per plaintext byte (`crypto.aead_server_cycles_*`).
    aead: (f64, f64),
    /// Server-class energy per cycle (the cloudlets' `energy.processor.cloudlet_nj_per_cycle`), J.
    j_per_cycle: f64,
}

impl ChannelState {
    /// The state for `cloudlets` entry cloudlets, or `None` when the table asks for nothing. `aead` is the server
    /// AEAD's (cycles per record, cycles per byte); `j_per_cycle` the server class's energy per cycle.
    pub fn new(spec: &ChannelSpec, cloudlets: usize, aead: (f64, f64), j_per_cycle: f64) -> Option<Self> {
        spec.reported().then(|| ChannelState {
            spec: spec.clone(),
            sessions: vec![None; cloudlets],
            metrics: ChannelMetrics::default(),
            aead,
            j_per_cycle,
        })
    }

    /// The handshake a record from cloudlet `cloudlet` handed over at `t` needs first, if any.
    pub fn needs(&self, cloudlet: usize, t: SimTime) -> Option<HandshakeKind> {
        handshake_needed(self.sessions[cloudlet], t, self.spec.resume)
    }

    /// Records a handshake of `kind` by `cloudlet` started at `t` and completing at `ready_at`.
    pub fn start(&mut self, cloudlet: usize, kind: HandshakeKind, t: SimTime, ready_at: SimTime) {
        self.sessions[cloudlet] = Some(Session { started: t, ready_at });
        match kind {
            HandshakeKind::Full => self.metrics.full += 1,
            HandshakeKind::Resumed => self.metrics.resumed += 1,
        }
    }

    /// When cloudlet `cloudlet`'s session lets a record handed over at `t` go (at least `t`), counting its wait.
    pub fn wait_for_session(&mut self, cloudlet: usize, t: SimTime) -> SimTime {
        let ready = self.sessions[cloudlet].map_or(t, |s| s.ready_at.max(t));
        let wait = (ready - t).as_nanos();
        if wait > 0 {
            let m = &mut self.metrics;
            m.waited += 1;
            m.wait_ns += wait;
            m.max_wait_ns = m.max_wait_ns.max(wait);
        }
        ready
    }

    /// AEAD cycles to seal or open one record of `plaintext_bytes`.
    pub fn aead_cycles(&self, plaintext_bytes: u64) -> f64 {
        self.aead.0 + self.aead.1 * plaintext_bytes as f64
    }

    /// The `channel` section of `summary.json`; `generated` samples in the run.
    pub fn summary(&self, generated: u64) -> ChannelSummary {
        let m = &self.metrics;
        let core = |v: &EnumMap<LinkClass, u64>| CoreBytes { mesh: v[LinkClass::Mesh], wan: v[LinkClass::Wan] };
        let added = m.handshake_bytes.values().sum::<u64>() + m.record_bytes.values().sum::<u64>();
        let per = |x: f64, n: u64| if n > 0 { x / n as f64 } else { 0.0 };
        let readable = |c: LinkClass| Readable { samples: m.readable[c].0, bytes: m.readable[c].1 };
        ChannelSummary {
            protection: self.spec.protection.name(),
            end_to_end: true,
            record_overhead_bytes: self.spec.record_overhead_bytes(),
            records: m.records,
            record_samples: m.record_samples,
            handshakes: Handshakes { full: m.full, resumed: m.resumed },
            handshake_wire_bytes: core(&m.handshake_bytes),
            record_overhead_wire_bytes: core(&m.record_bytes),
            bytes_added_per_sample: per(added as f64, generated),
            handshake_wait_s: Waits {
                records_waited: m.waited,
                mean_per_record: per(m.wait_ns as f64 * 1e-9, m.records),
                total: m.wait_ns as f64 * 1e-9,
                max: m.max_wait_ns as f64 * 1e-9,
            },
            cloudlet: Work {
                aead_cycles: m.cloudlet_aead_cycles,
                handshake_cycles: m.cloudlet_handshake_cycles,
                energy_j: (m.cloudlet_aead_cycles + m.cloudlet_handshake_cycles) * self.j_per_cycle,
                busy_s: Some(m.cloudlet_busy_ns as f64 * 1e-9),
            },
            cloud: Work {
                aead_cycles: m.cloud_aead_cycles,
                handshake_cycles: m.cloud_handshake_cycles,
                energy_j: (m.cloud_aead_cycles + m.cloud_handshake_cycles) * self.j_per_cycle,
                busy_s: None,
            },
            readable: ReadableByClass {
                ban: readable(LinkClass::Ban),
                access: readable(LinkClass::Access),
                mesh: readable(LinkClass::Mesh),
                wan: readable(LinkClass::Wan),
            },
        }
    }
}

/// `summary.json` → `channel` (present only when `[channel]` turns protection on or sets `count_exposure`).
#[derive(Debug, Clone, Serialize)]
pub struct ChannelSummary {
    /// `none`, `tls13` or `dtls13`.
    pub protection: &'static str,
    /// Always true: records are sealed at the entry cloudlet and opened at the cloud; relays cannot read them.
    pub end_to_end: bool,
    /// Bytes one record adds: header + inner content type + AEAD tag.
    pub record_overhead_bytes: u32,
    /// Records sealed (one per packet leaving its entry cloudlet: a sample, or a cloudlet batch).
    pub records: u64,
    /// Samples in those records.
    pub record_samples: u64,
    /// Handshakes.
    pub handshakes: Handshakes,
    /// Handshake bytes on the wire, link headers included.
    pub handshake_wire_bytes: CoreBytes,
    /// Bytes record framing added on the wire (every crossing of a link, retransmissions excluded).
    pub record_overhead_wire_bytes: CoreBytes,
    /// (Handshake + record) wire bytes over samples generated.
    pub bytes_added_per_sample: f64,
    /// Time records waited for a handshake.
    pub handshake_wait_s: Waits,
    /// The entry cloudlets' work.
    pub cloudlet: Work,
    /// The cloud's work (not queued: the cloud is taken to have cores to spare).
    pub cloud: Work,
    /// What an intruder on a link of each class could read.
    pub readable: ReadableByClass,
}

/// Handshake counts.
#[derive(Debug, Clone, Serialize)]
pub struct Handshakes {
    /// Full handshakes (certificates, signatures, X25519).
    pub full: u64,
    /// PSK resumptions.
    pub resumed: u64,
}

/// Bytes on mesh and WAN links.
#[derive(Debug, Clone, Serialize)]
pub struct CoreBytes {
    /// On mesh links.
    pub mesh: u64,
    /// On WAN links.
    pub wan: u64,
}

/// Handshake waits, s.
#[derive(Debug, Clone, Serialize)]
pub struct Waits {
    /// Records that waited.
    pub records_waited: u64,
    /// Mean wait over all records (those that did not wait count 0).
    pub mean_per_record: f64,
    /// Sum of waits.
    pub total: f64,
    /// Longest wait.
    pub max: f64,
}

/// Cycles and energy of one side.
#[derive(Debug, Clone, Serialize)]
pub struct Work {
    /// AEAD cycles (sealing at cloudlets, opening at the cloud).
    pub aead_cycles: f64,
    /// Handshake cycles (X25519, signatures, verifications).
    pub handshake_cycles: f64,
    /// Their energy at the server class's J/cycle, J (charged to the cloudlets' crypto account; the cloud's is
    /// reported here only).
    pub energy_j: f64,
    /// Time the work occupied the cloudlets' cores, s (cloud: not modelled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub busy_s: Option<f64>,
}

/// Readable samples and bytes of one link class.
#[derive(Debug, Clone, Serialize)]
pub struct Readable {
    /// Sample crossings in plaintext (a sample relayed over k links of the class counts k times).
    pub samples: u64,
    /// Their payload bytes.
    pub bytes: u64,
}

/// Readable traffic by link class.
#[derive(Debug, Clone, Serialize)]
pub struct ReadableByClass {
    /// BAN links (readable when body data is not sealed at the wearable).
    pub ban: Readable,
    /// Access links.
    pub access: Readable,
    /// Mesh links.
    pub mesh: Readable,
    /// WAN links.
    pub wan: Readable,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records every period `p` from 0 to `n·p` with a resumption interval `r` (a multiple of `p`, handshakes
    /// instant): one full handshake, then a resumption at every multiple of `r`, floor(n·p / r) in all.
    #[test]
    fn resumptions_follow_floor_of_time_over_interval() {
        for (n, p, r) in [(100u64, 1u64, 10u64), (99, 1, 10), (37, 2, 6), (5, 1, 100)] {
            let (mut session, mut full, mut resumed) = (None, 0, 0);
            for k in 0..=n {
                let t = SimTime::from_secs(k * p);
                match handshake_needed(session, t, SimTime::from_secs(r)) {
                    Some(HandshakeKind::Full) => full += 1,
                    Some(HandshakeKind::Resumed) => resumed += 1,
                    None => continue,
                }
                session = Some(Session { started: t, ready_at: t });
            }
            assert_eq!((full, resumed), (1, n * p / r), "n {n} p {p} r {r}");
        }
    }

    /// A record handed over during a handshake waits for it and starts no other.
    #[test]
    fn records_during_a_handshake_wait_for_it() {
        let s = Some(Session { started: SimTime::from_secs(0), ready_at: SimTime::from_secs(5) });
        assert_eq!(handshake_needed(s, SimTime::from_secs(3), SimTime::from_secs(1)), None);
        assert_eq!(handshake_needed(s, SimTime::from_secs(5), SimTime::from_secs(1)), Some(HandshakeKind::Resumed));
    }
}
