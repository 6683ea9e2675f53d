//! `audit-compare`: full scans against spot checks of the outsourced records (docs/model.md, section 17.6), refused
//! beforehand if all its runs together exceed `--max-events`.

use anyhow::Result;

use cloudletsim::api::{check_total, write_resolved};
use cloudletsim::output::FolderKind;
use cloudletsim::records::compare;

use crate::{OutArgs, ScenarioArgs};

/// `audit-compare`: the scenario with full scans and with spot checks of each challenge count, a table and the
/// folder.
pub(crate) fn audit_compare(
    args: &ScenarioArgs,
    challenges: &str,
    replications: u32,
    out: &OutArgs,
    jobs: Option<usize>,
    quiet: bool,
) -> Result<()> {
    let (scenario, text, estimate) = args.load_checked()?;
    let challenges = compare::parse_challenges(challenges)?;
    let runs = (challenges.len() + 1) as f64 * f64::from(replications);
    check_total(&estimate, runs, args.max_events, "audit-compare ((--challenges + 1) × --replications)")?;
    let dir = out.create(&format!("{}-audit-compare", scenario.config.name), FolderKind::AuditCompare)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let rows = pool.install(|| compare::compare(&text, &args.file, &args.all_sets(), &challenges, replications))?;
    write_resolved(&dir, &scenario)?;
    compare::write(&dir, &rows)?;
    let path = dir.commit()?;
    if quiet {
        return Ok(());
    }
    println!(
        "{:>10} {:>10} {:>14} {:>16} {:>13} {:>23} {:>13}",
        "mode", "challenges", "bytes/audit", "cycles/audit", "detections", "time to detect (s, 95%)", "T(1/p − 1/2)"
    );
    for r in &rows {
        println!(
            "{:>10} {:>10} {:>14.0} {:>16.3e} {:>13.1} {:>7.1} [{:>6.1}, {:>6.1}] {:>13.1}",
            r.mode,
            r.challenges,
            r.bytes_per_audit,
            r.auditor_cycles_per_audit,
            r.detections,
            r.detection_delay_s,
            r.detection_delay_ci_low_s,
            r.detection_delay_ci_high_s,
            r.predicted_delay_s
        );
    }
    println!("results  {}/ (audit_compare.csv, audit_compare.png/.svg)", path.display());
    Ok(())
}
