//! Figure styles: the default (PNG and SVG, sans-serif, sized for screens and slides) and `paper` (SVG only,
//! serif text at 8–9 pt, one journal column wide).

/// How a figure looks and which files it is written as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Style {
    /// PNG and SVG, 900 × 640 user units, sans-serif text: legible on screens, slides and, scaled down, in papers.
    #[default]
    Default,
    /// SVG only (vector), 3.5 in × 2.5 in, no title (the paper's caption replaces it), serif text at 8 pt (tick labels, legend) and 9 pt (axis titles, title),
    /// thin lines: for a one-column figure in a two-column paper, placed at 100%.
    Paper,
}

/// Paper figures: width and height in points (1 SVG user unit = 1 pt once the root says `3.5in`).
pub const PAPER_SIZE_PT: (u32, u32) = (252, 180);
/// The printed size of a paper figure, written as the SVG's `width` and `height`.
pub const PAPER_SIZE_IN: (&str, &str) = ("3.5in", "2.5in");

/// plotters writes an SVG text's `font-size` as the size it was given divided by 1.24 (its own em convention);
/// sizes below are what the SVG should say, in points. (Sizes must reach plotters as a `FontDesc`: a
/// `(family, size)` pair is rounded down to whole pixels first.)
const SVG_EM: f64 = 1.24;

/// Sizes and fonts of an x–y chart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    pub family: &'static str,
    /// Draw the chart's title (a paper's figure has its caption instead).
    pub title: bool,
    pub caption: f64,
    pub tick: f64,
    pub axis: f64,
    pub legend: f64,
    pub mark_text: f64,
    pub margin: u32,
    pub x_area: u32,
    pub y_area: u32,
    pub line: u32,
    pub error_bar: u32,
    pub error_cap: u32,
    pub marker: u32,
    pub ring: u32,
    pub ring_line: u32,
    pub legend_len: i32,
    pub legend_line: u32,
    /// Width of a legend entry's sample (its line and the gap to the text).
    pub legend_area: u32,
    /// Padding inside the legend's box.
    pub legend_margin: u32,
}

impl Style {
    /// The look of an x–y chart in this style.
    pub(crate) fn look(self) -> Look {
        match self {
            Style::Default => Look {
                family: "sans-serif",
                title: true,
                caption: 28.0,
                tick: 24.0,
                axis: 28.0,
                legend: 22.0,
                mark_text: 24.0,
                margin: 18,
                x_area: 80,
                y_area: 150,
                line: 3,
                error_bar: 2,
                error_cap: 14,
                marker: 6,
                ring: 10,
                ring_line: 3,
                legend_len: 28,
                legend_line: 4,
                legend_area: 30,
                legend_margin: 10,
            },
            Style::Paper => Look {
                family: "serif",
                title: false,
                caption: 9.0 * SVG_EM,
                tick: 8.0 * SVG_EM,
                axis: 9.0 * SVG_EM,
                legend: 8.0 * SVG_EM,
                mark_text: 8.0 * SVG_EM,
                margin: 5,
                x_area: 28,
                y_area: 44,
                line: 1,
                error_bar: 1,
                error_cap: 4,
                marker: 2,
                ring: 4,
                ring_line: 1,
                legend_len: 12,
                legend_line: 1,
                legend_area: 16,
                legend_margin: 3,
            },
        }
    }
}

/// Gives the SVG document `svg` (as plotters writes it, sized `PAPER_SIZE_PT`) its printed size in inches, so that
/// one user unit is one point.
pub(crate) fn paper_svg(svg: &str) -> String {
    let (w, h) = PAPER_SIZE_PT;
    let from = format!("<svg width=\"{w}\" height=\"{h}\" ");
    let to = format!("<svg width=\"{}\" height=\"{}\" ", PAPER_SIZE_IN.0, PAPER_SIZE_IN.1);
    svg.replacen(&from, &to, 1)
}
