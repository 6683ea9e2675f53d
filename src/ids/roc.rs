//! The `roc` detector: one ROC curve per attack kind, an operating point (the node false-alarm probability x) chosen
//! by a rule, and nodes whose errors are correlated by a Gaussian copula.
//!
//! A curve gives the per-node detection probability `TPR_k(x)` of attack kind k at node false-alarm probability x:
//! binormal, `TPR = Φ(a + b·Φ⁻¹(x))` (attack scores N(a/b, 1/b²) against benign N(0, 1); Metz 1978, Hanley 1988),
//! or the ROC convex hull of given points (Provost & Fawcett 2001), linear between vertices. Node i alarms on an
//! item when its latent score `s_i = √ρ·Z + √(1−ρ)·ε_i` exceeds `Φ⁻¹(1 − p)`, p = x for a benign item and
//! `TPR_k(x)` for an attack of kind k: each node has the curve's rates, and the shared Z makes errors coincide
//! (Littlewood, Popov & Strigini 1999). The operating point is `fixed`, chosen by each node's own minimum expected
//! cost (`slope`), or chosen for the fused system (`system`, in [`super::analytic`], which owns the closed forms).
//! See docs/model.md §8.6.

use enum_map::EnumMap;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::ids::{AttackKind, IdsCost};

/// Smallest node false-alarm probability a rule may choose (dimensionless). A numerical bound, not a model figure:
/// it keeps Φ⁻¹(x) finite; 1e-6 is below any operating point a published IDS evaluation reports that we know of.
pub const X_MIN: f64 = 1e-6;
/// Largest node false-alarm probability a rule may choose: 1 − [`X_MIN`].
pub const X_MAX: f64 = 1.0 - 1e-6;
/// Points of the logit-spaced grid the operating-point searches start from (then golden-section refinement).
pub const SEARCH_GRID: usize = 61;
/// Golden-section iterations after the grid (each shrinks the bracket by 0.618; 60 reach 1e-12 of it).
const GOLDEN_STEPS: usize = 60;

/// One attack kind's ROC curve.
#[derive(Debug, Clone, PartialEq)]
pub enum RocCurve {
    /// `TPR(x) = Φ(a + b·Φ⁻¹(x))`, b > 0.
    Binormal {
        /// Intercept a in probit space.
        a: f64,
        /// Slope b in probit space (the ratio of benign to attack score standard deviations).
        b: f64,
    },
    /// The ROC convex hull: vertices (fpr, tpr) from (0, 0) to (1, 1), by increasing fpr, concave; linear between.
    Hull(Vec<(f64, f64)>),
}

impl RocCurve {
    /// The detection probability at node false-alarm probability `x` in [0, 1].
    pub fn tpr(&self, x: f64) -> f64 {
        let x = x.clamp(0.0, 1.0);
        match self {
            RocCurve::Binormal { a, b } => {
                if x <= 0.0 {
                    0.0
                } else if x >= 1.0 {
                    1.0
                } else {
                    let std = Normal::standard();
                    std.cdf(a + b * std.inverse_cdf(x))
                }
            }
            RocCurve::Hull(v) => {
                for w in v.windows(2) {
                    let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                    if x1 > x0 && x <= x1 && x >= x0 {
                        return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
                    }
                }
                v.last().map_or(1.0, |p| p.1)
            }
        }
    }

    /// The hull's vertices' false-alarm probabilities (where a piecewise-linear objective has its minimum); none for
    /// a binormal curve.
    pub fn vertices(&self) -> Vec<f64> {
        match self {
            RocCurve::Binormal { .. } => vec![],
            RocCurve::Hull(v) => v.iter().map(|p| p.0).collect(),
        }
    }
}

/// Least-squares binormal fit in probit space: `Φ⁻¹(tpr) = a + b·Φ⁻¹(fpr)`. Every coordinate must be in (0, 1).
/// With one point the slope is taken as b = 1 (equal variances) and a = Φ⁻¹(tpr) − Φ⁻¹(fpr). Errors say why.
pub fn fit_binormal(points: &[(f64, f64)]) -> Result<(f64, f64), String> {
    if points.is_empty() {
        return Err("needs at least one point".into());
    }
    if let Some(p) = points.iter().find(|(x, y)| !(*x > 0.0 && *x < 1.0 && *y > 0.0 && *y < 1.0)) {
        return Err(format!(
            "point [{}, {}] is outside (0, 1) x (0, 1); a binormal fit needs every fpr and tpr strictly between 0 and 1 \
             (use fit = \"hull\" for points on the edges)",
            p.0, p.1
        ));
    }
    let std = Normal::standard();
    let uv: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (std.inverse_cdf(x), std.inverse_cdf(y))).collect();
    let n = uv.len() as f64;
    let (mu, mv) = (uv.iter().map(|p| p.0).sum::<f64>() / n, uv.iter().map(|p| p.1).sum::<f64>() / n);
    if uv.len() == 1 {
        return Ok((mv - mu, 1.0));
    }
    let sxx: f64 = uv.iter().map(|p| (p.0 - mu).powi(2)).sum();
    let sxy: f64 = uv.iter().map(|p| (p.0 - mu) * (p.1 - mv)).sum();
    if sxx <= 1e-12 {
        return Err("every point has the same fpr; a binormal fit of two or more points needs distinct fprs".into());
    }
    let b = sxy / sxx;
    if !(b > 0.0 && b.is_finite()) {
        return Err(format!(
            "the probit-space fit has slope b = {b:.4}, not > 0 (the tpr does not rise with the fpr); allowed: points \
             whose tpr rises with their fpr, or fit = \"hull\""
        ));
    }
    Ok((mv - b * mu, b))
}

/// The ROC convex hull (upper concave envelope) of `points` with (0, 0) and (1, 1), vertices by increasing fpr.
/// Every coordinate must be in [0, 1] (checked by the caller).
pub fn hull(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut all: Vec<(f64, f64)> = points.to_vec();
    all.push((0.0, 0.0));
    all.push((1.0, 1.0));
    all.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
    let mut h: Vec<(f64, f64)> = Vec::new();
    for p in all {
        while h.len() >= 2 {
            let (o, a) = (h[h.len() - 2], h[h.len() - 1]);
            // Keep only right turns (a strictly above the chord o → p).
            let cross = (a.0 - o.0) * (p.1 - o.1) - (a.1 - o.1) * (p.0 - o.0);
            if cross >= 0.0 {
                h.pop();
            } else {
                break;
            }
        }
        h.push(p);
    }
    h
}

/// How the node operating point is chosen (`ids.roc.operating_point`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatingRule {
    /// Every node at `ids.roc.false_alarm_prob`.
    Fixed,
    /// Each node's own minimum expected cost (the slope rule).
    Slope,
    /// The common node point minimising the fused system's closed-form cost.
    System,
}

impl OperatingRule {
    /// Name as in scenario files and outputs.
    pub const fn name(self) -> &'static str {
        match self {
            OperatingRule::Fixed => "fixed",
            OperatingRule::Slope => "slope",
            OperatingRule::System => "system",
        }
    }
}

/// The `roc` detector with its operating point.
#[derive(Debug, Clone, PartialEq)]
pub struct RocDetector {
    /// ROC curve per attack kind.
    pub curves: EnumMap<AttackKind, RocCurve>,
    /// ρ, the correlation of two nodes' latent scores of one item, in [0, 1).
    pub correlation: f64,
    /// Operating-point rule.
    pub rule: OperatingRule,
    /// `ids.roc.false_alarm_prob`: the node false-alarm probability of the `fixed` rule.
    pub fixed_false_alarm: f64,
    /// The node false-alarm probability in force: the fixed one until [`RocDetector::operate_at`] sets the chosen
    /// one (`super::analytic::resolve` does, once per configuration).
    pub node_false_alarm: f64,
    /// The slope rule's target slope (1 − π)·C_FA / (π·C_miss), when that rule chose the point and it is finite.
    pub slope_target: Option<f64>,
}

impl RocDetector {
    /// Sets the node false-alarm probability in force.
    pub fn operate_at(&mut self, x: f64) {
        self.node_false_alarm = x;
    }

    /// A node's alarm probability for an item of kind `kind` (`None`: benign) at the point in force.
    pub fn node_prob(&self, kind: Option<AttackKind>) -> f64 {
        kind.map_or(self.node_false_alarm, |k| self.curves[k].tpr(self.node_false_alarm))
    }

    /// The latent-score threshold for alarm probability `p`: Φ⁻¹(1 − p), written −Φ⁻¹(p) (accurate for small p);
    /// +∞ for p = 0 (never alarms), −∞ for p = 1.
    pub fn threshold(p: f64) -> f64 {
        if p <= 0.0 {
            f64::INFINITY
        } else if p >= 1.0 {
            f64::NEG_INFINITY
        } else {
            -Normal::standard().inverse_cdf(p)
        }
    }

    /// The attack-mix ROC Σ_k w_k·TPR_k(x).
    pub fn mix_tpr(&self, weights: &EnumMap<AttackKind, f64>, x: f64) -> f64 {
        AttackKind::all().filter(|k| weights[*k] > 0.0).map(|k| weights[k] * self.curves[k].tpr(x)).sum()
    }

    /// Every hull vertex of every curve with positive weight, inside [X_MIN, X_MAX] (candidates of the searches).
    pub fn vertex_candidates(&self, weights: &EnumMap<AttackKind, f64>) -> Vec<f64> {
        let mut v: Vec<f64> = AttackKind::all()
            .filter(|k| weights[*k] > 0.0)
            .flat_map(|k| self.curves[k].vertices())
            .map(|x| x.clamp(X_MIN, X_MAX))
            .collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    }
}

/// The slope rule's target (1 − π)·C_FA / (π·C_miss): the ROC slope of the cost-optimal point (Gaffney & Ulvila
/// 2001; Provost & Fawcett 2001). `None` when π·C_miss = 0 (no finite slope).
pub fn slope_target(prevalence: f64, cost: &IdsCost) -> Option<f64> {
    let d = prevalence * cost.per_missed_attack;
    (d > 0.0).then(|| (1.0 - prevalence) * cost.per_false_alarm / d).filter(|s| s.is_finite())
}

/// The slope rule: the x in [X_MIN, X_MAX] minimising one node's expected cost
/// `(1 − π)·C_FA·x − π·C_miss·Σ_k w_k·TPR_k(x)` (the constant terms dropped).
pub fn slope_point(det: &RocDetector, weights: &EnumMap<AttackKind, f64>, prevalence: f64, cost: &IdsCost) -> f64 {
    let f = |x: f64| {
        (1.0 - prevalence) * cost.per_false_alarm * x - prevalence * cost.per_missed_attack * det.mix_tpr(weights, x)
    };
    minimise(&f, SEARCH_GRID * 4, &det.vertex_candidates(weights))
}

fn logit(x: f64) -> f64 {
    (x / (1.0 - x)).ln()
}

fn logistic(t: f64) -> f64 {
    (1.0 / (1.0 + (-t).exp())).clamp(X_MIN, X_MAX)
}

/// Deterministic 1-D minimisation of `f` over x in [X_MIN, X_MAX]: a grid of `grid` points evenly spaced in
/// logit(x) (log-spaced near both ends), golden-section refinement in the bracket around the best grid point, and the
/// given candidates (hull vertices, where piecewise-linear objectives have their minima). Returns the best x found
/// (ties: the earliest of grid point, refinement, candidates).
pub fn minimise(f: &dyn Fn(f64) -> f64, grid: usize, candidates: &[f64]) -> f64 {
    let grid = grid.max(3);
    let (t0, t1) = (logit(X_MIN), logit(X_MAX));
    let t_at = |i: usize| t0 + (t1 - t0) * i as f64 / (grid - 1) as f64;
    let mut best = (0usize, f64::INFINITY);
    for i in 0..grid {
        let v = f(logistic(t_at(i)));
        if v < best.1 {
            best = (i, v);
        }
    }
    let mut x_best = logistic(t_at(best.0));
    let mut f_best = best.1;
    // Golden section on logit(x) in the bracket of the best grid point.
    let (mut a, mut b) = (t_at(best.0.saturating_sub(1)), t_at((best.0 + 1).min(grid - 1)));
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(logistic(c)), f(logistic(d)));
    for _ in 0..GOLDEN_STEPS {
        if fc <= fd {
            (b, d, fd) = (d, c, fc);
            c = b - g * (b - a);
            fc = f(logistic(c));
        } else {
            (a, c, fc) = (c, d, fd);
            d = a + g * (b - a);
            fd = f(logistic(d));
        }
    }
    let (tg, fg) = if fc <= fd { (c, fc) } else { (d, fd) };
    if fg < f_best {
        (x_best, f_best) = (logistic(tg), fg);
    }
    // A candidate within rounding of the best (1e-12 relative) wins: on a hull edge the refinement can land a hair
    // beside the vertex it converges to.
    let tol = 1e-12 * f_best.abs().max(1e-300);
    let mut best_candidate: Option<(f64, f64)> = None;
    for &x in candidates {
        let x = x.clamp(X_MIN, X_MAX);
        let v = f(x);
        if v <= f_best + tol && best_candidate.is_none_or(|b| v < b.1) {
            best_candidate = Some((x, v));
        }
    }
    best_candidate.map_or(x_best, |b| b.0)
}

#[cfg(test)]
#[path = "roc_tests.rs"]
mod tests;
