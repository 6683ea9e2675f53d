//! Detection-error curves of one IDS configuration, from a threshold sweep: the area under the ROC curve, the DET
//! curve (both error rates on normal-deviate axes, Martin et al. 1997), Drummond & Holte's cost curves (2006), and
//! the crossover error rate of simulated points (per replication, then a Student-t interval across replications).
//!
//! The closed-form sweep is [`super::plots::roc`]; the simulated points come from [`super::curves_sim`]. Everything
//! here is a pure function of the points, so it is checked against closed forms in the tests below
//! (`docs/model.md` §8.15).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::ids::plots::RocPoint;

/// Normal deviate Φ⁻¹(p), or `None` at p = 0 or 1 (where it is infinite) or for a p outside [0, 1].
pub fn deviate(p: f64) -> Option<f64> {
    (p > 0.0 && p < 1.0).then(|| Normal::standard().inverse_cdf(p))
}

/// Area under the ROC curve by the trapezoid rule over `points` (any order), closed with (0, 0) and (1, 1): the
/// probability that an attack scores above a benign item when the curve is a threshold sweep (Hanley & McNeil 1982).
pub fn auc(points: &[RocPoint]) -> f64 {
    let mut xy: Vec<(f64, f64)> = points.iter().map(|p| (p.fpr, p.tpr)).collect();
    xy.push((0.0, 0.0));
    xy.push((1.0, 1.0));
    xy.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    xy.windows(2).map(|w| (w[1].0 - w[0].0) * 0.5 * (w[0].1 + w[1].1)).sum()
}

/// One point of the DET curve (Martin, Doddington, Kamm, Ordowski & Przybocki, Eurospeech 1997): the false
/// positive and false negative rates and their normal deviates. A binormal ROC is a straight line on these axes.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DetPoint {
    /// The threshold of the sweep (the anomaly score, or the per-node false-alarm probability).
    pub threshold: f64,
    /// False positive rate.
    pub fpr: f64,
    /// False negative rate.
    pub fnr: f64,
    /// Φ⁻¹(FPR) (empty where FPR is 0 or 1).
    pub fpr_deviate: Option<f64>,
    /// Φ⁻¹(FNR) (empty where FNR is 0 or 1).
    pub fnr_deviate: Option<f64>,
}

/// The DET curve of a sweep.
pub fn det(points: &[RocPoint]) -> Vec<DetPoint> {
    points
        .iter()
        .map(|p| DetPoint {
            threshold: p.threshold,
            fpr: p.fpr,
            fnr: p.fnr,
            fpr_deviate: deviate(p.fpr),
            fnr_deviate: deviate(p.fnr),
        })
        .collect()
}

/// Drummond & Holte's probability cost of the positive class (attacks), PC(+) = π·C_miss / (π·C_miss + (1 −
/// π)·C_FA): the x axis of a cost curve, where the scenario's operating condition sits. `None` when both terms are 0.
pub fn probability_cost(prevalence: f64, miss_cost: f64, false_alarm_cost: f64) -> Option<f64> {
    let (pos, neg) = (prevalence * miss_cost, (1.0 - prevalence) * false_alarm_cost);
    (pos + neg > 0.0).then(|| pos / (pos + neg))
}

/// Normalised expected cost of an operating point (FPR, FNR) at probability cost `pc`: FNR·pc + FPR·(1 − pc). At the
/// scenario's `pc` it is the expected misclassification cost per item divided by π·C_miss + (1 − π)·C_FA.
pub fn normalized_expected_cost(fpr: f64, fnr: f64, pc: f64) -> f64 {
    fnr * pc + fpr * (1.0 - pc)
}

/// One point of the lower envelope of a cost curve.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CostCurvePoint {
    /// Probability cost PC(+), from 0 to 1.
    pub probability_cost: f64,
    /// The least normalised expected cost over the operating points (and the two trivial detectors).
    pub normalized_expected_cost: f64,
    /// The threshold of the operating point that gives it; empty where a trivial detector (never or always alarm)
    /// is best.
    pub threshold: Option<f64>,
}

/// The cost curve of a sweep: at `steps + 1` probability costs evenly spaced on [0, 1], the lower envelope of the
/// lines NEC = FNR·PC + FPR·(1 − PC) of every point and of the trivial detectors (never alarm: NEC = PC; always:
/// 1 − PC). Each ROC point is a line here and the envelope is the ROC convex hull's dual (Drummond & Holte 2006).
pub fn cost_curve(points: &[RocPoint], steps: usize) -> Vec<CostCurvePoint> {
    let steps = steps.max(1);
    (0..=steps)
        .map(|i| {
            let pc = i as f64 / steps as f64;
            let (cost, threshold) = envelope_at(points, pc);
            CostCurvePoint { probability_cost: pc, normalized_expected_cost: cost, threshold }
        })
        .collect()
}

/// The cost curve's lower envelope at probability cost `pc`: the least normalised expected cost over `points` and
/// the trivial detectors (min(PC, 1 − PC)), and the threshold of the point attaining it (`None`: a trivial one).
pub fn envelope_at(points: &[RocPoint], pc: f64) -> (f64, Option<f64>) {
    points.iter().fold((pc.min(1.0 - pc), None), |best, p| {
        let c = normalized_expected_cost(p.fpr, p.fnr, pc);
        if c < best.0 {
            (c, Some(p.threshold))
        } else {
            best
        }
    })
}

/// Where FPR − FNR changes sign between consecutive thresholds (`thresholds` sorted either way), by linear
/// interpolation of both rates in the threshold: the crossover threshold and the rate (FPR + FNR)/2 there. `None`
/// when the rates never cross on the sweep.
pub fn crossover(thresholds: &[f64], fpr: &[f64], fnr: &[f64]) -> Option<(f64, f64)> {
    let d: Vec<f64> = fpr.iter().zip(fnr).map(|(a, b)| a - b).collect();
    for i in 1..d.len().min(thresholds.len()) {
        if d[i - 1] == 0.0 {
            return Some((thresholds[i - 1], fpr[i - 1]));
        }
        if d[i - 1] * d[i] < 0.0 {
            let w = d[i - 1] / (d[i - 1] - d[i]);
            let lerp = |a: f64, b: f64| a + w * (b - a);
            let rate = 0.5 * (lerp(fpr[i - 1], fpr[i]) + lerp(fnr[i - 1], fnr[i]));
            return Some((lerp(thresholds[i - 1], thresholds[i]), rate));
        }
    }
    (d.last() == Some(&0.0)).then(|| (thresholds[d.len() - 1], fpr[d.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One node, benign scores N(0, 1), attacks N(d, 1), swept over `steps` thresholds on [−6, d + 6].
    fn equal_variance(d: f64, steps: usize) -> Vec<RocPoint> {
        let n = Normal::standard();
        (0..=steps)
            .map(|i| {
                let t = -6.0 + (d + 12.0) * i as f64 / steps as f64;
                let (fpr, fnr) = (1.0 - n.cdf(t), n.cdf(t - d));
                RocPoint { threshold: t, fpr, tpr: 1.0 - fnr, fnr }
            })
            .collect()
    }

    #[test]
    fn auc_of_the_binormal_curve_is_phi_of_d_over_root_two() {
        // AUC = P(S_attack > S_benign) = Φ(d/√2) for two unit normals d apart (Hanley & McNeil 1982). The trapezoid
        // rule under-estimates a concave curve by at most Σ Δx²·max|f''|/12; with 2000 steps it is below 1e-5.
        for d in [0.0, 0.5, 1.0, 2.0, 3.0] {
            let exact = Normal::standard().cdf(d / 2f64.sqrt());
            let a = auc(&equal_variance(d, 2000));
            assert!((a - exact).abs() < 1e-4, "d {d}: {a} vs {exact}");
        }
    }

    #[test]
    fn det_of_the_binormal_curve_is_a_line_of_slope_minus_one() {
        // Φ⁻¹(FNR) = t − d and Φ⁻¹(FPR) = −t, so Φ⁻¹(FNR) = −Φ⁻¹(FPR) − d.
        let d = 1.7;
        for p in det(&equal_variance(d, 200)) {
            if let (Some(x), Some(y)) = (p.fpr_deviate, p.fnr_deviate) {
                if x.abs() < 5.0 && y.abs() < 5.0 {
                    assert!((y + x + d).abs() < 1e-6, "{p:?}");
                }
            }
        }
        assert_eq!(deviate(0.0), None);
        assert_eq!(deviate(1.0), None);
        assert!((deviate(0.975).unwrap() - 1.959_964).abs() < 1e-6);
    }

    #[test]
    fn cost_curve_minimum_is_the_minimum_expected_cost() {
        let points = equal_variance(2.0, 400);
        let (pi, c_miss, c_fa) = (0.1, 0.33, 0.05);
        let pc = probability_cost(pi, c_miss, c_fa).unwrap();
        assert!((pc - 0.033 / (0.033 + 0.045)).abs() < 1e-12);
        // The envelope at the scenario's PC, times the normaliser, is the least expected misclassification cost
        // over the sweep (found here by brute force over the same points).
        let brute =
            points.iter().map(|p| pi * c_miss * p.fnr + (1.0 - pi) * c_fa * p.fpr).fold(f64::INFINITY, f64::min);
        let at = points.iter().map(|p| normalized_expected_cost(p.fpr, p.fnr, pc)).fold(f64::INFINITY, f64::min);
        assert!((at * (pi * c_miss + (1.0 - pi) * c_fa) - brute).abs() < 1e-12);
        // The envelope never exceeds the trivial detectors, is 0 at both ends, and lies below every point's line.
        let curve = cost_curve(&points, 100);
        for c in &curve {
            assert!(c.normalized_expected_cost <= c.probability_cost.min(1.0 - c.probability_cost) + 1e-15);
            for p in points.iter().step_by(37) {
                assert!(c.normalized_expected_cost <= normalized_expected_cost(p.fpr, p.fnr, c.probability_cost));
            }
        }
        assert_eq!((curve[0].normalized_expected_cost, curve[100].normalized_expected_cost), (0.0, 0.0));
        // For two unit normals d apart the envelope's peak is at PC = 1/2, where the best threshold is d/2 and the
        // cost is the error rate there, Φ(−d/2).
        let mid = curve[50];
        assert!((mid.normalized_expected_cost - Normal::standard().cdf(-1.0)).abs() < 2e-3, "{mid:?}");
        assert!((mid.threshold.unwrap() - 1.0).abs() < 0.05, "{mid:?}");
    }

    #[test]
    fn crossover_interpolates_between_the_bracketing_thresholds() {
        // FPR falls 0.4 → 0.1 and FNR rises 0.1 → 0.3 between thresholds 1 and 2: FPR − FNR is 0.3 and −0.2, zero
        // at w = 0.6, threshold 1.6, where FPR = FNR = 0.22.
        let (t, rate) = crossover(&[0.0, 1.0, 2.0, 3.0], &[0.9, 0.4, 0.1, 0.0], &[0.0, 0.1, 0.3, 0.8]).unwrap();
        assert!((t - 1.6).abs() < 1e-12 && (rate - 0.22).abs() < 1e-12, "{t} {rate}");
        // Rising FPR (a sweep over the per-node false-alarm probability) works the same way.
        let (t, _) = crossover(&[0.3, 0.2, 0.1], &[0.1, 0.4, 0.9], &[0.5, 0.3, 0.2]).unwrap();
        assert!((0.2..0.3).contains(&t), "{t}");
        assert_eq!(crossover(&[0.0, 1.0], &[0.5, 0.4], &[0.1, 0.2]), None);
    }
}
