//! The `[attacks.<kind>]` and `[benign]` tables: attack traffic and the legitimate traffic the IDS inspects (apart
//! from [`super::raw`]'s `[ids]` tables, which re-export these).

use enum_map::{enum_map, EnumMap};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::AttackKind;

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
