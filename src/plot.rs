//! Figures for papers: every figure is written as both PNG (for slides and quick looks) and SVG (for papers), at a
//! size legible at column width, with labelled axes and units. Built on `plotters`.

use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Width of every figure in pixels (PNG) or user units (SVG).
const WIDTH: u32 = 1400;
/// Height of one panel.
const PANEL_HEIGHT: u32 = 420;

/// Colours of successive series, colour-blind safe (Okabe & Ito palette).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];

/// A plotting failure, with the file concerned.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw {}: {message}", path.display())]
pub struct PlotError {
    /// The figure file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// One bar chart panel: groups along x, one bar per series in each group, each bar a stack of parts.
pub struct BarPanel<'a> {
    /// Panel title.
    pub title: &'a str,
    /// Y-axis label, with unit.
    pub y_label: &'a str,
    /// Group labels along x.
    pub groups: &'a [String],
    /// Series (one bar per group each).
    pub series: &'a [String],
    /// Names of the stacked parts (one for a plain bar chart).
    pub parts: &'a [&'a str],
    /// `values[group][series][part]`; NaN leaves the bar out.
    pub values: &'a [Vec<Vec<f64>>],
    /// Logarithmic y axis.
    pub log_y: bool,
}

/// Draws `panels` stacked vertically into `base.png` and `base.svg`.
pub fn bar_figure(base: &Path, panels: &[BarPanel]) -> Result<(), PlotError> {
    let height = PANEL_HEIGHT * panels.len() as u32;
    let png = base.with_extension("png");
    let svg = base.with_extension("svg");
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |e: String| PlotError { path: path.clone(), message: e }
    };
    {
        let root = BitMapBackend::new(&png, (WIDTH, height)).into_drawing_area();
        draw_panels(&root, panels).map_err(err(&png))?;
        root.present().map_err(|e| e.to_string()).map_err(err(&png))?;
    }
    {
        let root = SVGBackend::new(&svg, (WIDTH, height)).into_drawing_area();
        draw_panels(&root, panels).map_err(err(&svg))?;
        root.present().map_err(|e| e.to_string()).map_err(err(&svg))?;
    }
    Ok(())
}

fn draw_panels<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, panels: &[BarPanel]) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let areas = root.split_evenly((panels.len(), 1));
    for (area, panel) in areas.iter().zip(panels) {
        draw_bars(area, panel).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &BarPanel,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let totals = p.values.iter().flatten().map(|parts| parts.iter().sum::<f64>()).filter(|v| v.is_finite());
    let max = totals.clone().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let min_pos = totals.filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    let n_groups = p.groups.len().max(1);
    let n_series = p.series.len().max(1);
    let x_range = 0.0..n_groups as f64;
    let mut builder = ChartBuilder::on(area);
    builder.caption(p.title, ("sans-serif", 22)).margin(12).x_label_area_size(70).y_label_area_size(90);
    if p.log_y {
        let lo = if min_pos.is_finite() { min_pos / 2.0 } else { 1e-9 };
        let mut chart = builder.build_cartesian_2d(x_range, (lo..max * 60.0).log_scale())?; // headroom for the legend
        configure(&mut chart, p)?;
        draw_stacks(&mut chart, p, n_series, lo)?;
        legend(&mut chart, p)?;
    } else {
        let mut chart = builder.build_cartesian_2d(x_range, 0.0..max * 1.5)?; // headroom for the legend
        configure(&mut chart, p)?;
        draw_stacks(&mut chart, p, n_series, 0.0)?;
        legend(&mut chart, p)?;
    }
    Ok(())
}

fn configure<DB: DrawingBackend, Y: Ranged<ValueType = f64> + ValueFormatter<f64>>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
    p: &BarPanel,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let groups = p.groups.to_vec();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(groups.len() * 2 + 1)
        .x_label_formatter(&move |x| {
            let i = x.floor() as usize;
            if (x - x.floor() - 0.5).abs() < 1e-6 && i < groups.len() {
                groups[i].clone()
            } else {
                String::new()
            }
        })
        .y_desc(p.y_label)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 17))
        .draw()
}

fn draw_stacks<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
    p: &BarPanel,
    n_series: usize,
    floor: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let bar_w = 0.8 / n_series as f64;
    for (g, group) in p.values.iter().enumerate() {
        for (s, parts) in group.iter().enumerate() {
            let x0 = g as f64 + 0.1 + s as f64 * bar_w;
            let mut base = floor;
            for (k, v) in parts.iter().enumerate() {
                if !v.is_finite() || *v <= 0.0 {
                    continue;
                }
                let colour = PALETTE[s % PALETTE.len()];
                let style = if k == 0 { colour.filled() } else { colour.mix(0.45).filled() };
                let top = if base == floor && floor > 0.0 { *v } else { base + v };
                chart.draw_series(std::iter::once(Rectangle::new([(x0, base), (x0 + bar_w * 0.92, top)], style)))?;
                base = top;
            }
        }
    }
    Ok(())
}

fn legend<'a, DB: DrawingBackend + 'a, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    p: &BarPanel,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (s, name) in p.series.iter().enumerate() {
        let colour = PALETTE[s % PALETTE.len()];
        let label = if p.parts.len() > 1 {
            format!("{name} ({} dark, {} light)", p.parts[0], p.parts[1])
        } else {
            name.clone()
        };
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
}
