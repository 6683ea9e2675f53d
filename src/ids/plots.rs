//! Figures and curves of the IDS analysis: detection rate and cost against IDS count (analytic lines, simulated
//! points with 95% intervals, the optimum marked), and the ROC curve with the crossover error rate.

use std::path::Path;

use plotters::prelude::*;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::chain::topology::Topology;
use crate::ids::analytic::expected_as_configured;
use crate::ids::roc::{RocDetector, X_MAX, X_MIN};
use crate::ids::tradeoff::{Optimum, TradeoffRow};
use crate::ids::Detector;
use crate::plot::{save_figure, Figure, FigureData, PlotError, PALETTE};
use crate::scenario::ModelConfig;

/// One point of a threshold sweep.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RocPoint {
    /// Alarm threshold on the anomaly score (roc detector: on the latent standard-normal score, Φ⁻¹(1 − x) for node
    /// false-alarm probability x).
    pub threshold: f64,
    /// False positive rate (benign items with an alarm).
    pub fpr: f64,
    /// True positive rate (attacks detected).
    pub tpr: f64,
    /// False negative rate, 1 − tpr.
    pub fnr: f64,
}

/// The crossover error rate: where FPR = FNR.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Cer {
    /// IDS nodes of the configuration swept.
    pub ids_count: u32,
    /// Threshold at the crossover.
    pub threshold: f64,
    /// FPR = FNR there.
    pub rate: f64,
}

/// A threshold sweep.
#[derive(Debug, Clone)]
pub struct Roc {
    /// Points by increasing threshold.
    pub points: Vec<RocPoint>,
    /// The crossover.
    pub cer: Cer,
}

/// Sweeps the alarm threshold of `cfg` with IDS nodes at `slots`, in closed form: the score detector's threshold,
/// or the roc detector's node false-alarm probability x (its latent-score threshold Φ⁻¹(1 − x)). `None` for the
/// Bernoulli detector, which has no threshold.
pub fn roc(cfg: &ModelConfig, topo: &Topology, slots: &[u32]) -> Option<Roc> {
    let (lo, hi) = match &cfg.ids.detector {
        Detector::Bernoulli { .. } => return None,
        Detector::Score { benign_mean, attack_mean, sd, .. } => {
            (benign_mean - 3.0 * sd, attack_mean.values().copied().fold(*benign_mean, f64::max) + 4.0 * sd)
        }
        // Latent thresholds from x = 1 − 1e-6 down to x = 1e-6.
        Detector::Roc(_) => (RocDetector::threshold(X_MAX), RocDetector::threshold(X_MIN)),
    };
    let at = |threshold: f64| closed_form_point(cfg, topo, slots, threshold);
    const POINTS: usize = 120;
    let points: Vec<RocPoint> = (0..=POINTS).map(|i| at(lo + (hi - lo) * i as f64 / POINTS as f64)).collect();
    // FPR falls and FNR rises with the threshold: bisect their difference.
    let (mut a, mut b) = (lo, hi);
    for _ in 0..60 {
        let mid = 0.5 * (a + b);
        let p = at(mid);
        if p.fpr > p.fnr {
            a = mid;
        } else {
            b = mid;
        }
    }
    let p = at(0.5 * (a + b));
    Some(Roc {
        points,
        cer: Cer { ids_count: slots.len() as u32, threshold: p.threshold, rate: 0.5 * (p.fpr + p.fnr) },
    })
}

/// The roc detector's node false-alarm probability at latent threshold `threshold`: 1 − Φ(threshold).
pub fn node_false_alarm_at(threshold: f64) -> f64 {
    1.0 - Normal::standard().cdf(threshold)
}

/// Sets the swept threshold of a detector: the score detector's θ; for the roc detector, every node at the
/// false-alarm probability [`node_false_alarm_at`] gives; nothing for the Bernoulli detector.
pub fn set_sweep_threshold(detector: &mut Detector, threshold: f64) {
    match detector {
        Detector::Score { threshold: t, .. } => *t = threshold,
        Detector::Roc(r) => r.operate_at(node_false_alarm_at(threshold)),
        Detector::Bernoulli { .. } => {}
    }
}

/// The closed form's point of `cfg` with IDS nodes at `slots` and the swept threshold at `threshold`.
pub fn closed_form_point(cfg: &ModelConfig, topo: &Topology, slots: &[u32], threshold: f64) -> RocPoint {
    let mut c = cfg.clone();
    set_sweep_threshold(&mut c.ids.detector, threshold);
    let e = expected_as_configured(&c, topo, slots);
    RocPoint { threshold, fpr: e.false_alarm_rate, tpr: e.detection_rate, fnr: 1.0 - e.detection_rate }
}

/// The trade-off figure's data.
struct TradeoffFigure<'a>(&'a [TradeoffRow], &'a Optimum);

impl Figure for TradeoffFigure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String> {
        draw_tradeoff(root, self.0, self.1)
    }

    fn data(&self) -> FigureData {
        let mut d = FigureData::new(&["panel", "series"]);
        for (panel, y, get) in TRADEOFF_PANELS {
            let (lo, hi) = (format!("{y} 95% CI low"), format!("{y} 95% CI high"));
            for r in self.0 {
                let (v, l, h) = get(r);
                let n = r.ids_count as f64;
                if r.method == "analytic" {
                    d.push(&[panel, "analytic (closed form)"], &[("IDS nodes", n), (y, v)]);
                } else {
                    d.push(&[panel, "simulated"], &[("IDS nodes", n), (y, v), (&lo, l), (&hi, h)]);
                }
            }
            if let Some(best) = self.0.iter().find(|r| r.method == "analytic" && r.optimal) {
                d.push(&[panel, "optimum"], &[("IDS nodes", best.ids_count as f64), (y, get(best).0)]);
            }
        }
        d
    }
}

type Get = fn(&TradeoffRow) -> (f64, f64, f64);

/// The trade-off figure's panels: title, y-axis label, and the row's (value, interval low, interval high).
const TRADEOFF_PANELS: [(&str, &str, Get); 2] = [
    ("Detection rate against IDS count", "detection rate", |r| {
        (r.detection_rate, r.detection_rate_ci_low, r.detection_rate_ci_high)
    }),
    ("System cost against IDS count", "cost per inspected item (relative)", |r| {
        (r.cost, r.cost_ci_low, r.cost_ci_high)
    }),
];

/// Writes `base.png` and `base.svg`: detection rate (top) and cost (bottom) against IDS count.
pub fn tradeoff_figure(base: &Path, rows: &[TradeoffRow], optimum: &Optimum) -> Result<(), PlotError> {
    save_figure(base, (1000, 900), &TradeoffFigure(rows, optimum))
}

fn draw_tradeoff<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    rows: &[TradeoffRow],
    optimum: &Optimum,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let panels = root.split_evenly((2, 1));
    let max_n = rows.iter().map(|r| r.ids_count).max().unwrap_or(1) as f64;
    let legends = [SeriesLabelPosition::LowerRight, SeriesLabelPosition::UpperMiddle];
    for ((panel, (title, y_label, get)), legend_at) in panels.iter().zip(TRADEOFF_PANELS).zip(legends) {
        let values: Vec<f64> = rows
            .iter()
            .flat_map(|r| {
                let (v, l, h) = get(r);
                [v, l, h]
            })
            .collect();
        let (ymin, ymax) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let pad = (ymax - ymin).max(1e-6) * 0.12;
        let mut chart = ChartBuilder::on(panel)
            .caption(title, ("sans-serif", 24))
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(90)
            .build_cartesian_2d(0.5..max_n + 0.5, (ymin - pad)..(ymax + pad))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(max_n as usize)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc("IDS nodes")
            .y_desc(y_label)
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 18))
            .draw()
            .map_err(|e| e.to_string())?;
        let analytic: Vec<(f64, f64)> =
            rows.iter().filter(|r| r.method == "analytic").map(|r| (r.ids_count as f64, get(r).0)).collect();
        chart
            .draw_series(LineSeries::new(analytic.clone(), PALETTE[0].stroke_width(3)))
            .map_err(|e| e.to_string())?
            .label("analytic (closed form)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[0].stroke_width(3)));
        chart
            .draw_series(analytic.iter().map(|&(x, y)| Circle::new((x, y), 4, PALETTE[0].filled())))
            .map_err(|e| e.to_string())?;
        let simulated: Vec<&TradeoffRow> = rows.iter().filter(|r| r.method == "simulated").collect();
        chart
            .draw_series(simulated.iter().map(|r| {
                let (v, l, h) = get(r);
                ErrorBar::new_vertical(r.ids_count as f64 + 0.08, l, v, h, PALETTE[1].stroke_width(2), 10)
            }))
            .map_err(|e| e.to_string())?
            .label("simulated (95% interval)")
            .legend(|(x, y)| Circle::new((x + 10, y), 5, PALETTE[1].filled()));
        chart
            .draw_series(
                simulated.iter().map(|r| Circle::new((r.ids_count as f64 + 0.08, get(r).0), 5, PALETTE[1].filled())),
            )
            .map_err(|e| e.to_string())?;
        if let Some(best) = rows.iter().find(|r| r.method == "analytic" && r.optimal) {
            let y = get(best).0;
            chart
                .draw_series(std::iter::once(TriangleMarker::new((best.ids_count as f64, y), 14, PALETTE[5].filled())))
                .map_err(|e| e.to_string())?
                .label(format!(
                    "optimum: {} nodes, detection {:.3}, cost {:.4}",
                    best.ids_count, optimum.detection_rate, optimum.cost
                ))
                .legend(|(x, y)| TriangleMarker::new((x + 10, y), 10, PALETTE[5].filled()));
        }
        chart
            .configure_series_labels()
            .position(legend_at)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 16))
            .draw()
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes `base.png` and `base.svg`: the ROC curve (top) and FPR, FNR against the threshold with the CER (bottom).
pub fn roc_figure(base: &Path, roc: &Roc) -> Result<(), PlotError> {
    save_figure(base, (900, 1000), &RocFigure(roc))
}

/// The ROC figure's data.
struct RocFigure<'a>(&'a Roc);

impl Figure for RocFigure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String> {
        draw_roc(root, self.0)
    }

    fn data(&self) -> FigureData {
        let mut d = FigureData::new(&["panel", "series"]);
        let roc = self.0;
        let top = format!("ROC, {} IDS nodes", roc.cer.ids_count);
        let (fpr, tpr, th) =
            ("false positive rate", "true positive rate (detection)", "alarm threshold (anomaly score)");
        for p in &roc.points {
            d.push(&[&top, "ROC"], &[(fpr, p.fpr), (tpr, p.tpr)]);
        }
        let bottom = "Error rates against the threshold";
        for p in &roc.points {
            d.push(&[bottom, "false positive rate"], &[(th, p.threshold), ("rate", p.fpr)]);
        }
        for p in &roc.points {
            d.push(&[bottom, "false negative rate"], &[(th, p.threshold), ("rate", p.fnr)]);
        }
        d.push(&[bottom, "crossover error rate"], &[(th, roc.cer.threshold), ("rate", roc.cer.rate)]);
        d
    }
}

fn draw_roc<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, roc: &Roc) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let panels = root.split_evenly((2, 1));
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let mut chart = ChartBuilder::on(&panels[0])
        .caption(format!("ROC, {} IDS nodes", roc.cer.ids_count), ("sans-serif", 24))
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..1.0, 0.0..1.02)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("false positive rate")
        .y_desc("true positive rate (detection)")
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 18))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(roc.points.iter().map(|p| (p.fpr, p.tpr)), PALETTE[0].stroke_width(3)))
        .map_err(e)?;
    chart.draw_series(LineSeries::new(vec![(0.0, 0.0), (1.0, 1.0)], BLACK.mix(0.3).stroke_width(1))).map_err(e)?;
    let (lo, hi) = (roc.points[0].threshold, roc.points[roc.points.len() - 1].threshold);
    let mut chart = ChartBuilder::on(&panels[1])
        .caption("Error rates against the threshold", ("sans-serif", 24))
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(lo..hi, 0.0..1.02)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("alarm threshold (anomaly score)")
        .y_desc("rate")
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 18))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(roc.points.iter().map(|p| (p.threshold, p.fpr)), PALETTE[0].stroke_width(3)))
        .map_err(e)?
        .label("false positive rate")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[0].stroke_width(3)));
    chart
        .draw_series(LineSeries::new(roc.points.iter().map(|p| (p.threshold, p.fnr)), PALETTE[1].stroke_width(3)))
        .map_err(e)?
        .label("false negative rate")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[1].stroke_width(3)));
    chart
        .draw_series(std::iter::once(Circle::new((roc.cer.threshold, roc.cer.rate), 7, PALETTE[5].filled())))
        .map_err(e)?
        .label(format!("crossover error rate {:.4} at threshold {:.3}", roc.cer.rate, roc.cer.threshold))
        .legend(|(x, y)| Circle::new((x + 10, y), 6, PALETTE[5].filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossover_error_rate_of_one_node_is_where_the_two_normals_cross() {
        // One node, benign N(0, 1), one attack kind N(2, 1): FPR = FNR at threshold 1, rate 1 − Φ(1).
        let text = "name = \"cer\"\n[simulation]\nduration_s = 10.0\n[wearables]\ncount = 4\n\
                    [attacks.probe]\nrate_per_s = 1.0\n[ids]\ncount = 1\ndetector = \"score\"\n\
                    [ids.score]\nbenign_mean = 0.0\nsd = 1.0\n[ids.score.attack_mean]\nprobe = 2.0\n";
        let cfg = crate::scenario::load_str(text, Path::new("cer.toml"), &[]).unwrap().config;
        let topo = crate::run::build_topology(&cfg).unwrap();
        let r = roc(&cfg, &topo, &[0]).unwrap();
        assert!((r.cer.threshold - 1.0).abs() < 1e-6, "{:?}", r.cer);
        assert!((r.cer.rate - (1.0 - Normal::standard().cdf(1.0))).abs() < 1e-6, "{:?}", r.cer);
        assert!(r.points.windows(2).all(|w| w[1].fpr <= w[0].fpr && w[1].tpr <= w[0].tpr), "monotone in the threshold");
    }
}
