//! The `cloudletsim` command line: the clap definitions of every command and their flags, `main` (exit statuses)
//! and the dispatch to the commands' implementations in [`commands`].

mod commands;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use cloudletsim::estimate;
use cloudletsim::ids::optimize::OptimizeOptions;
use cloudletsim::output;

use commands::{ChecksFailed, OutputFormat, SweepFlags, TableFormat, TableHighlight};

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
        #[command(flatten)]
        format: FormatArg,
    },
    /// Check a scenario (keys, ranges, and that its network can be built) without running it.
    Validate {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print every scenario key with its type, default, unit and meaning.
    Keys {
        /// Print a Markdown table (as in docs/scenario-keys.md).
        #[arg(long, conflicts_with = "json_schema")]
        markdown: bool,
        /// Print the scenario's JSON Schema (draft 7, as in docs/scenario.schema.json) for TOML editors: put
        /// `#:schema <path or URL of the file>` on a scenario's first line.
        #[arg(long)]
        json_schema: bool,
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
        /// Simulated replications per branch (at least 2; intervals across replications, paired steps).
        #[arg(long, default_value_t = 10)]
        replications: u32,
        /// With a detector that has a threshold (`score`): thresholds at which the chosen configuration is simulated
        /// for the detection-error curves (simulated ROC, DET and crossover error rate), each in --replications
        /// replications; 0 draws the closed form only.
        #[arg(long, default_value_t = 10)]
        curve_points: u32,
        /// Also write the robustness map (sensitivity.csv, sensitivity.json, the map and tornado figures): the
        /// optimal IDS count over prevalence and cost ratios, and the optimum's cost against each parameter ±50%.
        #[arg(long)]
        sensitivity: bool,
        #[command(flatten)]
        out: OutArgs,
        /// Worker threads, up to 4096 (default or 0: one per core); results do not depend on it.
        #[arg(long, value_parser = jobs_parser())]
        jobs: Option<usize>,
    },
    /// Run every cryptographic scheme in every mode on one workload, at several BLE connection intervals; write
    /// crypto_compare.csv and the figures.
    CryptoCompare {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        out: OutArgs,
        /// Worker threads, up to 4096 (default or 0: one per core); results do not depend on it.
        #[arg(long, value_parser = jobs_parser())]
        jobs: Option<usize>,
        /// BLE connection intervals to compare, in seconds, comma-separated (each 0.0075 to 4 in steps of
        /// 0.00125; default 0.0075,0.05,0.4,1,4 and the scenario's own).
        #[arg(long, value_delimiter = ',')]
        intervals: Option<Vec<f64>>,
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
    /// Run a scenario with full audits and spot checks of the records; write audit_compare.csv and its figure.
    AuditCompare {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Blocks challenged per record, comma-separated (each a spot-check configuration; full scans are always
        /// run).
        #[arg(long, default_value = "1,2,4,8")]
        challenges: String,
        /// Replications per configuration (averaged, with 95% intervals).
        #[arg(long, default_value_t = 3)]
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
        #[command(flatten)]
        format: FormatArg,
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
        /// Also write a JUnit XML report (one test case per expectation) to FILE, atomically; an existing file is
        /// replaced only if `check --junit` wrote it.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print a results folder's tables for a paper (a sweep's summary, the ids-optimize trade-off and paired
    /// steps, the crypto-compare energy per scheme) as Markdown, LaTeX (booktabs) or CSV.
    Table {
        /// A folder written by `sweep`, `merge`, `ids-optimize` or `crypto-compare`.
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "markdown")]
        format: TableFormat,
        /// Columns to show, comma-separated, in order (default: the folder kind's usual ones; an unknown name is
        /// refused with the list of allowed ones).
        #[arg(long, value_delimiter = ',')]
        metrics: Vec<String>,
        /// Emphasise rows or cells (bold): `optimum` on an ids-optimize folder.
        #[arg(long, value_enum)]
        highlight: Option<TableHighlight>,
        /// Only the table of this name: `summary` (sweep), `tradeoff` or `steps` (ids-optimize), `energy`
        /// (crypto-compare).
        #[arg(long)]
        part: Option<String>,
        /// Write to FILE instead of standard output (atomically; an existing file is replaced only if `table
        /// --out` wrote it, which a Markdown or LaTeX file's first line records; a CSV file is never replaced).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Draw a run or sweep folder's figures (PNG and SVG) into DIR/plots/.
    Plot {
        /// A run folder or a sweep folder.
        dir: PathBuf,
        /// Write DIR/plots/ even if cloudletsim did not write what is there as figures (deleting only files a
        /// cloudletsim manifest lists).
        #[arg(long)]
        force: bool,
        /// Figure style: `default` (PNG and SVG for screens and slides) or `paper` (one-column SVG, 3.5 in wide,
        /// serif text at 8-9 pt, no title).
        #[arg(long, value_enum, default_value_t = PlotStyle::Default)]
        style: PlotStyle,
    },
    /// Suggest a warm-up from a run folder's timeseries.csv (MSER-5, per metric); see docs/sweeps.md.
    Warmup {
        /// A run folder written with `[output] interval_s`.
        dir: PathBuf,
        /// A column of timeseries.csv (repeatable; default: generated, delivered, latency_p50_s, latency_p95_s,
        /// busiest_link_queue_packets).
        #[arg(long = "metric", value_name = "COLUMN")]
        metrics: Vec<String>,
        #[command(flatten)]
        format: FormatArg,
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

/// `plot --style`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum PlotStyle {
    /// PNG and SVG, sans-serif, for screens and slides.
    Default,
    /// One-column SVG for papers: 3.5 in x 2.5 in, serif text at 8-9 pt, no title.
    Paper,
}

impl From<PlotStyle> for cloudletsim::plot::Style {
    fn from(s: PlotStyle) -> Self {
        match s {
            PlotStyle::Default => cloudletsim::plot::Style::Default,
            PlotStyle::Paper => cloudletsim::plot::Style::Paper,
        }
    }
}

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

/// `--format text|json` of `run`, `validate`, `check` and `sweep`.
#[derive(Args)]
struct FormatArg {
    /// `json`: one JSON document on standard output instead of the text (docs/cli-json.md); errors too, as a
    /// document listing the located problems, with a non-zero exit status.
    #[arg(long = "format", value_enum, default_value = "text")]
    format: OutputFormat,
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

fn main() -> ExitCode {
    // Fixes the start time and command line that manifests record.
    output::manifest::invocation();
    // Source excerpts under scenario errors are coloured only on a terminal, and never with NO_COLOR set.
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    cloudletsim::scenario::excerpt::set_colour(colour);
    let cli = Cli::parse(); // a usage error exits with status 2
    let json = cli.command.json_name();
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
            if let Some(command) = json {
                commands::print_json_error(command, &e);
                return ExitCode::from(2);
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

impl Command {
    /// The command's name if it prints a JSON document (`--format json`).
    fn json_name(&self) -> Option<&'static str> {
        let (name, f) = match self {
            Command::Run { format, .. } => ("run", format),
            Command::Validate { format, .. } => ("validate", format),
            Command::Sweep { format, .. } => ("sweep", format),
            Command::Check { format, .. } => ("check", format),
            Command::Warmup { format, .. } => ("warmup", format),
            _ => return None,
        };
        (f.format == OutputFormat::Json).then_some(name)
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Run { scenario, out, real_crypto, format } => {
            commands::run(&scenario, &out, quiet, real_crypto, format.format)
        }
        Command::Validate { scenario, format } => commands::validate(&scenario, quiet, format.format),
        Command::Keys { markdown, json_schema } => commands::keys(markdown, json_schema),
        Command::CryptoCompare { scenario, out, jobs, intervals } => {
            commands::crypto_compare(&scenario, &out, jobs, intervals.as_deref(), quiet)
        }
        Command::IdsOptimize {
            scenario,
            max_ids,
            target_detection,
            max_false_alarm,
            replications,
            curve_points,
            sensitivity,
            out,
            jobs,
        } => {
            let opts = OptimizeOptions {
                max_ids: max_ids.unwrap_or(0),
                target_detection,
                max_false_alarm,
                replications,
                curve_points,
            };
            commands::ids_optimize(&scenario, opts, sensitivity, &out, jobs, quiet)
        }
        Command::TrustTradeoff { scenario, thresholds, replications, out, jobs } => {
            commands::trust_tradeoff(&scenario, &thresholds, replications, &out, jobs, quiet)
        }
        Command::AuditCompare { scenario, challenges, replications, out, jobs } => {
            commands::audit_compare(&scenario, &challenges, replications, &out, jobs, quiet)
        }
        Command::Sweep { file, out, force, max_events, jobs, shard, format } => {
            commands::sweep(&file, out, SweepFlags { force, max_events, jobs, shard, quiet, format: format.format })
        }
        Command::Merge { dirs, out, force } => commands::merge(&dirs, &out, force, quiet),
        Command::Check { dir, expect, junit, format } => {
            commands::check(&dir, &expect, quiet, format.format, junit.as_deref())
        }
        Command::Table { dir, format, metrics, highlight, part, out } => {
            let opts = cloudletsim::table::TableOptions { metrics, highlight: highlight.map(Into::into), part };
            commands::table(&dir, format.into(), &opts, out)
        }
        Command::Plot { dir, force, style } => commands::plot(&dir, force, style.into(), quiet),
        Command::Warmup { dir, metrics, format } => commands::warmup(&dir, &metrics, format.format),
        Command::Topology { scenario, out, core } => commands::topology(&scenario, out, core),
    }
}
