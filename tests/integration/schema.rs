//! `cloudletsim keys --json-schema` and `docs/scenario.schema.json`: the file is what the command prints, every shipped
//! scenario uses only keys the schema allows, and misspelt keys at any depth (inside optional tables too) are flagged,
//! which is what a TOML editor reading the schema shows its user.

use std::path::Path;

use cloudletsim::scenario::keys::{json_schema, unknown_key};

use super::common;

fn schema() -> serde_json::Value {
    serde_json::from_str(&json_schema()).expect("the schema is JSON")
}

#[test]
fn the_shipped_schema_file_is_what_the_command_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::read_to_string(root.join("docs/scenario.schema.json")).unwrap();
    assert_eq!(file, json_schema(), "regenerate: cloudletsim keys --json-schema > docs/scenario.schema.json");
    let out = common::cli(root, &["keys", "--json-schema"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), file);
    assert_eq!(schema()["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn shipped_scenarios_use_only_schema_keys_and_misspellings_are_flagged() {
    let schema = schema();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Sweep files have their own format (docs/sweeps.md).
        if !name.ends_with(".toml") || name.starts_with("sweep-") {
            continue;
        }
        let doc: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(unknown_key(&schema, &doc), None, "{name}");
        checked += 1;
    }
    assert!(checked >= 9, "{checked} scenarios");
    let flagged = |text: &str| unknown_key(&schema, &toml::from_str(text).unwrap());
    assert_eq!(flagged("name = \"x\"\n[wearable]\ncount = 3\n"), Some("wearable".into()));
    assert_eq!(flagged("name = \"x\"\n[ids.roc]\ncorelation = 0.3\n"), Some("ids.roc.corelation".into()));
    // `[ids.cost.lee]` is an optional table: its keys are checked through the schema's alternatives.
    assert_eq!(flagged("name = \"x\"\n[ids.cost.lee.damage]\nprobe = 3.0\n"), None);
    assert_eq!(flagged("name = \"x\"\n[ids.cost.lee.damage]\nprob = 3.0\n"), Some("ids.cost.lee.damage.prob".into()));
    assert_eq!(flagged("name = \"x\"\n[attacks.probe]\nrate_per_s = 1.0\nfollow_up_prob = 0.5\n"), None);
}
