//! `--format json` on `run`, `validate`, `check` and `sweep`: one JSON document on standard output, with what the
//! human text says (docs/cli-json.md describes every document); an error gives a document listing its located
//! problems.

use std::path::Path;

use serde_json::{json, Value};

use cloudletsim::estimate::Estimate;
use cloudletsim::scenario::{Diagnostic, ScenarioError};
use cloudletsim::sweep::SweepError;

/// Output format of the commands that have a human text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// Lines for a person (unchanged).
    #[default]
    Text,
    /// One JSON document on standard output (progress and warnings stay on standard error).
    Json,
}

/// Prints `doc` as the command's one document (pretty, with a trailing newline).
pub(crate) fn print(doc: &Value) {
    println!("{}", serde_json::to_string_pretty(doc).expect("JSON values serialise"));
}

/// A path as JSON text.
pub(crate) fn path(p: &Path) -> Value {
    Value::String(p.display().to_string())
}

/// The estimate `validate` prints: sizes, memory and events with their sources.
pub(crate) fn estimate(e: &Estimate) -> Value {
    json!({
        "nodes": e.nodes,
        "links": e.links,
        "mesh_edges": e.mesh_edges,
        "routes": e.routes,
        "memory_bytes": e.memory_bytes,
        "events": e.events,
        "setup_steps": e.setup_steps,
        "event_sources": e.sources.iter().map(|s| json!({"what": s.what, "keys": s.keys, "events": s.events})).collect::<Vec<_>>(),
        "memory": e.memory.iter().map(|m| json!({"what": m.what, "keys": m.keys, "bytes": m.bytes})).collect::<Vec<_>>(),
    })
}

/// One located problem.
fn problem(file: Option<&Path>, line: Option<usize>, key: Option<&str>, message: &str) -> Value {
    json!({"file": file.map(path), "line": line, "key": key, "message": message})
}

fn diagnostics(file: &Path, d: &[Diagnostic]) -> Vec<Value> {
    d.iter()
        .map(|d| {
            let mut p = problem(Some(file), d.line, d.key.as_deref(), &d.message);
            p["from_override"] = Value::Bool(d.from_override);
            p
        })
        .collect()
}

fn scenario_problems(e: &ScenarioError) -> Vec<Value> {
    match e {
        ScenarioError::Invalid { file, diagnostics: d } => diagnostics(file, d),
        ScenarioError::Read { path: p, source } => {
            vec![problem(Some(p), None, None, &format!("cannot read: {source}"))]
        }
        other => vec![problem(None, None, None, &other.to_string())],
    }
}

/// The document of a failed command: `ok: false`, the whole message, and each located problem (file, line, key,
/// message; `null` where unknown).
pub(crate) fn error(command: &str, e: &anyhow::Error) -> Value {
    let problems = if let Some(s) = e.downcast_ref::<ScenarioError>() {
        scenario_problems(s)
    } else if let Some(s) = e.downcast_ref::<SweepError>() {
        match s {
            SweepError::Invalid { file, problems } => {
                problems.iter().map(|p| problem(Some(file), p.line, p.key.as_deref(), &p.message)).collect()
            }
            SweepError::BaseScenario { source, .. } | SweepError::Point { source, .. } => scenario_problems(source),
            SweepError::Read { path: p, source } => {
                vec![problem(Some(p), None, None, &format!("cannot read: {source}"))]
            }
            SweepError::Folder { path: p, message } => vec![problem(Some(p), None, None, message)],
            _ => vec![problem(None, None, None, &format!("{e:#}"))],
        }
    } else {
        vec![problem(None, None, None, &format!("{e:#}"))]
    };
    json!({"command": command, "ok": false, "error": format!("{e:#}"), "problems": problems})
}
