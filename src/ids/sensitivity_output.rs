//! What `ids-optimize --sensitivity` writes: `sensitivity.csv` (the map), `tornado.csv`, `sensitivity.json` (the
//! scenario's point and how far its optimum holds), and the figures `sensitivity.png/.svg` (optimal IDS count as
//! coloured regions over the two cost ratios, one panel per prevalence, the scenario's point marked) and
//! `tornado.png/.svg`.

use plotters::prelude::*;
use serde::Serialize;

use crate::analysis::error::AnalysisError;
use crate::ids::sensitivity::{Robustness, Sensitivity, SensitivityRow, TornadoRow};
use crate::output::ResultsDir;
use crate::plot::{save_figure, Figure, FigureData};

/// `sensitivity.json`.
#[derive(Debug, Clone, Serialize)]
struct PointJson<'a> {
    prevalence: f64,
    miss_cost_ratio: f64,
    node_cost_ratio: f64,
    optimal_cost: f64,
    robustness: &'a Robustness,
}

/// Writes the map, the tornado and their figures into `dir`.
pub fn write(dir: &ResultsDir, s: &Sensitivity) -> Result<(), AnalysisError> {
    dir.write_csv("sensitivity.csv", &s.rows)?;
    dir.write_csv("tornado.csv", &s.tornado)?;
    let p = PointJson {
        prevalence: s.point.prevalence,
        miss_cost_ratio: s.point.miss,
        node_cost_ratio: s.point.node,
        optimal_cost: s.base_cost,
        robustness: &s.robustness,
    };
    dir.write("sensitivity.json", &crate::output::to_json(&p))?;
    save_figure(&dir.staging().join("sensitivity"), (1400, 760), &MapFigure(s))?;
    save_figure(&dir.staging().join("tornado"), (1000, 520), &TornadoFigure(s))?;
    Ok(())
}

/// The map: optimal IDS count over the two cost ratios, one panel per prevalence.
struct MapFigure<'a>(&'a Sensitivity);
/// The tornado of the optimum's cost.
struct TornadoFigure<'a>(&'a Sensitivity);

impl Figure for MapFigure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String> {
        draw_map(root, self.0)
    }

    /// One row per cell (the cost ratios, not their logarithms that place the cell), and the scenario's cross.
    fn data(&self) -> FigureData {
        let s = self.0;
        let mut d = FigureData::new(&["panel", "series"]);
        let (x, y, n) = ("C_miss / C_FA", "C_node / C_FA", "optimal IDS nodes (empty: none feasible)");
        for r in &s.rows {
            let panel = map_caption(r.prevalence, s);
            let optimal = r.optimal_n.map_or(f64::NAN, f64::from);
            d.push(&[&panel, "cell"], &[(x, r.miss_cost_ratio), (y, r.node_cost_ratio), (n, optimal)]);
        }
        d.push(&[&map_caption(s.point.prevalence, s), "scenario"], &[(x, s.point.miss), (y, s.point.node)]);
        d
    }
}

impl Figure for TornadoFigure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String> {
        draw_tornado(root, self.0)
    }

    /// One row per bar drawn (a parameter at −50 % or +50 %), and the scenario's optimum (the vertical line).
    fn data(&self) -> FigureData {
        let s = self.0;
        let mut d = FigureData::new(&["parameter", "series"]);
        let (base, cost, n) = ("base value", TORNADO_X, "re-optimised IDS nodes (empty: none feasible)");
        for r in &s.tornado {
            for (v, side, opt) in [(r.cost_low, "−50 %", r.optimal_n_low), (r.cost_high, "+50 %", r.optimal_n_high)] {
                if v.is_finite() {
                    let opt = opt.map_or(f64::NAN, f64::from);
                    d.push(&[&r.parameter, side], &[(base, r.base_value), (cost, v), (n, opt)]);
                }
            }
        }
        d.push(&["", "scenario's optimum"], &[(cost, s.base_cost)]);
        d
    }
}

/// A distinct colour for IDS count `n` of `max` (hues around the wheel; none for "no feasible branch": grey).
fn colour(n: Option<u32>, max: u32) -> RGBColor {
    match n {
        None => RGBColor(200, 200, 200),
        Some(n) => {
            let c = HSLColor((n - 1) as f64 / max.max(1) as f64 * 0.85, 0.65, 0.55).to_rgba();
            RGBColor(c.0, c.1, c.2)
        }
    }
}

fn draw_map<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, s: &Sensitivity) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let mut prevalences: Vec<f64> = s.rows.iter().map(|r| r.prevalence).collect();
    prevalences.dedup();
    let max_n = s.rows.iter().filter_map(|r| r.optimal_n).max().unwrap_or(1);
    let (body, legend) = root.split_horizontally(root.dim_in_pixel().0 - 170);
    let cols = prevalences.len().div_ceil(2).max(1);
    let panels = body.split_evenly((2, cols));
    let log = |x: f64| x.log10();
    for (panel, &pi) in panels.iter().zip(&prevalences) {
        let cells: Vec<&SensitivityRow> = s.rows.iter().filter(|r| r.prevalence == pi).collect();
        let xs: Vec<f64> = cells.iter().map(|r| log(r.miss_cost_ratio)).collect();
        let ys: Vec<f64> = cells.iter().map(|r| log(r.node_cost_ratio)).collect();
        let range = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(*x), b.max(*x)));
        let ((x0, x1), (y0, y1)) = (range(&xs), range(&ys));
        let (dx, dy) = ((x1 - x0) / 40.0, (y1 - y0) / 40.0);
        let mut chart = ChartBuilder::on(panel)
            .caption(map_caption(pi, s), ("sans-serif", 16))
            .margin(6)
            .x_label_area_size(34)
            .y_label_area_size(48)
            .build_cartesian_2d((x0 - dx / 2.0)..(x1 + dx / 2.0), (y0 - dy / 2.0)..(y1 + dy / 2.0))
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|x| format!("{:.2}", 10f64.powf(*x)))
            .y_label_formatter(&|y| format!("{:.0e}", 10f64.powf(*y)))
            .x_desc("C_miss / C_FA")
            .y_desc("C_node / C_FA")
            .label_style(("sans-serif", 11))
            .axis_desc_style(("sans-serif", 12))
            .draw()
            .map_err(e)?;
        chart
            .draw_series(cells.iter().zip(xs.iter().zip(&ys)).map(|(r, (&x, &y))| {
                let c = colour(r.optimal_n, max_n);
                Rectangle::new([(x - dx / 2.0, y - dy / 2.0), (x + dx / 2.0, y + dy / 2.0)], c.filled())
            }))
            .map_err(e)?;
        if pi == s.point.prevalence {
            let (x, y) = (log(s.point.miss), log(s.point.node));
            chart.draw_series(std::iter::once(Cross::new((x, y), 9, BLACK.stroke_width(3)))).map_err(e)?;
        }
    }
    legend.fill(&WHITE).map_err(e)?;
    let style = ("sans-serif", 15).into_font();
    legend.draw(&Text::new("optimal IDS nodes", (6, 40), style.clone())).map_err(e)?;
    let mut entries: Vec<Option<u32>> = s.rows.iter().map(|r| r.optimal_n).collect();
    entries.sort();
    entries.dedup();
    for (i, n) in entries.iter().enumerate() {
        let y = 70 + 26 * i as i32;
        legend.draw(&Rectangle::new([(8, y), (30, y + 18)], colour(*n, max_n).filled())).map_err(e)?;
        let label = n.map_or("none feasible".to_string(), |n| n.to_string());
        legend.draw(&Text::new(label, (38, y + 2), style.clone())).map_err(e)?;
    }
    let y = 80 + 26 * entries.len() as i32;
    legend.draw(&Cross::new((19, y + 9), 8, BLACK.stroke_width(3))).map_err(e)?;
    legend.draw(&Text::new("scenario", (38, y + 2), style)).map_err(e)?;
    Ok(())
}

/// The tornado's x-axis label.
const TORNADO_X: &str = "cost per inspected item at the re-optimised IDS count";

/// The title of the map's panel of prevalence `pi`.
fn map_caption(pi: f64, s: &Sensitivity) -> String {
    let mark = if pi == s.point.prevalence { " (scenario)" } else { "" };
    format!("prevalence {pi:.3}{mark}")
}

fn draw_tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    s: &Sensitivity,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let rows: &[TornadoRow] = &s.tornado;
    let values = rows.iter().flat_map(|r| [r.cost_low, r.cost_high]).chain([s.base_cost]).filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let pad = (hi - lo).max(1e-9) * 0.15;
    let n = rows.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .caption("Optimum's cost with each parameter at −50 % and +50 %", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(280)
        .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..n - 0.5)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows.len())
        .y_label_formatter(&|y| {
            // The widest swing on top.
            let i = (n - 1.0 - y.round()) as usize;
            rows.get(i).map_or(String::new(), |r| format!("{} ({:.4})", r.parameter, r.base_value))
        })
        .x_desc(TORNADO_X)
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(e)?;
    let low = crate::plot::PALETTE[0];
    let high = crate::plot::PALETTE[1];
    for (i, r) in rows.iter().enumerate() {
        let y = n - 1.0 - i as f64;
        for (v, c, n) in [(r.cost_low, low, r.optimal_n_low), (r.cost_high, high, r.optimal_n_high)] {
            if !v.is_finite() {
                continue;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new([(s.base_cost, y - 0.3), (v, y + 0.3)], c.filled())))
                .map_err(e)?;
            let label = n.map_or("–".to_string(), |n| format!("n={n}"));
            chart
                .draw_series(std::iter::once(Text::new(label, (v, y + 0.05), ("sans-serif", 12).into_font())))
                .map_err(e)?;
        }
    }
    chart
        .draw_series(LineSeries::new([(s.base_cost, -0.5), (s.base_cost, n - 0.5)], BLACK.stroke_width(2)))
        .map_err(e)?
        .label(format!("scenario's optimum: {:.5} (n = re-optimised IDS count)", s.base_cost))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    for (label, c) in [("parameter −50 %", low), ("parameter +50 %", high)] {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(e)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(e)?;
    Ok(())
}
