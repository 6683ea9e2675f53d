//! The `[ids]`, `[attacks.<kind>]` and `[benign]` tables: attack traffic and the collaborative IDS on the mesh.
//!
//! The model is ours (the papers give no formulas); `docs/model.md`, "Intrusion detection", documents it with the
//! closed forms the optimiser uses.

use enum_map::{enum_map, EnumMap};
use schemars::JsonSchema;

use crate::ids::AttackKind;
use serde::{Deserialize, Serialize};

/// Declares a struct with one `f64` per attack kind, all with the same meaning and given defaults.
macro_rules! per_kind {
    ($(#[$meta:meta])* $name:ident, $what:literal, [$dos:expr, $probe:expr, $ua:expr, $tamper:expr, $dist:expr, $insider:expr]) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            #[doc = concat!($what, " for `dos_flood`.")]
            pub dos_flood: f64,
            #[doc = concat!($what, " for `probe`.")]
            pub probe: f64,
            #[doc = concat!($what, " for `unauthorized_access`.")]
            pub unauthorized_access: f64,
            #[doc = concat!($what, " for `data_tampering`.")]
            pub data_tampering: f64,
            #[doc = concat!($what, " for `distributed`.")]
            pub distributed: f64,
            #[doc = concat!($what, " for `insider`.")]
            pub insider: f64,
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    dos_flood: $dos,
                    probe: $probe,
                    unauthorized_access: $ua,
                    data_tampering: $tamper,
                    distributed: $dist,
                    insider: $insider,
                }
            }
        }

        impl $name {
            /// The values per kind.
            pub fn values(&self) -> enum_map::EnumMap<crate::ids::AttackKind, f64> {
                use crate::ids::AttackKind as K;
                enum_map::enum_map! {
                    K::DosFlood => self.dos_flood,
                    K::Probe => self.probe,
                    K::UnauthorizedAccess => self.unauthorized_access,
                    K::DataTampering => self.data_tampering,
                    K::Distributed => self.distributed,
                    K::Insider => self.insider,
                }
            }
        }
    };
}

/// Where IDS nodes are placed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IdsPlacement {
    /// The cloudlets with the highest betweenness centrality in the mesh (ties: lower index).
    Betweenness,
    /// The cloudlets with the most mesh links (ties: lower index).
    Degree,
    /// Cloudlets drawn at random (from the placement stream).
    Random,
    /// The cloudlets listed in `ids.nodes`.
    Explicit,
}

/// Which IDS nodes inspect an item.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IdsScope {
    /// Only the IDS nodes on the item's route (entry cloudlet to target).
    Route,
    /// Every IDS node: the entry cloudlet shares a summary over the mesh and gathers the verdicts.
    Mesh,
}

/// How one IDS node decides.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DetectorModel {
    /// Independent draws: an attack of kind k raises an alarm with `detection_prob.k`, a benign item with
    /// `false_alarm_prob`.
    Bernoulli,
    /// Gaussian anomaly scores with a shared latent factor across nodes; alarm when the score exceeds `threshold`.
    Score,
    /// A ROC curve per attack kind (`[ids.roc.curve.<kind>]`), an operating point chosen by `ids.roc.operating_point`,
    /// and nodes correlated by a Gaussian copula (`ids.roc.correlation`).
    Roc,
}

/// How the verdicts of the inspecting IDS nodes combine.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FusionRule {
    /// Alarm if any node alarms.
    Any,
    /// Alarm if at least `ids.k` nodes alarm.
    KOfN,
    /// Alarm if more than half of the inspecting nodes alarm.
    Majority,
}

per_kind!(
    /// `[ids.bernoulli.detection_prob]`: per-node detection probability of each attack kind, in [0, 1].
    RawDetectionProb,
    "Probability that one IDS node detects an attack",
    [0.6, 0.5, 0.4, 0.4, 0.5, 0.2]
);

per_kind!(
    /// `[ids.score.attack_mean]`: mean anomaly score of each attack kind (benign items have mean `benign_mean`).
    RawAttackMean,
    "Mean anomaly score of an attack",
    [3.0, 2.5, 2.0, 2.0, 2.5, 1.0]
);

/// `[ids.bernoulli]`: the independent-draw detector.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawBernoulli {
    /// Per-node detection probability by attack kind.
    pub detection_prob: RawDetectionProb,
    /// Probability that one IDS node raises an alarm on a benign item, in [0, 1].
    pub false_alarm_prob: f64,
}

impl Default for RawBernoulli {
    fn default() -> Self {
        RawBernoulli { detection_prob: RawDetectionProb::default(), false_alarm_prob: 0.01 }
    }
}

/// `[ids.score]`: the anomaly-score detector. Node i's score of an item is
/// `mean + sd · (sqrt(correlation) · Z + sqrt(1 − correlation) · ε_i)`, with Z shared by all nodes (per item).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawScore {
    /// Mean score of benign items.
    pub benign_mean: f64,
    /// Mean score by attack kind.
    pub attack_mean: RawAttackMean,
    /// Standard deviation of every score (> 0).
    pub sd: f64,
    /// Correlation between two nodes' scores of the same item, in [0, 1).
    pub correlation: f64,
    /// A node alarms when its score exceeds this.
    pub threshold: f64,
}

impl Default for RawScore {
    fn default() -> Self {
        RawScore { benign_mean: 0.0, attack_mean: RawAttackMean::default(), sd: 1.0, correlation: 0.0, threshold: 2.0 }
    }
}

/// How the `roc` detector's nodes choose their operating point.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RocOperatingPoint {
    /// Every node at `ids.roc.false_alarm_prob`.
    Fixed,
    /// Each node at its own minimum expected cost: minimise (1 − π)·C_FA·x − π·C_miss·TPR(x) over its false-alarm
    /// probability x, TPR the attack-mix ROC (the slope rule).
    Slope,
    /// The common node false-alarm probability minimising the closed-form cost of the fused IDS (re-chosen for every
    /// IDS count by `ids-optimize`).
    System,
}

/// How `points` (or a library entry's points) become a curve.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RocFit {
    /// Least squares in probit space, Φ⁻¹(tpr) on Φ⁻¹(fpr) (one point: slope 1); points strictly inside (0, 1).
    Binormal,
    /// The ROC convex hull through (0, 0), the points and (1, 1), linear between vertices.
    Hull,
}

/// `binormal = { a = .., b = .. }`: TPR = Φ(a + b·Φ⁻¹(FPR)).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawBinormal {
    /// Intercept in probit space (finite).
    pub a: f64,
    /// Slope in probit space (> 0): benign score sd over attack score sd.
    pub b: f64,
}

/// `[ids.roc.curve.<kind>]`: one attack kind's ROC curve, given by exactly one of `binormal`, `points` or `library`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawRocCurve {
    /// The binormal curve TPR = Φ(a + b·Φ⁻¹(FPR)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binormal: Option<RawBinormal>,
    /// Operating points [[fpr, tpr], ...], fitted by `fit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<[f64; 2]>>,
    /// The identifier of an entry of the library of published operating points, fitted by `fit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
    /// With `points` or `library`: `binormal` (the default) or `hull`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<RocFit>,
}

impl RawRocCurve {
    fn binormal(a: f64) -> Self {
        RawRocCurve { binormal: Some(RawBinormal { a, b: 1.0 }), ..RawRocCurve::default() }
    }
}

/// `[ids.roc.curve]`: the ROC curve of each attack kind. The defaults are binormal with b = 1 and a = the score
/// detector's default attack mean of the kind (illustrative figures, the same detector as `detector = "score"`
/// with its defaults at ρ = 0).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawRocCurves {
    /// `dos_flood`'s curve.
    pub dos_flood: RawRocCurve,
    /// `probe`'s curve.
    pub probe: RawRocCurve,
    /// `unauthorized_access`'s curve.
    pub unauthorized_access: RawRocCurve,
    /// `data_tampering`'s curve.
    pub data_tampering: RawRocCurve,
    /// `distributed`'s curve.
    pub distributed: RawRocCurve,
    /// `insider`'s curve.
    pub insider: RawRocCurve,
}

impl Default for RawRocCurves {
    fn default() -> Self {
        let m = RawAttackMean::default();
        RawRocCurves {
            dos_flood: RawRocCurve::binormal(m.dos_flood),
            probe: RawRocCurve::binormal(m.probe),
            unauthorized_access: RawRocCurve::binormal(m.unauthorized_access),
            data_tampering: RawRocCurve::binormal(m.data_tampering),
            distributed: RawRocCurve::binormal(m.distributed),
            insider: RawRocCurve::binormal(m.insider),
        }
    }
}

impl RawRocCurves {
    /// The curve of each kind.
    pub fn all(&self) -> EnumMap<AttackKind, &RawRocCurve> {
        enum_map! {
            AttackKind::DosFlood => &self.dos_flood,
            AttackKind::Probe => &self.probe,
            AttackKind::UnauthorizedAccess => &self.unauthorized_access,
            AttackKind::DataTampering => &self.data_tampering,
            AttackKind::Distributed => &self.distributed,
            AttackKind::Insider => &self.insider,
        }
    }
}

/// `[ids.roc]`: the ROC-curve detector. Node i's latent score of an item is `√ρ·Z + √(1 − ρ)·ε_i` (Z shared by all
/// nodes, per item); it alarms when the score exceeds Φ⁻¹(1 − p), p = its false-alarm probability x for a benign
/// item and TPR_k(x) for an attack of kind k.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawRoc {
    /// ρ: correlation between two nodes' latent scores of the same item, in [0, 1) (0: independent nodes).
    pub correlation: f64,
    /// `fixed`, `slope` or `system`.
    pub operating_point: RocOperatingPoint,
    /// With `operating_point = "fixed"`: every node's false-alarm probability, in (0, 1).
    pub false_alarm_prob: f64,
    /// The ROC curve of each attack kind.
    pub curve: RawRocCurves,
}

impl Default for RawRoc {
    fn default() -> Self {
        RawRoc {
            correlation: 0.0,
            operating_point: RocOperatingPoint::Fixed,
            false_alarm_prob: 0.01,
            curve: RawRocCurves::default(),
        }
    }
}

impl RawRoc {
    /// Whether every key has its default (then `scenario.resolved.toml` leaves the table out).
    pub fn is_default(&self) -> bool {
        *self == RawRoc::default()
    }
}

/// `[ids.cost]`: the system cost, in relative units per inspected item (see docs/model.md):
/// `cost = per_ids_node · ids.count + per_missed_attack · missed / inspected + per_false_alarm · false_alarms /
/// inspected`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawIdsCost {
    /// Cost of one IDS node per inspected item (>= 0).
    pub per_ids_node: f64,
    /// Cost of one missed attack (>= 0).
    pub per_missed_attack: f64,
    /// Cost of one false alarm (>= 0).
    pub per_false_alarm: f64,
    /// Lee et al.'s damage, response and operational cost factors per attack kind, instead of
    /// `per_missed_attack` and `per_false_alarm` (absent: the standard form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lee: Option<RawLeeCost>,
}

impl Default for RawIdsCost {
    fn default() -> Self {
        RawIdsCost { per_ids_node: 0.002, per_missed_attack: 0.5, per_false_alarm: 0.05, lee: None }
    }
}

per_kind!(
    /// `[ids.cost.lee.damage]`: DCost of each attack kind (relative units), the loss when it succeeds.
    RawDamageCost,
    "Damage cost (DCost) of a successful attack",
    [30.0, 2.0, 50.0, 100.0, 50.0, 100.0]
);

per_kind!(
    /// `[ids.cost.lee.response]`: RCost of each attack kind (relative units), the cost of responding to it.
    RawResponseCost,
    "Response cost (RCost) of an attack",
    [15.0, 5.0, 20.0, 60.0, 40.0, 40.0]
);

/// `[ids.cost.lee]`: Lee et al.'s cost factors per attack kind. Defaults: their Table 1 with our mapping of kinds
/// (`dos_flood` DOS consumption 30/15, `probe` PROBE simple 2/5, `unauthorized_access` R2L single 50/20,
/// `data_tampering` ROOT remote 100/60, `distributed` R2L multiple 50/40, `insider` ROOT local 100/40).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawLeeCost {
    /// DCost per attack kind (>= 0).
    pub damage: RawDamageCost,
    /// RCost per attack kind (>= 0).
    pub response: RawResponseCost,
    /// ε: share of an attack's damage done before a response takes effect, in [0, 1].
    pub progress: f64,
    /// PCost: penalty of treating a legitimate item as an attack (relative units, >= 0); Lee et al. suggest the
    /// damage of a denial of service, which is what blocking a patient's uploads is.
    pub false_alarm_penalty: f64,
}

impl Default for RawLeeCost {
    fn default() -> Self {
        RawLeeCost {
            damage: RawDamageCost::default(),
            response: RawResponseCost::default(),
            progress: 0.0,
            false_alarm_penalty: 30.0,
        }
    }
}

/// `[ids]`: the collaborative intrusion detection system on the cloudlet mesh.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawIds {
    /// Number of IDS nodes (0 = no IDS; at most the number of cloudlets).
    pub count: u64,
    /// `betweenness`, `degree`, `random` or `explicit`.
    pub placement: IdsPlacement,
    /// With `placement = "explicit"`: the cloudlet indices hosting IDS nodes (exactly `count` of them).
    pub nodes: Vec<u64>,
    /// `route` (IDS nodes on the item's path) or `mesh` (all IDS nodes, via shared summaries).
    pub scope: IdsScope,
    /// `bernoulli`, `score` or `roc`.
    pub detector: DetectorModel,
    /// `any`, `k_of_n` or `majority`.
    pub fusion: FusionRule,
    /// With `fusion = "k_of_n"`: alarms needed (>= 1).
    pub k: u64,
    /// Time one node takes to inspect an item, in seconds (>= 0); added to the time to gather verdicts.
    pub processing_s: f64,
    /// Items one IDS node can inspect per second (token bucket, burst of one second); 0 = unlimited.
    pub capacity_items_per_s: f64,
    /// How long a source stays blocked after an alarm, in seconds (>= 0).
    pub block_s: f64,
    /// After a detection, send the attack's signature to the other IDS nodes (arriving after the mesh latency).
    pub signature_sharing: bool,
    /// Detection probability of a node that holds the signature of the attack's campaign, in [0, 1].
    pub signature_detection_prob: f64,
    /// The independent-draw detector.
    pub bernoulli: RawBernoulli,
    /// The anomaly-score detector.
    pub score: RawScore,
    /// The ROC-curve detector (written to `scenario.resolved.toml` only when it differs from its defaults, so that
    /// scenarios that do not use it keep their resolved file).
    #[serde(skip_serializing_if = "RawRoc::is_default")]
    pub roc: RawRoc,
    /// System cost weights.
    pub cost: RawIdsCost,
    /// What collaboration between IDS nodes costs (`[ids.collaboration]`, see [`crate::ids::collab`]).
    pub collaboration: crate::ids::collab::RawCollaboration,
}

impl RawIds {
    /// Uses the first `n` IDS nodes: sets `count` and, with `placement = "explicit"`, keeps the first `n` cloudlets
    /// of `nodes` (the ones the optimiser's n-node branch uses).
    pub fn set_count(&mut self, n: u64) {
        self.count = n;
        if self.placement == IdsPlacement::Explicit {
            self.nodes.truncate(usize::try_from(n).unwrap_or(usize::MAX));
        }
    }
}

impl Default for RawIds {
    fn default() -> Self {
        RawIds {
            count: 0,
            placement: IdsPlacement::Betweenness,
            nodes: vec![],
            scope: IdsScope::Mesh,
            detector: DetectorModel::Bernoulli,
            fusion: FusionRule::Any,
            k: 2,
            processing_s: 0.001,
            capacity_items_per_s: 0.0,
            block_s: 60.0,
            signature_sharing: false,
            signature_detection_prob: 0.95,
            bernoulli: RawBernoulli::default(),
            score: RawScore::default(),
            roc: RawRoc::default(),
            cost: RawIdsCost::default(),
            collaboration: crate::ids::collab::RawCollaboration::default(),
        }
    }
}

/// Where an attack enters the mesh.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EntryRule {
    /// A cloudlet drawn uniformly.
    Random,
    /// A cloudlet drawn with the probabilities `entry_weights`.
    Weighted,
    /// Always `entry_cloudlet`.
    Explicit,
}

/// What an attack is aimed at.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetRule {
    /// The remote cloud's record store.
    RemoteCloud,
    /// A cloudlet: `target_cloudlet`, or a uniformly drawn one other than the entry if that is empty.
    Cloudlet,
}

/// `[attacks.<kind>]`: one attack kind's traffic. Rate 0 (the default) means none.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawAttack {
    /// Campaigns per second (Poisson process) (>= 0).
    pub rate_per_s: f64,
    /// Attacks per campaign (>= 1); 1 makes every attack independent.
    pub campaign_size: u64,
    /// Mean gap between attacks of one campaign (exponential), in seconds (> 0).
    pub campaign_gap_s: f64,
    /// `random`, `weighted` or `explicit`.
    pub entry: EntryRule,
    /// With `entry = "weighted"`: one non-negative weight per cloudlet.
    pub entry_weights: Vec<f64>,
    /// With `entry = "explicit"`: the entry cloudlet.
    pub entry_cloudlet: u64,
    /// `remote_cloud` or `cloudlet`.
    pub target: TargetRule,
    /// With `target = "cloudlet"`: the target cloudlet (empty: drawn uniformly among the others).
    pub target_cloudlet: Option<u64>,
    /// `dos_flood` only: packets per attack (>= 1).
    pub flood_packets: u64,
    /// `dos_flood` only: bytes per flood packet (>= 1).
    pub flood_packet_bytes: u64,
    /// `dos_flood` only: flood packets per second (> 0).
    pub flood_rate_pps: f64,
    /// `distributed` only: sources (each entering at its own drawn cloudlet) per attack (>= 1).
    pub sources: u64,
    /// `distributed` only: `random` (each source draws its entry by the entry rule) or `distinct` (the sources of
    /// one attack enter at distinct cloudlets, drawn uniformly without replacement, as far as there are cloudlets;
    /// needs `entry = "random"`).
    #[serde(skip_serializing_if = "Spread::is_random")]
    #[schemars(extend("default" = "random"))]
    pub spread: Spread,
    /// `probe` only: the kind of the campaign an undetected probe's source launches afterwards:
    /// `unauthorized_access`, `data_tampering` or `insider`.
    #[serde(skip_serializing_if = "FollowUpKind::is_default")]
    #[schemars(extend("default" = "unauthorized_access"))]
    pub follow_up_kind: FollowUpKind,
    /// `probe` only: probability that an undetected probe is followed by a campaign of `follow_up_kind` from the
    /// same source, in [0, 1]; 0 (the default) = no follow-ups.
    #[serde(skip_serializing_if = "is_zero")]
    #[schemars(extend("default" = 0.0))]
    pub follow_up_prob: f64,
    /// `probe` only: mean of the exponential delay from the probe's verdict to its follow-up campaign, in seconds
    /// (> 0).
    #[serde(skip_serializing_if = "is_default_delay")]
    #[schemars(extend("default" = DEFAULT_FOLLOW_UP_DELAY_S))]
    pub follow_up_delay_s: f64,
    /// `probe` only: how long after an undetected probe's verdict the attacks of its source evade detection more,
    /// in seconds (>= 0).
    #[serde(skip_serializing_if = "is_default_window")]
    #[schemars(extend("default" = DEFAULT_RECON_WINDOW_S))]
    pub recon_window_s: f64,
    /// `probe` only: probability that each IDS node's alarm on an attack from a source inside its reconnaissance
    /// window is suppressed, in [0, 1]; 0 (the default) = no evasion.
    #[serde(skip_serializing_if = "is_zero")]
    #[schemars(extend("default" = 0.0))]
    pub recon_evasion: f64,
    /// `insider` only: insiders use valid credentials and enter like doctor accesses (a uniformly drawn cloudlet,
    /// toward the remote cloud); each IDS node sees an insider item as benign unless, with `detection_lift`, it
    /// sees it as an attack. Needs `entry = "random"` and `target = "remote_cloud"`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("default" = false))]
    pub mimics_benign: bool,
    /// `insider` only, with `mimics_benign`: probability that one IDS node tells an insider item from a benign one,
    /// in [0, 1] (per-node detection = false-alarm + lift × (detection − false-alarm)).
    #[serde(skip_serializing_if = "is_default_lift")]
    #[schemars(extend("default" = DEFAULT_DETECTION_LIFT))]
    pub detection_lift: f64,
}

/// Default of `attacks.probe.follow_up_delay_s`, in seconds (ours, illustrative).
pub const DEFAULT_FOLLOW_UP_DELAY_S: f64 = 30.0;
/// Default of `attacks.probe.recon_window_s`, in seconds (ours, illustrative).
pub const DEFAULT_RECON_WINDOW_S: f64 = 300.0;
/// Default of `attacks.insider.detection_lift`, a probability (ours, illustrative).
pub const DEFAULT_DETECTION_LIFT: f64 = 0.25;

// The attack-kind keys below are left out of the resolved scenario at their defaults (which switch them off), so
// that a scenario that does not use them resolves to the same file as before they existed.
fn is_zero(v: &f64) -> bool {
    *v == 0.0
}
fn is_default_delay(v: &f64) -> bool {
    *v == DEFAULT_FOLLOW_UP_DELAY_S
}
fn is_default_window(v: &f64) -> bool {
    *v == DEFAULT_RECON_WINDOW_S
}
fn is_default_lift(v: &f64) -> bool {
    *v == DEFAULT_DETECTION_LIFT
}

/// How the sources of one distributed attack pick their entries.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Spread {
    /// Each source draws its entry by the entry rule, independently (several may share a cloudlet).
    #[default]
    Random,
    /// The sources enter at distinct cloudlets, drawn uniformly without replacement (a new round once every
    /// cloudlet is used).
    Distinct,
}

impl Spread {
    fn is_random(&self) -> bool {
        *self == Spread::Random
    }
}

/// The kind of a probe's follow-up campaign: a record-targeting kind with one source.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    /// Record reads.
    #[default]
    UnauthorizedAccess,
    /// Record modifications.
    DataTampering,
    /// Record reads with valid credentials.
    Insider,
}

impl FollowUpKind {
    fn is_default(&self) -> bool {
        *self == FollowUpKind::UnauthorizedAccess
    }

    /// The attack kind.
    pub fn kind(self) -> AttackKind {
        match self {
            FollowUpKind::UnauthorizedAccess => AttackKind::UnauthorizedAccess,
            FollowUpKind::DataTampering => AttackKind::DataTampering,
            FollowUpKind::Insider => AttackKind::Insider,
        }
    }
}

impl Default for RawAttack {
    fn default() -> Self {
        RawAttack {
            rate_per_s: 0.0,
            campaign_size: 1,
            campaign_gap_s: 1.0,
            entry: EntryRule::Random,
            entry_weights: vec![],
            entry_cloudlet: 0,
            target: TargetRule::RemoteCloud,
            target_cloudlet: None,
            flood_packets: 200,
            flood_packet_bytes: 1_000,
            flood_rate_pps: 1_000.0,
            sources: 8,
            spread: Spread::Random,
            follow_up_kind: FollowUpKind::UnauthorizedAccess,
            follow_up_prob: 0.0,
            follow_up_delay_s: DEFAULT_FOLLOW_UP_DELAY_S,
            recon_window_s: DEFAULT_RECON_WINDOW_S,
            recon_evasion: 0.0,
            mimics_benign: false,
            detection_lift: DEFAULT_DETECTION_LIFT,
        }
    }
}

/// `[attacks]`: the six attack kinds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawAttacks {
    /// Floods of packets that occupy links and buffers.
    pub dos_flood: RawAttack,
    /// Port scans.
    pub probe: RawAttack,
    /// Reads of patient records (only ciphertext of protected parts is exposed).
    pub unauthorized_access: RawAttack,
    /// Modifications of records (the owner patient and the cloudlet are alerted when caught).
    pub data_tampering: RawAttack,
    /// Many sources across cloudlets at once.
    pub distributed: RawAttack,
    /// Attacks with valid credentials (harder to detect).
    pub insider: RawAttack,
}

impl RawAttacks {
    /// The table of each kind.
    pub fn all(&self) -> EnumMap<AttackKind, &RawAttack> {
        enum_map! {
            AttackKind::DosFlood => &self.dos_flood,
            AttackKind::Probe => &self.probe,
            AttackKind::UnauthorizedAccess => &self.unauthorized_access,
            AttackKind::DataTampering => &self.data_tampering,
            AttackKind::Distributed => &self.distributed,
            AttackKind::Insider => &self.insider,
        }
    }
}

/// `[benign]`: legitimate traffic as the IDS sees it (where false alarms come from).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawBenign {
    /// Inspect every upload (sample or gateway batch) entering the mesh at its cloudlet.
    pub inspect_uploads: bool,
    /// Doctor record accesses per second across the system (Poisson), each entering at a uniformly drawn cloudlet
    /// and inspected (>= 0).
    pub doctor_access_per_s: f64,
}

impl Default for RawBenign {
    fn default() -> Self {
        RawBenign { inspect_uploads: true, doctor_access_per_s: 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_count_keeps_the_first_explicit_nodes() {
        let mut ids = RawIds { count: 3, placement: IdsPlacement::Explicit, nodes: vec![4, 1, 2], ..RawIds::default() };
        ids.set_count(2);
        assert_eq!((ids.count, ids.nodes), (2, vec![4, 1]));
        let mut ids = RawIds { count: 3, ..RawIds::default() };
        ids.set_count(1);
        assert_eq!((ids.count, ids.nodes.len()), (1, 0));
    }
}
