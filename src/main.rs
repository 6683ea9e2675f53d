//! The `cloudletsim` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudletsim::analysis::crypto_compare;
use cloudletsim::model::topology::Topology;
use cloudletsim::output::{self, ResultsDir, Summary};
use cloudletsim::run::RunOptions;
use cloudletsim::scenario::{self, keys, Diagnostic, Scenario, ScenarioError};

/// Discrete-event simulator of cloudlet-based medical data sharing.
#[derive(Parser)]
#[command(name = "cloudletsim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write results/<name>/ (summary.json, nodes.csv, timing.json).
    Run {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Results folder (default: results/<scenario name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress bar and no summary on the terminal.
        #[arg(long, short)]
        quiet: bool,
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
    /// Run every cryptographic scheme in every mode on one workload; write crypto_compare.csv and a figure.
    CryptoCompare {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Results folder (default: results/<scenario name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: all cores); results do not depend on it.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Write a scenario's network as Graphviz DOT.
    Topology {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only cloudlets, the remote cloud and their links.
        #[arg(long)]
        core: bool,
    },
}

#[derive(Args)]
struct ScenarioArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Override any key by dotted path, e.g. --set wearables.count=20000 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
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

    /// Loads the scenario and builds its network (which can fail for a random mesh).
    fn load(&self) -> Result<(Scenario, Topology), ScenarioError> {
        let scenario = scenario::load(&self.file, &self.all_sets())?;
        let topology = cloudletsim::run::build_topology(&scenario.config).map_err(|e| {
            let text = std::fs::read_to_string(&self.file).unwrap_or_default();
            let line = scenario::locate::KeyIndex::new(&text).line_of(&e.key);
            ScenarioError::Invalid {
                file: self.file.clone(),
                diagnostics: vec![Diagnostic { key: Some(e.key), line, from_override: false, message: e.message }],
            }
        })?;
        Ok((scenario, topology))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run { scenario, out, quiet, real_crypto } => run(&scenario, out, quiet, real_crypto),
        Command::Validate { scenario } => {
            let (s, topo) = scenario.load()?;
            println!(
                "{}: valid ({} wearables, {} patients, {} cloudlets, {} nodes, {} links)",
                s.file.display(),
                s.config.wearables,
                s.config.patients(),
                s.config.cloudlets.count,
                topo.node_count(),
                topo.graph.edge_count()
            );
            Ok(())
        }
        Command::Keys { markdown } => {
            print!("{}", if markdown { keys::render_markdown() } else { keys::render_text() });
            Ok(())
        }
        Command::CryptoCompare { scenario, out, jobs } => crypto_compare(&scenario, out, jobs),
        Command::Topology { scenario, out, core } => {
            let (_, topo) = scenario.load()?;
            let dot = output::dot::to_dot(&topo, core);
            match out {
                Some(path) => std::fs::write(&path, dot).with_context(|| format!("cannot write {}", path.display())),
                None => {
                    print!("{dot}");
                    Ok(())
                }
            }
        }
    }
}

fn run(args: &ScenarioArgs, out: Option<PathBuf>, quiet: bool, real_crypto: bool) -> Result<()> {
    let (scenario, topology) = args.load()?;
    let cfg = &scenario.config;
    let out = out.unwrap_or_else(|| output::default_out(&cfg.name));
    let dir = ResultsDir::create(&out)?;
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
    })?;
    bar.finish_and_clear();
    output::write_run(&dir, &result)?;
    let path = dir.commit()?;
    if !quiet {
        print_summary(&Summary::from_run(&result), &output::Timing::from_run(&result), &path);
    }
    Ok(())
}

fn crypto_compare(args: &ScenarioArgs, out: Option<PathBuf>, jobs: Option<usize>) -> Result<()> {
    let (scenario, _) = args.load()?;
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let out = out.unwrap_or_else(|| output::default_out(&scenario.config.name));
    let dir = ResultsDir::create(&out)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let rows = pool.install(|| crypto_compare::compare(&text, &args.file, &args.all_sets()))?;
    crypto_compare::write(&dir, dir.staging(), &rows)?;
    let path = dir.commit()?;
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
        "  samples  generated {}, delivered {} ({:.2}%), dropped {} (buffer full {}, lost {}), in flight {}",
        p.generated,
        p.delivered,
        100.0 * p.delivery_ratio,
        p.dropped,
        p.dropped_by_cause.buffer_full,
        p.dropped_by_cause.lost,
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
    println!("  results  {}/ (summary.json, nodes.csv, timing.json)", path.display());
}
