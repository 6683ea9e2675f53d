//! Figures for papers: every figure is written as both PNG (for slides and quick looks) and SVG (for papers), at a
//! size legible at column width, with labelled axes and units, and the data it plots beside it as `<stem>.data.csv`
//! ([`data`]). `plot --style paper` draws x–y charts as one-column SVG with serif text ([`style`]). Built on
//! `plotters`.

pub mod data;
pub mod style;

use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

pub use data::FigureData;
use style::Look;
pub use style::Style;

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
    data::write_data(&data::data_path(base), &bar_data(panels))
}

/// The data of a bar figure: one row per bar part drawn, placed by panel, group, series and part, valued in the
/// panel's y-axis label.
pub fn bar_data(panels: &[BarPanel]) -> FigureData {
    let mut d = FigureData::new(&["panel", "group", "series", "part"]);
    for p in panels {
        for (group, by_series) in p.groups.iter().zip(p.values) {
            for (series, parts) in p.series.iter().zip(by_series) {
                for (part, v) in p.parts.iter().zip(parts) {
                    d.push(&[p.title, group, series, part], &[(p.y_label, *v)]);
                }
            }
        }
    }
    d
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

/// Width of a single-column figure (PNG pixels, SVG user units): with the fonts below, text is about 7 pt when the
/// figure is printed 3.5 inches wide.
const COLUMN_WIDTH: u32 = 900;
/// Height of a single-column figure.
const COLUMN_HEIGHT: u32 = 640;

/// One point of an x–y series, with an optional confidence interval of y.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XyPoint {
    /// x value.
    pub x: f64,
    /// y value (a mean, for points with an interval).
    pub y: f64,
    /// (low, high) of y, drawn as an error bar.
    pub ci: Option<(f64, f64)>,
}

/// One series of an x–y chart.
#[derive(Debug, Clone, PartialEq)]
pub struct XySeries {
    /// Legend text (empty for a chart with one unnamed series).
    pub label: String,
    /// Points in x order.
    pub points: Vec<XyPoint>,
}

/// A highlighted point, such as an optimum: ringed and labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// x value.
    pub x: f64,
    /// y value.
    pub y: f64,
    /// Label drawn beside it.
    pub label: String,
}

/// An x–y chart at single-column size: lines through the points, error bars where points have an interval.
#[derive(Debug, Clone)]
pub struct XyChart<'a> {
    /// Title.
    pub title: &'a str,
    /// x-axis label, with unit.
    pub x_label: &'a str,
    /// y-axis label, with unit.
    pub y_label: &'a str,
    /// Series, one colour each.
    pub series: &'a [XySeries],
    /// Logarithmic x axis.
    pub log_x: bool,
    /// Draw a marker at every point (off for dense curves such as CDFs).
    pub markers: bool,
    /// Fixed y range; `None` fits the data (intervals included).
    pub y_range: Option<(f64, f64)>,
    /// Highlighted points.
    pub marks: &'a [Mark],
    /// Horizontal offset between successive series, as a fraction of the x span, so that error bars at the same
    /// x do not hide each other (0 for none; ignored on a log axis).
    pub dodge: f64,
}

/// A figure that draws itself on any plotters backend, so that [`save_figure`] can write it as PNG and SVG, and
/// that gives the data it plots, written beside it.
pub trait Figure {
    /// Draws the figure on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), String>;
    /// The values the figure plots (see [`data`] for the layout).
    fn data(&self) -> FigureData;
}

/// Writes `figure` as `base.png`, `base.svg` and `base.data.csv` (the extension of `base`, if any, is replaced),
/// `size` pixels.
pub fn save_figure(base: &Path, size: (u32, u32), figure: &impl Figure) -> Result<(), PlotError> {
    let err = |path: &Path, message: String| PlotError { path: path.to_path_buf(), message };
    let png = base.with_extension("png");
    let root = BitMapBackend::new(&png, size).into_drawing_area();
    figure.draw(&root).map_err(|m| err(&png, m))?;
    root.present().map_err(|e| err(&png, e.to_string()))?;
    let svg = base.with_extension("svg");
    let root = SVGBackend::new(&svg, size).into_drawing_area();
    figure.draw(&root).map_err(|m| err(&svg, m))?;
    root.present().map_err(|e| err(&svg, e.to_string()))?;
    data::write_data(&data::data_path(base), &figure.data())
}

/// Writes `base.png`, `base.svg` and `base.data.csv`: an x–y chart in the default style (the extensions are
/// appended, so `base` may contain dots).
pub fn xy_figure(base: &Path, chart: &XyChart) -> Result<(), PlotError> {
    xy_figure_styled(base, chart, Style::Default).map(|_| ())
}

/// Writes an x–y chart in `style`: `base.png` and `base.svg` (default style) or `base.svg` alone (paper), and
/// `base.data.csv`; returns the figure files written (not the data file).
pub fn xy_figure_styled(base: &Path, chart: &XyChart, style: Style) -> Result<Vec<PathBuf>, PlotError> {
    let with = |ext: &str| {
        let mut s = base.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    let (png, svg) = (with(".png"), with(".svg"));
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |e: String| PlotError { path: path.clone(), message: e }
    };
    let look = style.look();
    let written = match style {
        Style::Default => {
            {
                let root = BitMapBackend::new(&png, (COLUMN_WIDTH, COLUMN_HEIGHT)).into_drawing_area();
                draw_xy(&root, chart, &look).map_err(err(&png))?;
                root.present().map_err(|e| e.to_string()).map_err(err(&png))?;
            }
            {
                let root = SVGBackend::new(&svg, (COLUMN_WIDTH, COLUMN_HEIGHT)).into_drawing_area();
                draw_xy(&root, chart, &look).map_err(err(&svg))?;
                root.present().map_err(|e| e.to_string()).map_err(err(&svg))?;
            }
            vec![png, svg.clone()]
        }
        Style::Paper => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, style::PAPER_SIZE_PT).into_drawing_area();
                draw_xy(&root, chart, &look).map_err(err(&svg))?;
                root.present().map_err(|e| e.to_string()).map_err(err(&svg))?;
            }
            std::fs::write(&svg, style::paper_svg(&text)).map_err(|e| e.to_string()).map_err(err(&svg))?;
            vec![svg.clone()]
        }
    };
    data::write_data(&data::data_path_appended(base), &xy_data(chart))?;
    Ok(written)
}

/// The data of an x–y chart: one row per point, placed by series (`mark: LABEL` for highlighted points), with x,
/// y and, when any point has one, y's interval, named by the axis labels. x is the point's own value (the figure
/// may shift series sideways by [`XyChart::dodge`] so that their error bars do not hide each other).
pub fn xy_data(c: &XyChart) -> FigureData {
    let mut d = FigureData::new(&["series"]);
    let has_ci = c.series.iter().flat_map(|s| &s.points).any(|p| p.ci.is_some());
    let (lo, hi) = (format!("{} 95% CI low", c.y_label), format!("{} 95% CI high", c.y_label));
    for s in c.series {
        for p in &s.points {
            let mut values = vec![(c.x_label, p.x), (c.y_label, p.y)];
            if has_ci {
                let (l, h) = p.ci.unwrap_or((f64::NAN, f64::NAN));
                values.extend([(lo.as_str(), l), (hi.as_str(), h)]);
            }
            d.push(&[&s.label], &values);
        }
    }
    for m in c.marks {
        let label = if m.label.is_empty() { "mark".to_string() } else { format!("mark: {}", m.label) };
        d.push(&[&label], &[(c.x_label, m.x), (c.y_label, m.y)]);
    }
    d
}

/// The range of the finite values of `vals`, padded by `pad` of its span (or by 10% of the value, or 1, when the
/// span is 0); `(0, 1)` if none is finite.
fn padded(vals: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) =
        vals.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if lo > hi {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if span == 0.0 {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - d, hi + d);
    }
    (lo - span * pad, hi + span * pad)
}

fn draw_xy<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, c: &XyChart, look: &Look) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let points = || c.series.iter().flat_map(|s| s.points.iter());
    let named = c.series.iter().filter(|s| !s.label.is_empty()).count();
    let (y0, y1) = c.y_range.unwrap_or_else(|| {
        let (lo, hi) = padded(points().flat_map(|p| [p.y, p.ci.map_or(p.y, |c| c.0), p.ci.map_or(p.y, |c| c.1)]), 0.06);
        // Room above the data for the legend.
        (lo, if named > 0 { hi + (hi - lo) * 0.12 * named as f64 } else { hi })
    });
    let mut builder = ChartBuilder::on(root);
    if look.title {
        builder.caption(c.title, (look.family, look.caption).into_font());
    }
    builder.margin(look.margin).x_label_area_size(look.x_area).y_label_area_size(look.y_area);
    if c.log_x {
        let (lo, hi) =
            points().map(|p| p.x).filter(|x| *x > 0.0).fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
        let (lo, hi) = if lo <= hi { (lo / 1.3, hi * 1.3) } else { (1e-3, 1.0) };
        let mut chart = builder.build_cartesian_2d((lo..hi).log_scale(), y0..y1).map_err(|e| e.to_string())?;
        xy_body(&mut chart, c, look, None, y1 - y0).map_err(|e| e.to_string())
    } else {
        let (lo, hi) = padded(points().map(|p| p.x), 0.05);
        let mut chart = builder.build_cartesian_2d(lo..hi, y0..y1).map_err(|e| e.to_string())?;
        xy_body(&mut chart, c, look, Some(hi - lo), y1 - y0).map_err(|e| e.to_string())
    }
}

/// Tick text with as many decimals as the tick spacing (about span / 8) needs, trailing zeros trimmed.
fn tick_text(v: f64, span: Option<f64>) -> String {
    let text = match span {
        Some(span) if span > 0.0 => {
            let decimals = (-(span / 8.0).log10()).ceil().max(0.0) as usize + 1;
            let t = format!("{v:.decimals$}");
            if t.contains('.') {
                t.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                t
            }
        }
        // Log axis: three significant digits.
        _ => format!("{}", format!("{v:.2e}").parse::<f64>().unwrap_or(v)),
    };
    if text == "-0" {
        "0".to_string()
    } else {
        text
    }
}

fn xy_body<'a, DB: DrawingBackend + 'a, X: Ranged<ValueType = f64> + ValueFormatter<f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    c: &XyChart,
    look: &Look,
    x_span: Option<f64>,
    y_span: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let x_fmt = move |v: &f64| tick_text(*v, x_span);
    let y_fmt = move |v: &f64| tick_text(*v, Some(y_span));
    chart
        .configure_mesh()
        .x_desc(c.x_label)
        .y_desc(c.y_label)
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.12))
        .label_style((look.family, look.tick).into_font())
        .axis_desc_style((look.family, look.axis).into_font())
        .draw()?;
    let n = c.series.len() as f64;
    let (len, width) = (look.legend_len, look.legend_line);
    for (i, s) in c.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let shift = x_span.map_or(0.0, |span| c.dodge * span * (i as f64 - (n - 1.0) / 2.0));
        let line = chart.draw_series(LineSeries::new(
            s.points.iter().map(|p| (p.x + shift, p.y)),
            colour.stroke_width(look.line),
        ))?;
        if !s.label.is_empty() {
            line.label(s.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + len, y)], colour.stroke_width(width)));
        }
        chart.draw_series(s.points.iter().filter_map(|p| {
            p.ci.map(|(lo, hi)| {
                ErrorBar::new_vertical(p.x + shift, lo, p.y, hi, colour.stroke_width(look.error_bar), look.error_cap)
            })
        }))?;
        if c.markers {
            chart
                .draw_series(s.points.iter().map(|p| Circle::new((p.x + shift, p.y), look.marker, colour.filled())))?;
        }
    }
    let area = chart.plotting_area();
    let (left, right) = (area.get_base_pixel().0, area.get_base_pixel().0 + area.dim_in_pixel().0 as i32);
    for m in c.marks {
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        // Labels go right of the point, or left of it in the right 40% of the plot.
        let px = chart.backend_coord(&(m.x, m.y)).0;
        let left_of = px > left + (right - left) * 3 / 5;
        let (h, label) =
            if left_of { (HPos::Right, format!("{}  ", m.label)) } else { (HPos::Left, format!("  {}", m.label)) };
        chart.draw_series(std::iter::once(Circle::new((m.x, m.y), look.ring, BLACK.stroke_width(look.ring_line))))?;
        if m.label.is_empty() {
            continue;
        }
        let style = (look.family, look.mark_text).into_font().color(&BLACK).pos(Pos::new(h, VPos::Top));
        chart.draw_series(std::iter::once(Text::new(label, (m.x, m.y), style)))?;
    }
    if c.series.iter().any(|s| !s.label.is_empty()) {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .label_font((look.family, look.legend).into_font())
            .legend_area_size(look.legend_area)
            .margin(look.legend_margin)
            .draw()?;
    }
    Ok(())
}
