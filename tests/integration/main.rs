//! Integration tests: whole scenarios run through the library and through the `cloudletsim` binary, checking the
//! model's invariants, its agreement with hand computations and closed forms, and the command line's behaviour.
//!
//! One test binary, with one module per concern, keeps link times down (as in nexosim's `tests/integration/`):
//!
//! - [`channel`]: `[channel]` (TLS/DTLS 1.3 cloudlet → cloud): added bytes, handshake wait, resumptions and
//!   readable samples against hand computations on a two-hop line.
//! - [`common`]: helpers, not tests: loading scenario text, running it, scratch folders, the CLI binary.
//! - [`conservation`]: generated = delivered + dropped + in flight, on lossy, congested networks with and without
//!   cloudlet batching, at several cut-off times, and the per-node counters against the totals.
//! - [`delivery`]: without loss everything arrives, no sooner than the hops allow; the hand-worked example's exact
//!   latencies, and a second simultaneous sample waiting exactly one transmission.
//! - [`determinism`]: same scenario and seed, byte-identical results files (but `timing.json` and
//!   `manifest.json`); another seed, other results; the default folder `results/<name>/`.
//! - [`streams`]: adding a wearable leaves every other wearable's sample times and every patient's position
//!   unchanged; another seed moves them.
//! - [`energy`]: energy and cryptography: a hand-computed charge, battery conservation and death, the one-pass
//!   energy summary against the columns, scheme costs ordered as their cycle counts, real cryptography round trips
//!   that change no result, bad `[energy]` and `[crypto]` input.
//! - [`ciphers`]: symmetric cipher profiles: a 3DES sample's costs and bytes by hand, birthday-bound rekeys against
//!   the closed form, real round trips of every cipher in a run, the default unchanged when named, the at-rest
//!   table against the record store, unknown cipher names.
//! - [`ids`]: attacks and the IDS: simulated rates against the closed forms for every fusion rule and scope,
//!   correlation, signature sharing (and signatures of one campaign never helping another), blocking of a flood,
//!   damage and prevention of record attacks.
//! - [`ids_decision`]: `ids-optimize`: the chen2016 optimum (4 nodes, 75%, cost 0.02) by closed form and by
//!   simulation with paired intervals of C(4) − C(3) and C(5) − C(4), common random numbers across branches, the
//!   closed form inside the simulated intervals for any / k-of-n / majority, and k-of-n with n < k infeasible.
//! - [`ids_cost`]: Lee et al.'s per-kind cost factors by hand on chen2016, and reducing to the standard form.
//! - [`ids_curves`]: the simulated ROC points and crossover error rate of a correlated score detector against the
//!   closed form for any / k-of-n / majority, and the curve files and figures `ids-optimize` writes.
//! - [`ids_exchange`]: `ids.collaboration.mode = "packets"`: detection latency against its closed form on an idle
//!   ring (n = 1..4), a tiny fusion timeout leaving the local verdict alone (binomial), summary and verdict packets
//!   conserved on a lossy mesh, detection latency strictly growing with n on chen2016.
//! - [`ids_kinds`]: attack kinds whose consequences differ: probe follow-ups at their Poisson rate, reconnaissance
//!   evasion against the thinned closed form, insiders that mimic doctor accesses, distributed attacks' "at least
//!   one / all sources detected", and shipped scenarios' files unchanged.
//! - [`ids_roc`]: the `roc` detector: simulated fused rates of correlated nodes (ρ = 0.3, 0.7; n = 1..5; any,
//!   2-of-n, majority) inside simultaneous 95% Wilson intervals around the copula closed form; the copula integral
//!   against the binomial tail (ρ = 0) and the bivariate normal by Owen's T (n = 2); binormal curves of slope 1
//!   against the score detector; the `system` operating point against brute force.
//! - [`trust`]: trust, records and care: reputation and trust decisions against a hand-computed run, leaks against
//!   the threshold, k-anonymity, no EI plaintext exposed, audits, appointment latencies, bad input, the parts off
//!   by default, and `trust-tradeoff`'s files.
//! - [`signatures`]: care steps grow by exactly the signing and verifying times, energy = cycles × J/cycle,
//!   signatures made = verified, every tampered record read afterwards caught, signed uploads' cost, off changes
//!   nothing, bad input.
//! - [`schema`]: `keys --json-schema` equals `docs/scenario.schema.json`; shipped scenarios use only its keys, and
//!   misspelt keys at any depth are flagged.
//! - [`bad_input`]: every kind of bad scenario, override or output folder gets one clear located message, exit
//!   status 2 and no results folder; `validate` and `keys` on good input.
//! - [`hostile`]: `validate` under memory and time limits refuses hostile scenarios and special files, naming the
//!   key; no value of any key makes the loader or the estimator panic.
//! - [`estimate`]: every shipped scenario runs within a factor of two of the estimated events; rates, periods and
//!   durations the nanosecond clock cannot hold, and non-finite numbers, are refused.
//! - [`figure_data`]: every figure of `ids-optimize` (with curves and sensitivity), `crypto-compare`,
//!   `trust-tradeoff` and `plot` has its `.data.csv` in the manifest, with the values of the tables it is drawn
//!   from; `plot --style paper` writes one-column serif SVGs.
//! - [`fuzz`]: proptest: the scenario loader, the topology builder and brief runs never panic on random input.
//! - [`properties`]: proptest over random valid scenarios with every part switched on at random: conservation,
//!   energy balance, finite and non-negative outputs, documented identities, byte-identical reruns; and the
//!   regressions it found.
//! - [`output_safety`]: every folder-writing command refuses folders it did not write, writes its manifest, deletes
//!   only what a manifest lists; SIGINT/SIGTERM and file-size limits leave no folder; `--quiet`; exit statuses; the
//!   resolved scenario reproduces every shipped scenario.
//! - [`timeseries`]: `[output] interval_s`: sums over intervals equal the run's totals, boundaries exact in ns with
//!   a partial last interval, generated per interval against the closed form, no other file changed, `plot` and
//!   `warmup` on the series.
//! - [`layout`]: the source layout `docs/architecture.md` promises: no file-level import cycles, no file much over
//!   500 lines.
//! - [`tables`]: `cloudletsim table`: the README's result tables are its output on results this build makes; a
//!   sweep's `mean ± half-width` against `summary.csv`; LaTeX and CSV; `--metrics` errors; `--out` safety.
//! - [`cli_json`]: `--format json` documents of `run`, `validate`, `check`, `sweep` against the files and the text,
//!   errors as located problems; `check --junit` parsed back.
//! - [`sweep`]: sweeps are byte-identical across `--jobs`, shards and interruptions; a folder of another sweep is
//!   refused; bad sweep files get located errors; `check` and `plot` work on sweep and run folders; the Student-t
//!   interval covers 95%.

mod audits_kdc;
mod bad_input;
mod channel;
mod ciphers;
mod cli_json;
mod common;
mod conservation;
mod delivery;
mod determinism;
mod energy;
mod estimate;
mod figure_data;
mod fuzz;
mod hostile;
mod ids;
mod ids_cost;
mod ids_curves;
mod ids_decision;
mod ids_exchange;
mod ids_kinds;
mod ids_roc;
mod layout;
mod mobility;
mod output_safety;
mod properties;
mod schema;
mod signatures;
mod streams;
mod sweep;
mod tables;
mod timeseries;
mod trust;
