//! The `[ids]`, `[attacks.<kind>]` and `[benign]` tables: attack traffic and the collaborative IDS on the mesh.
//!
//! The model is ours (the papers give no formulas); `docs/model.md`, "Intrusion detection", documents it with the
//! closed forms the optimiser uses.

use enum_map::{enum_map, EnumMap};
use schemars::JsonSchema;

pub use crate::ids::raw_attacks::*;
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
