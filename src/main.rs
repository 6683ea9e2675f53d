//! The `cloudletsim` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudletsim::chain::topology::Topology;
use cloudletsim::crypto::compare as crypto_compare;
use cloudletsim::estimate::{self, Budget, Estimate};
use cloudletsim::ids::optimize::{self as ids_optimize, OptimizeOptions};
use cloudletsim::output::{self, FolderKind, ResultsDir, Summary};
use cloudletsim::run::RunOptions;
use cloudletsim::scenario::{self, keys, Diagnostic, Scenario, ScenarioError};

/// Discrete-event simulator of cloudlet-based medical data sharing.
#[derive(Parser)]
#[command(name = "cloudletsim", version, about)]
#[command(after_help = "Exit status: 0 success; 1 an expectation of `check` failed; 2 an error (invalid input, \
I/O); 130 or 143 stopped by SIGINT or SIGTERM (no results folder written).")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print nothing but errors: no progress bar, no tables, no summary (`check`: only the exit status).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write results/<name>/ (summary.json, nodes.csv, energy.csv, latency_cdf.csv, timing.json).
    Run {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        out: OutArgs,
        /// Really encrypt every sample at its sender and decrypt it at the cloudlet, checking each round trip.
        #[arg(long)]
        real_crypto: bool,
    },
    /// Check a scenario (keys, ranges, and that its network can be built) without running it.
    Validate {
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// Print every scenario key with its type, default, unit and meaning.
    Keys {
        /// Print a Markdown table (as in docs/scenario-keys.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Choose the number of IDS nodes with a decision tree: closed form and simulation of every branch.
    IdsOptimize {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Largest IDS count tried (default: 8, or the number of cloudlets if fewer).
        #[arg(long)]
        max_ids: Option<u32>,
        /// Smallest acceptable detection rate.
        #[arg(long, default_value_t = 0.0)]
        target_detection: f64,
        /// Largest acceptable false-alarm rate.
        #[arg(long, default_value_t = 1.0)]
        max_false_alarm: f64,
        /// Simulated replications per branch (pooled).
        #[arg(long, default_value_t = 4)]
        replications: u32,
        #[command(flatten)]
        out: OutArgs,
        /// Worker threads, up to 4096 (default or 0: one per core); results do not depend on it.
        #[arg(long, value_parser = jobs_parser())]
        jobs: Option<usize>,
    },
    /// Run every cryptographic scheme in every mode on one workload; write crypto_compare.csv and a figure.
    CryptoCompare {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        out: OutArgs,
        /// Worker threads, up to 4096 (default or 0: one per core); results do not depend on it.
        #[arg(long, value_parser = jobs_parser())]
        jobs: Option<usize>,
    },
    /// Run a scenario at every trust threshold; write trust_tradeoff.csv and the leak-vs-utility figures.
    TrustTradeoff {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Thresholds: a list `0.2,0.5,0.8` or a range `FROM:TO:STEP` (ends included).
        #[arg(long, default_value = "0:1:0.05")]
        thresholds: String,
        /// Replications per threshold (averaged, with 95% intervals).
        #[arg(long, default_value_t = 5)]
        replications: u32,
        #[command(flatten)]
        out: OutArgs,
        /// Worker threads, up to 4096 (default or 0: one per core); results do not depend on it.
        #[arg(long, value_parser = jobs_parser())]
        jobs: Option<usize>,
    },
    /// Run a parameter sweep (points × replications, in parallel); write runs.csv and summary.csv.
    Sweep {
        /// Sweep file (TOML; see docs/sweeps.md).
        file: PathBuf,
        /// Sweep folder (default: results/<sweep name>/); an interrupted sweep resumes there.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write into an existing folder that cloudletsim did not write as this sweep's; only files a cloudletsim
        /// manifest lists are ever deleted, and nothing else is overwritten.
        #[arg(long)]
        force: bool,
        /// Refuse a run expected to process more events than this (0: no limit).
        #[arg(long, value_name = "N", default_value_t = estimate::DEFAULT_MAX_EVENTS)]
        max_events: u64,
        /// Worker threads, up to 4096 (default or 0: one per core); results do not depend on it.
        #[arg(long, value_parser = jobs_parser())]
        jobs: Option<usize>,
        /// Run only shard I of N (0 <= I < N), e.g. --shard $SLURM_ARRAY_TASK_ID/8; combine with `merge`.
        #[arg(long, value_name = "I/N")]
        shard: Option<cloudletsim::sweep::Shard>,
    },
    /// Combine the shard folders of one sweep into a folder with runs.csv and summary.csv.
    Merge {
        /// Shard folders (written by `sweep --shard`).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Merged sweep folder.
        #[arg(long)]
        out: PathBuf,
        /// Write into an existing folder that cloudletsim did not write as this sweep's (see `sweep --force`).
        #[arg(long)]
        force: bool,
    },
    /// Check expectations on a run or sweep folder, e.g. --expect 'packets.delivery_ratio >= 0.99'; exit 1 if one fails.
    Check {
        /// A run folder (summary.json) or a sweep folder (summary.csv).
        dir: PathBuf,
        /// An expectation: [all|any|argmin(COL)|argmax(COL)] COL OP VALUE[±TOL] (repeatable; see docs/sweeps.md).
        #[arg(long = "expect", value_name = "EXPECTATION", required = true)]
        expect: Vec<String>,
    },
    /// Draw a run or sweep folder's figures (PNG and SVG) into DIR/plots/.
    Plot {
        /// A run folder or a sweep folder.
        dir: PathBuf,
        /// Write DIR/plots/ even if cloudletsim did not write what is there as figures (deleting only files a
        /// cloudletsim manifest lists).
        #[arg(long)]
        force: bool,
    },
    /// Write a scenario's network as Graphviz DOT.
    Topology {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Output file (default: standard output); an existing file is replaced only if cloudletsim wrote it.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only cloudlets, the remote cloud and their links.
        #[arg(long)]
        core: bool,
    },
}

/// `--jobs`: up to 4096 threads (more would only exhaust the machine's thread limit); 0 means one per core.
fn jobs_parser() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_JOBS)
}

/// Most worker threads `--jobs` may ask for.
const MAX_JOBS: u64 = 4096;

#[derive(Args)]
struct ScenarioArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Override the scenario's seed (0 to 2^63 - 1, the range of a TOML integer).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Override any key by dotted path, e.g. --set wearables.count=20000 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Refuse a scenario expected to process more events than this (0: no limit); see `validate`'s estimates.
    #[arg(long, value_name = "N", default_value_t = estimate::DEFAULT_MAX_EVENTS)]
    max_events: u64,
}

#[derive(Args)]
struct OutArgs {
    /// Results folder (default: results/<scenario name>[-<command>]/). An existing folder is replaced only if
    /// cloudletsim wrote it as this kind of folder (its manifest.json says so).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write into an existing folder that cloudletsim did not write as this kind: only files a cloudletsim manifest
    /// lists are ever deleted, and nothing else is overwritten.
    #[arg(long)]
    force: bool,
}

impl OutArgs {
    /// Starts the results folder of kind `kind`, at `--out` or at `results/<default_name>/`.
    fn create(&self, default_name: &str, kind: FolderKind) -> Result<ResultsDir> {
        let out = self.out.clone().unwrap_or_else(|| output::default_out(default_name));
        Ok(ResultsDir::create(&out, kind, self.force)?)
    }
}

impl ScenarioArgs {
    /// The `--set` overrides, with `--seed` as one more.
    fn all_sets(&self) -> Vec<String> {
        let mut sets = self.sets.clone();
        if let Some(seed) = self.seed {
            sets.push(format!("seed={seed}"));
        }
        sets
    }

    /// Reads the scenario file's text (refusing folders, devices, pipes and huge files).
    fn text(&self) -> Result<String, ScenarioError> {
        scenario::read_text(&self.file).map_err(|source| ScenarioError::Read { path: self.file.clone(), source })
    }

    /// Loads the scenario, checks that what it needs fits this machine and `--max-events`, and returns it with
    /// its text and the estimate.
    fn load_checked(&self) -> Result<(Scenario, String, Estimate), ScenarioError> {
        let text = self.text()?;
        let scenario = scenario::load_str(&text, &self.file, &self.all_sets())?;
        let estimate = cloudletsim::run::check_budget(
            &scenario,
            &text,
            &self.all_sets(),
            &Budget::for_this_machine(self.max_events),
        )?;
        Ok((scenario, text, estimate))
    }

    /// Loads the scenario, checks its budget, and builds its network (which can fail for a random mesh).
    fn load(&self) -> Result<(Scenario, Topology, String, Estimate), ScenarioError> {
        let (scenario, text, estimate) = self.load_checked()?;
        let topology = self.build(&scenario, &text)?;
        Ok((scenario, topology, text, estimate))
    }

    /// Builds the network of a loaded scenario; an error names the key that made it impossible.
    fn build(&self, scenario: &Scenario, text: &str) -> Result<Topology, ScenarioError> {
        cloudletsim::run::build_topology(&scenario.config).map_err(|e| {
            let line = scenario::locate::KeyIndex::new(text).line_of(&e.key);
            ScenarioError::Invalid {
                file: self.file.clone(),
                diagnostics: vec![Diagnostic { key: Some(e.key), line, from_override: false, message: e.message }],
            }
        })
    }
}

/// The largest scenario (estimated memory) whose network `validate` builds to check it, so that `validate` stays
/// within a few hundred MB and a few seconds whatever it is given; a larger one is checked by `run` when it builds.
const VALIDATE_BUILD_BYTES: u64 = 256 << 20;

/// `check` found an expectation that does not hold (exit status 1, not 2).
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} expectations failed")]
struct ChecksFailed {
    failed: usize,
    total: usize,
    /// One line per failed expectation, printed unless `--quiet`.
    detail: Option<String>,
}

fn main() -> ExitCode {
    output::manifest::invocation(); // fixes the start time and command line that manifests record
    let cli = Cli::parse(); // a usage error exits with status 2
    if let Err(e) = cloudletsim::interrupt::install() {
        eprintln!(
            "warning: cannot install the SIGINT/SIGTERM handlers ({e}); an interrupt will end the process at once"
        );
    }
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(i) = cloudletsim::interrupt::requested() {
                eprintln!(
                    "cloudletsim: {i}; stopped cleanly: no results folder was written (a sweep keeps its finished \
                     runs, and the same command resumes it)"
                );
                return ExitCode::from(i.exit_code());
            }
            if let Some(f) = e.downcast_ref::<ChecksFailed>() {
                if let Some(detail) = &f.detail {
                    eprintln!("check: {f}\n{detail}");
                }
                return ExitCode::from(1);
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Run { scenario, out, real_crypto } => run(&scenario, &out, quiet, real_crypto),
        Command::Validate { scenario } => {
            let (s, text, estimate) = scenario.load_checked()?;
            let built = if estimate.memory_bytes <= VALIDATE_BUILD_BYTES {
                let topo = scenario.build(&s, &text)?;
                format!("{} nodes, {} links built", topo.node_count(), topo.link_count())
            } else {
                format!(
                    "network not built by validate: it needs about {:.0} MB; `run` builds it and checks it",
                    estimate.memory_bytes as f64 / 1e6
                )
            };
            if !quiet {
                println!(
                    "{}: valid ({} wearables, {} patients, {} cloudlets; {built})",
                    s.file.display(),
                    s.config.wearables,
                    s.config.patients(),
                    s.config.cloudlets.count,
                );
                print!("{}", estimate.render());
            }
            Ok(())
        }
        Command::Keys { markdown } => {
            print!("{}", if markdown { keys::render_markdown() } else { keys::render_text() });
            Ok(())
        }
        Command::CryptoCompare { scenario, out, jobs } => crypto_compare(&scenario, &out, jobs, quiet),
        Command::IdsOptimize { scenario, max_ids, target_detection, max_false_alarm, replications, out, jobs } => {
            let opts =
                OptimizeOptions { max_ids: max_ids.unwrap_or(0), target_detection, max_false_alarm, replications };
            ids_optimize(&scenario, opts, &out, jobs, quiet)
        }
        Command::TrustTradeoff { scenario, thresholds, replications, out, jobs } => {
            trust_tradeoff(&scenario, &thresholds, replications, &out, jobs, quiet)
        }
        Command::Sweep { file, out, force, max_events, jobs, shard } => {
            sweep_cmd(&file, out, SweepFlags { force, max_events, jobs, shard, quiet })
        }
        Command::Merge { dirs, out, force } => {
            let r = cloudletsim::sweep::merge(&dirs, &out, force)?;
            if !quiet {
                println!(
                    "merged {} runs ({} copied) into {}/ (runs.csv, summary.csv)",
                    r.runs,
                    r.copied,
                    out.display()
                );
            }
            Ok(())
        }
        Command::Check { dir, expect } => {
            let outcomes = cloudletsim::check::check(&dir, &expect)?;
            if !quiet {
                print!("{}", cloudletsim::check::report(&outcomes));
            }
            let failed: Vec<String> = outcomes
                .iter()
                .filter(|o| !o.passed)
                .map(|o| format!("expectation failed: `{}`: {}", o.expectation, o.detail))
                .collect();
            match failed.len() {
                0 => Ok(()),
                n => {
                    let detail = (!quiet).then(|| failed.join("\n"));
                    Err(ChecksFailed { failed: n, total: outcomes.len(), detail }.into())
                }
            }
        }
        Command::Plot { dir, force } => {
            let files = cloudletsim::analysis::sweep_plots::plot_dir(&dir, force)?;
            if !quiet {
                println!("{} figures in {}/ (PNG and SVG):", files.len(), dir.join("plots").display());
                for f in files {
                    println!("  {}", f.display());
                }
            }
            Ok(())
        }
        Command::Topology { scenario, out, core } => {
            let (_, topo, _, _) = scenario.load()?;
            let dot = cloudletsim::chain::dot::to_dot(&topo, core);
            match out {
                Some(path) => write_topology(&path, &dot),
                None => {
                    print!("{dot}");
                    Ok(())
                }
            }
        }
    }
}

/// Writes the DOT text to `path`, atomically; an existing file is replaced only if cloudletsim wrote it (it starts
/// as [`cloudletsim::chain::dot::to_dot`] starts every graph), never a file of someone else's.
fn write_topology(path: &Path, dot: &str) -> Result<()> {
    const HEAD: &str = "digraph cloudletsim {";
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            anyhow::bail!("cannot write {}: it is a folder; --out names the DOT file", path.display())
        }
        Ok(_) => {
            let mut head = [0u8; HEAD.len()];
            let ours = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .is_ok_and(|()| head == HEAD.as_bytes());
            anyhow::ensure!(
                ours,
                "cannot write {}: the file exists and cloudletsim did not write it (it is not a cloudletsim topology); \
                 choose another --out",
                path.display()
            );
        }
        Err(_) => {}
    }
    output::atomic::write_file_atomic(path, dot.as_bytes(), output::atomic::Durability::Synced)?;
    Ok(())
}

/// Refuses an analysis whose `runs` runs of about `estimate.events` events each exceed `--max-events` in all
/// (`how` names the options that set the number of runs).
fn check_total(estimate: &Estimate, runs: f64, max_events: u64, how: &str) -> Result<()> {
    let total = estimate.events * runs;
    anyhow::ensure!(
        max_events == 0 || total <= max_events as f64,
        "{how} makes {runs} runs of about {:.3e} events each, {total:.3e} in all, more than --max-events {max_events}; \
         allowed: fewer runs or a shorter scenario, or a larger --max-events (0 lifts the limit)",
        estimate.events
    );
    Ok(())
}

/// Writes `scenario.resolved.toml` into a results folder being written.
fn write_resolved(dir: &ResultsDir, scenario: &Scenario) -> Result<()> {
    dir.write(output::manifest::RESOLVED_SCENARIO_FILE, scenario.resolved_toml()?.as_bytes())?;
    Ok(())
}

fn run(args: &ScenarioArgs, out: &OutArgs, quiet: bool, real_crypto: bool) -> Result<()> {
    let (scenario, topology, _, _) = args.load()?;
    let cfg = &scenario.config;
    let dir = out.create(&cfg.name, FolderKind::Run)?;
    let bar = progress_bar(cfg.end_time().as_nanos(), quiet);
    let started = Instant::now();
    let mut shown = false;
    let opts = RunOptions { real_crypto, ..Default::default() };
    let result = cloudletsim::run::run_on(cfg, topology, &opts, |now| {
        if !shown && started.elapsed() > Duration::from_secs(1) && !quiet && std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
        bar.set_position(now.as_nanos());
    });
    bar.finish_and_clear();
    let result = result?;
    write_resolved(&dir, &scenario)?;
    output::write_run(&dir, &result)?;
    let path = dir.commit()?;
    if !quiet {
        print_summary(&Summary::from_run(&result), &output::Timing::from_run(&result), &path);
    }
    Ok(())
}

fn crypto_compare(args: &ScenarioArgs, out: &OutArgs, jobs: Option<usize>, quiet: bool) -> Result<()> {
    let (scenario, text, estimate) = args.load_checked()?;
    check_total(
        &estimate,
        crypto_compare::run_count() as f64,
        args.max_events,
        "crypto-compare (every scheme × mode)",
    )?;
    let dir = out.create(&format!("{}-crypto-compare", scenario.config.name), FolderKind::CryptoCompare)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let rows = pool.install(|| crypto_compare::compare(&text, &args.file, &args.all_sets()))?;
    write_resolved(&dir, &scenario)?;
    crypto_compare::write(&dir, dir.staging(), &rows)?;
    let path = dir.commit()?;
    if quiet {
        return Ok(());
    }
    println!(
        "{:16} {:10} {:8} {:>12} {:>12} {:>12} {:>10}",
        "scheme", "mode", "at", "crypto µJ", "radio µJ", "cloudlet µJ", "wear. days"
    );
    for r in &rows {
        println!(
            "{:16} {:10} {:8} {:>12.2} {:>12.2} {:>12.2} {:>10.1}",
            r.scheme,
            r.mode,
            r.at,
            (r.wearable_crypto_j_per_sample + r.gateway_crypto_j_per_sample) * 1e6,
            (r.wearable_radio_j_per_sample + r.gateway_radio_j_per_sample) * 1e6,
            r.cloudlet_crypto_j_per_sample * 1e6,
            r.wearable_lifetime_days
        );
    }
    println!("results  {}/ (crypto_compare.csv, crypto_compare.png, crypto_compare.svg)", path.display());
    Ok(())
}

fn trust_tradeoff(
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

/// The `sweep` command's flags besides the file and folder.
struct SweepFlags {
    force: bool,
    max_events: u64,
    jobs: Option<usize>,
    shard: Option<cloudletsim::sweep::Shard>,
    quiet: bool,
}

fn sweep_cmd(file: &Path, out: Option<PathBuf>, flags: SweepFlags) -> Result<()> {
    use cloudletsim::sweep::{Progress, Sweep, SweepOptions};
    let sweep = Sweep::load(file)?;
    let out = out.unwrap_or_else(|| output::default_out(&sweep.name));
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if std::io::stderr().is_terminal() && !flags.quiet {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} sweep [{bar:40}] {pos}/{len} runs (ETA {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let started = Instant::now();
    let shard = flags.shard;
    let opts =
        SweepOptions { out, jobs: flags.jobs.unwrap_or(0), shard, force: flags.force, max_events: flags.max_events };
    let report = cloudletsim::sweep::run_sweep(&sweep, &opts, &|p| match p {
        Progress::Planned { todo, .. } => bar.set_length(todo),
        Progress::Finished(_) => bar.inc(1),
    });
    bar.finish_and_clear();
    let report = report?;
    for path in &report.redone {
        eprintln!("warning: {} was unreadable or made with other settings; made it again", path.display());
    }
    if flags.quiet {
        return Ok(());
    }
    let shard_text = shard.map_or_else(String::new, |s| format!(" (shard {}/{})", s.index, s.count));
    println!(
        "{}: {} points × {} replications{shard_text}: {} run{} made, {} already stored, in {:.1} s",
        sweep.name,
        sweep.points.len(),
        sweep.replications,
        report.ran,
        if report.ran == 1 { "" } else { "s" },
        report.skipped,
        started.elapsed().as_secs_f64()
    );
    if report.complete {
        println!("results  {}/ (runs.csv, summary.csv, runs/)", report.out.display());
    } else {
        println!("results  {}/runs/ (this shard; combine the shards with `cloudletsim merge`)", report.out.display());
    }
    Ok(())
}

fn ids_optimize(
    args: &ScenarioArgs,
    mut opts: OptimizeOptions,
    out: &OutArgs,
    jobs: Option<usize>,
    quiet: bool,
) -> Result<()> {
    let (scenario, text, estimate) = args.load_checked()?;
    if opts.max_ids == 0 {
        opts.max_ids = scenario.config.cloudlets.count.min(8);
    }
    anyhow::ensure!(opts.replications >= 1, "--replications must be at least 1");
    let runs = f64::from(opts.max_ids.min(scenario.config.cloudlets.count)) * f64::from(opts.replications);
    check_total(&estimate, runs, args.max_events, "ids-optimize (--max-ids × --replications)")?;
    let dir = out.create(&format!("{}-ids-optimize", scenario.config.name), FolderKind::IdsOptimize)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let result = pool.install(|| ids_optimize::optimize(&text, &args.file, &args.all_sets(), &opts))?;
    write_resolved(&dir, &scenario)?;
    ids_optimize::write(&dir, &result)?;
    let path = dir.commit()?;
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
    println!("results  {}/ (ids_tradeoff.csv, optimum.json, decision_tree.dot, ids_tradeoff.png/.svg)", path.display());
    Ok(())
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if !quiet {
        bar.set_style(
            ProgressStyle::with_template("{spinner} simulating [{bar:40}] {percent:>3}% (ETA {eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
    }
    bar
}

fn print_summary(s: &Summary, t: &output::Timing, path: &Path) {
    let p = &s.packets;
    let ms = |x: f64| x * 1e3;
    println!(
        "{}: {} wearables, {} patients, {} cloudlets ({} mesh, {} links), {:.0} s simulated",
        s.scenario.name,
        s.scenario.wearables,
        s.scenario.patients,
        s.scenario.cloudlets,
        s.scenario.mesh,
        s.scenario.mesh_links,
        s.sim_time_s
    );
    println!(
        "  samples  generated {}, delivered {} ({:.2}%), dropped {} (buffer full {}, lost {}, dead node {}, blocked {}), in flight {}",
        p.generated,
        p.delivered,
        100.0 * p.delivery_ratio,
        p.dropped,
        p.dropped_by_cause.buffer_full,
        p.dropped_by_cause.lost,
        p.dropped_by_cause.dead_node,
        p.dropped_by_cause.blocked,
        p.in_flight
    );
    let l = &s.latency_s;
    println!(
        "  latency  mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(l.mean),
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
        ms(l.max)
    );
    println!("  events   {} in {:.2} s ({:.2} M events/s)", s.events_processed, t.run_wall_s, t.events_per_s / 1e6);
    println!(
        "  results  {}/ (summary.json, nodes.csv, energy.csv, latency_cdf.csv, scenario.resolved.toml, timing.json, \
         manifest.json)",
        path.display()
    );
}
