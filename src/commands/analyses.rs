//! The analyses that run a scenario many times in a thread pool: `ids-optimize`, `crypto-compare` and
//! `trust-tradeoff`, each refused beforehand if all its runs together exceed `--max-events`.

use anyhow::Result;

use cloudletsim::api::{self, check_total, write_resolved, ScenarioInput};
use cloudletsim::crypto::compare as crypto_compare;
use cloudletsim::ids::optimize::OptimizeOptions;
use cloudletsim::ids::sensitivity;
use cloudletsim::output::FolderKind;

use crate::{OutArgs, ScenarioArgs};

/// `crypto-compare`: every scheme in every mode on the scenario's workload, a table and the folder.
pub(crate) fn crypto_compare(
    args: &ScenarioArgs,
    out: &OutArgs,
    jobs: Option<usize>,
    intervals: Option<&[f64]>,
    quiet: bool,
) -> Result<()> {
    let (scenario, text, estimate) = args.load_checked()?;
    let own = scenario.config.link(cloudletsim::chain::LinkClass::Ban).ble.as_ref().map(|b| b.interval.as_secs_f64());
    let intervals: Vec<f64> = match (own, intervals) {
        (None, Some(_)) => anyhow::bail!("--intervals needs links.ban.mac = \"ble\" in the scenario"),
        (None, None) => vec![],
        (Some(_), Some(list)) => list.to_vec(),
        (Some(own), None) => {
            let mut v = crypto_compare::DEFAULT_INTERVALS_S.to_vec();
            if !v.iter().any(|x| (x - own).abs() < 1e-9) {
                v.push(own);
                v.sort_by(f64::total_cmp);
            }
            v
        }
    };
    check_total(
        &estimate,
        (crypto_compare::run_count(intervals.len()) + cloudletsim::crypto::channel::compare::PROTECTIONS.len()) as f64,
        args.max_events,
        "crypto-compare (every scheme × mode)",
    )?;
    let dir = out.create(&format!("{}-crypto-compare", scenario.config.name), FolderKind::CryptoCompare)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let rows = pool.install(|| crypto_compare::compare(&text, &args.file, &args.all_sets(), &intervals))?;
    let at_rest = cloudletsim::crypto::cipher::at_rest::at_rest(&text, &args.file, &args.all_sets())?;
    write_resolved(&dir, &scenario)?;
    crypto_compare::write(&dir, dir.staging(), &rows, own)?;
    // The cloudlet → cloud channel: none, TLS 1.3, DTLS 1.3 on the same workload (its own file).
    let channel =
        pool.install(|| cloudletsim::crypto::channel::compare::compare(&text, &args.file, &args.all_sets()))?;
    cloudletsim::crypto::channel::compare::write(&dir, &channel)?;
    let signatures = cloudletsim::signatures::compare::rows(&text, &args.file, &args.all_sets())?;
    cloudletsim::signatures::compare::write(&dir, &signatures)?;
    cloudletsim::crypto::cipher::at_rest::write(&dir, dir.staging(), &at_rest)?;
    let path = dir.commit()?;
    if quiet {
        return Ok(());
    }
    println!(
        "{:16} {:10} {:8} {:>8} {:>12} {:>12} {:>12} {:>10}",
        "scheme", "mode", "at", "CI s", "crypto µJ", "radio µJ", "cloudlet µJ", "wear. days"
    );
    for r in &rows {
        println!(
            "{:16} {:10} {:8} {:>8} {:>12.2} {:>12.2} {:>12.2} {:>10.1}",
            r.scheme,
            r.mode,
            r.at,
            r.connection_interval_s.map_or("-".to_string(), |x| format!("{x}")),
            (r.wearable_crypto_j_per_sample + r.gateway_crypto_j_per_sample) * 1e6,
            (r.wearable_radio_j_per_sample + r.gateway_radio_j_per_sample) * 1e6,
            r.cloudlet_crypto_j_per_sample * 1e6,
            r.wearable_lifetime_days
        );
    }
    let extra =
        if intervals.len() > 1 { ", crypto_lifetime_vs_interval.png, crypto_lifetime_vs_interval.svg" } else { "" };
    for r in &channel {
        println!(
            "channel {:7} +{:.1} B/sample, cloudlet {:.3} µJ/sample, latency mean {:.4} s, readable mesh {} wan {}",
            r.protection,
            r.bytes_added_per_sample,
            r.cloudlet_j_per_sample * 1e6,
            r.latency_mean_s,
            r.readable_mesh_samples,
            r.readable_wan_samples
        );
    }
    println!(
        "results  {}/ (crypto_compare.csv, crypto_compare.png, crypto_compare.svg{extra}, crypto_at_rest.csv, \
         crypto_at_rest.png, crypto_at_rest.svg, crypto_channel.csv, crypto_signatures.csv)",
        path.display()
    );
    Ok(())
}

/// `trust-tradeoff`: the scenario at every threshold of `thresholds`, a table and the folder.
pub(crate) fn trust_tradeoff(
    args: &ScenarioArgs,
    thresholds: &str,
    replications: u32,
    out: &OutArgs,
    jobs: Option<usize>,
    quiet: bool,
) -> Result<()> {
    use cloudletsim::trust::tradeoff as trust_tradeoff;
    let (scenario, text, estimate) = args.load_checked()?;
    let thresholds = trust_tradeoff::parse_thresholds(thresholds)?;
    let runs = thresholds.len() as f64 * f64::from(replications);
    check_total(&estimate, runs, args.max_events, "trust-tradeoff (--thresholds × --replications)")?;
    let dir = out.create(&format!("{}-trust-tradeoff", scenario.config.name), FolderKind::TrustTradeoff)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let rows =
        pool.install(|| trust_tradeoff::tradeoff(&text, &args.file, &args.all_sets(), &thresholds, replications))?;
    write_resolved(&dir, &scenario)?;
    trust_tradeoff::write(&dir, &rows)?;
    let path = dir.commit()?;
    if quiet {
        return Ok(());
    }
    println!("{:>9} {:>10} {:>19} {:>9} {:>19}", "threshold", "leak ratio", "95% interval", "utility", "95% interval");
    for r in &rows {
        println!(
            "{:>9} {:>10.4} [{:>7.4}, {:>7.4}] {:>9.4} [{:>7.4}, {:>7.4}]",
            r.threshold,
            r.leak_ratio,
            r.leak_ratio_ci_low,
            r.leak_ratio_ci_high,
            r.utility,
            r.utility_ci_low,
            r.utility_ci_high
        );
    }
    println!("results  {}/ (trust_tradeoff.csv, trust_tradeoff.png/.svg, trust_threshold.png/.svg)", path.display());
    Ok(())
}

/// `ids-optimize`: the decision tree over IDS counts, its table, the optimum and the folder.
pub(crate) fn ids_optimize(
    args: &ScenarioArgs,
    opts: OptimizeOptions,
    sensitivity: bool,
    out: &OutArgs,
    jobs: Option<usize>,
    quiet: bool,
) -> Result<()> {
    let input: ScenarioInput = args.input()?;
    let api::IdsOptimized { path, result, sensitivity: map } =
        api::ids_optimize_into(&input, opts, sensitivity, out.out.as_deref(), out.force, jobs.unwrap_or(0))?;
    if quiet {
        return Ok(());
    }
    print!("{}", result.table());
    let o = &result.optimum;
    match o.ids_count {
        Some(n) => println!(
            "optimum: {n} IDS nodes, detection rate {:.4}, false-alarm rate {:.4}, cost {:.5} (simulated: {} nodes, {:.4}, {:.5})",
            o.detection_rate,
            o.false_alarm_rate,
            o.cost,
            o.simulated_ids_count.map_or("no".to_string(), |n| n.to_string()),
            o.simulated_detection_rate,
            o.simulated_cost
        ),
        None => println!("no IDS count meets the targets (detection >= {}, false alarms <= {})", o.target_detection, o.max_false_alarm),
    }
    if let Some(n) = o.simulated_ids_count {
        let step = |s: Option<cloudletsim::ids::optimize::PairedStep>| {
            s.map_or("-".to_string(), |s| {
                format!("C({})-C({}) = {:+.5} [{:+.5}, {:+.5}]", s.to_ids, s.from_ids, s.cost_diff, s.ci_low, s.ci_high)
            })
        };
        println!(
            "simulated optimum {n} against its neighbours (paired, {} replications): {}; {}; beats both with 95% confidence: {}",
            o.replications,
            step(o.simulated_step_below),
            step(o.simulated_step_above),
            if o.simulated_beats_neighbours == Some(true) { "yes" } else { "no" }
        );
    }
    if let Some(map) = &map {
        print!("{}", sensitivity::describe(map));
    }
    println!("results  {}/ (ids_tradeoff.csv, optimum.json, decision_tree.dot, ids_tradeoff.png/.svg)", path.display());
    Ok(())
}
