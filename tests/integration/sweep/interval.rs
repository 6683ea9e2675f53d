//! The Student-t interval: `summary.csv` is the interval of the runs, and it covers a known mean 95% of the time.

use rand::SeedableRng;
use rand_distr::{Bernoulli, Distribution, Normal};
use rand_pcg::Pcg64;
use statrs::distribution::{Binomial, Discrete};

use cloudletsim::sweep::stats::{mean_ci, t_quantile, LEVEL};

use super::{ok, setup, SWEEP};

#[test]
fn summary_csv_is_the_t_interval_of_the_runs() {
    let dir = setup("sweep-summary", SWEEP);
    ok(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    let table = |file: &str| {
        let mut r = csv::Reader::from_path(dir.join("s").join(file)).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
        (h, rows)
    };
    let (rh, runs) = table("runs.csv");
    let (sh, points) = table("summary.csv");
    assert_eq!(points.len(), 6);
    for metric in ["latency_s.mean", "packets.delivered", "energy.per_sample_j.total"] {
        let m = rh.iter().position(|h| h == metric).unwrap();
        let col = |stat: &str| sh.iter().position(|h| *h == format!("{metric}.{stat}")).unwrap();
        for p in &points {
            let xs: Vec<f64> = runs.iter().filter(|r| r[0] == p[0]).map(|r| r[m].parse().unwrap()).collect();
            let s = mean_ci(&xs, LEVEL).unwrap();
            assert_eq!(p[col("n")], "3");
            let num = |stat: &str| p[col(stat)].parse::<f64>().unwrap();
            assert_eq!(num("mean"), s.mean, "{metric} point {}", p[0]);
            assert_eq!(num("std"), s.std.unwrap());
            let half = t_quantile(0.975, 2.0) * s.std.unwrap() / 3f64.sqrt();
            assert!((num("ci95_low") - (s.mean - half)).abs() <= 1e-12 * (1.0 + s.mean.abs()));
            assert!((num("ci95_high") - (s.mean + half)).abs() <= 1e-12 * (1.0 + s.mean.abs()));
        }
    }
    assert!(!sh.iter().any(|h| h.starts_with("scenario.seed.")), "a run's seed is not a metric");
}

/// Trials of the coverage experiments, and the tolerance in binomial standard errors of the coverage estimate:
/// an exact 95% interval fails the check with probability 6e-5 (and the seeds are fixed, so it never flakes).
const TRIALS: usize = 4000;
const SE_TOLERANCE: f64 = 4.0;

fn coverage(mut sample: impl FnMut() -> Vec<f64>, mean: f64, interval: impl Fn(&[f64]) -> (f64, f64)) -> f64 {
    let hits = (0..TRIALS)
        .filter(|_| {
            let (lo, hi) = interval(&sample());
            lo <= mean && mean <= hi
        })
        .count();
    hits as f64 / TRIALS as f64
}

fn t_interval(xs: &[f64]) -> (f64, f64) {
    mean_ci(xs, LEVEL).unwrap().ci.unwrap()
}

#[test]
fn the_t_interval_covers_a_known_normal_mean_95_percent_of_the_time() {
    // Five replications: small enough that a normal (z) interval would be visibly too narrow.
    let mut rng = Pcg64::seed_from_u64(0x5eed_0006);
    let normal = Normal::new(3.0, 2.0).unwrap();
    let mut sample = || (0..5).map(|_| normal.sample(&mut rng)).collect::<Vec<f64>>();
    let se = (LEVEL * (1.0 - LEVEL) / TRIALS as f64).sqrt();
    let t_cov = coverage(&mut sample, 3.0, t_interval);
    assert!((t_cov - LEVEL).abs() <= SE_TOLERANCE * se, "t coverage {t_cov}, expected {LEVEL} ± {}", SE_TOLERANCE * se);
    // The check has power: the z interval (1.96 instead of t(4) = 2.78) covers about 88% and fails it.
    let z_cov = coverage(&mut sample, 3.0, |xs| {
        let s = mean_ci(xs, LEVEL).unwrap();
        let half = 1.959_964 * s.std.unwrap() / (xs.len() as f64).sqrt();
        (s.mean - half, s.mean + half)
    });
    assert!((z_cov - LEVEL).abs() > SE_TOLERANCE * se, "z coverage {z_cov} should fall outside the band");
    println!("normal data, n = 5: t coverage {t_cov}, z coverage {z_cov}, band {LEVEL} ± {:.4}", SE_TOLERANCE * se);
}

#[test]
fn the_t_interval_covers_a_bernoulli_detection_rate_as_its_exact_coverage_says() {
    // A detection rate measured over n = 40 Bernoulli(0.75) trials. With discrete data the coverage is not exactly
    // 95%: compute it exactly (sum of binomial probabilities of the counts whose interval covers p), require it
    // near 95%, and require the Monte-Carlo coverage to match it within the binomial error of the estimate.
    let (n, p) = (40u64, 0.75);
    let data = |k: u64| (0..n).map(|i| if i < k { 1.0 } else { 0.0 }).collect::<Vec<f64>>();
    let binomial = Binomial::new(p, n).unwrap();
    let exact: f64 = (0..=n)
        .filter(|&k| {
            let (lo, hi) = t_interval(&data(k));
            lo <= p && p <= hi
        })
        .map(|k| binomial.pmf(k))
        .sum();
    assert!((0.93..=0.96).contains(&exact), "exact coverage {exact} is not close to 95%");
    let mut rng = Pcg64::seed_from_u64(0x5eed_0007);
    let trial = Bernoulli::new(p).unwrap();
    let mut sample = || (0..n).map(|_| if trial.sample(&mut rng) { 1.0 } else { 0.0 }).collect::<Vec<f64>>();
    let mc = coverage(&mut sample, p, t_interval);
    let se = (exact * (1.0 - exact) / TRIALS as f64).sqrt();
    assert!(
        (mc - exact).abs() <= SE_TOLERANCE * se,
        "Monte-Carlo coverage {mc}, exact {exact} ± {}",
        SE_TOLERANCE * se
    );
    println!("Bernoulli(0.75), n = 40: exact coverage {exact:.4}, Monte-Carlo {mc}, band ± {:.4}", SE_TOLERANCE * se);
}
