//! Every figure the analyses and `plot` write has the data it plots beside it, as `<stem>.data.csv`
//! (docs/outputs.md), listed in the folder's manifest; its values are recomputed here from the tables the figures
//! are drawn from. And `plot --style paper`: a one-column SVG with serif text, no PNG, the same data.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::common::{cli, scratch, stderr};
use super::ids::BASE;

/// A CSV file: its header and rows of text.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        Csv { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.header))
    }

    /// The rows whose text column `key` is `value`.
    fn rows_where(&self, key: &str, value: &str) -> Vec<&Vec<String>> {
        let k = self.col(key);
        self.rows.iter().filter(|r| r[k] == value).collect()
    }

    /// Numbers of column `name` in `rows` (NaN for an empty cell).
    fn nums(&self, rows: &[&Vec<String>], name: &str) -> Vec<f64> {
        let c = self.col(name);
        rows.iter().map(|r| if r[c].is_empty() { f64::NAN } else { r[c].parse().unwrap() }).collect()
    }
}

fn same(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: {a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert!(x == y || (x.is_nan() && y.is_nan()), "{what}: {x} vs {y}");
    }
}

fn ok(dir: &Path, args: &[&str]) {
    let out = cli(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

/// Checks that every figure (`.png`, `.svg`) in `dir` has its `.data.csv`, listed in the manifest, with a header
/// and rows; returns the figure stems.
fn every_figure_has_its_data(dir: &Path) -> BTreeSet<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let listed: BTreeSet<&str> = manifest["files"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    let mut stems = BTreeSet::new();
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(stem) = name.strip_suffix(".png").or_else(|| name.strip_suffix(".svg")) else { continue };
        let data = format!("{stem}.data.csv");
        assert!(dir.join(&data).is_file(), "{}: {name} has no {data}", dir.display());
        assert!(listed.contains(data.as_str()), "{data} not in the manifest of {}", dir.display());
        let csv = Csv::read(&dir.join(&data));
        assert!(csv.header.len() >= 2 && !csv.rows.is_empty(), "{data}: {:?}", csv.header);
        stems.insert(stem.to_string());
    }
    stems
}

#[test]
fn ids_optimize_figures_have_their_data() {
    let dir = scratch("figure-data-ids");
    fs::write(dir.join("ids.toml"), BASE).unwrap();
    ok(
        &dir,
        &[
            "-q",
            "ids-optimize",
            "ids.toml",
            "--max-ids",
            "2",
            "--replications",
            "2",
            "--set",
            "ids.detector=score",
            "--set",
            "simulation.duration_s=60",
            "--curve-points",
            "3",
            "--sensitivity",
            "--out",
            "o",
        ],
    );
    let o = dir.join("o");
    let stems = every_figure_has_its_data(&o);
    for s in ["ids_tradeoff", "roc_det", "cost_curve", "sensitivity", "tornado"] {
        assert!(stems.contains(s), "{s} missing: {stems:?}");
    }

    // Trade-off: both panels, analytic and simulated, from ids_tradeoff.csv.
    let table = Csv::read(&o.join("ids_tradeoff.csv"));
    let data = Csv::read(&o.join("ids_tradeoff.data.csv"));
    for (panel, column, y) in [
        ("Detection rate against IDS count", "detection_rate", "detection rate"),
        ("System cost against IDS count", "cost", "cost per inspected item (relative)"),
    ] {
        for (method, series) in [("analytic", "analytic (closed form)"), ("simulated", "simulated")] {
            let src = table.rows_where("method", method);
            let plotted: Vec<&Vec<String>> =
                data.rows_where("panel", panel).into_iter().filter(|r| r[1] == series).collect();
            same(&data.nums(&plotted, "IDS nodes"), &table.nums(&src, "ids_count"), panel);
            same(&data.nums(&plotted, y), &table.nums(&src, column), panel);
            if method == "simulated" {
                let lo = data.nums(&plotted, &format!("{y} 95% CI low"));
                same(&lo, &table.nums(&src, &format!("{column}_ci_low")), panel);
            }
        }
    }

    // Cost curve: the lower envelope is cost_curve.csv.
    let table = Csv::read(&o.join("cost_curve.csv"));
    let data = Csv::read(&o.join("cost_curve.data.csv"));
    let env = data.rows_where("series", "lower envelope (closed form)");
    let all: Vec<&Vec<String>> = table.rows.iter().collect();
    same(&data.nums(&env, "probability cost PC(attack)"), &table.nums(&all, "probability_cost"), "envelope x");
    same(&data.nums(&env, "normalised expected cost"), &table.nums(&all, "normalized_expected_cost"), "envelope y");

    // DET panel: the points of det.csv within the panel's 0.1% to 90% (normal deviates -3.090232 to 1.281552).
    let table = Csv::read(&o.join("det.csv"));
    let data = Csv::read(&o.join("roc_det.data.csv"));
    let inside = |v: f64| (-3.090_232..=1.281_552).contains(&v);
    let all: Vec<&Vec<String>> = table.rows.iter().collect();
    let (xs, ys) = (table.nums(&all, "fpr_deviate"), table.nums(&all, "fnr_deviate"));
    let expected: Vec<(f64, f64)> = xs.into_iter().zip(ys).filter(|&(x, y)| inside(x) && inside(y)).collect();
    let det: Vec<&Vec<String>> = data
        .rows_where("panel", "DET curve (normal-deviate axes)")
        .into_iter()
        .filter(|r| r[1] == "closed form")
        .collect();
    let got: Vec<(f64, f64)> = data
        .nums(&det, "false positive rate (normal deviate)")
        .into_iter()
        .zip(data.nums(&det, "false negative rate (normal deviate)"))
        .collect();
    assert!(!got.is_empty() && got == expected, "DET: {} plotted vs {} in det.csv's range", got.len(), expected.len());

    // Tornado: each parameter's two bars are tornado.csv's costs.
    let table = Csv::read(&o.join("tornado.csv"));
    let data = Csv::read(&o.join("tornado.data.csv"));
    for r in &table.rows {
        let p = &r[table.col("parameter")];
        let bars = data.rows_where("parameter", p);
        let mut want =
            vec![r[table.col("cost_low")].parse::<f64>().unwrap(), r[table.col("cost_high")].parse().unwrap()];
        want.retain(|v| v.is_finite());
        same(&data.nums(&bars, "cost per inspected item at the re-optimised IDS count"), &want, p);
    }

    // Map: one cell per row of sensitivity.csv, the optimal count its colour.
    let table = Csv::read(&o.join("sensitivity.csv"));
    let data = Csv::read(&o.join("sensitivity.data.csv"));
    let cells = data.rows_where("series", "cell");
    let all: Vec<&Vec<String>> = table.rows.iter().collect();
    same(&data.nums(&cells, "C_miss / C_FA"), &table.nums(&all, "miss_cost_ratio"), "map x");
    same(&data.nums(&cells, "optimal IDS nodes (empty: none feasible)"), &table.nums(&all, "optimal_n"), "map colour");
}

#[test]
fn crypto_compare_and_trust_tradeoff_figures_have_their_data() {
    let dir = scratch("figure-data-analyses");
    let small =
        "name = \"small\"\nseed = 3\n[simulation]\nduration_s = 5.0\n[wearables]\ncount = 20\n[cloudlets]\ncount = 4\n";
    fs::write(dir.join("small.toml"), small).unwrap();
    ok(&dir, &["-q", "crypto-compare", "small.toml", "--out", "c"]);
    let c = dir.join("c");
    assert!(every_figure_has_its_data(&c).contains("crypto_compare"));
    let table = Csv::read(&c.join("crypto_compare.csv"));
    let data = Csv::read(&c.join("crypto_compare.data.csv"));
    let lifetime = data.rows_where("panel", "Projected wearable battery lifetime");
    assert!(!lifetime.is_empty());
    for r in lifetime {
        let v: f64 = r[data.col("lifetime (days, log)")].parse().unwrap();
        let found = table.rows.iter().any(|t| {
            t[table.col("scheme")] == r[1]
                && format!("{} @ {}", t[table.col("mode")], t[table.col("at")]) == r[2]
                && t[table.col("wearable_lifetime_days")].parse::<f64>().unwrap() == v
        });
        assert!(found, "{r:?}: no row of crypto_compare.csv has that lifetime");
    }

    let trust = "name = \"trust\"\n[simulation]\nduration_s = 20.0\n[wearables]\ncount = 20\n[cloudlets]\ncount = 2\n\
                 [trust]\nenabled = true\n";
    fs::write(dir.join("trust.toml"), trust).unwrap();
    ok(&dir, &["-q", "trust-tradeoff", "trust.toml", "--thresholds", "0.2,0.8", "--replications", "2", "--out", "t"]);
    let t = dir.join("t");
    assert_eq!(every_figure_has_its_data(&t), BTreeSet::from(["trust_threshold".into(), "trust_tradeoff".into()]));
    let table = Csv::read(&t.join("trust_tradeoff.csv"));
    let data = Csv::read(&t.join("trust_tradeoff.data.csv"));
    let points = data.rows_where("series", "");
    let all: Vec<&Vec<String>> = table.rows.iter().collect();
    same(
        &data.nums(&points, "leak ratio (shares to malicious / their requests)"),
        &table.nums(&all, "leak_ratio"),
        "x",
    );
    same(&data.nums(&points, "utility (useful shares / useful requests)"), &table.nums(&all, "utility"), "y");
    let hi = data.nums(&points, "utility (useful shares / useful requests) 95% CI high");
    same(&hi, &table.nums(&all, "utility_ci_high"), "interval");
}

const SCENARIO: &str = "name = \"small\"\nseed = 3\n[simulation]\nduration_s = 5.0\n[wearables]\ncount = 20\n\
                        [cloudlets]\ncount = 4\n";
const SWEEP: &str = "scenario = \"small.toml\"\nseed = 5\nreplications = 2\n[vary]\n\"wearables.count\" = [10, 20]\n";

#[test]
fn plot_figures_have_their_data_and_paper_style_is_a_serif_column_svg() {
    let dir = scratch("figure-data-plot");
    fs::write(dir.join("small.toml"), SCENARIO).unwrap();
    fs::write(dir.join("sweep.toml"), SWEEP).unwrap();
    ok(&dir, &["-q", "sweep", "sweep.toml", "--out", "s"]);
    ok(&dir, &["-q", "plot", "s"]);
    let plots = dir.join("s/plots");
    let stems = every_figure_has_its_data(&plots);
    assert!(stems.contains("latency_s_mean_vs_wearables_count"), "{stems:?}");
    // Sweep figures: the mean (in ms) and its interval, from summary.csv.
    let summary = Csv::read(&dir.join("s/summary.csv"));
    let data = Csv::read(&plots.join("latency_s_mean_vs_wearables_count.data.csv"));
    let all: Vec<&Vec<String>> = summary.rows.iter().collect();
    let ms = |v: Vec<f64>| v.into_iter().map(|x| x * 1e3).collect::<Vec<_>>();
    let points: Vec<&Vec<String>> = data.rows.iter().collect();
    same(&data.nums(&points, "wearables.count"), &summary.nums(&all, "wearables.count"), "x");
    same(&data.nums(&points, "mean end-to-end latency (ms)"), &ms(summary.nums(&all, "latency_s.mean.mean")), "y");
    let lo = data.nums(&points, "mean end-to-end latency (ms) 95% CI low");
    same(&lo, &ms(summary.nums(&all, "latency_s.mean.ci95_low")), "CI");

    // Paper style: SVG only, 3.5 in wide, serif text, the series drawn; the same data.
    let default_data = fs::read(plots.join("latency_s_mean_vs_wearables_count.data.csv")).unwrap();
    ok(&dir, &["-q", "plot", "s", "--style", "paper"]);
    assert!(!plots.join("latency_s_mean_vs_wearables_count.png").exists(), "paper style writes no PNG");
    assert_eq!(every_figure_has_its_data(&plots), stems);
    let svg = fs::read_to_string(plots.join("latency_s_mean_vs_wearables_count.svg")).unwrap();
    assert!(svg.contains("<svg width=\"3.5in\" height=\"2.5in\" viewBox=\"0 0 252 180\""), "{}", &svg[..200]);
    assert!(svg.contains("font-family=\"serif\"") && !svg.contains("sans-serif"), "serif text only");
    let sizes: BTreeSet<String> =
        svg.split("font-size=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect();
    assert_eq!(sizes, BTreeSet::from(["8".to_string(), "9".to_string()]), "8 and 9 pt text");
    assert!(svg.contains("mean end-to-end latency (ms)") && svg.contains("<polyline"), "axis and series drawn");
    assert_eq!(fs::read(plots.join("latency_s_mean_vs_wearables_count.data.csv")).unwrap(), default_data);

    // A run folder: the CDF in ms from latency_cdf.csv.
    ok(&dir, &["-q", "run", "small.toml", "--out", "r"]);
    ok(&dir, &["-q", "plot", "r"]);
    assert!(every_figure_has_its_data(&dir.join("r/plots")).contains("latency_cdf"));
    let cdf = Csv::read(&dir.join("r/latency_cdf.csv"));
    let data = Csv::read(&dir.join("r/plots/latency_cdf.data.csv"));
    let curve: Vec<&Vec<String>> = data.rows.iter().filter(|r| !r[0].starts_with("mark")).collect();
    let all: Vec<&Vec<String>> = cdf.rows.iter().collect();
    let x = data.header.iter().find(|h| h.starts_with("latency (ms")).unwrap().clone();
    same(&data.nums(&curve, &x), &ms(cdf.nums(&all, &cdf.header[0])), "CDF x");
    same(&data.nums(&curve, "fraction of samples at or below"), &cdf.nums(&all, &cdf.header[1]), "CDF y");
}
