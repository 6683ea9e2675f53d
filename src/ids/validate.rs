//! Validation of `[ids]`, `[attacks.*]` and `[benign]` (see [`super::validate`]).

use super::config::{
    AttackKind, AttackSpec, BenignSpec, Detector, Entry, FollowUp, Fusion, IdsCost, IdsSpec, Placement, Target,
};
use super::raw::{
    DetectorModel, EntryRule, FusionRule, IdsPlacement, RawAttack, RawAttacks, RawBenign, RawIds, RawRoc, RawRocCurve,
    RocFit, RocOperatingPoint, Spread, TargetRule,
};
use super::roc::{fit_binormal, hull, OperatingRule, RocCurve, RocDetector};
use super::roc_library;
use crate::scenario::checker::{shown, Checker};
use enum_map::EnumMap;

fn finite(c: &mut Checker, key: &str, v: f64) -> f64 {
    if !v.is_finite() {
        c.fail(key, format!("must be a finite number (got {})", shown(v)));
    }
    v
}

pub(crate) fn ids(c: &mut Checker, raw: &RawIds, cloudlets: u32) -> IdsSpec {
    if raw.count > cloudlets as u64 {
        c.fail("ids.count", format!("must be at most the number of cloudlets ({cloudlets}) (got {})", raw.count));
    }
    let count = raw.count.min(cloudlets as u64) as u32;
    let placement = match raw.placement {
        IdsPlacement::Betweenness => Placement::Betweenness,
        IdsPlacement::Degree => Placement::Degree,
        IdsPlacement::Random => Placement::Random,
        IdsPlacement::Explicit => {
            let nodes = c.cloudlet_indices("ids.nodes", &raw.nodes, cloudlets);
            if nodes.len() != count as usize {
                c.fail(
                    "ids.nodes",
                    format!("lists {} cloudlets; placement = \"explicit\" needs ids.count = {count}", nodes.len()),
                );
            }
            Placement::Explicit(nodes)
        }
    };
    if raw.placement != IdsPlacement::Explicit && !raw.nodes.is_empty() {
        c.fail("ids.nodes", "is only used with ids.placement = \"explicit\"");
    }
    // Both detectors' figures are checked whichever is selected, so that a NaN never passes silently and switching
    // `ids.detector` cannot reveal an error that was there all along.
    let d = &raw.bernoulli.detection_prob;
    let detection = d.values().map(|k, p| c.probability(&format!("ids.bernoulli.detection_prob.{}", k.name()), p));
    let bernoulli = Detector::Bernoulli {
        detection,
        false_alarm: c.probability("ids.bernoulli.false_alarm_prob", raw.bernoulli.false_alarm_prob),
    };
    let s = &raw.score;
    if !(0.0..1.0).contains(&s.correlation) {
        c.fail("ids.score.correlation", format!("must be in [0, 1) (got {})", shown(s.correlation)));
    }
    let attack_mean = s.attack_mean.values().map(|k, m| finite(c, &format!("ids.score.attack_mean.{}", k.name()), m));
    let score = Detector::Score {
        benign_mean: finite(c, "ids.score.benign_mean", s.benign_mean),
        attack_mean,
        sd: c.positive("ids.score.sd", s.sd),
        correlation: s.correlation,
        threshold: finite(c, "ids.score.threshold", s.threshold),
    };
    let roc = roc(c, &raw.roc);
    let detector = match raw.detector {
        DetectorModel::Bernoulli => bernoulli,
        DetectorModel::Score => score,
        DetectorModel::Roc => Detector::Roc(Box::new(roc)),
    };
    let fusion = match raw.fusion {
        FusionRule::Any => Fusion::Any,
        FusionRule::Majority => Fusion::Majority,
        FusionRule::KOfN => {
            if raw.k < 1 || (count > 0 && raw.k > count as u64) {
                c.fail("ids.k", format!("must be from 1 to ids.count = {count} (got {})", raw.k));
            }
            Fusion::KOfN(raw.k.clamp(1, u32::MAX as u64) as u32)
        }
    };
    let capacity = c.non_negative("ids.capacity_items_per_s", raw.capacity_items_per_s);
    IdsSpec {
        count,
        placement,
        scope: raw.scope,
        detector,
        fusion,
        processing: c.time("ids.processing_s", raw.processing_s, false),
        capacity_per_s: (capacity > 0.0).then_some(capacity),
        block: c.time("ids.block_s", raw.block_s, false),
        signature_sharing: raw.signature_sharing,
        signature_detection_prob: c.probability("ids.signature_detection_prob", raw.signature_detection_prob),
        cost: IdsCost {
            per_ids_node: c.non_negative("ids.cost.per_ids_node", raw.cost.per_ids_node),
            per_missed_attack: c.non_negative("ids.cost.per_missed_attack", raw.cost.per_missed_attack),
            per_false_alarm: c.non_negative("ids.cost.per_false_alarm", raw.cost.per_false_alarm),
        },
        lee_cost: raw.cost.lee.as_ref().map(|lee| lee_cost(c, lee)),
        collaboration: super::collab::validate(c, &raw.collaboration),
    }
}

/// `[ids.cost.lee]`: every factor >= 0, the progress a share.
fn lee_cost(c: &mut Checker, raw: &crate::ids::raw::RawLeeCost) -> crate::ids::lee_cost::LeeCost {
    for kind in AttackKind::all() {
        c.non_negative(&format!("ids.cost.lee.damage.{}", kind.name()), raw.damage.values()[kind]);
        c.non_negative(&format!("ids.cost.lee.response.{}", kind.name()), raw.response.values()[kind]);
    }
    c.probability("ids.cost.lee.progress", raw.progress);
    c.non_negative("ids.cost.lee.false_alarm_penalty", raw.false_alarm_penalty);
    crate::ids::lee_cost::LeeCost::from(raw)
}

/// The `roc` detector's table (checked whichever detector is selected, like the others).
fn roc(c: &mut Checker, raw: &RawRoc) -> RocDetector {
    if !(0.0..1.0).contains(&raw.correlation) {
        c.fail("ids.roc.correlation", format!("must be in [0, 1) (got {})", shown(raw.correlation)));
    }
    let x = raw.false_alarm_prob;
    if !(x > 0.0 && x < 1.0) {
        c.fail(
            "ids.roc.false_alarm_prob",
            format!("must be a probability strictly between 0 and 1 (got {})", shown(x)),
        );
    }
    let fixed = if x > 0.0 && x < 1.0 { x } else { 0.01 };
    let curves = raw.curve.all().map(|kind, curve| roc_curve(c, &format!("ids.roc.curve.{}", kind.name()), curve));
    RocDetector {
        curves,
        correlation: raw.correlation,
        rule: match raw.operating_point {
            RocOperatingPoint::Fixed => OperatingRule::Fixed,
            RocOperatingPoint::Slope => OperatingRule::Slope,
            RocOperatingPoint::System => OperatingRule::System,
        },
        fixed_false_alarm: fixed,
        node_false_alarm: fixed,
        slope_target: None,
    }
}

/// One kind's curve from exactly one of `binormal`, `points`, `library` (a placeholder curve after an error).
fn roc_curve(c: &mut Checker, key: &str, raw: &RawRocCurve) -> RocCurve {
    let placeholder = RocCurve::Binormal { a: 0.0, b: 1.0 };
    let given = [raw.binormal.is_some(), raw.points.is_some(), raw.library.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        c.fail(key, "needs exactly one of `binormal = { a = .., b = .. }`, `points = [[fpr, tpr], ...]` or `library = \"<id>\"`");
        return placeholder;
    }
    if let Some(b) = &raw.binormal {
        if raw.fit.is_some() {
            c.fail(&format!("{key}.fit"), "is only used with `points` or `library`");
        }
        let (ok_a, ok_b) = (b.a.is_finite(), b.b.is_finite() && b.b > 0.0);
        if !ok_a {
            c.fail(&format!("{key}.binormal"), format!("a must be a finite number (got {})", shown(b.a)));
        }
        if !ok_b {
            c.fail(&format!("{key}.binormal"), format!("b must be a finite number > 0 (got {})", shown(b.b)));
        }
        return if ok_a && ok_b { RocCurve::Binormal { a: b.a, b: b.b } } else { placeholder };
    }
    let (points, what): (Vec<(f64, f64)>, String) = match (&raw.points, &raw.library) {
        (Some(p), _) => (p.iter().map(|q| (q[0], q[1])).collect(), format!("{key}.points")),
        (_, Some(id)) => match roc_library::lookup(id) {
            Some(e) => (e.points.to_vec(), format!("{key}.library")),
            None => {
                let ids: Vec<&str> = roc_library::entries().iter().map(|e| e.id).collect();
                c.fail(
                    &format!("{key}.library"),
                    format!("{id:?} is not in the library of operating points; allowed: {}", ids.join(", ")),
                );
                return placeholder;
            }
        },
        _ => return placeholder,
    };
    if points.is_empty() {
        c.fail(&what, "needs at least one [fpr, tpr] point");
        return placeholder;
    }
    if let Some(p) = points.iter().find(|p| !(p.0.is_finite() && p.1.is_finite())) {
        c.fail(&what, format!("point [{}, {}] is not finite; allowed: numbers in [0, 1]", shown(p.0), shown(p.1)));
        return placeholder;
    }
    match raw.fit.unwrap_or(RocFit::Binormal) {
        RocFit::Binormal => match fit_binormal(&points) {
            Ok((a, b)) => RocCurve::Binormal { a, b },
            Err(e) => {
                c.fail(&what, e);
                placeholder
            }
        },
        RocFit::Hull => {
            if let Some(p) = points.iter().find(|p| !((0.0..=1.0).contains(&p.0) && (0.0..=1.0).contains(&p.1))) {
                c.fail(&what, format!("point [{}, {}] is outside [0, 1] x [0, 1]", shown(p.0), shown(p.1)));
                return placeholder;
            }
            RocCurve::Hull(hull(&points))
        }
    }
}

pub(crate) fn attacks(c: &mut Checker, raw: &RawAttacks, cloudlets: u32) -> EnumMap<AttackKind, AttackSpec> {
    raw.all().map(|kind, a| attack(c, kind, a, cloudlets))
}

fn attack(c: &mut Checker, kind: AttackKind, a: &RawAttack, cloudlets: u32) -> AttackSpec {
    let key = |k: &str| format!("attacks.{}.{k}", kind.name());
    if a.entry != EntryRule::Weighted && !a.entry_weights.is_empty() {
        c.fail(&key("entry_weights"), format!("is only used with attacks.{}.entry = \"weighted\"", kind.name()));
    }
    let entry = match a.entry {
        EntryRule::Random => Entry::Random,
        EntryRule::Explicit => {
            if a.entry_cloudlet >= cloudlets as u64 {
                c.fail(
                    &key("entry_cloudlet"),
                    format!("{} is not a cloudlet index (allowed: 0 to {})", a.entry_cloudlet, cloudlets - 1),
                );
            }
            Entry::Explicit(a.entry_cloudlet.min(cloudlets as u64 - 1) as u32)
        }
        EntryRule::Weighted => {
            let total: f64 = a.entry_weights.iter().sum();
            let ok = a.entry_weights.len() == cloudlets as usize
                && a.entry_weights.iter().all(|w| w.is_finite() && *w >= 0.0)
                && total > 0.0
                && total.is_finite();
            if !ok {
                c.fail(
                    &key("entry_weights"),
                    format!(
                        "needs {cloudlets} non-negative weights, one per cloudlet, not all zero, with a finite sum \
                         (got {} weights)",
                        a.entry_weights.len()
                    ),
                );
            }
            Entry::Weighted(a.entry_weights.clone())
        }
    };
    let target = match a.target {
        TargetRule::RemoteCloud => Target::RemoteCloud,
        TargetRule::Cloudlet => {
            if let Some(t) = a.target_cloudlet.filter(|&t| t >= cloudlets as u64) {
                c.fail(
                    &key("target_cloudlet"),
                    format!("{t} is not a cloudlet index (allowed: 0 to {})", cloudlets - 1),
                );
            }
            if a.target_cloudlet.is_none() && cloudlets < 2 {
                c.fail(&key("target"), "a random cloudlet target other than the entry needs at least 2 cloudlets");
            }
            Target::Cloudlet(a.target_cloudlet.map(|t| t.min(cloudlets as u64 - 1) as u32))
        }
    };
    let (distinct_entries, follow_up, mimic_lift) = kind_keys(c, kind, a);
    let rate = c.rate(&key("rate_per_s"), a.rate_per_s, false);
    let flood_rate = c.rate(&key("flood_rate_pps"), a.flood_rate_pps, true);
    let flood_rate = if flood_rate > 0.0 && flood_rate <= 1e9 { flood_rate } else { 1.0 };
    AttackSpec {
        kind,
        rate_per_s: rate,
        campaign_size: c.count(&key("campaign_size"), a.campaign_size, 1),
        campaign_gap: c.time(&key("campaign_gap_s"), a.campaign_gap_s, true),
        entry,
        target,
        flood_packets: c.count(&key("flood_packets"), a.flood_packets, 1),
        flood_packet_bytes: c.count(&key("flood_packet_bytes"), a.flood_packet_bytes, 1),
        flood_interval: c.time(&key("flood_rate_pps"), 1.0 / flood_rate, true),
        sources: c.count(&key("sources"), a.sources, 1),
        distinct_entries,
        follow_up,
        mimic_lift,
    }
}

/// The keys that make attack kinds differ in their consequences (docs/model.md §8.2): `spread` (distributed),
/// `follow_up_*` and `recon_*` (probe), `mimics_benign` and `detection_lift` (insider). Each is refused, naming
/// its key, in another kind's table unless it has its default value.
fn kind_keys(c: &mut Checker, kind: AttackKind, a: &RawAttack) -> (bool, Option<FollowUp>, Option<f64>) {
    let key = |k: &str| format!("attacks.{}.{k}", kind.name());
    let d = RawAttack::default();
    let owned: [(&str, AttackKind, bool); 8] = [
        ("spread", AttackKind::Distributed, a.spread != d.spread),
        ("follow_up_kind", AttackKind::Probe, a.follow_up_kind != d.follow_up_kind),
        ("follow_up_prob", AttackKind::Probe, a.follow_up_prob != d.follow_up_prob),
        ("follow_up_delay_s", AttackKind::Probe, a.follow_up_delay_s != d.follow_up_delay_s),
        ("recon_window_s", AttackKind::Probe, a.recon_window_s != d.recon_window_s),
        ("recon_evasion", AttackKind::Probe, a.recon_evasion != d.recon_evasion),
        ("mimics_benign", AttackKind::Insider, a.mimics_benign != d.mimics_benign),
        ("detection_lift", AttackKind::Insider, a.detection_lift != d.detection_lift),
    ];
    for (name, owner, set) in owned {
        if set && kind != owner {
            c.fail(&key(name), format!("is only used in [attacks.{}], not in [attacks.{}]", owner.name(), kind.name()));
        }
    }
    let mut follow_up = None;
    if kind == AttackKind::Probe {
        let f = FollowUp {
            kind: a.follow_up_kind.kind(),
            prob: c.probability(&key("follow_up_prob"), a.follow_up_prob),
            delay: c.time(&key("follow_up_delay_s"), a.follow_up_delay_s, true),
            window: c.time(&key("recon_window_s"), a.recon_window_s, false),
            evasion: c.probability(&key("recon_evasion"), a.recon_evasion),
        };
        follow_up = (f.prob > 0.0 || f.evasion > 0.0).then_some(f);
    }
    let distinct = kind == AttackKind::Distributed && a.spread == Spread::Distinct;
    if distinct && a.entry != EntryRule::Random {
        c.fail(
            &key("spread"),
            "= \"distinct\" draws entries uniformly without replacement: it needs entry = \"random\"",
        );
    }
    let mut mimic_lift = None;
    if kind == AttackKind::Insider {
        let lift = c.probability(&key("detection_lift"), a.detection_lift);
        if a.mimics_benign {
            if a.entry != EntryRule::Random || a.target != TargetRule::RemoteCloud {
                c.fail(
                    &key("mimics_benign"),
                    "= true makes insiders enter like doctor accesses: it needs entry = \"random\" and target = \
                     \"remote_cloud\"",
                );
            }
            mimic_lift = Some(lift);
        }
    }
    (distinct, follow_up, mimic_lift)
}

pub(crate) fn benign(c: &mut Checker, raw: &RawBenign) -> BenignSpec {
    BenignSpec {
        inspect_uploads: raw.inspect_uploads,
        doctor_access_per_s: c.rate("benign.doctor_access_per_s", raw.doctor_access_per_s, false),
    }
}
