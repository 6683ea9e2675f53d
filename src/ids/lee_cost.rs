//! The richer cost option: Lee, Fan, Miller, Stolfo & Zadok's damage, response and operational cost factors per
//! attack kind ("Toward cost-sensitive modeling for intrusion detection and response", J. Computer Security 10,
//! 2002; the ACM CCS 2000 version's Tables 1 and 2), switched on by a `[ids.cost.lee]` table (`docs/model.md` §8.12).
//!
//! Every outcome of an inspected item has a consequential cost:
//!
//! | outcome | cost | when |
//! |---|---|---|
//! | missed attack of kind k (FN) | DCost_k | |
//! | detected attack (TP) | RCost_k + ε·DCost_k | RCost_k <= DCost_k (a response pays) |
//! | | DCost_k | otherwise (only logged) |
//! | false alarm (FP), taken for an attack e' | RCost(e') + PCost | DCost(e') >= RCost(e') |
//! | | 0 | otherwise |
//! | benign, quiet (TN) | 0 | |
//!
//! ε is the share of the damage done before the response takes effect (Lee et al. set it to 0 in their
//! experiments). Our detectors do not label the kind of a false alarm, so e' is taken as an attack drawn from the
//! scenario's attack mix (the kinds' shares of attack items). Lee et al.'s operational cost is `ids.cost.per_ids_node`
//! per node per inspected item, as in the standard form. With DCost_k = C_miss for every kind, RCost_k = 0, ε = 0
//! and a false-alarm cost of C_FA the expected cost is exactly the standard form's (a test checks it).

use enum_map::EnumMap;

pub use crate::ids::raw::RawLeeCost;
use crate::ids::AttackKind;

/// Validated Lee et al. cost factors.
#[derive(Debug, Clone, PartialEq)]
pub struct LeeCost {
    /// DCost per kind.
    pub damage: EnumMap<AttackKind, f64>,
    /// RCost per kind.
    pub response: EnumMap<AttackKind, f64>,
    /// ε.
    pub progress: f64,
    /// PCost.
    pub false_alarm_penalty: f64,
}

impl From<&RawLeeCost> for LeeCost {
    /// The factors of a table (unchecked: `validate` checks the ranges first).
    fn from(raw: &RawLeeCost) -> Self {
        LeeCost {
            damage: raw.damage.values(),
            response: raw.response.values(),
            progress: raw.progress,
            false_alarm_penalty: raw.false_alarm_penalty,
        }
    }
}

impl LeeCost {
    /// Consequential cost of an attack of kind `k`, detected or missed.
    pub fn attack(&self, k: AttackKind, detected: bool) -> f64 {
        let (d, r) = (self.damage[k], self.response[k]);
        if detected && r <= d {
            r + self.progress * d
        } else {
            d
        }
    }

    /// Expected consequential cost of one false alarm, the alarm taken for an attack drawn with weights `mix`
    /// (attack items per second of each kind; a zero mix gives no response and no cost).
    pub fn false_alarm(&self, mix: &EnumMap<AttackKind, f64>) -> f64 {
        let total: f64 = mix.values().sum();
        if total <= 0.0 {
            return 0.0;
        }
        mix.iter()
            .filter(|(k, _)| self.damage[*k] >= self.response[*k])
            .map(|(k, w)| w / total * (self.response[k] + self.false_alarm_penalty))
            .sum()
    }

    /// Expected cost per inspected item of `n` nodes with per-node cost `per_node`: attack items `attacks[k]` and
    /// benign items `benign` (rates or counts), detection rate `detected[k]` per kind, false-alarm rate
    /// `false_alarm_rate`.
    pub fn expected(
        &self,
        n: u32,
        per_node: f64,
        attacks: &EnumMap<AttackKind, f64>,
        detected: &EnumMap<AttackKind, f64>,
        benign: f64,
        false_alarm_rate: f64,
    ) -> f64 {
        let total = attacks.values().sum::<f64>() + benign;
        if total <= 0.0 {
            return 0.0;
        }
        let attack_cost: f64 = attacks
            .iter()
            .map(|(k, a)| a * (detected[k] * self.attack(k, true) + (1.0 - detected[k]) * self.attack(k, false)))
            .sum();
        per_node * n as f64 + (attack_cost + benign * false_alarm_rate * self.false_alarm(attacks)) / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IdsCost;

    fn lee(d: f64, r: f64, eps: f64, penalty: f64) -> LeeCost {
        LeeCost {
            damage: EnumMap::from_fn(|_| d),
            response: EnumMap::from_fn(|_| r),
            progress: eps,
            false_alarm_penalty: penalty,
        }
    }

    #[test]
    fn outcome_costs_follow_lee_et_al_table_2() {
        let c = LeeCost::from(&RawLeeCost::default());
        // unauthorized_access (R2L single, 50/20): a miss loses 50, a detection costs the response 20.
        assert_eq!(c.attack(AttackKind::UnauthorizedAccess, false), 50.0);
        assert_eq!(c.attack(AttackKind::UnauthorizedAccess, true), 20.0);
        // probe (2/5): responding costs more than the damage, so a detected probe is only logged and loses 2.
        assert_eq!(c.attack(AttackKind::Probe, true), 2.0);
        // ε = 0.1: a detected insider (100/40) costs 40 + 10.
        let c = LeeCost { progress: 0.1, ..c };
        assert!((c.attack(AttackKind::Insider, true) - 50.0).abs() < 1e-12);
        // A false alarm taken for a probe draws no response (0); for a read, 20 + the penalty 30. Mix 1:1 → 25.
        let mix = EnumMap::from_fn(|k| match k {
            AttackKind::Probe | AttackKind::UnauthorizedAccess => 1.0,
            _ => 0.0,
        });
        assert!((c.false_alarm(&mix) - 25.0).abs() < 1e-12);
        assert_eq!(c.false_alarm(&EnumMap::default()), 0.0);
    }

    #[test]
    fn with_one_damage_no_response_cost_and_no_progress_it_is_the_standard_form() {
        // DCost = C_miss for every kind, RCost = 0, ε = 0, PCost = C_FA: every false alarm is responded to at cost
        // C_FA and every detection costs nothing, which is C(n) of Gaffney & Ulvila.
        let std = IdsCost { per_ids_node: 0.0025, per_missed_attack: 0.33, per_false_alarm: 0.05 };
        let c = lee(0.33, 0.0, 0.0, 0.05);
        let attacks = EnumMap::from_fn(|k: AttackKind| [3.0, 4.0, 3.0, 0.0, 1.0, 2.0][enum_map::Enum::into_usize(k)]);
        let detected = EnumMap::from_fn(|k: AttackKind| [0.2, 0.75, 0.5, 0.1, 0.9, 0.3][enum_map::Enum::into_usize(k)]);
        let benign = 90.0;
        let total_attacks: f64 = attacks.values().sum();
        let pd = attacks.iter().map(|(k, a)| a * detected[k]).sum::<f64>() / total_attacks;
        let pi = total_attacks / (total_attacks + benign);
        for n in [1, 4, 7] {
            let a = c.expected(n, std.per_ids_node, &attacks, &detected, benign, 0.03);
            let b = std.expected(n, pi, pd, 0.03);
            assert!((a - b).abs() < 1e-12, "n {n}: {a} vs {b}");
        }
    }
}
