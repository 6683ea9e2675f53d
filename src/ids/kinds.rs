//! What makes the attack kinds differ in their consequences, beyond their detection parameters and payloads
//! (docs/model.md §8.2): an undetected probe's follow-up campaign and its source's reconnaissance evasion, insiders
//! that look like doctor accesses, and distributed attacks whose sources enter at distinct cloudlets. Each is off by
//! default and draws nothing then, so scenarios that do not use them keep their results. The handlers in
//! [`super::traffic`] and [`super::inspection`] call these helpers.

use rand::Rng;

use crate::chain::CloudletIx;
use crate::ids::state::{Campaign, IdsEvent, IdsState, Item};
use crate::ids::AttackKind;
use crate::kernel::{Scheduler, SimTime};

/// What the sources of one attack came to, for the distributed counters: items inspected, items with an alarm.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Group {
    pub(super) inspected: u32,
    pub(super) detected: u32,
}

/// `n` cloudlets of `0..cloudlets` drawn uniformly without replacement, a new round once every one is used.
fn draw_distinct(rng: &mut impl Rng, cloudlets: u32, n: u32) -> Vec<u32> {
    let mut pool: Vec<u32> = (0..cloudlets).collect();
    let mut left = 0u32;
    (0..n)
        .map(|_| {
            if left == 0 {
                left = cloudlets;
            }
            // Partial Fisher–Yates: pick among the `left` unused ones, move the pick behind them.
            let i = rng.random_range(0..left) as usize;
            pool.swap(i, left as usize - 1);
            left -= 1;
            pool[left as usize]
        })
        .collect()
}

impl IdsState {
    /// The entries of the `n` sources of one distributed attack with `spread = "distinct"`: cloudlets drawn
    /// uniformly without replacement from the kind's stream, a new round once every cloudlet is used.
    pub(super) fn distinct_entries(&mut self, kind: AttackKind, n: u32) -> Vec<CloudletIx> {
        draw_distinct(&mut self.attack_rngs[kind], self.cloudlets, n).into_iter().map(CloudletIx).collect()
    }

    /// The reconnaissance evasion e that applies to an item of `kind` from `source` entering at `now`: the probe's
    /// `recon_evasion` if the source is inside its window, else 0.
    pub(super) fn recon_evasion(&self, kind: Option<AttackKind>, source: u64, now: SimTime) -> f64 {
        let Some(f) = self.attacks[AttackKind::Probe].follow_up.filter(|f| f.evasion > 0.0 && kind.is_some()) else {
            return 0.0;
        };
        match self.recon_until.get(&source) {
            Some(&until) if now < until => f.evasion,
            _ => 0.0,
        }
    }

    /// Whether node `slot`'s alarm is suppressed by evasion `e` (one draw from the node's stream, only if e > 0):
    /// thinning each node's alarms keeps the detector's structure, p becoming p·(1 − e).
    pub(super) fn suppressed(&mut self, slot: u16, e: f64) -> bool {
        e > 0.0 && self.rngs[slot as usize].random::<f64>() < e
    }

    /// How node `slot` sees an item of `kind`: an insider with `mimics_benign` looks benign (`None`) unless, with
    /// probability `detection_lift` (one draw from the node's stream), the node tells it apart, or it holds the
    /// signature of the insider's campaign. Every other item is seen as what it is.
    pub(super) fn seen_as(&mut self, slot: u16, kind: Option<AttackKind>, campaign: u32) -> Option<AttackKind> {
        let Some(lift) = kind.and_then(|k| self.attacks[k].mimic_lift) else { return kind };
        if self.signatures[slot as usize].contains(&campaign) {
            return kind;
        }
        if self.rngs[slot as usize].random::<f64>() < lift {
            kind
        } else {
            None
        }
    }

    /// At the verdict on item `it`: an undetected probe opens its source's reconnaissance window (with evasion) and,
    /// with probability `follow_up_prob`, launches a follow-up campaign from the same source after an exponential
    /// delay. A detected probe does nothing more.
    pub(super) fn after_verdict<E: From<IdsEvent>>(&mut self, it: &Item, sched: &mut Scheduler<E>) {
        if it.kind != Some(AttackKind::Probe) || it.alarm_at.is_some() {
            return;
        }
        let Some(f) = self.attacks[AttackKind::Probe].follow_up else { return };
        let now = sched.now();
        if it.counted {
            self.metrics.kinds.probes_undetected += 1;
        }
        if f.evasion > 0.0 {
            self.recon_until.insert(it.source, now.saturating_add(f.window));
        }
        if f.prob == 0.0 || self.follow_up_rng.random::<f64>() >= f.prob {
            return;
        }
        if it.counted {
            self.metrics.kinds.follow_ups += 1;
        }
        let at = now.saturating_add(IdsState::exp(&mut self.follow_up_rng, 1.0 / f.delay.as_secs_f64()));
        if at < self.end {
            let id = self.next_campaign;
            self.next_campaign = id.wrapping_add(1);
            let remaining = self.attacks[f.kind].campaign_size;
            let campaign =
                self.campaigns.insert(Campaign { id, kind: f.kind, source: it.source, remaining, follow_up: true });
            sched.schedule_at(at, IdsEvent::CampaignAttack { campaign: campaign as u32 });
        }
    }

    /// Counts one attack item that reached inspection: as a follow-up's, as one inside a reconnaissance window, and
    /// into its attack's `group`.
    pub(super) fn count_item(&mut self, counted: bool, follow_up: bool, recon: bool, alarm: bool, group: &mut Group) {
        group.inspected += 1;
        group.detected += u32::from(alarm);
        if !counted {
            return;
        }
        let k = &mut self.metrics.kinds;
        if follow_up {
            k.follow_up_attacks += 1;
            k.follow_up_detected += u64::from(alarm);
        }
        if recon {
            k.recon_attacks += 1;
            k.recon_detected += u64::from(alarm);
        }
    }

    /// Counts one distributed attack by its sources' `group` (if any source reached inspection).
    pub(super) fn count_group(&mut self, counted: bool, group: Group) {
        if !counted || group.inspected == 0 {
            return;
        }
        let k = &mut self.metrics.kinds;
        k.distributed_attacks += 1;
        k.distributed_any_detected += u64::from(group.detected > 0);
        k.distributed_all_detected += u64::from(group.detected == group.inspected);
    }
}

#[cfg(test)]
mod tests {
    use super::draw_distinct;

    #[test]
    fn distinct_entries_use_every_cloudlet_once_per_round() {
        let mut rng = rand_pcg::Pcg32::new(7, 11);
        for (cloudlets, n) in [(6, 4), (6, 6), (5, 12), (1, 3)] {
            let mut uses = vec![0u32; cloudlets as usize];
            let drawn = draw_distinct(&mut rng, cloudlets, n);
            for (i, &c) in drawn.iter().enumerate() {
                // Within a round (of `cloudlets` draws) no cloudlet repeats.
                let round = i / cloudlets as usize;
                let before = &drawn[round * cloudlets as usize..i];
                assert!(!before.contains(&c), "{cloudlets} cloudlets, {n} sources: {drawn:?}");
                uses[c as usize] += 1;
            }
            let (full, rest) = (n / cloudlets, n % cloudlets);
            assert_eq!(uses.iter().filter(|&&u| u == full + 1).count() as u32, rest, "{drawn:?}");
            assert!(uses.iter().all(|&u| u == full || u == full + 1), "{drawn:?}");
        }
        // Uniform: over many draws of one source among 4, each cloudlet is first equally often.
        let mut first = [0u32; 4];
        for _ in 0..40_000 {
            first[draw_distinct(&mut rng, 4, 2)[0] as usize] += 1;
        }
        // Binomial(40 000, 1/4): sd ≈ 87; 5 sd.
        assert!(first.iter().all(|&f| (f as i64 - 10_000).abs() < 435), "{first:?}");
    }
}
