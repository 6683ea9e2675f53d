//! Property tests: the scenario loader never panics, whatever text and overrides it is given, and neither does
//! building the network of a scenario it accepts, nor running it briefly.
//!
//! Two kinds of input: arbitrary text, and structured TOML whose keys are drawn from the real key reference
//! (`cloudletsim keys`) and whose values are mostly of the right type but take extreme values (negative, zero,
//! huge, NaN, infinite) or the wrong type now and then, so that the cases reach deep into validation.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;

use cloudletsim::chain::topology::{NodeKind, Topology, NO_LINK};
use cloudletsim::chain::NodeId;
use cloudletsim::kernel::SimTime;
use cloudletsim::run::RunOptions;
use cloudletsim::scenario::{keys, load_str, ModelConfig, Scenario};

/// Wearables and cloudlets a topology is built with at most (a full or random mesh costs count² work).
const MAX_WEARABLES: u32 = 40;
const MAX_CLOUDLETS: u32 = 40;

/// Sensor names used where a key holds `<name>`: built-in ones and new ones.
const SENSOR_NAMES: [&str; 4] = ["heart_rate", "ecg", "probe", "x"];

/// The reference's keys, with their TOML types.
fn reference() -> &'static [(String, String)] {
    static KEYS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    KEYS.get_or_init(|| keys::reference().into_iter().map(|k| (k.path, k.ty)).collect())
}

fn float_text(v: f64) -> String {
    if v.is_nan() {
        "nan".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{v:?}") // always a TOML float: "1.0", "1e300", "-0.0"
    }
}

fn integer() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0i64..12).prop_map(|v| v.to_string()),
        2 => (-3i64..200).prop_map(|v| v.to_string()),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => select(vec![
            "4294967294", "4294967295", "4294967296", "281474976710656", "9223372036854775807",
            "-9223372036854775808", "18446744073709551615", "99999999999999999999",
        ])
        .prop_map(String::from),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0.0f64..3.0).prop_map(float_text),
        2 => (-1e4f64..1e6).prop_map(float_text),
        1 => any::<f64>().prop_map(float_text),
        2 => select(vec![
            "nan", "-nan", "inf", "-inf", "0.0", "-0.0", "1.0", "0.999999", "5e-324", "1e-300", "1e9", "1e10",
            "1.8e10", "1e300", "1.7976931348623157e308", "0", "3", "-1",
        ])
        .prop_map(String::from),
    ]
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "full",
            "ring",
            "grid",
            "random_geometric",
            "explicit",
            "nearest",
            "round_robin",
            "hops",
            "latency",
            "heart_rate",
            "spo2",
            "temperature",
            "blood_pressure",
            "ecg",
            "probe",
            "",
        ])
        .prop_map(String::from),
        "[a-zA-Z0-9_.\\- ]{0,10}",
    ]
    .prop_map(|w| format!("{w:?}")) // a TOML basic string: Rust's escapes are valid TOML for these characters
}

fn array_of(item: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    prop::collection::vec(item, 0..5).prop_map(|v| format!("[{}]", v.join(", ")))
}

/// A value of TOML type `ty` (as `keys` names it), or of any other type one time in eight.
fn value_of(ty: &str) -> BoxedStrategy<String> {
    let right: BoxedStrategy<String> = if ty.contains('"') {
        let options: Vec<String> = ty.split(" | ").map(String::from).collect();
        prop_oneof![4 => select(options), 1 => word()].boxed()
    } else if ty == "integer" {
        integer().boxed()
    } else if ty == "number" {
        number().boxed()
    } else if ty == "boolean" {
        any::<bool>().prop_map(|b| b.to_string()).boxed()
    } else if ty == "string" {
        word().boxed()
    } else if let Some(inner) = ty.strip_prefix("array of ") {
        array_of(value_of(inner)).boxed()
    } else {
        any_value().boxed()
    };
    prop_oneof![7 => right, 1 => any_value()].boxed()
}

fn any_value() -> BoxedStrategy<String> {
    prop_oneof![
        integer(),
        number(),
        word(),
        any::<bool>().prop_map(|b| b.to_string()),
        array_of(integer().boxed()),
        array_of(array_of(integer().boxed()).boxed()),
        Just("{ a = 1 }".to_string()),
    ]
    .boxed()
}

/// A key of the reference (with `<name>` filled in), its type, and sometimes a misspelling.
fn key() -> impl Strategy<Value = (String, String)> {
    (
        select(reference().to_vec()),
        select(SENSOR_NAMES.to_vec()),
        prop_oneof![40 => Just(None), 1 => Just(Some("x")), 1 => Just(Some("_s"))],
    )
        .prop_map(|((path, ty), sensor, typo)| {
            let mut path = path.replace("<name>", sensor);
            if let Some(t) = typo {
                path.push_str(t);
            }
            (path, ty)
        })
}

/// A plausible value for key `path` of type `ty`, so that whole scenarios often pass validation and reach the
/// topology builder and the model.
fn sane(path: &str, ty: &str) -> BoxedStrategy<String> {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let float = |lo: f64, hi: f64| (lo..hi).prop_map(float_text).boxed();
    match (leaf, ty) {
        ("name", _) => Just("\"fuzz\"".to_string()).boxed(),
        ("loss_prob", _) => float(0.0, 1.0),
        ("jitter_s", _) => float(0.0, 0.01),
        ("bandwidth_bps", _) => float(1e3, 1e9),
        ("wan_gateways" | "cloudlet_of", _) => array_of((0u64..4).prop_map(|v| v.to_string()).boxed()).boxed(),
        ("edges", _) => array_of((0u64..5, 0u64..5).prop_map(|(a, b)| format!("[{a}, {b}]")).boxed()).boxed(),
        ("positions_m", _) => array_of(
            (0.0f64..2e3, 0.0f64..2e3).prop_map(|(x, y)| format!("[{}, {}]", float_text(x), float_text(y))).boxed(),
        )
        .boxed(),
        (_, "number") if leaf.ends_with("_m") => float(1.0, 5e3),
        (_, "number") => float(0.0, 5.0),
        (_, "integer") => (0u64..12).prop_map(|v| v.to_string()).boxed(),
        _ => value_of(ty),
    }
}

fn entry() -> impl Strategy<Value = (String, String)> {
    key().prop_flat_map(|(path, ty)| {
        prop_oneof![10 => sane(&path, &ty), 1 => value_of(&ty)].prop_map(move |v| (path.clone(), v))
    })
}

/// A scenario file of dotted `key = value` lines (usually with a name, and usually with the required keys of
/// every sensor table it opens), and `--set` overrides.
fn structured() -> impl Strategy<Value = (String, Vec<String>)> {
    (
        prop::collection::btree_map(entry(), Just(()), 0..14),
        prop::collection::vec(entry(), 0..3),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(entries, sets, named, complete_sensors)| {
            let mut lines: BTreeMap<String, String> = entries.into_keys().collect();
            if named {
                lines.entry("name".into()).or_insert_with(|| "\"fuzz\"".into());
            }
            if complete_sensors {
                for sensor in SENSOR_NAMES {
                    let table = format!("sensors.{sensor}.");
                    if lines.keys().any(|k| k.starts_with(&table)) {
                        lines.entry(format!("{table}period_s")).or_insert_with(|| "1.0".into());
                        lines.entry(format!("{table}sample_bytes")).or_insert_with(|| "8".into());
                    }
                }
            }
            let text: String = lines.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            let sets = sets.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            (text, sets)
        })
}

fn load(text: &str, sets: &[String]) -> Option<Scenario> {
    load_str(text, Path::new("fuzz.toml"), sets).ok()
}

/// Reloads an accepted scenario with at most [`MAX_WEARABLES`] wearables and [`MAX_CLOUDLETS`] cloudlets (through
/// `--set`, so the smaller scenario is validated again; it may then be rejected, e.g. for a gateway index).
fn clamped(text: &str, sets: &[String], cfg: &ModelConfig) -> Option<ModelConfig> {
    let mut sets = sets.to_vec();
    if cfg.wearables > MAX_WEARABLES {
        sets.push(format!("wearables.count={MAX_WEARABLES}"));
    }
    if cfg.cloudlets.count > MAX_CLOUDLETS {
        sets.push(format!("cloudlets.count={MAX_CLOUDLETS}"));
    }
    load(text, &sets).map(|s| s.config)
}

/// A built network's basic shape: node layout by kind, and a finite route to the cloud from every node.
fn check_topology(cfg: &ModelConfig, topo: &Topology) {
    let n = topo.node_count() as u32;
    assert_eq!(n, cfg.wearables + cfg.patients() + cfg.cloudlets.count + 1);
    assert_eq!(topo.node(topo.cloud_node()).kind, NodeKind::RemoteCloud);
    assert_eq!(topo.uplink(topo.cloud_node()), NO_LINK);
    for start in (0..n - 1).map(NodeId) {
        let mut at = start;
        let mut hops = 0;
        while at != topo.cloud_node() {
            let link = topo.uplink(at);
            assert_ne!(link, NO_LINK, "node {start} has no route to the cloud");
            let (src, dst) = topo.endpoints(link);
            assert_eq!(src, at, "an uplink leaves its node");
            at = dst;
            hops += 1;
            assert!(hops < n, "node {start}'s route loops");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), sets in prop::collection::vec(any::<String>(), 0..2)) {
        let _ = load(&text, &sets);
    }

    #[test]
    fn toml_like_text_never_panics(
        text in "([a-z_.]{1,12} ?= ?([0-9eE.+-]{1,8}|\"[a-z]{0,5}\"|\\[[0-9, \\[\\]]{0,10}\\]|[a-z]{1,5})\n|\\[[a-z_.]{1,12}\\]\n|#.*\n){0,8}",
    ) {
        let _ = load(&text, &[]);
        let _ = load(&format!("name = \"t\"\n{text}"), &[]);
    }

    #[test]
    fn structured_scenarios_never_panic_and_accepted_ones_build((text, sets) in structured()) {
        let Some(s) = load(&text, &sets) else { return Ok(()) };
        let Some(cfg) = clamped(&text, &sets, &s.config) else { return Ok(()) };
        if let Ok(topo) = cloudletsim::run::build_topology(&cfg) {
            check_topology(&cfg, &topo);
        }
    }
}

/// A short run of an accepted scenario (one whose network cannot be built is skipped).
fn run_briefly(cfg: &ModelConfig) {
    let Ok(r) = cloudletsim::run::run(cfg, &RunOptions::default(), |_| {}) else { return };
    let m = r.model.metrics();
    assert_eq!(m.generated, m.delivered + m.dropped_total() + r.model.samples_in_flight(), "samples not conserved");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn accepted_scenarios_run_without_panicking((text, sets) in structured()) {
        // Keep the run short: few wearables, a short horizon, and not too many samples per second.
        let mut sets = sets;
        sets.push("wearables.count=4".into());
        sets.push("simulation.duration_s=0.5".into());
        sets.push("simulation.drain_s=0.1".into());
        let Some(s) = load(&text, &sets) else { return Ok(()) };
        let cfg = s.config;
        let cheap = cfg.cloudlets.count <= MAX_CLOUDLETS
            && cfg.sensors.iter().all(|x| x.period >= SimTime::from_millis(5));
        if cheap {
            run_briefly(&cfg);
        }
    }
}
