//! Loading the mobility trace a scenario names, once the scenario file's folder is known (after validation).

use std::path::Path;
use std::sync::Arc;

use super::config::Motion;
use super::trace::Trace;
use crate::scenario::config::ModelConfig;

/// Loads the trace a validated `cfg` names, relative to the scenario file `scenario`'s folder; the error is the
/// message for the key `mobility.trace_file`.
pub fn load_into(cfg: &mut ModelConfig, scenario: &Path) -> Result<(), String> {
    let Motion::Trace { file, trace } = &mut cfg.mobility.motion else { return Ok(()) };
    let path = scenario.parent().unwrap_or(Path::new("")).join(file.as_str());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let parsed = Trace::parse(
        &text,
        &path.display().to_string(),
        cfg.wearables.div_ceil(cfg.wearables_per_patient),
        cfg.area_width_m,
        cfg.area_height_m,
    )?;
    *trace = Arc::new(parsed);
    Ok(())
}
