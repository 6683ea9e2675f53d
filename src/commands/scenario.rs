//! `cloudletsim validate` and `cloudletsim keys`: a scenario checked without running it, with its estimate, and
//! the scenario keys.

use anyhow::Result;

use cloudletsim::scenario::keys::{render_markdown, render_text};

use super::json::{self, OutputFormat};
use crate::ScenarioArgs;

/// The largest scenario (estimated memory) whose network `validate` builds to check it, so that `validate` stays
/// within a few hundred MB and a few seconds whatever it is given; a larger one is checked by `run` when it builds.
const VALIDATE_BUILD_BYTES: u64 = 256 << 20;

/// `validate`: the scenario loaded and its budget checked, its network built if it is small enough, and (unless
/// `--quiet`) a line saying so and the estimate.
/// With `--format json`, one document instead.
pub(crate) fn validate(scenario: &ScenarioArgs, quiet: bool, format: OutputFormat) -> Result<()> {
    let input = scenario.input()?;
    let (s, estimate) = input.load_checked()?;
    let (built, network) = if estimate.memory_bytes <= VALIDATE_BUILD_BYTES {
        let topo = input.build(&s)?;
        (
            format!("{} nodes, {} links built", topo.node_count(), topo.link_count()),
            serde_json::json!({"built": true, "nodes": topo.node_count(), "links": topo.link_count()}),
        )
    } else {
        (
            format!(
                "network not built by validate: it needs about {:.0} MB; `run` builds it and checks it",
                estimate.memory_bytes as f64 / 1e6
            ),
            serde_json::json!({"built": false, "nodes": null, "links": null}),
        )
    };
    if format == OutputFormat::Json {
        json::print(&serde_json::json!({
            "command": "validate",
            "ok": true,
            "file": json::path(&s.file),
            "wearables": s.config.wearables,
            "patients": s.config.patients(),
            "cloudlets": s.config.cloudlets.count,
            "network": network,
            "estimate": json::estimate(&estimate),
        }));
    } else if !quiet {
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

/// `keys`: every scenario key, as text or as a Markdown table.
pub(crate) fn keys(markdown: bool, json_schema: bool) -> Result<()> {
    if json_schema {
        print!("{}", cloudletsim::scenario::keys::json_schema());
        return Ok(());
    }
    print!("{}", if markdown { render_markdown() } else { render_text() });
    Ok(())
}
