//! Writes the detection-error curves of `ids-optimize` (`docs/outputs.md`): `det.csv`, `cost_curve.csv`,
//! `roc_simulated.csv`, `curves.json`, and the figures `roc_det` (ROC with its AUC and the simulated points above,
//! DET below) and `cost_curve` (Drummond & Holte).

use plotters::prelude::*;
use serde::Serialize;

use crate::analysis::error::AnalysisError;
use crate::ids::curves::{auc, cost_curve, det, deviate, envelope_at, probability_cost, CostCurvePoint};
use crate::ids::curves_sim::{SimulatedCer, SimulatedCurve, SimulatedPoint};
use crate::ids::plots::{Cer, Roc};
use crate::ids::IdsCost;
use crate::output::ResultsDir;
use crate::plot::{save_figure, Figure, FigureData, PALETTE};

/// Probability costs on the cost curve: 0 to 1 in steps of 1/200.
const COST_CURVE_STEPS: usize = 200;

/// `curves.json`: the summary numbers of the curves.
#[derive(Debug, Clone, Serialize)]
pub struct CurvesSummary {
    /// IDS nodes of the configuration swept.
    pub ids_count: u32,
    /// Area under the closed-form ROC curve (trapezoid rule over the sweep, closed with (0, 0) and (1, 1)).
    pub auc: f64,
    /// The closed-form crossover error rate.
    pub closed_form_cer: Cer,
    /// The simulated crossover error rate (mean and Student-t interval of the replications' crossovers); empty when
    /// the curve was not simulated or the rates did not cross on the simulated thresholds.
    pub simulated_cer: Option<SimulatedCer>,
    /// The scenario's probability cost PC(+) = π·C_miss / (π·C_miss + (1 − π)·C_FA) (empty if both are 0).
    pub probability_cost: Option<f64>,
    /// The least normalised expected cost on the closed-form sweep at that PC (the cost curve's value there).
    pub min_normalized_expected_cost: Option<f64>,
    /// The threshold that gives it (empty where a trivial detector is best).
    pub min_cost_threshold: Option<f64>,
    /// Simulated points.
    pub simulated_points: usize,
}

/// The curves of `roc` (closed form, `ids_count` nodes) and `sim` (simulated), at prevalence `prevalence` and costs
/// `cost`, as the summary and the cost curve.
pub fn summarise(roc: &Roc, sim: Option<&SimulatedCurve>, prevalence: f64, cost: &IdsCost) -> CurvesSummary {
    let pc = probability_cost(prevalence, cost.per_missed_attack, cost.per_false_alarm);
    let best = pc.map(|pc| envelope_at(&roc.points, pc));
    CurvesSummary {
        ids_count: roc.cer.ids_count,
        auc: auc(&roc.points),
        closed_form_cer: roc.cer,
        simulated_cer: sim.and_then(|s| s.cer),
        probability_cost: pc,
        min_normalized_expected_cost: best.map(|b| b.0),
        min_cost_threshold: best.and_then(|b| b.1),
        simulated_points: sim.map_or(0, |s| s.points.len()),
    }
}

/// Writes the curve files and figures into `dir`.
pub fn write(
    dir: &ResultsDir,
    roc: &Roc,
    sim: Option<&SimulatedCurve>,
    prevalence: f64,
    cost: &IdsCost,
) -> Result<(), AnalysisError> {
    let summary = summarise(roc, sim, prevalence, cost);
    let curve = cost_curve(&roc.points, COST_CURVE_STEPS);
    dir.write_csv("det.csv", det(&roc.points))?;
    dir.write_csv("cost_curve.csv", &curve)?;
    if let Some(sim) = sim {
        dir.write_csv("roc_simulated.csv", &sim.points)?;
    }
    dir.write("curves.json", &crate::output::to_json(&summary))?;
    save_figure(&dir.staging().join("roc_det"), (900, 1000), &RocDetFigure { roc, sim, summary: &summary })?;
    save_figure(&dir.staging().join("cost_curve"), (900, 650), &CostFigure { curve: &curve, sim, summary: &summary })?;
    Ok(())
}

struct RocDetFigure<'a> {
    roc: &'a Roc,
    sim: Option<&'a SimulatedCurve>,
    summary: &'a CurvesSummary,
}

/// Normal-deviate axis range of the DET panel: 0.1% to 90%.
const DET_RANGE: (f64, f64) = (-3.090_232, 1.281_552);

impl Figure for RocDetFigure<'_> {
    fn data(&self) -> FigureData {
        let mut d = FigureData::new(&["panel", "series"]);
        let top = format!("ROC, {} IDS nodes (AUC {:.4})", self.summary.ids_count, self.summary.auc);
        let (fpr, tpr) = ("false positive rate", "true positive rate");
        for p in &self.roc.points {
            d.push(&[&top, "closed form"], &[(fpr, p.fpr), (tpr, p.tpr)]);
        }
        for p in self.roc_simulated() {
            let ci = [
                ("false positive rate 95% CI low", p.fpr_ci_low),
                ("false positive rate 95% CI high", p.fpr_ci_high),
                ("true positive rate 95% CI low", 1.0 - p.fnr_ci_high),
                ("true positive rate 95% CI high", 1.0 - p.fnr_ci_low),
            ];
            d.push(&[&top, "simulated"], &[&[(fpr, p.fpr), (tpr, p.tpr)][..], &ci].concat());
        }
        let bottom = "DET curve (normal-deviate axes)";
        let (x, y) = ("false positive rate (normal deviate)", "false negative rate (normal deviate)");
        for (a, b) in self.det_line() {
            d.push(&[bottom, "closed form"], &[(x, a), (y, b)]);
        }
        for (a, b) in self.det_simulated() {
            d.push(&[bottom, "simulated"], &[(x, a), (y, b)]);
        }
        if let Some(c) = self.det_cer() {
            d.push(&[bottom, "crossover error rate (closed form)"], &[(x, c), (y, c)]);
        }
        d
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let panels = root.split_evenly((2, 1));
        let title = format!("ROC, {} IDS nodes (AUC {:.4})", self.summary.ids_count, self.summary.auc);
        let mut chart = ChartBuilder::on(&panels[0])
            .caption(title, ("sans-serif", 24))
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..1.0, 0.0..1.02)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("false positive rate")
            .y_desc("true positive rate")
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 18))
            .draw()
            .map_err(e)?;
        let line = self.roc.points.iter().map(|p| (p.fpr, p.tpr));
        chart
            .draw_series(LineSeries::new(line, PALETTE[0].stroke_width(3)))
            .map_err(e)?
            .label("closed form")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[0].stroke_width(3)));
        if self.sim.is_some() {
            let pts = self.roc_simulated();
            let bars = self.roc_simulated().flat_map(|p| {
                let across = vec![(p.fpr_ci_low, p.tpr), (p.fpr_ci_high, p.tpr)];
                let up = vec![(p.fpr, 1.0 - p.fnr_ci_high), (p.fpr, 1.0 - p.fnr_ci_low)];
                [across, up]
            });
            chart.draw_series(bars.map(|b| PathElement::new(b, PALETTE[5].stroke_width(2)))).map_err(e)?;
            chart
                .draw_series(pts.map(|p| Circle::new((p.fpr, p.tpr), 5, PALETTE[5].filled())))
                .map_err(e)?
                .label("simulated (95% intervals)")
                .legend(|(x, y)| Circle::new((x + 10, y), 5, PALETTE[5].filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 16))
            .draw()
            .map_err(e)?;
        let (lo, hi) = DET_RANGE;
        let mut chart = ChartBuilder::on(&panels[1])
            .caption("DET curve (normal-deviate axes)", ("sans-serif", 24))
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(lo..hi, lo..hi)
            .map_err(e)?;
        let percent = |v: &f64| format!("{:.2}%", 100.0 * statrs_cdf(*v));
        chart
            .configure_mesh()
            .x_desc("false positive rate")
            .y_desc("false negative rate")
            .x_label_formatter(&percent)
            .y_label_formatter(&percent)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 18))
            .draw()
            .map_err(e)?;
        chart.draw_series(LineSeries::new(self.det_line(), PALETTE[0].stroke_width(3))).map_err(e)?;
        chart
            .draw_series(self.det_simulated().into_iter().map(|p| Circle::new(p, 5, PALETTE[5].filled())))
            .map_err(e)?;
        if let Some(c) = self.det_cer() {
            chart.draw_series(std::iter::once(Circle::new((c, c), 7, PALETTE[2].filled()))).map_err(e)?;
        }
        chart.draw_series(LineSeries::new(vec![(lo, lo), (hi, hi)], BLACK.mix(0.3).stroke_width(1))).map_err(e)?;
        Ok(())
    }
}

impl RocDetFigure<'_> {
    /// The closed-form DET curve within the panel, as normal deviates.
    fn det_line(&self) -> Vec<(f64, f64)> {
        det(&self.roc.points).iter().filter_map(|p| Some((p.fpr_deviate?, p.fnr_deviate?))).filter(det_inside).collect()
    }

    /// The simulated points within the DET panel, as normal deviates.
    fn det_simulated(&self) -> Vec<(f64, f64)> {
        let pts = self.sim.iter().flat_map(|s| &s.points);
        pts.filter_map(|p| Some((deviate(p.fpr)?, deviate(p.fnr)?))).filter(det_inside).collect()
    }

    /// The closed-form crossover on the DET panel's diagonal, if within it.
    fn det_cer(&self) -> Option<f64> {
        deviate(self.summary.closed_form_cer.rate).filter(|c| (DET_RANGE.0..=DET_RANGE.1).contains(c))
    }

    /// The simulated points drawn on the ROC panel.
    fn roc_simulated(&self) -> impl Iterator<Item = &SimulatedPoint> {
        self.sim.iter().flat_map(|s| &s.points).filter(|p| p.fpr.is_finite() && p.tpr.is_finite())
    }
}

/// Whether a DET point is within the panel.
fn det_inside(&(x, y): &(f64, f64)) -> bool {
    let (lo, hi) = DET_RANGE;
    (lo..=hi).contains(&x) && (lo..=hi).contains(&y)
}

/// Φ(x), for the DET axis labels.
fn statrs_cdf(x: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().cdf(x)
}

struct CostFigure<'a> {
    curve: &'a [CostCurvePoint],
    sim: Option<&'a SimulatedCurve>,
    summary: &'a CurvesSummary,
}

impl CostFigure<'_> {
    /// The simulated points drawn (one line each).
    fn simulated(&self) -> impl Iterator<Item = &SimulatedPoint> {
        self.sim.iter().flat_map(|s| &s.points).filter(|p| p.fpr.is_finite() && p.fnr.is_finite())
    }
}

impl Figure for CostFigure<'_> {
    fn data(&self) -> FigureData {
        let mut d = FigureData::new(&["series"]);
        let (x, y) = ("probability cost PC(attack)", "normalised expected cost");
        for (a, b) in [(0.0, 0.0), (0.5, 0.5), (1.0, 0.0)] {
            d.push(&["trivial classifiers"], &[(x, a), (y, b)]);
        }
        for (i, p) in self.simulated().enumerate() {
            let name = format!("simulated line {} (threshold {})", i + 1, p.threshold);
            d.push(&[&name], &[(x, 0.0), (y, p.fpr)]);
            d.push(&[&name], &[(x, 1.0), (y, p.fnr)]);
        }
        for c in self.curve {
            d.push(&["lower envelope (closed form)"], &[(x, c.probability_cost), (y, c.normalized_expected_cost)]);
        }
        if let (Some(pc), Some(c)) = (self.summary.probability_cost, self.summary.min_normalized_expected_cost) {
            d.push(&["this scenario"], &[(x, pc), (y, c)]);
        }
        d
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let title = format!("Cost curve, {} IDS nodes", self.summary.ids_count);
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 24))
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..1.0, 0.0..0.52)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("probability cost PC(attack)")
            .y_desc("normalised expected cost")
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 18))
            .draw()
            .map_err(e)?;
        let trivial = vec![(0.0, 0.0), (0.5, 0.5), (1.0, 0.0)];
        chart.draw_series(LineSeries::new(trivial, BLACK.mix(0.3).stroke_width(1))).map_err(e)?;
        {
            for p in self.simulated() {
                let line = vec![(0.0, p.fpr), (1.0, p.fnr)];
                chart.draw_series(LineSeries::new(line, PALETTE[5].mix(0.5).stroke_width(1))).map_err(e)?;
            }
        }
        let envelope = self.curve.iter().map(|c| (c.probability_cost, c.normalized_expected_cost));
        chart
            .draw_series(LineSeries::new(envelope, PALETTE[0].stroke_width(3)))
            .map_err(e)?
            .label("lower envelope (closed form)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[0].stroke_width(3)));
        if let (Some(pc), Some(c)) = (self.summary.probability_cost, self.summary.min_normalized_expected_cost) {
            chart
                .draw_series(std::iter::once(Circle::new((pc, c), 7, PALETTE[2].filled())))
                .map_err(e)?
                .label(format!("this scenario: PC {pc:.3}, cost {c:.4}"))
                .legend(|(x, y)| Circle::new((x + 10, y), 6, PALETTE[2].filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 16))
            .draw()
            .map_err(e)?;
        Ok(())
    }
}
