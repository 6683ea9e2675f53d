//! Validated attack, IDS and benign-traffic configuration (see [`super::raw`] for the meaning of each key).

use enum_map::{Enum, EnumMap};

use crate::kernel::SimTime;

pub use super::raw::{DetectorModel, IdsScope};

/// The attack kinds. Per-kind tables are [`EnumMap`]s keyed by this enum, so a new kind is one variant here plus its
/// arms in the behaviour methods below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Enum)]
pub enum AttackKind {
    /// Floods of packets.
    DosFlood,
    /// Port scans.
    Probe,
    /// Record reads.
    UnauthorizedAccess,
    /// Record modifications.
    DataTampering,
    /// Many sources at once.
    Distributed,
    /// Valid credentials.
    Insider,
}

impl AttackKind {
    /// All kinds, in declaration (and output) order.
    pub fn all() -> impl Iterator<Item = AttackKind> + Clone {
        (0..<AttackKind as Enum>::LENGTH).map(<AttackKind as Enum>::from_usize)
    }

    /// Name as in scenario files and outputs.
    pub const fn name(self) -> &'static str {
        match self {
            AttackKind::DosFlood => "dos_flood",
            AttackKind::Probe => "probe",
            AttackKind::UnauthorizedAccess => "unauthorized_access",
            AttackKind::DataTampering => "data_tampering",
            AttackKind::Distributed => "distributed",
            AttackKind::Insider => "insider",
        }
    }

    /// What an attack of this kind does once it is inside the mesh.
    pub const fn payload(self) -> Payload {
        match self {
            AttackKind::DosFlood => Payload::Flood,
            AttackKind::Probe => Payload::Scan,
            AttackKind::UnauthorizedAccess => Payload::RecordRead,
            AttackKind::DataTampering => Payload::RecordModification,
            AttackKind::Distributed => Payload::RecordRead,
            AttackKind::Insider => Payload::RecordRead,
        }
    }

    /// Whether each attack of a campaign comes from `sources` addresses at once (each one an item); otherwise
    /// from the campaign's one source.
    pub const fn many_sources(self) -> bool {
        match self {
            AttackKind::Distributed => true,
            AttackKind::DosFlood
            | AttackKind::Probe
            | AttackKind::UnauthorizedAccess
            | AttackKind::DataTampering
            | AttackKind::Insider => false,
        }
    }

    /// Whether it aims at a patient's record (a read or a modification), whose impact is damage unless stopped.
    pub const fn targets_record(self) -> bool {
        self.payload().reaches_record()
    }
}

/// What an attack does once inside the mesh ([`AttackKind::payload`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// A stream of flood packets toward the target, occupying links and buffers until the source is blocked.
    Flood,
    /// A scan: inspected like any item, with no further effect.
    Scan,
    /// A read of one patient's record: a breach unless an alarm stops it before it arrives.
    RecordRead,
    /// A modification of one patient's record: tampering unless an alarm stops it before it arrives.
    RecordModification,
}

impl Payload {
    /// Whether it reaches a patient's record (and is damage there unless an alarm came first).
    pub const fn reaches_record(self) -> bool {
        match self {
            Payload::RecordRead | Payload::RecordModification => true,
            Payload::Flood | Payload::Scan => false,
        }
    }

    /// Whether what reaches the record modifies it (tampering) rather than reads it (a breach).
    pub const fn modifies_record(self) -> bool {
        match self {
            Payload::RecordModification => true,
            Payload::RecordRead | Payload::Flood | Payload::Scan => false,
        }
    }
}

/// Where IDS nodes go.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Highest betweenness centrality.
    Betweenness,
    /// Highest degree.
    Degree,
    /// Random.
    Random,
    /// Listed cloudlets.
    Explicit(Vec<u32>),
}

/// How verdicts combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fusion {
    /// At least one alarm.
    Any,
    /// At least k alarms.
    KOfN(u32),
    /// More than half of the inspecting nodes.
    Majority,
}

impl Fusion {
    /// Alarms needed among `n` inspecting nodes.
    pub fn needed(self, n: u32) -> u32 {
        match self {
            Fusion::Any => 1,
            Fusion::KOfN(k) => k,
            Fusion::Majority => n / 2 + 1,
        }
    }

    /// Whether `n` inspecting nodes can ever raise a fused alarm: false only for `k_of_n` with k > n (such an IDS
    /// never alarms, so `ids-optimize` marks that branch infeasible).
    pub fn can_alarm(self, n: u32) -> bool {
        n >= 1 && self.needed(n) <= n
    }
}

/// A detector model with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Detector {
    /// Independent draws.
    Bernoulli {
        /// Detection probability per attack kind.
        detection: EnumMap<AttackKind, f64>,
        /// False-alarm probability per benign item.
        false_alarm: f64,
    },
    /// Correlated Gaussian scores.
    Score {
        /// Benign mean score.
        benign_mean: f64,
        /// Attack mean score per kind.
        attack_mean: EnumMap<AttackKind, f64>,
        /// Score standard deviation.
        sd: f64,
        /// Correlation between nodes.
        correlation: f64,
        /// Alarm threshold.
        threshold: f64,
    },
    /// ROC curves per attack kind, an operating point, and a Gaussian copula between nodes ([`super::roc`]).
    Roc(Box<super::roc::RocDetector>),
}

/// Cost weights of the expected cost per inspected item, relative units, in the standard form of Gaffney & Ulvila
/// (2001) and Cárdenas, Baras & Seamon (2006): `C(n) = (1 − π)·P_FA(n)·C_FA + π·(1 − P_D(n))·C_miss + n·C_node`
/// (`docs/model.md` §8.12). The scenario keys map one to one: `ids.cost.per_false_alarm` = C_FA,
/// `per_missed_attack` = C_miss, `per_ids_node` = C_node (the operational cost of one node per inspected item).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdsCost {
    /// C_node: per IDS node per inspected item.
    pub per_ids_node: f64,
    /// C_miss: per missed attack.
    pub per_missed_attack: f64,
    /// C_FA: per false alarm.
    pub per_false_alarm: f64,
}

impl IdsCost {
    /// The expected cost per inspected item of `n` nodes, for prevalence π, detection rate P_D and false-alarm rate
    /// P_FA: `n·C_node + π·(1 − P_D)·C_miss + (1 − π)·P_FA·C_FA`.
    pub fn expected(&self, n: u32, prevalence: f64, detection_rate: f64, false_alarm_rate: f64) -> f64 {
        self.per_ids_node * n as f64
            + self.per_missed_attack * prevalence * (1.0 - detection_rate)
            + self.per_false_alarm * (1.0 - prevalence) * false_alarm_rate
    }

    /// The cost ratios (C_miss/C_FA, C_node/C_FA): the weights normalised so that C_FA = 1, which is all the
    /// decision depends on (dividing every cost by C_FA divides C(n) by C_FA and keeps its minimum). `None` when
    /// C_FA = 0.
    pub fn ratios(&self) -> Option<(f64, f64)> {
        (self.per_false_alarm > 0.0)
            .then(|| (self.per_missed_attack / self.per_false_alarm, self.per_ids_node / self.per_false_alarm))
    }
}

/// The IDS.
#[derive(Debug, Clone, PartialEq)]
pub struct IdsSpec {
    /// Number of IDS nodes.
    pub count: u32,
    /// Placement rule.
    pub placement: Placement,
    /// Inspection scope.
    pub scope: IdsScope,
    /// Detector.
    pub detector: Detector,
    /// Fusion rule.
    pub fusion: Fusion,
    /// Inspection time per node.
    pub processing: SimTime,
    /// Items per second per node, if limited.
    pub capacity_per_s: Option<f64>,
    /// Blocking time after an alarm.
    pub block: SimTime,
    /// Signature sharing on.
    pub signature_sharing: bool,
    /// Detection probability with the campaign's signature.
    pub signature_detection_prob: f64,
    /// Cost weights.
    pub cost: IdsCost,
    /// Lee et al.'s per-kind cost factors, replacing C_miss and C_FA when given (`[ids.cost.lee]`).
    pub lee_cost: Option<crate::ids::lee_cost::LeeCost>,
    /// What collaboration costs (`[ids.collaboration]`).
    pub collaboration: crate::ids::collab::CollabSpec,
}

/// Where attacks enter.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Uniform.
    Random,
    /// By weight (normalised).
    Weighted(Vec<f64>),
    /// One cloudlet.
    Explicit(u32),
}

/// What attacks aim at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// The remote cloud.
    RemoteCloud,
    /// A cloudlet, or a random one other than the entry.
    Cloudlet(Option<u32>),
}

/// One attack kind's traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct AttackSpec {
    /// Kind.
    pub kind: AttackKind,
    /// Campaigns per second.
    pub rate_per_s: f64,
    /// Attacks per campaign.
    pub campaign_size: u32,
    /// Mean gap between attacks of a campaign.
    pub campaign_gap: SimTime,
    /// Entry rule.
    pub entry: Entry,
    /// Target rule.
    pub target: Target,
    /// Flood packets per attack.
    pub flood_packets: u32,
    /// Bytes per flood packet.
    pub flood_packet_bytes: u32,
    /// Time between flood packets.
    pub flood_interval: SimTime,
    /// Sources per distributed attack.
    pub sources: u32,
    /// Distributed attacks: the sources of one attack enter at distinct cloudlets (`spread = "distinct"`).
    pub distinct_entries: bool,
    /// Probes: what an undetected probe leads to (`None`: nothing, `follow_up_prob = 0` and `recon_evasion = 0`).
    pub follow_up: Option<FollowUp>,
    /// Insiders with `mimics_benign`: the detection lift λ, the probability that one IDS node tells an insider item
    /// from a benign one (`None`: insiders are detected by their own parameters, as any kind).
    pub mimic_lift: Option<f64>,
}

/// What follows an undetected probe (`[attacks.probe]`, docs/model.md §8.2): the kill-chain view that
/// reconnaissance precedes the attack and helps it [Hutchins, Cloppert & Amin 2011]. All figures are the
/// scenario's; their defaults are ours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowUp {
    /// Kind of the follow-up campaign (`follow_up_kind`), a record-targeting kind with one source.
    pub kind: AttackKind,
    /// q: probability that an undetected probe is followed up (`follow_up_prob`).
    pub prob: f64,
    /// Mean exponential delay from the probe's verdict to the follow-up campaign (`follow_up_delay_s`).
    pub delay: SimTime,
    /// How long after the probe's verdict its source's attacks evade more (`recon_window_s`).
    pub window: SimTime,
    /// e: probability that each node's alarm on such an attack is suppressed (`recon_evasion`).
    pub evasion: f64,
}

impl AttackSpec {
    /// Sources (and items) per attack: `sources` for a kind that attacks from many at once, else 1.
    pub fn sources_per_attack(&self) -> u32 {
        if self.kind.many_sources() {
            self.sources
        } else {
            1
        }
    }

    /// Inspected items per second this kind generates on average (campaigns × attacks × sources).
    pub fn items_per_s(&self) -> f64 {
        self.rate_per_s * self.campaign_size as f64 * self.sources_per_attack() as f64
    }
}

/// Legitimate traffic as the IDS sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct BenignSpec {
    /// Inspect uploads.
    pub inspect_uploads: bool,
    /// Doctor accesses per second.
    pub doctor_access_per_s: f64,
}
