//! `cloudletsim keys`: the scenario key reference, generated from the same definitions that parse scenarios.
//!
//! The JSON schema of [`RawScenario`](super::RawScenario) (derived by `schemars` from the serde structs, their doc
//! comments and their defaults) is walked into one row per key, so the reference cannot drift from the parser.

use schemars::schema_for;
use serde_json::{Map, Value};

use super::raw::RawScenario;
use crate::chain::raw::builtin_sensors;

/// One documented scenario key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyDoc {
    /// Dotted path; `<name>` stands for a user-chosen table name.
    pub path: String,
    /// TOML type (`integer`, `number`, `string`, `boolean`, `array`, or the allowed strings).
    pub ty: String,
    /// Default value as TOML-ish text, or `required`.
    pub default: String,
    /// What the key means, with its unit.
    pub doc: String,
}

/// Every scenario key, in file order.
pub fn reference() -> Vec<KeyDoc> {
    let schema = schema_for!(RawScenario);
    let root = schema.as_value();
    let defs = root.get("$defs").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut out = Vec::new();
    walk_object(root, "", None, &defs, &mut out);
    out
}

/// The scenario's JSON Schema (draft 7, which TOML editors such as Taplo and VS Code's Even Better TOML read), as
/// pretty-printed JSON: what `cloudletsim keys --json-schema` prints and `docs/scenario.schema.json` holds. Unknown
/// keys are refused (`additionalProperties: false`, from `deny_unknown_fields`), so an editor flags a misspelt key.
pub fn json_schema() -> String {
    let mut schema =
        schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<RawScenario>();
    schema.insert("title".into(), Value::String("cloudletsim scenario".into()));
    let mut text = serde_json::to_string_pretty(schema.as_value()).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether the TOML value `doc` uses only keys `schema` (a draft-7 schema from [`json_schema`]) allows, following
/// `$ref`s into `definitions`; the first key it does not allow, as a dotted path, otherwise. A structural check of
/// what an editor would flag, used by the tests: types and ranges are the loader's business.
pub fn unknown_key(schema: &Value, doc: &toml::Value) -> Option<String> {
    let defs = schema.get("definitions").and_then(Value::as_object).cloned().unwrap_or_default();
    fn walk(node: &Value, doc: &toml::Value, path: &str, defs: &Map<String, Value>) -> Option<String> {
        let node = deref(node, defs);
        match doc {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let sub = format!("{}{k}", if path.is_empty() { String::new() } else { format!("{path}.") });
                    let child = node
                        .get("properties")
                        .and_then(|p| p.get(k))
                        .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()));
                    let options = alternatives(node, defs);
                    let found = child.map(|c| walk(c, v, &sub, defs)).or_else(|| {
                        options.iter().find_map(|o| {
                            let o = deref(o, defs);
                            let c = o.get("properties").and_then(|p| p.get(k))?;
                            Some(walk(c, v, &sub, defs))
                        })
                    });
                    match found {
                        Some(None) => {}
                        Some(Some(bad)) => return Some(bad),
                        None => return Some(sub),
                    }
                }
                None
            }
            toml::Value::Array(items) => {
                let item = node.get("items").filter(|i| i.is_object());
                items.iter().find_map(|v| item.and_then(|i| walk(i, v, path, defs)))
            }
            _ => None,
        }
    }
    fn deref<'a>(v: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => r.rsplit('/').next().and_then(|name| defs.get(name)).map_or(v, |d| deref(d, defs)),
            None => v,
        }
    }
    fn alternatives<'a>(v: &'a Value, _defs: &'a Map<String, Value>) -> Vec<&'a Value> {
        ["anyOf", "oneOf", "allOf"].iter().filter_map(|k| v.get(*k).and_then(Value::as_array)).flatten().collect()
    }
    walk(schema, doc, "", &defs)
}

fn resolve<'a>(v: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r.rsplit('/').next().and_then(|name| defs.get(name)).unwrap_or(v),
        None => match v.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 => resolve(&all[0], defs),
            _ => v,
        },
    }
}

fn walk_object(obj: &Value, prefix: &str, defaults: Option<&Value>, defs: &Map<String, Value>, out: &mut Vec<KeyDoc>) {
    let obj = resolve(obj, defs);
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = obj.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, prop) in props {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        let target = resolve(prop, defs);
        let default = prop.get("default").or_else(|| defaults.and_then(|d| d.get(name)));
        if target.get("properties").is_some() {
            walk_object(target, &path, default, defs, out);
            continue;
        }
        if let Some(item) = target.get("additionalProperties").filter(|v| v.is_object()) {
            walk_object(item, &format!("{path}.<name>"), None, defs, out);
            continue;
        }
        let doc = prop.get("description").or_else(|| target.get("description")).and_then(Value::as_str).unwrap_or("");
        let default = match default {
            Some(d) => toml_text(d),
            None if required.contains(&name.as_str()) => "required".to_string(),
            None => "-".to_string(),
        };
        out.push(KeyDoc { path, ty: type_name(target), default, doc: one_line(doc) });
    }
}

fn type_name(v: &Value) -> String {
    if let Some(options) = v.get("oneOf").or_else(|| v.get("anyOf")).and_then(Value::as_array) {
        let names: Vec<String> = options
            .iter()
            .filter_map(|o| o.get("const").or_else(|| o.get("enum").and_then(|e| e.get(0))))
            .map(|c| format!("\"{}\"", c.as_str().unwrap_or_default()))
            .collect();
        if !names.is_empty() {
            return names.join(" | ");
        }
    }
    if let Some(e) = v.get("enum").and_then(Value::as_array) {
        return e.iter().map(|c| format!("\"{}\"", c.as_str().unwrap_or_default())).collect::<Vec<_>>().join(" | ");
    }
    match v.get("type") {
        Some(Value::String(t)) if t == "array" => {
            let inner = v.get("items").map(type_name).unwrap_or_default();
            format!("array of {inner}")
        }
        Some(Value::String(t)) => t.clone(),
        _ => "value".to_string(),
    }
}

fn toml_text(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Array(a) => format!("[{}]", a.iter().map(toml_text).collect::<Vec<_>>().join(", ")),
        Value::Object(_) => "{...}".to_string(),
        other => other.to_string(),
    }
}

fn one_line(doc: &str) -> String {
    doc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The reference as an aligned plain-text table (what `cloudletsim keys` prints).
pub fn render_text() -> String {
    let rows = reference();
    let w = rows.iter().map(|r| r.path.len()).max().unwrap_or(0);
    let mut s = String::new();
    for r in rows {
        s.push_str(&format!("{:w$}  {}  (default {})\n{:w$}  {}\n", r.path, r.ty, r.default, "", r.doc));
    }
    s.push_str(&builtin_sensor_text());
    s
}

/// The reference as a Markdown table (what `cloudletsim keys --markdown` prints; `docs/scenario-keys.md`).
pub fn render_markdown() -> String {
    let mut s = String::from(
        "# Scenario keys\n\nGenerated by `cloudletsim keys --markdown` from the definitions that parse scenarios; \
         do not edit by hand.\n\n| key | type | default | meaning |\n|---|---|---|---|\n",
    );
    for r in reference() {
        s.push_str(&format!(
            "| `{}` | {} | `{}` | {} |\n",
            r.path,
            r.ty.replace('|', "\\|"),
            r.default,
            r.doc.replace('|', "\\|")
        ));
    }
    s.push_str("\n## Built-in sensors\n\n```text\n");
    s.push_str(&builtin_sensor_text());
    s.push_str("```\n");
    s
}

fn builtin_sensor_text() -> String {
    let mut s = String::from("\nbuilt-in sensors (override with [sensors.<name>]):\n");
    for (name, v) in builtin_sensors() {
        s.push_str(&format!(
            "  {name:15} period_s = {:<6} sample_bytes = {:<4} jitter_s = {}\n",
            v.period_s, v.sample_bytes, v.jitter_s
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_lists_nested_keys_with_defaults_and_docs() {
        let rows = reference();
        let find = |p: &str| rows.iter().find(|r| r.path == p).unwrap_or_else(|| panic!("no row {p}: {rows:#?}"));
        assert_eq!(find("name").default, "required");
        assert_eq!(find("simulation.duration_s").default, "60.0");
        assert_eq!(find("links.ban.bandwidth_bps").default, "1000000.0");
        assert_eq!(find("links.wan.latency_s").default, "0.02");
        assert!(find("cloudlets.mesh").ty.contains("\"random_geometric\""));
        assert!(find("sensors.<name>.period_s").doc.contains("seconds"));
        assert!(rows.iter().all(|r| !r.doc.is_empty()), "every key is documented");
    }

    /// `docs/scenario-keys.md` is generated; this fails when a key, default or doc comment changed without it.
    #[test]
    fn docs_scenario_keys_md_matches_the_definitions() {
        let on_disk = include_str!("../../docs/scenario-keys.md").replace("\r\n", "\n");
        let generated = render_markdown();
        if on_disk == generated {
            return;
        }
        let (mut old, mut new) = (on_disk.lines(), generated.lines());
        let mut line = 1;
        let difference = loop {
            match (old.next(), new.next()) {
                (Some(a), Some(b)) if a == b => line += 1,
                (None, None) => break "the files differ only in their final newline".to_string(),
                (a, b) => {
                    break format!(
                        "first difference at line {line}:\n  file:      {}\n  generated: {}",
                        a.unwrap_or("<end of file>"),
                        b.unwrap_or("<end of file>")
                    )
                }
            }
        };
        panic!(
            "docs/scenario-keys.md is out of date with the scenario definitions: {difference}\n\
             Regenerate it from the repository root with:\n  \
             cargo run -q -- keys --markdown > docs/scenario-keys.md"
        );
    }
}
