//! Tests of reading sweep files: the product in odometer order, the base scenario given as text, and problems
//! located at their key and line.

use super::*;

fn scratch(name: &str, base: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cloudletsim-spec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("base.toml"), base).unwrap();
    d
}

const BASE: &str = "name = \"base\"\n[simulation]\nduration_s = 10.0\n";

fn load(name: &str, text: &str) -> Result<Sweep, String> {
    let d = scratch(name, BASE);
    let r = Sweep::from_text(text, &d.join("s.toml")).map_err(|e| format!("{e:#}"));
    let _ = std::fs::remove_dir_all(&d);
    r
}

#[test]
fn points_are_the_product_in_odometer_order_with_the_zip_group_last() {
    let s = load(
        "product",
        "scenario = \"base.toml\"\nreplications = 2\n[vary]\n\"wearables.count\" = [10, 20]\n\
         links.ban.loss_prob = { from = 0.0, to = 0.2, step = 0.1 }\n\
         [zip]\n\"cloudlets.count\" = [4, 8]\n\"cloudlets.wan_gateways\" = [[0], [0, 4]]\n",
    )
    .unwrap();
    assert_eq!(s.keys, ["wearables.count", "links.ban.loss_prob", "cloudlets.count", "cloudlets.wan_gateways"]);
    assert_eq!(s.points.len(), 2 * 3 * 2);
    assert_eq!(s.run_count(), 24);
    assert_eq!(
        s.describe(0),
        "wearables.count=10, links.ban.loss_prob=0.0, cloudlets.count=4, cloudlets.wan_gateways=[0]"
    );
    assert_eq!(
        s.describe(3),
        "wearables.count=10, links.ban.loss_prob=0.1, cloudlets.count=8, cloudlets.wan_gateways=[0, 4]"
    );
    assert_eq!(
        s.describe(11),
        "wearables.count=20, links.ban.loss_prob=0.2, cloudlets.count=8, cloudlets.wan_gateways=[0, 4]"
    );
    let sets = s.overrides(&RunSpec { point: 3, replication: 1 });
    assert_eq!(sets[..2], ["wearables.count=10", "links.ban.loss_prob=0.1"]);
    assert_eq!(sets[4], format!("seed={}", point_seed(1, 3)));
    assert_eq!(sets[5], "simulation.replication=1");
}

#[test]
fn from_texts_reads_no_file() {
    let text = "scenario = \"nowhere/base.toml\"\n[vary]\n\"wearables.count\" = [10, 20]\n";
    let s = Sweep::from_texts(text, Path::new("s.toml"), BASE).unwrap();
    assert_eq!(s.points.len(), 2);
    assert_eq!(s.scenario_path, Path::new("nowhere/base.toml"));
    assert_eq!(s.scenario_text, BASE);
}

#[test]
fn problems_name_key_and_line() {
    let e = load("unknown", "scenario = \"base.toml\"\n[vary]\n\"wearables.cont\" = [1, 2]\n").unwrap_err();
    assert!(e.contains("s.toml:3: key `vary.wearables.cont`"), "{e}");
    assert!(e.contains("unknown field `cont`"), "{e}");
    let e = load("range", "scenario = \"base.toml\"\n[vary]\nwearables.count = { from = 5, to = 1, step = 1 }\n")
        .unwrap_err();
    assert!(e.contains("s.toml:3: key `vary.wearables.count`: empty range"), "{e}");
    let e = load("value", "scenario = \"base.toml\"\n\n[vary]\n\"links.ban.loss_prob\" = [0.1, 1.5]\n").unwrap_err();
    assert!(e.contains("s.toml:4: key `vary.links.ban.loss_prob`: links.ban.loss_prob = 1.5"), "{e}");
    let e = load("seed", "scenario = \"base.toml\"\n[vary]\nseed = [1, 2]\n").unwrap_err();
    assert!(e.contains("key `vary.seed`: cannot be swept"), "{e}");
    let e = load("top", "scenario = \"base.toml\"\nreplicatons = 3\n").unwrap_err();
    assert!(e.contains("s.toml:2") && e.contains("unknown field `replicatons`"), "{e}");
    let e = load("missing", "scenario = \"nope.toml\"\n").unwrap_err();
    assert!(e.contains("s.toml:1: key `scenario`: cannot read base scenario"), "{e}");
    let e = load("zip", "scenario = \"base.toml\"\n[zip]\n\"wearables.count\" = [1, 2]\n\"cloudlets.count\" = [4]\n")
        .unwrap_err();
    assert!(e.contains("s.toml:4: key `zip.cloudlets.count`: has 1 values but `zip.wearables.count` has 2"), "{e}");
    let e = load("clash", "scenario = \"base.toml\"\n[vary]\n\"simulation.warmup_s\" = [5.0, 20.0]\n").unwrap_err();
    assert!(e.contains("s.toml:3: key `vary.simulation.warmup_s`") && e.contains("smaller than duration_s"), "{e}");
    // Each value is fine alone against the base; only their combination clashes.
    let e = load(
        "combination",
        "scenario = \"base.toml\"\n[vary]\n\"simulation.duration_s\" = [4.0, 10.0]\n\
         \"simulation.warmup_s\" = [5.0]\n",
    )
    .unwrap_err();
    assert!(e.contains("point 0 (simulation.duration_s=4.0, simulation.warmup_s=5.0)"), "{e}");
    assert!(e.contains("smaller than duration_s = 4"), "{e}");
    assert!(!e.contains("point 1"), "{e}");
    let e = load("runs", "scenario = \"base.toml\"\nreplications = 10000000\n[vary]\n\"wearables.count\" = [1, 2]\n")
        .unwrap_err();
    assert!(e.contains("s.toml:2: key `replications`: 2 points × 10000000 replications is 20000000 runs"), "{e}");
}

#[test]
fn problems_show_the_sweep_file_line_with_a_caret() {
    let e =
        load("snippet", "scenario = \"base.toml\"\n\n[vary]\n\"links.ban.loss_prob\" = [0.1, 1.5] # é\n").unwrap_err();
    let lines: Vec<&str> = e.lines().collect();
    let at = lines.iter().position(|l| l.contains("s.toml:4: key `vary.links.ban.loss_prob`")).expect("located");
    assert!(lines[at + 2].ends_with("4 | \"links.ban.loss_prob\" = [0.1, 1.5] # é"), "{e}");
    let col = lines[at + 2].find("[0.1").unwrap();
    assert_eq!(lines[at + 3].find('^'), Some(col), "{e}");
    assert_eq!(lines[at + 3].matches('^').count(), "[0.1, 1.5]".len(), "{e}");
    // A syntax error points at the parser's position; a point's problem has no line, and no snippet.
    let e = load("syntax", "scenario = \"base.toml\"\n[vary\n").unwrap_err();
    assert!(e.contains("s.toml:2") && e.contains("2 | [vary"), "{e}");
    let e = load(
        "point",
        "scenario = \"base.toml\"\n[vary]\n\"simulation.duration_s\" = [4.0, 10.0]\n\"simulation.warmup_s\" = [5.0]\n",
    )
    .unwrap_err();
    assert!(e.contains("point 0") && !e.contains(" | "), "{e}");
}
